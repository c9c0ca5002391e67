"""The full-screen app: ``examsim`` (home), ``examsim run``, ``examsim resume``,
``examsim review``.

Every attempt is recorded in the history database of the data dir (``--data-dir``,
``$EXAMSIM_DATA_DIR``, else the user data dir) as it happens: the app's services
(tui/app_services.py ``AppServices``) start and resume attempts, autosave after every
change and store the result.
Leaving the app in any way (ctrl+q, the terminal closing, an error) saves the attempt
once more, so ``examsim resume`` (or the home screen) continues it exactly.

Exit codes: 0 done; 2 bad input (an unknown bank, a plan the bank cannot meet, nothing
to resume: ``examsim resume`` with no attempt in progress says so and exits 2, so that
``examsim resume || examsim run BANK`` works in scripts); 1 an unexpected failure.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..core.assemble import AssembleError, AttemptPlan
from ..core.gc_pause import gc_paused
from ..core.session import ExamSession
from ..storage.catalog import UnknownBank, resolve
from ..storage.history import HistoryError
from ..storage.locations import data_dir, history_db, history_path
from ..storage.plans import explain, recency, with_history_ids
from ..tui.app import build_app
from ..tui.app_services import AppServices
from ..tui.services import ServiceError
from . import CommandError, open_history

if TYPE_CHECKING:
    from textual.screen import Screen

    from ..core.bank import Bank
    from ..core.session import Clock
    from ..storage.history import History
    from ..tui.app import ExamSimApp


# -- plans ----------------------------------------------------------------------------


def build_plan(
    bank: Bank,
    history: History,
    *,
    mode: str = "exam",
    questions: int | None = None,
    time_minutes: float | None = None,
    domains: tuple[str, ...] | list[str] = (),
    topics: tuple[str, ...] | list[str] = (),
    seed: int | None = None,
    shuffle: bool = True,
    prefer_fresh: bool = False,
    strict: bool = False,
    extra_minutes: float = 0.0,
    unscored: int | None = None,
) -> AttemptPlan:
    """The plan of an attempt; missed and flagged modes take their ids from history."""

    plan = AttemptPlan(
        mode=mode,  # type: ignore[arg-type]
        questions=questions,
        time_minutes=time_minutes,
        domains=tuple(domains),
        topics=tuple(topics),
        seed=seed,
        shuffle=shuffle,
        prefer_fresh=prefer_fresh,
        strict=strict,
        extra_minutes=extra_minutes,
        unscored=unscored,
    )
    return with_history_ids(bank, history, plan)


# -- building and running the app --------------------------------------------------------


def open_services(
    args: argparse.Namespace, clock: Clock = time.monotonic, *, write: bool = True
) -> AppServices:
    """The services over the data dir's history. ``write`` (every command that may start
    or continue an exam): a history that cannot be written is refused here, before any
    exam starts, rather than lose every answer with a toast."""

    data = data_dir(args.data_dir)
    history = open_history(history_db(data))
    if write and not history.writable:
        history.close()
        raise CommandError(f"the history database {history.path} cannot be written "
                           "(a read-only file or folder): an exam there could not be saved; "
                           "use another --data-dir, or make it writable")
    if history.notice:
        print(f"examsim: {history.notice}", file=sys.stderr)
    return AppServices(history, data, clock)


def make_app(
    services: AppServices,
    session: ExamSession | None = None,
    *,
    home: Callable[[], Screen[Any]] | None = None,
) -> ExamSimApp:
    """The app over ``services``: showing ``session``, over ``home`` (a screen factory:
    the first screen, where escape on the results returns) when given."""

    app: ExamSimApp

    def guarded(store: Callable[[ExamSession], None], what: str) -> Callable[[Any], None]:
        said: set[str] = set()

        def hook(s: ExamSession) -> None:
            try:
                store(s)
            except (HistoryError, sqlite3.Error, OSError) as exc:
                message = f"could not {what}: {exc}"
                if message not in said:  # once per problem, not on every key
                    said.add(message)
                    app.notify(message, severity="error", timeout=10, markup=False)
            notice = services.lock_notice()
            if notice is not None:
                app.notify(notice, severity="warning", timeout=15, markup=False)

        return hook

    app = build_app(
        session,
        on_change=guarded(services.save, "save the attempt"),
        on_finish=guarded(services.finish, "store the result"),
        home=home,
        services=services,
        notices=[n for n in (services.notice, services.lock_notice()) if n],
    )
    return app


NEEDS_TERMINAL = ("examsim needs a terminal for the app (stdin and stdout must be a TTY); "
                  "the commands validate, import, export, stats, schema work without one")


WEB_DRIVER = "textual.drivers.web_driver:WebDriver"  # what textual-serve runs the app with


def has_terminal() -> bool:
    """Both stdin and stdout are a terminal: the app can read keys and draw. Under
    ``examsim serve`` they are pipes to the browser, and Textual's web driver is set."""
    if os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:
        return True
    return all(stream is not None and stream.isatty() for stream in (sys.stdin, sys.stdout))


