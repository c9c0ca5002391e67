"""The command palette (ctrl+p), and how the review, stats and history screens reach the app.

The palette (:class:`ExamSimCommands`, in ``ExamSimApp.COMMANDS``) offers the main
actions, each only when the app can do it. What the app can do comes from its
``services`` (tui/services.py: the history, the data dir, starting and resuming attempts)
and from optional hooks, attributes of the app that override the defaults (a method, or
a callable set on the instance; None means "not connected"):

====================================  ==================================================
``start_retry(bank, question_ids)``   a new attempt of exactly these questions (review r,
                                      stats m). Default: ``services.start`` of a
                                      "missed" plan with those ids, then the exam screen
``start_drill(bank, topics)``         a drill of these topics (stats d). Default: a
                                      "drill" plan through ``services.start``
``start_exam()``                      palette "Start an exam". Default: the home screen
``resume_attempt()``                  palette "Resume". Default: the newest attempt in
                                      progress through ``services.resume``
``find_bank(bank_id)``                the Bank with this id, or None. Default:
                                      storage.resume.find_bank in the data dir
``history``                           a History to use instead of ``services.history``
``settings``                          a Settings to use instead of the data dir's file
====================================  ==================================================

:func:`connect_app` (from the app's __init__) gives the app ``open_stats`` /
``open_history`` and the results screen its r (review) and s (stats) when the app has a
history and no hooks of its own; :func:`remember_theme` (from on_mount) applies the theme
saved in the settings file of the data dir and saves each change of theme.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from ..core.safe_text import shown

if TYPE_CHECKING:
    from textual.app import App

    from ..core.assemble import AttemptPlan
    from ..core.bank import Bank
    from ..storage.history import History
    from ..storage.records import AttemptRow
    from ..storage.settings import Settings

Starter = Callable[["Bank", list[str]], object]


def hook(app: object, name: str) -> Callable[..., Any] | None:
    """The app's hook ``name`` when it is connected (callable), else None."""
    found = getattr(app, name, None)
    return found if callable(found) else None


def app_services(app: object) -> Any:
    return getattr(app, "services", None)


def app_history(app: object) -> History | None:
    from ..storage.history import History

    for found in (getattr(app, "history", None),
                  getattr(app_services(app), "history", None)):
        if isinstance(found, History):
            return found
    return None


def data_dir_of(app: object, history: History | None = None) -> Path | None:
    """The data dir: the services', else the folder the history database is in."""
    data = getattr(app_services(app), "data", None)
    if data is not None:
        return Path(data)
    history = history if history is not None else app_history(app)
    return history.path.parent if history is not None else None


def bank_for(
    app: object,
    bank_id: str,
    attempt: AttemptRow | None = None,
    history: History | None = None,
) -> Bank | None:
    """The bank with this id: the running session's, the app's ``find_bank``, else the
    (newest) attempt's file or a bank of that id in the usual places, else the services'
    ``find_bank`` (a bank with no attempt yet); None when not found."""
    session = getattr(app, "session", None)
    bank = getattr(session, "bank", None)
    if bank is not None and bank.id == bank_id:
        return bank
    finder = hook(app, "find_bank")
    if finder is not None:
        return finder(bank_id)
    history = history if history is not None else app_history(app)
    data = data_dir_of(app, history)
    if attempt is None and history is not None:
        found = history.attempts(bank_id, limit=1)
        attempt = found[0] if found else None
    if attempt is not None and data is not None:
        from ..storage.history import HistoryError
        from ..storage.resume import find_bank

        try:  # its file when it still holds that bank, else the banks found
            return find_bank(attempt, data, getattr(app_services(app), "cwd", None))
        except HistoryError:
            return None
    services_finder = getattr(app_services(app), "find_bank", None)
    return services_finder(bank_id) if callable(services_finder) else None


# -- starting attempts -------------------------------------------------------------------

def _start_plan(app: App[Any], bank: Bank, plan: AttemptPlan) -> None:
    """Start ``plan`` through the services and show it; a refusal is a notification."""
    from .services import ServiceError

    if (running := open_exam(app)) is not None:  # one attempt at a time
        app.notify("An attempt is in progress: end it, or leave it for the home screen "
                   "(palette: Start an exam), before starting another.",
                   severity="warning", markup=False)
        app.show_exam(running)  # type: ignore[attr-defined]
        return
    try:
        session = app_services(app).start(bank, plan)
    except ServiceError as exc:
        app.notify(str(exc), severity="error", markup=False)
        return
    app.open_session(session)  # type: ignore[attr-defined]


