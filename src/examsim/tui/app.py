"""ExamSimApp: the one place that opens the screens, and the hooks that connect the TUI
to the rest.

Screens post the messages of tui/messages.py (``StartAttempt``, ``OpenStats``,
``OpenReview``, ``ResumeAttempt``...) and the end of an attempt or the results screen's
keys (``ExamScreen.Finished``, ``ResultsScreen.*``); the app handles each with
``@on(...)`` and pushes, switches or pops the screens. A screen opens only its own
dialogs (help, confirm, the export path, a comment, the scratchpad, the review grid).

``services`` (required; tui/services.py) lists banks, starts, resumes, saves, finishes
and abandons attempts and holds the history the review, stats and history screens read.
Hooks:

- ``on_change(session)`` runs after every change of the session (the autosave hook);
- ``on_finish(session)`` runs once when the attempt ends (submitted or time up).

Pass ``home`` (a screen factory) and the app opens it first; escape on the results goes
back to it. Without one (``examsim run``), escape on the results opens the home screen.
``notices`` are shown once the app is up (e.g. that a damaged history database was moved
aside). The terminal closing (SIGHUP) or a SIGTERM saves the attempt through
``on_change`` and exits, as ctrl+q does. The command palette (ctrl+p) and the remembered
theme are in tui/commands.py.

Lazy import point: the screens that ``examsim run`` never draws first (home, the start
form, stats, history, review, and the results with what it reads: core/score_report,
core/learning; with their widgets and storage readers, some 50 ms of CPU) are imported by
the handler that opens them, so that they stay off the way to the first frame
(docs/performance.md); every other import is at the top.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.screen import ModalScreen, Screen
from textual.theme import ThemeProvider

from ..core.safe_text import shown
from ..storage.settings import Settings
from . import commands, guard
from .app_base import AppBase, Hook
from .contrast import readable_variables
from .messages import (
    GoHome,
    OpenHistory,
    OpenReview,
    OpenStartForm,
    OpenStats,
    ResumeAttempt,
    StartAttempt,
)
from .palette import ExamSimPalette
from .screens.browse import BrowseScreen
from .screens.exam import ExamScreen
from .services import ServiceError
from .terminal import HangUp, safe_driver_class

if TYPE_CHECKING:
    from textual.actions import ActionParseResult
    from textual.dom import DOMNode
    from textual.driver import Driver

    from ..core.assemble import AttemptPlan
    from ..core.bank import Bank
    from ..core.session import ExamSession
    from ..storage.records import AttemptRow
    from .screens.results import ResultsScreen
    from .services import Services

guard.install()  # no control character reaches the terminal, whatever draws it

DEFAULT_THEME = "textual-dark"
# Textual's ANSI themes draw with the terminal's own palette: their contrast cannot be
# known, let alone kept (tui/contrast.py), so examsim does not offer them.
UNOFFERED_THEMES = ("ansi-dark", "ansi-light")


_dismiss_installed = False


def _dismiss_once() -> None:
    """A screen dismisses itself only while it is the top screen.

    Textual's ``Screen.dismiss`` pops whatever screen is on top: a key queued in a screen
    before it left (enter, enter in the review grid or the command palette) dismissed it a
    second time, popping the screen below too (bench/torture.py found it: InvalidStateError,
    ScreenStackError). Dismissing a screen that is not on top is never meant, so it does
    nothing. Installed once, for every screen (Textual's palette included)."""
    global _dismiss_installed
    if _dismiss_installed:
        return
    _dismiss_installed = True
    original = Screen.dismiss

    def dismiss(self: Screen, result: Any = None) -> AwaitComplete:
        try:
            stack = self.app.screen_stack
        except Exception:  # not in an app (yet): Textual says what is wrong
            return original(self, result)
        if not stack or stack[-1] is not self:
            return AwaitComplete.nothing()
        return original(self, result)

    Screen.dismiss = dismiss  # type: ignore[method-assign]  # the guard above, for all screens


class ExamSimApp(AppBase):
    """The examsim terminal app."""

    CSS_PATH = "examsim.tcss"
    TITLE = "examsim"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {commands.ExamSimCommands}
    BINDINGS = [
        # the exam screen's help adds that its attempt stays (screens/help.py)
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False, tooltip="Quit examsim"),
    ]

    def __init__(
        self,
        session: ExamSession | None = None,
        *,
        services: Services,
        on_change: Hook | None = None,
        on_finish: Hook | None = None,
        home: Callable[[], Screen[Any]] | None = None,
        notices: list[str] | None = None,
    ) -> None:
        super().__init__()
        for name in UNOFFERED_THEMES:
            self.unregister_theme(name)
        _dismiss_once()
        self.session = session
        self.on_change = on_change
        self.on_finish = on_finish
        self._home = home
        self._home_instance: Screen[Any] | None = None
        self._first_pending = False  # on_mount to _open_first: the first screen is not open
        self.theme = DEFAULT_THEME  # until the saved one is applied (on_mount)
        self.services = services
        self.settings = Settings.open(services.data)
        self.notices: list[str] = list(notices or [])

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

    def action_show_help_panel(self) -> None:
        """Textual's keys panel ("Keys" in the palette), only on a screen in the DOM.

        Torture found a MountError: the palette's "Keys" ran on a screen on the stack but
        not (or no longer) attached (one opened while the app was leaving, or being
        removed); Textual's action mounts the panel on it unchecked."""
        if self.exiting or not self.screen.is_attached:
            return
        super().action_show_help_panel()

    # -- quitting: nothing after it -----------------------------------------------------

    @property
    def exiting(self) -> bool:
        """exit() was called: the app is closing."""
        return self._exit

    async def on_event(self, event: events.Event) -> None:
        # Keys typed after quitting are dropped: 'q' then 's' at once opened the stats
        # screen while the app closed, and it crashed without its widgets.
        if self.exiting and isinstance(event, events.InputEvent):
            return
        if isinstance(event, events.Key) and self._palette_list_unready(event.key):
            return
        if isinstance(event, events.InputEvent) and self._first_pending:
            self._open_first()  # typeahead: the first screen opens before the key goes to it
        await super().on_event(event)

    def _palette_list_unready(self, key: str) -> bool:
        """page up / down in a command palette whose list is not laid out yet: Textual's
        OptionList then fails (KeyError in _move_page; ctrl+p then page down typed at
        once crashed the app). Such a key is dropped."""
        if key not in ("pageup", "pagedown"):
            return False
        if not isinstance(self.screen, CommandPalette):
            return False
        return any(not found.scrollable_content_region.height
                   for found in self.screen.query(CommandList))

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        if self.exiting:  # a key already on its way when quit came in
            return False
        return await super().run_action(action, default_namespace, namespaces)

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

    def has_home(self) -> bool:
        return self._home_instance is not None

    def on_mount(self) -> None:
        commands.remember_theme(self)  # the theme saved in the settings file
        self._catch_hangup()
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=15, markup=False)
        self._first_pending = True
        self.call_later(self._open_first)

    def _open_first(self) -> None:
        """Open the first screen (home, then the session's): once, from the app's message
        queue, or earlier from the first key or click that comes before it.

        Not in ``on_mount``: Textual handles the app's Mount inside its startup batch
        (``batch_update``) and waits there for a screen pushed then to mount, so that
        screen was laid out and rendered, and its frame dropped, before the batch ended;
        the question reached the terminal only with a later repaint (the footer's, then
        the resize's: ~60-100 ms later in tmux, docs/performance.md). Opened after the
        batch, its first frame is written as soon as it is rendered. A key typed before
        that (typeahead, read when the terminal is set up) opens it first
        (:meth:`on_event`), so it reaches the screen as it did when the screen was pushed
        in ``on_mount``."""
        if not self._first_pending or self.exiting:
            return
        self._first_pending = False
        self._home_instance = self._home() if self._home is not None else None
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
        from .screens.results import ResultsScreen  # lazy point (module docstring)

        known = self.services.attempt_id(session) is not None  # in the history: r and s
        return ResultsScreen(session, can_review=known, can_stats=known,
                             note=self._repeat_note(session))

    def _repeat_note(self, session: ExamSession) -> str:
        """How many of the attempt's questions were seen before (core/learning.py), from
        the answers stored at its end; "" when it is not in the history."""
        attempt_id = self.services.attempt_id(session)
        if attempt_id is None:
            return ""
        from ..core.learning import repeat_note  # lazy point, with the results screen

        answers = self.services.history.answers(attempt_id)
        return repeat_note(session.full, ((a.seen, a.fresh, a.credit) for a in answers))

    def bank_for(self, bank_id: str, attempt: AttemptRow | None = None) -> Bank | None:
        """The bank with this id: the session's on screen, else the services' lookup."""
        if self.session is not None and self.session.bank.id == bank_id:
            return self.session.bank
        return self.services.find_bank(bank_id, attempt)

    # -- what the screens ask for (tui/messages.py) ---------------------------------------

    @on(StartAttempt)
    def start_attempt(self, message: StartAttempt) -> None:
        self.start_plan(message.bank, message.plan)

    def start_plan(self, bank: Bank, plan: AttemptPlan) -> None:
        """Start ``plan`` through the services and show it; a refusal is a notification."""
        if not self.services.can_start:
            return
        if (running := self.exam_screen()) is not None:  # one attempt at a time
            self.notify("An attempt is in progress: end it, or leave it for the home screen "
                        "(palette: Start an exam), before starting another.",
                        severity="warning", markup=False)
            self.show_exam(running)
            return
        try:
            session = self.services.start(bank, plan)
        except ServiceError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.open_session(session)

    @on(OpenStartForm)
    def open_start_form(self, message: OpenStartForm) -> None:
        from .screens.start import StartScreen  # lazy point (module docstring)

        def started(session: ExamSession | None) -> None:
            if session is not None:
                self.open_session(session)

        self.push_screen(StartScreen(message.bank, self.services, mode=message.mode), started)

    @on(ResumeAttempt)
    def resume_attempt(self, message: ResumeAttempt) -> None:
        if message.attempt_id is None:
            self.resume_latest()
            return
        try:
            session = self.services.resume(message.attempt_id)
        except ServiceError as exc:
            self.notify(str(exc), severity="error", timeout=12, markup=False)
            from .screens.home import HomeScreen  # lazy point (module docstring)

            if isinstance(self.screen, HomeScreen):
                self.screen.reload()
            return
        if session.finished:
            self.notify("Time ran out while you were away: the attempt has ended.",
                        severity="warning", markup=False)
        self.open_session(session)

    def resume_latest(self) -> None:
        """Palette "Resume": back to the attempt on an exam screen when there is one (never
        a second copy of it), else the newest attempt in progress."""
        if (running := self.exam_screen()) is not None:
            self.show_exam(running)
            return
        unfinished = self.services.history.unfinished()
        if not unfinished:
            self.notify("Nothing to resume: no attempt is in progress.", markup=False)
            return
        try:
            session = self.services.resume(unfinished[0].id)
        except ServiceError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.open_session(session)

    @on(OpenStats)
    async def open_stats(self, message: OpenStats) -> None:
        from .screens.stats import StatsScreen  # lazy point (module docstring)

        history = self.services.history
        bank_id = message.bank_id
        if bank_id is None:
            last = history.last_finished()
            bank_id = last.bank_id if last is not None else None
        if await self._back_to(("stats", bank_id)):
            return
        bank = self.bank_for(bank_id) if bank_id is not None else None
        self.push_screen(StatsScreen(history, bank_id, bank))

    @on(OpenHistory)
    async def open_history(self) -> None:
        from .screens.history import HistoryScreen  # lazy point (module docstring)

        if not await self._back_to(HistoryScreen.browsed):
            self.push_screen(HistoryScreen(self.services.history))

    async def _back_to(self, browsed: tuple[object, ...]) -> bool:
        """Go back to the browse screen showing ``browsed`` (BrowseScreen.browsed) when one
        is open among the browse screens at the top of the stack, closing what is above
        it; False when there is none (the caller opens one).

        So h and s between stats and history, the palette's Stats, History and Review, and
        the review of an attempt whose review is open, never stack a second screen showing
        the same: escape takes as many presses as screens the user opened. Dialogs on top
        (help, the palette) are closed too. The search stops at the first screen that is
        not a browse screen (results, an exam, home): what is below it may be older than
        what happened since (a new attempt), and the user came from there."""
        stack = self.screen_stack
        index = len(stack) - 1
        while index > 0 and isinstance(stack[index], ModalScreen):
            index -= 1
        while index > 0 and isinstance(screen := stack[index], BrowseScreen):
            if screen.browsed == browsed:
                while self.screen is not screen and screen in self.screen_stack:
                    await self.pop_screen()
                return True
            index -= 1
        return False

    @on(OpenReview)
    async def open_review(self, message: OpenReview) -> None:
        from .screens.review import ReviewScreen  # lazy point (module docstring)

        history = self.services.history
        wanted = message.attempt_id
        attempt = history.attempt(wanted) if wanted else history.last_finished()
        if attempt is None:
            self.notify("No finished attempt to review yet.", markup=False)
            return
        if await self._back_to(("review", attempt.id)):
            return
        self.push_screen(ReviewScreen(history, self.bank_for(attempt.bank_id, attempt),
                                      attempt.id))

    @on(GoHome)
    async def go_home_asked(self) -> None:
        await self.go_home()

    async def on_exam_screen_finished(self, message: ExamScreen.Finished) -> None:
        session = message.session
        if self.on_finish is not None:
            self.on_finish(session)
        while isinstance(self.screen, ModalScreen):  # a dialog or the grid was open
            await self.pop_screen()
        await self.switch_screen(self._results(session))

    def on_results_screen_review_requested(self, message: ResultsScreen.ReviewRequested) -> None:
        """The results screen's r: the review of that attempt."""
        from .screens.review import ReviewScreen  # lazy point (module docstring)

        session = message.session
        attempt_id = self.services.attempt_id(session)
        if attempt_id is None:
            self.notify("This attempt is not in the history.", severity="warning", markup=False)
            return
        self.push_screen(ReviewScreen(self.services.history, session.bank, attempt_id))

    def on_results_screen_stats_requested(self, message: ResultsScreen.StatsRequested) -> None:
        """The results screen's s: the stats of that bank."""
        self.post_message(OpenStats(message.session.bank.id))

    async def on_results_screen_leave(self, message: ResultsScreen.Leave) -> None:
        await self.go_home()

    async def go_home(self) -> None:
        """Back to the home screen; started without one (``examsim run`` / ``resume``), it
        opens one now."""
        home = self._home_instance
        if home is None or home not in self.screen_stack:
            while len(self.screen_stack) > 2:  # the app's own first screen, then ours
                await self.pop_screen()
            from .screens.home import HomeScreen  # lazy point (module docstring)

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

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, with output that cannot block the exit (tui/terminal.py)."""
        return safe_driver_class(super().get_driver_class())

    def _catch_hangup(self) -> None:
        """The terminal closing (SIGHUP) or SIGTERM: save and leave, as ctrl+q does, and
        end within 2 s whatever happens (tui/terminal.py says how).

        Without this Python dies at once on SIGHUP: the answers are saved already (after
        every change) but not the time since the last one. Not in headless runs (tests).
        """
        if self.is_headless:
            return
        self._hangup = HangUp(self._hang_up, lambda: self._driver)
        self._hangup.install()

    def _hang_up(self) -> None:
        if self.session is not None and not self.session.finished:
            with contextlib.suppress(Exception):  # leaving matters more; the caller saves too
                self.session_changed(self.session)
        self.exit()


def build_app(
    session: ExamSession | None = None,
    *,
    services: Services,
    on_change: Hook | None = None,
    on_finish: Hook | None = None,
    home: Callable[[], Screen[Any]] | None = None,
    notices: list[str] | None = None,
) -> ExamSimApp:
    """The one factory the command line uses to build the app (sessions the app starts
    itself take the services' clock)."""
    return ExamSimApp(session, services=services, on_change=on_change, on_finish=on_finish,
                      home=home, notices=notices)
