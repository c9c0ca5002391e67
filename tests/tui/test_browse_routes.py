"""Routes between the browse screens (stats, history, review): opening one that is open
already among the browse screens at the top goes back to it instead of stacking another
(ExamSimApp._back_to), so escape takes as many presses as screens the user opened.

Newcomer run 6, finding 8: results -> s -> h -> s -> h..., review -> stats -> review and
the palette's routes each pushed one more screen at every step."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen

from examsim.core.assemble import AttemptPlan
from examsim.core.session import ExamSession
from examsim.tui.app import ExamSimApp
from examsim.tui.screens.exam import ExamScreen
from examsim.tui.screens.history import HistoryScreen
from examsim.tui.screens.results import ResultsScreen
from examsim.tui.screens.review import ReviewScreen
from examsim.tui.screens.stats import StatsScreen

from .helpers import FakeClock, FakeServices, mixed_attempt, open_history, review_bank
from .test_palette import run_command


class Home(Screen[None]):
    """A stand-in for the home screen: what escape goes back to in the end."""


def results_app(tmp_path: Path) -> tuple[ExamSimApp, int, int]:
    """Home, then the results of a finished attempt (attempt 2; attempt 1 is older)."""
    bank = review_bank()
    history = open_history(tmp_path)
    older = mixed_attempt(history, bank)
    services = FakeServices(history, tmp_path / "data", bank, can_start=True, record=True)
    session = ExamSession.start(bank, AttemptPlan(seed=1, shuffle=False), clock=FakeClock())
    attempt_id = history.start_attempt(session)
    services.know(session, attempt_id)
    session.choose(1)
    session.submit()
    history.finish(attempt_id, session)
    app = ExamSimApp(session, services=services, home=Home,  # type: ignore[arg-type]
                     on_finish=services.finish)
    return app, attempt_id, older


def kinds(app: ExamSimApp) -> list[str]:
    """The screens above the home screen, by kind."""
    names = {StatsScreen: "stats", HistoryScreen: "history", ReviewScreen: "review",
             ResultsScreen: "results", ExamScreen: "exam"}
    stack = app.screen_stack
    start = next(i for i, screen in enumerate(stack) if isinstance(screen, Home)) + 1
    return [names.get(type(screen), type(screen).__name__) for screen in stack[start:]]


async def escapes_home(app: ExamSimApp, pilot) -> int:  # type: ignore[no-untyped-def]
    """Press escape until the home screen shows; how many presses it took."""
    presses = 0
    while not isinstance(app.screen, Home):
        await pilot.press("escape")
        await pilot.pause()
        presses += 1
        assert presses < 20, kinds(app)
    return presses


async def test_results_s_h_s_h_keeps_one_stats_and_one_history(tmp_path: Path) -> None:
    app, _, _ = results_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("s")
        await pilot.pause()
        for _ in range(3):
            await pilot.press("h")
            await pilot.pause()
            assert isinstance(app.screen, HistoryScreen)
            await pilot.press("s")  # the cursor is on the newest attempt: the same bank
            await pilot.pause()
            assert isinstance(app.screen, StatsScreen)
        assert kinds(app) == ["results", "stats"]
        await pilot.press("h", "enter")  # the review of the attempt under the cursor
        await pilot.pause()
        assert kinds(app) == ["results", "stats", "history", "review"]
        await run_command(pilot, "stats")  # the palette: back to the stats open below
        assert kinds(app) == ["results", "stats"]
        assert await escapes_home(app, pilot) == 2


async def test_review_stats_review_goes_back_to_the_review(tmp_path: Path) -> None:
    app, attempt_id, _ = results_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.attempt_id == attempt_id
        review = app.screen
        await run_command(pilot, "stats")
        assert kinds(app) == ["results", "review", "stats"]
        await run_command(pilot, "review the last")  # the attempt whose review is open
        assert app.screen is review and kinds(app) == ["results", "review"]
        await run_command(pilot, "history")
        await pilot.press("enter")  # the newest attempt: the same one again
        await pilot.pause()
        assert app.screen is review and kinds(app) == ["results", "review"]
        assert await escapes_home(app, pilot) == 2


async def test_the_review_of_another_attempt_is_opened_over_the_one_open(
    tmp_path: Path,
) -> None:
    app, attempt_id, older = results_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("s", "h")
        await pilot.pause()
        await pilot.press("down", "enter")  # the older attempt
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.attempt_id == older
        await run_command(pilot, "history")
        assert kinds(app) == ["results", "stats", "history"]
        await pilot.press("up", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.attempt_id == attempt_id
        assert kinds(app) == ["results", "stats", "history", "review"]


async def test_the_same_screen_from_the_palette_stacks_nothing(tmp_path: Path) -> None:
    app, _, _ = results_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        stats = app.screen
        await run_command(pilot, "stats")
        assert app.screen is stats and kinds(app) == ["results", "stats"]
        await pilot.press("question_mark")  # a dialog on top: closed on the way back
        await pilot.pause()
        await run_command(pilot, "stats")
        assert app.screen is stats and kinds(app) == ["results", "stats"]


async def test_screens_below_the_results_are_not_gone_back_to(tmp_path: Path) -> None:
    """stats -> history -> review -> r (retry) -> results: the stats and history below
    the new results are older than the attempt just ended, so s and h open new ones."""
    app, _, _ = results_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("s", "h")
        await pilot.pause()
        before = len(app.screen.attempts)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("r")  # retry these: a new attempt over the review
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert kinds(app) == ["results", "stats", "history", "review", "results"]
        await pilot.press("s", "h")
        await pilot.pause()
        assert kinds(app) == ["results", "stats", "history", "review", "results", "stats",
                              "history"]
        assert len(app.screen.attempts) == before + 1  # type: ignore[attr-defined]
