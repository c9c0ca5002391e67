"""ExamSimApp: screens, theme and the hooks that connect the TUI to the rest.

The app is thin: it opens screens and routes their messages to injected hooks.

- ``on_change(session)`` runs after every change of the session (the autosave hook);
- ``on_finish(session)`` runs once when the attempt ends (submitted or time up);
- ``on_review(session)`` / ``on_stats(session)`` answer r / s on the results screen; their
  keys are shown only when a hook is given.

A hook that needs the app can close over it::

    app = build_app(session, on_review=lambda session: app.push_screen(Review(session)))

Override :meth:`ExamSimApp.home_screen` (or pass ``home``) and the app opens it first;
escape on the results screen goes back to it. Without one (``examsim run``), escape on
the results opens the home screen when the services can list banks, else quits.

``services`` (see tui/services.py) is what the home screen uses to list banks and to
start, resume and abandon attempts; ``notices`` are shown once the app is up (e.g. that
a damaged history database was moved aside). The terminal closing (SIGHUP) or a SIGTERM
saves the attempt through ``on_change`` and exits, as ctrl+q does.

Review, stats, history, the command palette (ctrl+p) and the remembered theme live in
tui/commands.py. When the services have a history, ``commands.connect_app`` gives the app
``open_stats(bank_id)`` / ``open_history()`` (the home screen's s / h) and the results
screen's ``on_review`` / ``on_stats`` where none were given; ``commands.remember_theme``
(on mount) applies the theme saved in the data dir's settings file and saves each change.
Optional hooks the review and stats screens look for (``start_retry(bank, question_ids)``,
``start_drill(bank, topics)``, ``find_bank``...) are listed in that module's docstring;
without them the services are used.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen
from textual.theme import ThemeProvider

from ..core.safe_text import shown
from . import commands, guard
from .contrast import readable_variables
from .palette import ExamSimPalette
from .screens.exam import ExamScreen
from .screens.results import ResultsScreen

if TYPE_CHECKING:
    from ..core.session import Clock, ExamSession
    from .services import Services

guard.install()  # no control character reaches the terminal, whatever draws it

Hook = Callable[["ExamSession"], object]
DEFAULT_THEME = "textual-dark"
# Textual's ANSI themes draw with the terminal's own palette: their contrast cannot be
# known, let alone kept (tui/contrast.py), so examsim does not offer them.
UNOFFERED_THEMES = ("ansi-dark", "ansi-light")


def _dismiss_once() -> None:
    """A screen dismisses itself only while it is the top screen.

    Textual's ``Screen.dismiss`` pops whatever screen is on top: a key queued in a screen
    before it left (enter, enter in the review grid or the command palette) dismissed it a
    second time, popping the screen below too (bench/torture.py found it: InvalidStateError,
    ScreenStackError). Dismissing a screen that is not on top is never meant, so it does
    nothing. Installed once, for every screen (Textual's palette included)."""
    from textual.await_complete import AwaitComplete

    original = Screen.dismiss
    if getattr(original, "examsim_once", False):
        return

    def dismiss(self: Screen, result: Any = None) -> AwaitComplete:
        try:
            stack = self.app.screen_stack
        except Exception:  # not in an app (yet): Textual says what is wrong
            return original(self, result)
        if not stack or stack[-1] is not self:
            return AwaitComplete.nothing()
        return original(self, result)

    dismiss.examsim_once = True  # type: ignore[attr-defined]  # a marker on the function
    Screen.dismiss = dismiss  # type: ignore[method-assign]  # the guard above, for all screens


class ExamSimApp(App[None]):
    """The examsim terminal app."""

    CSS_PATH = "examsim.tcss"
    TITLE = "examsim"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {commands.ExamSimCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False,
                tooltip="Quit; the attempt stays as it is, to resume later"),
    ]

    def __init__(
        self,
        session: ExamSession | None = None,
        *,
        clock: Clock = time.monotonic,
        on_change: Hook | None = None,
        on_finish: Hook | None = None,
        on_review: Hook | None = None,
        on_stats: Hook | None = None,
        home: Callable[[], Screen] | None = None,
        theme: str = DEFAULT_THEME,
        services: Services | None = None,
        notices: list[str] | None = None,
    ) -> None:
        super().__init__()
        for name in UNOFFERED_THEMES:
            self.unregister_theme(name)
        _dismiss_once()
        self.session = session
        self.clock = clock  # for sessions the app starts itself (the home screen, later)
        self.on_change = on_change
        self.on_finish = on_finish
        self.on_review = on_review
        self.on_stats = on_stats
        self._home = home
        self._home_instance: Screen | None = None
        self.theme = theme
        self.services = services
        self.notices: list[str] = list(notices or [])
        commands.connect_app(self)  # open_stats / open_history, results r / s (commands.py)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables with text colours that read on every background examsim
        draws them on (tui/contrast.py)."""
        variables = super().get_css_variables()
        variables.update(readable_variables(variables))
        self.theme_variables = variables
        return variables

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands but its "Theme": the palette's "Change theme"
        (tui/commands.py) opens the same list and remembers the choice."""
        for command in super().get_system_commands(screen):
            if command.callback != self.action_change_theme:
                yield command

    def action_command_palette(self) -> None:
        """ctrl+p: Textual's action, opening examsim's palette (tui/palette.py)."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(ExamSimPalette(id="--command-palette"))

    def search_themes(self) -> None:
        """The theme list ("Change theme"), in examsim's palette (tui/palette.py)."""
        self.push_screen(ExamSimPalette(providers=[ThemeProvider],
                                        placeholder="Search for themes…"))

    # -- quitting: nothing after it -----------------------------------------------------

    @property
    def exiting(self) -> bool:
        """exit() was called: the app is closing."""
        return bool(getattr(self, "_exit", False))

    async def on_event(self, event: events.Event) -> None:
        # Keys typed after quitting are dropped: 'q' then 's' at once opened the stats
        # screen while the app closed, and it crashed without its widgets.
        if self.exiting and isinstance(event, events.InputEvent):
            return
        if isinstance(event, events.Key) and self._palette_list_unready(event.key):
            return
        await super().on_event(event)

    def _palette_list_unready(self, key: str) -> bool:
        """page up / down in a command palette whose list is not laid out yet: Textual's
        OptionList then fails (KeyError in _move_page; ctrl+p then page down typed at
        once crashed the app). Such a key is dropped."""
        if key not in ("pageup", "pagedown"):
            return False
        from textual.command import CommandList, CommandPalette

        if not isinstance(self.screen, CommandPalette):
            return False
        return any(not found.scrollable_content_region.height
                   for found in self.screen.query(CommandList))

    async def run_action(self, action: Any, default_namespace: Any = None) -> bool:
        if self.exiting:  # a key already on its way when quit came in
            return False
        return await super().run_action(action, default_namespace)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast (bottom right, above the footer: examsim.tcss). One that says the same
        as a toast still showing replaces it (its time starts again) instead of stacking
        (e.g. A pressed again and again). Messages often hold bank or file names: control
        characters in them are shown as placeholders (core/safe_text.py)."""
        message, title = shown(message), shown(title)
        for toast in list(self._notifications):
            if (toast.message, toast.title, toast.severity) == (message, title, severity):
                self._unnotify(toast, refresh=False)
        super().notify(message, title=title, severity=severity, timeout=timeout,
                       markup=markup)

    # -- screens ----------------------------------------------------------------------

    def home_screen(self) -> Screen | None:
        """The screen escape returns to; None: there is none and leaving quits."""
        return self._home() if self._home is not None else None

    def on_mount(self) -> None:
        commands.remember_theme(self)  # the theme saved in the settings file
        self._catch_hangup()
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=15, markup=False)
        self._home_instance = self.home_screen()
        if self._home_instance is not None:
            self.push_screen(self._home_instance)
        if self.session is not None:
            self.open_session(self.session)

    def open_session(self, session: ExamSession) -> None:
        """Show ``session``: the exam screen, or its results once it has finished.

        One exam screen per session: when ``session`` is on one already, that screen is
        brought forward (nothing is pushed, its clock runs on)."""
        running = self.exam_screen(session)
        if running is not None:
            self.show_exam(running)
            return
        self.session = session
        if session.finished:
            self.push_screen(self._results(session))
        else:
            self.push_screen(ExamScreen(session, on_change=self.session_changed))

    def exam_screen(self, session: ExamSession | None = None) -> ExamScreen | None:
        """The exam screen showing ``session`` (any unfinished one when None), or None."""
        for screen in reversed(self.screen_stack):
            if not isinstance(screen, ExamScreen):
                continue
            if (session is None and not screen.session.finished) or screen.session is session:
                return screen
        return None

    def show_exam(self, screen: ExamScreen) -> None:
        """Bring an exam screen already open forward (close what is above it); when it is
        in front already, say so."""
        self.session = screen.session
        if self.screen is screen:
            self.notify("This attempt is open already: it is the one on screen.", markup=False)
            return

        async def forward() -> None:
            while screen in self.screen_stack and self.screen is not screen:
                await self.pop_screen()

        self.call_next(forward)

    def _results(self, session: ExamSession) -> ResultsScreen:
        return ResultsScreen(
            session, can_review=self.on_review is not None, can_stats=self.on_stats is not None,
            note=self._repeat_note(session),
        )

    def _repeat_note(self, session: ExamSession) -> str:
        """How many of the attempt's questions were seen before (core/learning.py), from
        the answers stored at its end; "" without a history."""
        from ..core.learning import repeat_note

        if self.services is None:
            return ""
        attempt_id = self.services.attempt_id(session)
        if attempt_id is None:
            return ""
        answers = self.services.history.answers(attempt_id)
        return repeat_note(session.full, ((a.seen, a.fresh, a.credit) for a in answers))

    def session_changed(self, session: ExamSession) -> None:
        if self.on_change is not None:
            self.on_change(session)

    async def on_exam_screen_finished(self, message: ExamScreen.Finished) -> None:
        session = message.session
        if self.on_finish is not None:
            self.on_finish(session)
        while isinstance(self.screen, ModalScreen):  # a dialog or the grid was open
            await self.pop_screen()
        await self.switch_screen(self._results(session))

    def on_results_screen_review_requested(self, message: ResultsScreen.ReviewRequested) -> None:
        if self.on_review is not None:
            self.on_review(message.session)

    def on_results_screen_stats_requested(self, message: ResultsScreen.StatsRequested) -> None:
        if self.on_stats is not None:
            self.on_stats(message.session)

    async def on_results_screen_leave(self, message: ResultsScreen.Leave) -> None:
        await self.go_home()

    async def go_home(self) -> None:
        """Back to the home screen. Started without one (``examsim run`` / ``resume``) but
        with services that list banks, it opens one now; quit only when it cannot."""
        home = self._home_instance
        if home is None or home not in self.screen_stack:
            if not callable(getattr(self.services, "overview", None)):
                self.exit()
                return
            from .screens.home import HomeScreen

            while len(self.screen_stack) > 2:  # the app's own first screen, then ours
                await self.pop_screen()
            self._home_instance = HomeScreen()
            if len(self.screen_stack) > 1:
                await self.switch_screen(self._home_instance)
            else:
                await self.push_screen(self._home_instance)
            return
        while self.screen is not home:
            await self.pop_screen()

    async def action_quit(self) -> None:
        """ctrl+q: save the attempt as it is (resumable) and leave."""
        if self.session is not None and not self.session.finished:
            self.session_changed(self.session)
        self.exit()

    def get_driver_class(self) -> Any:
        """Textual's driver, with output that cannot block the exit (tui/terminal.py)."""
        from .terminal import safe_driver_class

        return safe_driver_class(super().get_driver_class())

    def _catch_hangup(self) -> None:
        """The terminal closing (SIGHUP) or SIGTERM: save and leave, as ctrl+q does, and
        end within 2 s whatever happens (tui/terminal.py says how).

        Without this Python dies at once on SIGHUP: the answers are saved already (after
        every change) but not the time since the last one. Not in headless runs (tests).
        """
        if self.is_headless:
            return
        from .terminal import HangUp

        self._hangup = HangUp(self._hang_up, lambda: getattr(self, "_driver", None))
        self._hangup.install()

    def _hang_up(self) -> None:
        if self.session is not None and not self.session.finished:
            with contextlib.suppress(Exception):  # leaving matters more; the caller saves too
                self.session_changed(self.session)
        self.exit()


def build_app(session: ExamSession | None = None, **options: Any) -> ExamSimApp:
    """The one factory the command line uses to build the app (``options``: ExamSimApp's
    keyword arguments: clock, the hooks, home, services, notices)."""
    return ExamSimApp(session, **options)