def _can_start(app: object) -> bool:
    return callable(getattr(app_services(app), "start", None)) and hasattr(app, "open_session")


def retry_starter(app: App[Any]) -> Starter | None:
    """How to start "exactly these questions" in this app, or None when it cannot."""
    if (custom := hook(app, "start_retry")) is not None:
        return custom
    if not _can_start(app):
        return None
    from ..core.assemble import AttemptPlan

    def start(bank: Bank, question_ids: list[str]) -> None:
        _start_plan(app, bank, AttemptPlan(mode="missed", question_ids=tuple(question_ids)))

    return start


def drill_starter(app: App[Any]) -> Starter | None:
    """How to start a drill of some topics in this app, or None when it cannot."""
    if (custom := hook(app, "start_drill")) is not None:
        return custom
    if not _can_start(app):
        return None
    from ..core.assemble import AttemptPlan

    def start(bank: Bank, topics: list[str]) -> None:
        _start_plan(app, bank, AttemptPlan(mode="drill", topics=tuple(topics)))

    return start


def open_exam(app: object) -> Any:
    """The app's exam screen of an unfinished attempt, or None."""
    finder = getattr(app, "exam_screen", None)
    return finder() if callable(finder) else None


def resume_latest(app: App[Any]) -> None:
    """Palette "Resume": back to the attempt on an exam screen when there is one (never
    a second copy of it), else the newest attempt in progress."""
    from .services import ServiceError

    if (running := open_exam(app)) is not None:
        app.show_exam(running)  # type: ignore[attr-defined]
        return

    services, history = app_services(app), app_history(app)
    unfinished = history.unfinished() if history is not None else []
    if not unfinished:
        app.notify("Nothing to resume: no attempt is in progress.", markup=False)
        return
    try:
        session = services.resume(unfinished[0].id)
    except ServiceError as exc:
        app.notify(str(exc), severity="error", markup=False)
        return
    app.open_session(session)  # type: ignore[attr-defined]


# -- opening the screens ---------------------------------------------------------------

def open_stats(app: App[Any], bank_id: str | None = None) -> None:
    from .screens.stats import StatsScreen

    history = app_history(app)
    if history is None:
        return
    if bank_id is None:
        last = history.last_finished()
        bank_id = last.bank_id if last is not None else None
    bank = bank_for(app, bank_id) if bank_id is not None else None
    app.push_screen(StatsScreen(history, bank_id, bank))


def open_history(app: App[Any]) -> None:
    from .screens.history import HistoryScreen

    history = app_history(app)
    if history is not None:
        app.push_screen(HistoryScreen(history))


def open_review(app: App[Any], attempt_id: int | None = None) -> None:
    from .screens.review import ReviewScreen

    history = app_history(app)
    if history is None:
        return
    attempt = history.attempt(attempt_id) if attempt_id else history.last_finished()
    if attempt is None:
        app.notify("No finished attempt to review yet.", markup=False)
        return
    app.push_screen(ReviewScreen(history, bank_for(app, attempt.bank_id, attempt), attempt.id))


def export_last(app: App[Any]) -> None:
    from .screens.history import export_attempt

    history = app_history(app)
    if history is None:
        return
    found = history.last_finished()
    if found is None:
        app.notify("No finished attempt to export yet.", markup=False)
        return
    export_attempt(app, history, found)


# -- the palette -----------------------------------------------------------------------

Command = tuple[str, str, Callable[[], object]]


