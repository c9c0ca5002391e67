"""A bank imported from each format is taken in the TUI: keys answer it, results score it."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsim.cli import main
from examsim.core.assemble import AttemptPlan
from examsim.core.bank import LETTERS
from examsim.core.formats.native import load_bank
from examsim.core.session import ExamSession
from examsim.tui.screens.results import ResultsScreen

from .helpers import FakeClock, recorded_app

FIXTURES = Path(__file__).resolve().parents[1] / "formats" / "fixtures"


@pytest.mark.parametrize(
    "name", ["sample.gift", "sample.aiken.txt", "sample.md", "sample.csv", "sample.xml"])
async def test_imported_bank_taken_by_keys(name: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "imported.toml"
    assert main(["import", str(FIXTURES / name), "-o", str(out)]) == 0
    capsys.readouterr()
    bank = load_bank(out)
    session = ExamSession.start(bank, AttemptPlan(mode="exam", seed=3), clock=FakeClock())
    app, rec = recorded_app(session)
    async with app.run_test(size=(100, 30)) as pilot:
        for position in range(session.count):
            for option in session.view().options:
                if option.in_key:
                    await pilot.press(LETTERS[option.display].lower())
            assert session.view(position).answered
            await pilot.press("n")
        await pilot.press("ctrl+s")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
    assert session.finished and session.result().percent == 100
    assert rec.finished == [session]