def run_app(app: ExamSimApp, services: AppServices) -> int:
    """Run the app; whatever way it ends, save the attempts still open.

    Without a terminal the app is not started (it would write escape codes into a pipe or
    a file): the history is closed without saving anything and the command exits 2. The
    check comes here, last, so that bad arguments and banks are still reported as such.
    """
    if not has_terminal():
        services.history.close()  # releases a resumed attempt; records nothing new
        raise CommandError(NEEDS_TERMINAL)
    # What is loaded by now (a bank can be 100,000s of objects) lives as long as the app:
    # freezing it keeps every later garbage collection from scanning it again, which
    # otherwise slows the first frame and key presses (see docs/performance.md). The
    # command ran without collections so far (without_gc): they start again here.
    gc.freeze()
    gc.enable()
    saved = True
    try:
        app.run()
    finally:
        try:
            services.save_open()
        except Exception as exc:  # the message matters more than the type
            saved = False
            print(f"examsim: could not save the attempt on the way out: {exc}", file=sys.stderr)
        services.history.close()
    return app.return_code or (0 if saved else 1)  # answers lost: never "all is well"


# -- the commands -------------------------------------------------------------------------


def without_gc(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run a command that opens the app with no cyclic garbage collection until
    :func:`run_app` freezes what was made and turns collection back on.

    Importing Textual and loading a bank make some 100,000s of objects, all of them kept;
    each automatic collection on the way scans them again (on a 10,000-question bank one
    collection cost 60 ms of a 580 ms start). Refcounting still frees what is dropped.
    """


    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        with gc_paused():
            return command(args)

    return run


@without_gc
def run_home(args: argparse.Namespace) -> int:
    """``examsim``: the home screen."""
    from ..tui.screens.home import HomeScreen

    services = open_services(args)
    return run_app(make_app(services, home=HomeScreen), services)


@without_gc
def run_attempt(args: argparse.Namespace) -> int:
    """``examsim run BANK [options]``: start an attempt and show it."""

    try:
        bank = resolve(args.bank, data_dir(args.data_dir))
    except UnknownBank as exc:
        raise CommandError(str(exc)) from None
    services = open_services(args)
    plan = build_plan(
        bank, services.history, mode=args.mode, questions=args.questions,
        time_minutes=args.time, domains=args.domain, topics=args.topic, seed=args.seed,
        shuffle=not args.no_shuffle, prefer_fresh=args.prefer_fresh, strict=args.strict,
        extra_minutes=args.extra_time, unscored=args.unscored,
    )
    try:
        session = ExamSession.start(bank, plan, clock=services.clock,
                                    recency=recency(bank, services.history, plan))
    except AssembleError as exc:
        services.history.close()
        raise CommandError(explain(bank, plan, exc)) from None
    # Recorded after the first frame (or at the first save, whichever comes first):
    # building and writing the first snapshot is not on the way to the question.
    services.start_later(session)
    app = make_app(services, session)
    app.call_after_refresh(record_after_paint, app, services)
    return run_app(app, services)


def record_after_paint(app: ExamSimApp, services: AppServices) -> None:
    """Record the attempts waiting for the first frame; say so when that fails."""

    try:
        services.record_pending()
    except (HistoryError, sqlite3.Error, OSError) as exc:
        app.notify(f"could not record the attempt in {services.history.path}: {exc}",
                   severity="error", timeout=10, markup=False)


@without_gc
def run_resume(args: argparse.Namespace) -> int:
    """``examsim resume [ATTEMPT]``: continue that attempt, else the newest in progress,
    through the services' ``resume`` (the one resume path, as the home screen's).

    Nothing in progress is exit 2 with a message saying how to start one.
    """

    how = " (start one with `examsim run BANK`, or `examsim` to choose)"
    wanted: int | None = args.attempt
    if not history_path(args.data_dir).exists():  # no history: nothing to create it for
        if wanted is not None:
            raise CommandError(f"there is no attempt {wanted}")
        raise CommandError("nothing to resume: no attempt is in progress" + how)
    services = open_services(args)
    try:
        if wanted is None:
            unfinished = services.history.unfinished()
            if not unfinished:
                raise ServiceError("nothing to resume: no attempt is in progress" + how)
            wanted = unfinished[0].id
        else:
            row = services.history.attempt(wanted)
            if row is None:
                raise ServiceError(f"there is no attempt {wanted}")
            if row.status != "in_progress":
                raise ServiceError(f"attempt {wanted} is {row.status.replace('_', ' ')}, not "
                                   f"in progress; see it with `examsim review {wanted}`")
        session = services.resume(wanted)
    except ServiceError as exc:
        services.history.close()
        raise CommandError(str(exc)) from None
    app = make_app(services, session)
    if session.finished:
        app.notices.append("Time ran out while you were away: the attempt has ended.")
    return run_app(app, services)


@without_gc
def run_review(args: argparse.Namespace) -> int:
    """``examsim review [ATTEMPT]``: the review screen of a finished attempt (default: the
    last one)."""
    from ..tui.screens.review import ReviewScreen

    if not history_path(args.data_dir).exists():
        raise CommandError("no finished attempt yet: finish one, then review it")
    services = open_services(args)
    history = services.history
    if args.attempt is None:
        attempt = history.last_finished()
        if attempt is None:
            history.close()
            raise CommandError("no finished attempt yet: finish one, then review it")
    else:
        attempt = history.attempt(args.attempt)
        if attempt is None:
            history.close()
            raise CommandError(f"there is no attempt {args.attempt}")
        if attempt.status == "in_progress":
            history.close()
            raise CommandError(f"attempt {attempt.id} is still in progress: continue it "
                               f"with `examsim resume {attempt.id}` and finish it first")
    bank = services.find_bank(attempt.bank_id, attempt)  # None: the review shows what
    found = attempt                                       # history kept
    app = make_app(services, home=lambda: ReviewScreen(history, bank, found.id))
    return run_app(app, services)
