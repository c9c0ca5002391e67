"""What starting examsim imports: modules whose cost every start would pay (see
docs/performance.md, "Lazy imports")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import cast

SAMPLE = Path(__file__).resolve().parents[2] / "banks" / "sample.toml"

PROBE = """
import sys
import examsim.cli, examsim.commands.app, examsim.tui.app, examsim.tui.screens.exam
print(" ".join(sorted(name for name in sys.modules if name in WATCHED)))
"""


def loaded(watched: set[str]) -> set[str]:
    code = f"WATCHED = {sorted(watched)!r}\n" + PROBE
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return set(result.stdout.split())


def test_starting_builds_no_pydantic_validator_at_import() -> None:
    """A pydantic model built at import (no defer_build) makes pydantic look up its
    plugins (importlib.metadata over every installed package: ~40 ms per start). The
    report models did, once storage/overview.py imported the report."""
    assert loaded({"pydantic.plugin._loader", "importlib.metadata"}) == set()


def test_the_command_line_alone_imports_no_framework() -> None:
    code = ("import sys, examsim.cli; print(' '.join(sorted(n for n in sys.modules "
            "if n.split('.')[0] in ('pydantic', 'textual', 'sqlite3', 'fsrs'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == []


def test_starting_does_not_define_the_report_models() -> None:
    """The stats report's ~40 models cost 20-40 ms to define (pydantic evaluates each
    field's type); starting an exam needs none of them (storage/overview.py imports the
    report only for a bank with attempts)."""
    assert loaded({"examsim.storage.report", "examsim.storage.report_model"}) == set()


# `examsim run BANK` in a process of its own, up to the first frame: the app runs
# headless and is stopped once it has drawn; what was imported by then is printed.
RUN_TO_FIRST_FRAME = """
import json, sys
import examsim.commands.app as app_module
from examsim.cli import main

seen = {}

def run_app(app, services):
    def on_screen():
        seen["screen"] = type(app.screen).__name__
        seen["position"] = app.session.index if app.session is not None else None
        seen["loaded"] = sorted(name for name in sys.modules
                                if name.split(".")[0] in ("pydantic", "pydantic_core"))
        app.exit()

    app.call_after_refresh(on_screen)
    app.run(headless=True, size=(100, 30))
    services.save_open()
    services.history.close()
    return 0

app_module.run_app = run_app
code = main(["run", sys.argv[1], "--data-dir", sys.argv[2], "--seed", "1"])
print(json.dumps({"code": code, **seen}))
"""


def run_to_first_frame(bank: Path, data: Path, cache: Path) -> dict[str, object]:
    env = {**os.environ, "EXAMSIM_CACHE_DIR": str(cache)}
    result = subprocess.run([sys.executable, "-c", RUN_TO_FIRST_FRAME, str(bank), str(data)],
                            capture_output=True, text=True, check=True, env=env, timeout=120)
    found: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def test_a_warm_run_shows_question_1_without_pydantic(tmp_path: Path) -> None:
    """With the bank in the bank cache, `examsim run` reaches its first frame without
    pydantic (~50 ms a start): the bank is made of plain objects (core/bank.py), the
    snapshot models (core/snapshot.py) and the validation (core/bank_model.py) are
    imported only to take or check a snapshot and on a cache miss."""
    bank = Path(__file__).resolve().parents[2] / "banks" / "sample.toml"
    cold = run_to_first_frame(bank, tmp_path / "data", tmp_path / "cache")
    assert cold["code"] == 0 and cold["screen"] == "ExamScreen"
    assert "pydantic" in cast(list[str], cold["loaded"])  # the miss validated the file
    warm = run_to_first_frame(bank, tmp_path / "data", tmp_path / "cache")
    assert (warm["code"], warm["screen"], warm["position"]) == (0, "ExamScreen", 0)
    assert warm["loaded"] == []


# A real `examsim run` in a subprocess, headless, to the end of its first frame, then the
# modules it has imported. Run twice: the first makes the bank cache and the history (one
# attempt), the second is the warm start that is measured.
START = """
import sys
import examsim.commands.app as command
from examsim.cli import main


def run_app(app, services):
    app.call_after_refresh(app.exit)  # the first frame is drawn: stop there
    app.run(headless=True, size=(100, 30))
    services.save_open()
    services.history.close()
    return 0


command.run_app = run_app
code = main(["run", sys.argv[1], "--seed", "1"])
print(code, " ".join(sorted(sys.modules)))
"""

# What a start must not import: the stats, the learning figures, the score report, the
# spaced-review scheduler (fsrs), the results and the screens `run` does not draw first,
# with the stdlib modules only they use; the home screen's overview; the exam screen's
# dialogs; the scoring of a whole attempt (docs/performance.md, "Lazy imports").
NOT_ON_THE_START_PATH = {
    "fsrs", "statistics",
    "examsim.core.insights", "examsim.core.learning", "examsim.core.score_report",
    "examsim.core.spaced", "examsim.storage.history_stats", "examsim.storage.report",
    "examsim.storage.report_model", "examsim.storage.review",
    "examsim.tui.screens.results", "examsim.tui.screens.home", "examsim.tui.screens.start",
    "examsim.tui.screens.stats", "examsim.tui.screens.history", "examsim.tui.screens.review",
    "examsim.storage.overview", "examsim.tui.screens.confirm",
    "examsim.tui.screens.comment", "examsim.tui.screens.review_grid",
    "examsim.tui.screens.scratchpad", "examsim.tui.widgets.navigator", "examsim.core.scoring",
}


def start(bank: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", START, bank], capture_output=True,
                            text=True, check=True, timeout=120)
    code, modules = result.stdout.split(" ", 1)
    assert code == "0", result.stdout + result.stderr
    return set(modules.split())


def test_a_warm_start_imports_only_what_question_1_needs() -> None:
    bank = str(SAMPLE)
    start(bank)  # cold: writes the bank cache, records an attempt
    loaded = start(bank)
    assert "examsim.tui.screens.exam" in loaded  # the probe did reach the exam screen
    assert loaded & NOT_ON_THE_START_PATH == set()
