"""An attempt whose stored numbers cannot be shown (a time limit of inf or 1e308 seconds
written by an older examsim) is moved to abandoned with a message; the home screen and
resume never crash on it (issue 20, part 2)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from examsim.commands.app import AppServices
from examsim.core.assemble import AttemptPlan
from examsim.core.bank_model import validate_bank
from examsim.core.session import ExamSession
from examsim.storage.history import History, ResumeError
from examsim.storage.overview import in_progress
from examsim.tui.widgets.timer import clock_text

BANK = validate_bank({"bank": {"id": "b", "time_limit": 10}, "questions": [
    {"id": "a", "stem": "s", "options": ["x", "y"], "answer": "A"}]})


def damaged(tmp_path: Path, value: str) -> tuple[Path, int]:
    """A history with one attempt in progress whose saved time limit is ``value``."""
    path = tmp_path / "history.sqlite3"
    with History(path) as history:
        session = ExamSession.start(BANK, AttemptPlan(seed=1, shuffle=False))
        attempt_id = history.start_attempt(session)
        session.choose(0)
        history.autosave(attempt_id, session)
    conn = sqlite3.connect(path)
    outline = conn.execute("SELECT outline FROM attempts").fetchone()[0]
    assert '"time_limit": 600.0' in outline
    conn.execute("UPDATE attempts SET outline = ?, time_limit = 9e999",
                 (outline.replace('"time_limit": 600.0', f'"time_limit": {value}'),))
    conn.commit()
    conn.close()
    return path, attempt_id


@pytest.mark.parametrize("value", ["Infinity", "1e308", "NaN"])
def test_resume_moves_it_to_abandoned_with_a_message(tmp_path: Path, value: str) -> None:
    path, attempt_id = damaged(tmp_path, value)
    with History(path) as history:
        with pytest.raises(ResumeError, match=r"saved state is damaged.*kept as abandoned"):
            history.resume(attempt_id, BANK)
        row = history.attempt(attempt_id)
        assert row is not None and row.status == "abandoned"
        assert [a.chosen for a in history.answers(attempt_id)] == ["A"]


@pytest.mark.parametrize("value", ["Infinity", "1e308"])
def test_the_home_overview_sets_it_aside_with_a_notice(tmp_path: Path, value: str) -> None:
    path, attempt_id = damaged(tmp_path, value)
    with History(path) as history:
        notices: list[str] = []
        assert in_progress(history, [BANK], notices) == []
        assert notices == [f"Attempt {attempt_id} on 'b' was moved to abandoned: its saved time "
                           "limit cannot be used (not a finite number of seconds). Its answers "
                           "so far stay in the history."]
        row = history.attempt(attempt_id)
        assert row is not None and row.status == "abandoned"
        # the services hand the notice to the home screen
        history_again = AppServices(history, tmp_path).overview()
        assert history_again.unfinished == [] and history_again.notices == []


def test_a_time_that_is_not_finite_shows_as_a_dash() -> None:
    assert clock_text(float("inf")) == "–" and clock_text(float("nan"), up=True) == "–"
    assert clock_text(61) == "1:01"


async def test_the_home_screen_opens_and_says_so(tmp_path: Path) -> None:
    from examsim.commands.app import make_app
    from examsim.tui.screens.home import HomeScreen

    data = tmp_path / "data"
    data.mkdir()
    _, attempt_id = damaged(data, "Infinity")
    history = History(data / "history.sqlite3")
    services = AppServices(history, data, cwd=tmp_path)
    app = make_app(services, home=HomeScreen)
    try:
        async with app.run_test(notifications=True) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert any(f"Attempt {attempt_id} on 'b' was moved to abandoned" in n.message
                       for n in app._notifications)
    finally:
        history.close()
