"""What the exam screen calls an attempt: "exam" in exam mode, "session" in the others
(newcomer run 6, finding 10: practice and drill said "End the exam?"), and the help's
ctrl+q line, which says that the attempt stays only where one is open (finding 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsim.core.assemble import MODES, mode_noun
from examsim.tui.screens.confirm import ConfirmScreen
from examsim.tui.screens.help import QUIT_KEEPS_ATTEMPT, HelpScreen
from examsim.tui.screens.history import HistoryScreen
from examsim.tui.screens.stats import StatsScreen

from .helpers import FakeServices, flat, host, make_session, open_history, recorded_app


def test_the_noun_is_exam_in_exam_mode_and_session_in_every_other() -> None:
    assert mode_noun("exam") == "exam"
    assert {mode_noun(mode) for mode in MODES if mode != "exam"} == {"session"}


def screen_text(app: object) -> str:
    strips = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return flat("\n".join(strip.text for strip in strips))


@pytest.mark.parametrize(("mode", "title", "button"), [
    ("exam", "End the exam?", "End exam (y)"),
    ("practice", "End the session?", "End session (y)"),
    ("drill", "End the session?", "End session (y)"),
])
async def test_the_end_dialog_names_an_exam_or_a_session(
    mode: str, title: str, button: str
) -> None:
    app, _ = recorded_app(make_session(mode=mode))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        text = screen_text(app)
        assert title in text and button in text
        other = "exam" if mode != "exam" else "session"
        assert f"End the {other}" not in text and f"End {other}" not in text


@pytest.mark.parametrize(("mode", "end"), [
    ("exam", "End the exam (asks first)"), ("practice", "End the session (asks first)")])
async def test_the_exam_screen_help_says_the_attempt_stays(mode: str, end: str) -> None:
    app, _ = recorded_app(make_session(mode=mode))
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict(app.screen.rows())
        assert rows["ctrl+q"] == QUIT_KEEPS_ATTEMPT
        assert rows["ctrl+s"] == end


@pytest.mark.parametrize("screen", [HistoryScreen, StatsScreen])
async def test_help_without_an_attempt_just_says_quit(tmp_path: Path, screen: type) -> None:
    history = open_history(tmp_path)
    factory = (lambda: HistoryScreen(history)) if screen is HistoryScreen else (
        lambda: StatsScreen(history, None))
    app = host(factory, FakeServices(history, tmp_path))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict(app.screen.rows())
        assert rows["ctrl+q"] == "Quit examsim"
        assert "resume later" not in screen_text(app)
