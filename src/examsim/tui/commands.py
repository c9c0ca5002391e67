"""The command palette (ctrl+p) and the remembered theme.

The palette (:class:`ExamSimCommands`, in ``ExamSimApp.COMMANDS``) offers the main
actions, each only when the app can do it. A command posts the message a screen would
(tui/messages.py) and the app acts on it; export and the theme list are dialogs.
:func:`remember_theme` (from the app's on_mount) applies the theme saved in the settings
file of the data dir and saves each change of theme.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.message import Message
from textual.theme import Theme

from ..core.safe_text import shown
from .app_base import AppBase
from .messages import GoHome, OpenHistory, OpenReview, OpenStats, ResumeAttempt

if TYPE_CHECKING:
    from textual.app import App

Command = tuple[str, str, Callable[[], object]]


def export_last(app: AppBase) -> None:
    """Palette "Export the last attempt to CSV": the export dialog of that attempt."""
    # lazy: the history screen's module stays off the way to the first frame (tui/app.py)
    from .screens.history import export_attempt

    history = app.services.history
    found = history.last_finished()
    if found is None:
        app.notify("No finished attempt to export yet.", markup=False)
        return
    export_attempt(app, history, found)


def palette_commands(app: AppBase) -> Iterator[Command]:
    """(name, help, callback) of every main action the app can do right now."""

    def post(message: Message) -> Callable[[], object]:
        return partial(app.post_message, message)

    if app.has_home():
        yield "Start an exam", "Back to the home screen to choose a bank", post(GoHome())
    running = app.session is not None and not app.session.finished
    yield ("Resume", "Back to the attempt in progress" if running
           else "Continue the most recent unfinished attempt", post(ResumeAttempt()))
    banks = app.services.history.banks()
    if len(banks) > 1:
        for bank_id, title, count in banks:
            yield (f"Stats: {title}", f"{bank_id}: {count} scored attempts",
                   post(OpenStats(bank_id)))
    else:
        yield ("Stats", "Score trend, weakest topics, miss streaks, strikes, pacing",
               post(OpenStats(banks[0][0] if banks else None)))
    yield "History", "Every attempt: review, export, delete", post(OpenHistory())
    yield ("Review the last attempt", "Each question with your answer, the key and why",
           post(OpenReview()))
    yield "Export the last attempt to CSV", "One row per question", partial(export_last, app)
    yield "Change theme", "Pick a colour theme (remembered)", app.action_change_theme


def literal_highlight(matcher: Matcher, name: str) -> Content:
    """``name`` as literal text (a bank title is user text, never markup), with the
    characters the query matched highlighted as the palette does."""
    name = shown(name)  # a bank title: control characters as placeholders
    content = Content(name)
    score, offsets = matcher.fuzzy_search.match(matcher.query, name)
    if score:
        for offset in offsets:
            if not name[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _commands(app: App[object]) -> Iterator[Command]:
    return palette_commands(app) if isinstance(app, AppBase) else iter(())


class ExamSimCommands(Provider):
    """examsim's main actions in the command palette. Every name and help is given as
    Content (literal text): Textual would read a plain string as markup."""

    async def discover(self) -> Hits:
        for name, help_text, callback in _commands(self.app):
            yield DiscoveryHit(Content(shown(name)), callback, text=shown(name),
                               help=Content(shown(help_text)))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in _commands(self.app):
            score = max(matcher.match(name), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, literal_highlight(matcher, name), callback, text=shown(name),
                          help=Content(shown(help_text)))  # type: ignore[arg-type]


# -- the theme ---------------------------------------------------------------------------

def remember_theme(app: AppBase) -> None:
    """Apply the theme saved in the settings file and save every later change of theme.

    Call once the app is running (on_mount). An unknown saved theme is ignored.
    """
    settings = app.settings
    saved = settings.theme
    if settings.notice:
        app.notify(settings.notice, severity="warning", markup=False)
    if saved and saved in app.available_themes and saved != app.theme:
        app.theme = saved

    def save(theme: Theme) -> None:
        try:
            settings.theme = theme.name
        except OSError as exc:  # a read-only data dir must not break the app
            app.notify(f"Could not save the theme: {exc}", severity="warning", markup=False)

    app.theme_changed_signal.subscribe(app, save)
