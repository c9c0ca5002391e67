"""screenshots/make.py is not a test and CI never runs it, but it drives the real app over
its real services: this keeps it from rotting (it once imported names the code no longer
had). A few of its scenes, into a temporary folder."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_make():
    spec = importlib.util.spec_from_file_location("screenshots_make",
                                                  ROOT / "screenshots" / "make.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_screenshot_script_shoots_the_exam_and_the_score_report(tmp_path: Path) -> None:
    make = load_make()
    make.SCENES = [scene for scene in make.SCENES if scene[0] in ("exam", "results")]
    assert len(make.SCENES) == 2
    svgs = asyncio.run(make.shoot(ROOT / "banks" / "sample.toml", tmp_path))
    svgs += asyncio.run(make.shoot_aws(tmp_path))
    names = sorted(svg.name for svg in svgs)
    assert names == ["aws-score-report.svg", "exam-reading-aid.svg", "exam.svg",
                     "results.svg"]
    text = {svg.name: svg.read_text(encoding="utf-8") for svg in svgs}
    assert "Question&#160;1/12" in text["exam.svg"]  # SVG text keeps spaces as &#160;
    assert "Results:" in text["results.svg"]
