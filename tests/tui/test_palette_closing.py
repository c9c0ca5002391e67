"""A command palette closing while it still gathers commands (bench/torture.py found it:
NoMatches for CommandList in Textual's CommandPalette._watch__list_visible, ctrl+p then
ctrl+q at once; docs/reliability.md).

Textual cancels the palette's gathering worker only when the palette itself unmounts,
after its children are gone, and after awaiting its providers' shutdown. A result that
comes in between sets ``_list_visible``, whose watcher looks for the CommandList that has
just been removed. In a real run the window is a few loop turns; here a provider whose
``shutdown`` takes a while (public API) holds it open, and its search answers in it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.command import CommandInput, CommandPalette, DiscoveryHit, Hits, Provider

import examsim.tui.app as app_module
from examsim.tui.app import ExamSimApp
from examsim.tui.palette import ExamSimPalette
from examsim.tui.screens.results import ResultsScreen

from .helpers import FakeClock, FakeServices, make_app, make_session

SHUTDOWN_SECONDS = 0.3


class LateProvider(Provider):
    """Answers only once the palette is shutting it down, then takes its time to stop."""

    closing: asyncio.Event | None = None
    answered = False

    async def startup(self) -> None:
        type(self).closing = asyncio.Event()

    async def discover(self) -> Hits:
        closing = type(self).closing
        assert closing is not None
        await closing.wait()
        await asyncio.sleep(0.02)  # well inside the shutdown below
        type(self).answered = True
        yield DiscoveryHit("Late command", lambda: None, text="Late command")

    async def search(self, query: str) -> Hits:
        async for hit in self.discover():
            yield hit

    async def shutdown(self) -> None:
        closing = type(self).closing
        assert closing is not None
        closing.set()
        await asyncio.sleep(SHUTDOWN_SECONDS)


class LateApp(ExamSimApp):
    CSS_PATH = str(Path(app_module.__file__).with_name("examsim.tcss"))  # not beside this
    COMMANDS = ExamSimApp.COMMANDS | {LateProvider}


@pytest.fixture(autouse=True)
def _fresh_provider_state() -> None:
    LateProvider.closing = None
    LateProvider.answered = False


async def _open_palette(app: ExamSimApp) -> None:
    for _ in range(100):
        await asyncio.sleep(0.01)
        if isinstance(app.screen, CommandPalette) and LateProvider.closing is not None:
            return
    raise AssertionError("the palette did not open")


async def test_time_running_out_under_the_palette_does_not_crash(tmp_path: Path) -> None:
    """The exam's time runs out while the palette is open and still gathering: the app
    pops the dialogs above the exam screen, the palette included, and shows the results.
    Before: NoMatches for CommandList in _watch__list_visible (a worker error, the app
    gone)."""
    clock = FakeClock()
    app = LateApp(make_session(clock=clock), services=FakeServices())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.press("ctrl+p")
        await _open_palette(app)
        clock.advance(31 * 60)  # the bank's 30 minutes are over
        for _ in range(100):
            await asyncio.sleep(0.02)
            if isinstance(app.screen, ResultsScreen):
                break
        await asyncio.sleep(SHUTDOWN_SECONDS + 0.2)
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert app.session is not None and app.session.end_reason == "time_up"
    assert app.return_code in (0, None)


async def test_quitting_while_the_palette_gathers_does_not_crash(tmp_path: Path) -> None:
    """ctrl+q with the palette gathering: Textual cancels every worker before it closes
    the screens, so this one held before the fix too; it stays to keep it so."""
    app = LateApp(make_session(), services=FakeServices())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await _open_palette(app)
        await pilot.press("ctrl+q")
        await asyncio.sleep(SHUTDOWN_SECONDS + 0.2)
    assert app.return_code == 0


async def test_the_palettes_examsim_opens_stop_gathering_when_they_close() -> None:
    """ctrl+p and the theme list both open examsim's palette."""
    app = make_app(make_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, ExamSimPalette)
        await pilot.press("escape")
        await pilot.pause()
        app.action_change_theme()
        await pilot.pause()
        assert isinstance(app.screen, ExamSimPalette)
        assert app.screen.query_one(CommandInput).placeholder == "Search for themes…"


async def test_the_keys_panel_is_not_mounted_on_a_screen_outside_the_dom() -> None:
    """Torture found a MountError from the palette's "Keys" (Textual's
    action_show_help_panel) on a screen on the stack but not in the DOM (opened while the
    app was leaving, or being removed). Such a screen gets no panel; an attached one
    does."""
    from textual.screen import Screen
    from textual.widgets import HelpPanel

    app = make_app(make_session())
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_show_help_panel()
        await pilot.pause()
        assert app.screen.query(HelpPanel)  # an attached screen: the panel shows
        app.action_hide_help_panel()
        await pilot.pause()
        detached = Screen()
        app._screen_stack.append(detached)  # on the stack, never mounted
        try:
            app.action_show_help_panel()  # before: MountError
        finally:
            app._screen_stack.remove(detached)
        assert not detached.children


async def test_a_search_typed_just_before_the_palette_closes_does_not_start() -> None:
    """A key typed into the palette as a screen change closes it: the input's Changed
    message sits in the palette's queue behind the Prune that closes it, so Textual's
    handler starts a new search after the worker was cancelled; its result (or its first
    query_one) then comes after the CommandList is gone. Torture found it in CI (seed
    617461: NoMatches for CommandList in _watch__list_visible). examsim's palette starts
    no search once it is closing."""
    from textual.await_remove import AwaitRemove
    from textual.widgets import Input

    app = LateApp(make_session(), services=FakeServices())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await _open_palette(app)
        palette = app.screen
        assert isinstance(palette, ExamSimPalette)
        typed = palette.query_one(CommandInput)
        remove = palette.remove

        def remove_then_type() -> AwaitRemove:
            removing = remove()  # the palette is told to close (Prune queued)...
            palette.post_message(Input.Changed(typed, "th"))  # ...a search queued after
            return removing

        palette.remove = remove_then_type  # type: ignore[method-assign]  # the key's moment
        app.pop_screen()
        await asyncio.sleep(SHUTDOWN_SECONDS + 0.2)  # the search answers in shutdown
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        assert not palette.is_attached
    assert app.return_code in (0, None)