def palette_commands(app: App[Any]) -> Iterator[Command]:
    """(name, help, callback) of every main action the app can do right now."""
    services = app_services(app)
    if (start := hook(app, "start_exam")) is not None:
        yield "Start an exam", "Choose a bank and start an attempt", start
    elif getattr(app, "_home_instance", None) is not None:
        yield ("Start an exam", "Back to the home screen to choose a bank",
               partial(app.go_home))  # type: ignore[attr-defined]
    if (resume := hook(app, "resume_attempt")) is not None:
        yield "Resume", "Continue the most recent unfinished attempt", resume
    elif callable(getattr(services, "resume", None)) and hasattr(app, "open_session"):
        yield ("Resume", "Back to the attempt in progress" if open_exam(app) is not None
               else "Continue the most recent unfinished attempt", partial(resume_latest, app))
    history = app_history(app)
    if history is not None:
        banks = history.banks()
        if len(banks) > 1:
            for bank_id, title, count in banks:
                yield (f"Stats: {title}", f"{bank_id}: {count} scored attempts",
                       partial(open_stats, app, bank_id))
        else:
            yield ("Stats", "Score trend, weakest topics, miss streaks, strikes, pacing",
                   partial(open_stats, app, banks[0][0] if banks else None))
        yield "History", "Every attempt: review, export, delete", partial(open_history, app)
        yield ("Review the last attempt", "Each question with your answer, the key and why",
               partial(open_review, app, None))
        yield ("Export the last attempt to CSV", "One row per question",
               partial(export_last, app))
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


class ExamSimCommands(Provider):
    """examsim's main actions in the command palette. Every name and help is given as
    Content (literal text): Textual would read a plain string as markup."""

    async def discover(self) -> Hits:
        for name, help_text, callback in palette_commands(self.app):
            yield DiscoveryHit(Content(shown(name)), callback, text=shown(name),
                               help=Content(shown(help_text)))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in palette_commands(self.app):
            score = max(matcher.match(name), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, literal_highlight(matcher, name), callback, text=shown(name),
                          help=Content(shown(help_text)))  # type: ignore[arg-type]


# -- the theme ---------------------------------------------------------------------------

def app_settings(app: object) -> Settings | None:
    from ..storage.settings import Settings

    found = getattr(app, "settings", None)
    if isinstance(found, Settings):
        return found
    data = getattr(app_services(app), "data", None)
    return Settings.open(data) if data is not None else None


def connect_app(app: App[Any]) -> None:
    """Give an app with a history (its own ``history`` or its services') what the other
    screens call, where it has none of its own: ``open_stats(bank_id=None)`` and
    ``open_history()`` (the home screen's s / h), and the results screen's ``on_review`` /
    ``on_stats``. Called from the app's __init__; the theme is :func:`remember_theme`."""
    if app_history(app) is None:
        return
    if not callable(getattr(app, "open_stats", None)):
        app.open_stats = partial(open_stats, app)  # type: ignore[attr-defined]
    if not callable(getattr(app, "open_history", None)):
        app.open_history = partial(open_history, app)  # type: ignore[attr-defined]
    if getattr(app, "on_review", False) is None:
        app.on_review = partial(review_session, app)  # type: ignore[attr-defined]
    if getattr(app, "on_stats", False) is None:
        app.on_stats = partial(stats_session, app)  # type: ignore[attr-defined]


def session_attempt_id(app: object, session: Any) -> int | None:
    """The attempt id of a session: the services know it; else the bank's newest attempt."""
    known = getattr(app_services(app), "attempt_id", None)
    if callable(known) and (found := known(session)) is not None:
        return int(found)
    history = app_history(app)
    last = history.attempts(session.bank.id, limit=1) if history is not None else []
    return last[0].id if last else None


def review_session(app: App[Any], session: Any) -> None:
    """The results screen's r: the review of that attempt."""
    from .screens.review import ReviewScreen

    history, attempt_id = app_history(app), session_attempt_id(app, session)
    if history is None or attempt_id is None:
        app.notify("This attempt is not in the history.", severity="warning", markup=False)
        return
    app.push_screen(ReviewScreen(history, session.bank, attempt_id))


def stats_session(app: App[Any], session: Any) -> None:
    """The results screen's s: the stats of that bank."""
    open_stats(app, session.bank.id)


def remember_theme(app: App[Any]) -> None:
    """Apply the theme saved in the settings file and save every later change of theme.

    Call once the app is running (on_mount). Without settings (no ``app.settings``, no
    ``services.data``) nothing is read or written. An unknown saved theme is ignored.
    """
    settings = app_settings(app)
    if settings is None:
        return
    saved = settings.theme
    if settings.notice:
        app.notify(settings.notice, severity="warning", markup=False)
    if saved and saved in app.available_themes and saved != app.theme:
        app.theme = saved

    def save(theme: Any) -> None:
        try:
            settings.theme = theme.name
        except OSError as exc:  # a read-only data dir must not break the app
            app.notify(f"Could not save the theme: {exc}", severity="warning", markup=False)

    app.theme_changed_signal.subscribe(app, save)

