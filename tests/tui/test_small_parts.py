"""Parts on their own: scaled results, untimed timer, the confirm dialog, results help."""

from __future__ import annotations

from textual.app import App

from examsim.core.bank import Bank
from examsim.core.bank_model import validate_bank
from examsim.tui.screens.confirm import ConfirmScreen
from examsim.tui.screens.help import HelpScreen
from examsim.tui.screens.results import ResultsScreen
from examsim.tui.widgets.timer import ExamTimer

from .helpers import FakeClock, FakeServices, make_bank, make_session, recorded_app


def scaled_bank() -> Bank:
    data = make_bank().model_dump(by_alias=True)
    data["bank"]["pass_percent"] = None
    data["bank"]["scaled_score"] = {"min": 100, "max": 1000, "pass": 750}
    return validate_bank(data)


async def test_results_show_the_scaled_score() -> None:
    session = make_session(scaled_bank())
    session.choose(1)
    session.submit()
    app, _ = recorded_app(session)
    async with app.run_test():
        verdict = str(app.screen.query_one("#results-verdict").visual)
        assert verdict == "✗ NOT PASSED  scaled score 250 (pass 750/1000)"
        assert app.screen.query_one("#results-verdict").has_class("-failed")


async def test_untimed_session_shows_time_used() -> None:
    clock = FakeClock()
    session = make_session(make_bank(time_limit=None), clock=clock)
    app, _ = recorded_app(session)
    async with app.run_test():
        timer = app.screen.query_one(ExamTimer)
        clock.advance(75.5)
        timer.update_time()
        assert str(timer.render()) == "1:15 used"
        assert not timer.has_class("-warning") and not timer.has_class("-error")


async def test_results_help_lists_only_the_keys_that_work() -> None:
    session = make_session()
    session.submit()
    for in_history in (False, True):
        services = FakeServices()
        if in_history:
            services.know(session, services.history.start_attempt(session))
        app, _ = recorded_app(session, services=services)
        async with app.run_test() as pilot:
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            keys = [keys for keys, _ in app.screen.rows()]
            assert ("s" in keys and "r" in keys) is in_history and "escape" in keys
            assert ("s" in keys or "r" in keys) is in_history
            await pilot.press("escape")
            assert isinstance(app.screen, ResultsScreen)


class DialogApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.answers: list[bool | None] = []

    def on_mount(self) -> None:
        self.ask()

    def ask(self) -> None:
        self.push_screen(ConfirmScreen("Delete [b]it[/b]?", "Really? [/]"), self.answers.append)


async def test_confirm_dialog_keys_and_buttons() -> None:
    app = DialogApp()
    async with app.run_test() as pilot:
        assert str(app.screen.query_one("#title").visual) == "Delete [b]it[/b]?"
        await pilot.press("y")
        app.ask()
        await pilot.press("n")
        app.ask()
        await pilot.press("enter")
        app.ask()
        await pilot.press("escape")
        app.ask()
        await pilot.pause()
        assert await pilot.click("#confirm")
        app.ask()
        await pilot.pause()
        assert await pilot.click("#cancel")
        await pilot.pause()
        assert app.answers == [True, False, True, False, True, False]
