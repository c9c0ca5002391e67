"""A bank imported from each format can be taken: every question answered with its key
scores 100%. Uses the exam session when it is there (it is built beside this work)."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsim.cli import main
from examsim.core.formats.native import load_bank


@pytest.mark.parametrize("name", ["sample.gift", "sample.aiken.txt", "sample.md", "sample.csv",
                                  "sample.xml"])
def test_answering_the_key_scores_full_marks(name: str, fixtures: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    session_module = pytest.importorskip("examsim.core.session")
    from examsim.core.assemble import AttemptPlan

    out = tmp_path / "bank.toml"
    assert main(["import", str(fixtures / name), "-o", str(out)]) == 0
    capsys.readouterr()
    bank = load_bank(out)
    session = session_module.ExamSession.start(bank, AttemptPlan(mode="exam"),
                                               clock=lambda: 0.0)
    assert session.count == len(bank.questions)
    for position in range(session.count):
        session.go(position)
        for option in session.view().options:
            if option.in_key:
                assert session.choose(option.display).ok
    session.submit()
    assert session.result().percent == 100
