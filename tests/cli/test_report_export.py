"""`examsim export --report`: a full exam's score report as Markdown, a file per attempt."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsim.cli import main
from examsim.core.assemble import AttemptPlan
from examsim.core.formats.native import load_bank
from examsim.core.session import ExamSession
from examsim.storage.history import History
from examsim.storage.locations import history_db

SAMPLE = Path(__file__).resolve().parents[2] / "banks" / "sample.toml"


def finish(data: Path, plan: AttemptPlan) -> int:
    bank = load_bank(SAMPLE)
    with History(history_db(data)) as history:
        session = ExamSession.start(bank, plan)
        attempt = history.start_attempt(session)
        for display in [o.display for o in session.view().options if o.in_key]:
            session.choose(display)
        session.submit()
        history.finish(attempt, session)
    return attempt


def test_writes_the_report_of_the_last_full_exam(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    exam = finish(data, AttemptPlan(seed=1))
    practice = finish(data, AttemptPlan(mode="practice", seed=2))
    assert main(["export", "--report", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    file = data / "exports" / f"examsim-report-{exam}.md"
    assert str(file) in out
    text = file.read_text(encoding="utf-8")
    assert text.startswith("# Score report: ")
    assert "| Domain | Weight | Questions | Right | Percent | Classification |" in text
    assert "**NOT PASSED**" in text and "1 of 12 scored questions right" in text
    assert main(["export", "--report", "--data-dir", str(data)]) == 2  # never overwritten
    assert "exists; use --force" in capsys.readouterr().err
    assert main(["export", "--report", "--attempt", str(practice), "--data-dir",
                 str(data)]) == 2
    assert "session, not a full exam" in capsys.readouterr().err
    assert main(["export", "--report", "--last", "-o", "-", "--data-dir", str(data)]) == 0
    assert capsys.readouterr().out.startswith("# Score report: ")


def test_no_full_exam_yet_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    finish(data, AttemptPlan(mode="practice", seed=2))
    assert main(["export", "--report", "--all", "--data-dir", str(data)]) == 2
    assert "no finished full exam yet" in capsys.readouterr().err
