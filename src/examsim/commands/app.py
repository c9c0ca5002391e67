"""The full-screen app: ``examsim`` (home), ``examsim run``, ``examsim resume``,
``examsim review``.

Every attempt is recorded in the history database of the data dir (``--data-dir``,
``$EXAMSIM_DATA_DIR``, else the user data dir) as it happens: :class:`AppServices` starts
and resumes attempts for the app, autosaves after every change and stores the result.
Leaving the app in any way (ctrl+q, the terminal closing, an error) saves the attempt
once more, so ``examsim resume`` (or the home screen) continues it exactly.

Exit codes: 0 done; 2 bad input (an unknown bank, a plan the bank cannot meet, nothing
to resume: ``examsim resume`` with no attempt in progress says so and exits 2, so that
``examsim resume || examsim run BANK`` works in scripts); 1 an unexpected failure.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import gc
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import CommandError, open_history

if TYPE_CHECKING:
    from ..core.assemble import Assembly, AttemptPlan
    from ..core.bank import Bank
    from ..core.session import Clock, ExamSession
    from ..storage.history import History
    from ..tui.app import ExamSimApp
    from ..tui.services import Overview

REVIEW_MODULE = "examsim.tui.screens.review"


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
    from ..core.assemble import AttemptPlan

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


def recency(bank: Bank, history: History, plan: AttemptPlan) -> dict[str, int] | None:
    """When each question was last seen, for a plan that prefers fresh questions."""
    return history.last_seen(bank.id) if plan.prefer_fresh else None


def with_history_ids(bank: Bank, history: History, plan: AttemptPlan) -> AttemptPlan:
    """Fill in the question ids of a missed / flagged / due plan that has none."""
    if plan.mode not in ("missed", "flagged", "due") or plan.question_ids:
        return plan
    if plan.mode == "due":
        ids = due_ids(bank, history)
    elif plan.mode == "missed":
        ids = history.missed_ids(bank.id)
    else:
        ids = history.flagged_ids(bank.id)
    return dataclasses.replace(plan, question_ids=tuple(ids))


def due_ids(bank: Bank, history: History) -> list[str]:
    """The questions due for review before the end of today (local time), most overdue
    first, interleaved across domains (core/spaced.py)."""
    from ..core.spaced import end_of_day, interleave

    due = history.due(bank.id, end_of_day(history.now()))
    return interleave([(qid, domain) for qid, domain in due if bank.has_question(qid)])


def explain(bank: Bank, plan: AttemptPlan, exc: Exception) -> str:
    """A user-facing reason why ``plan`` cannot start on ``bank``."""
    if plan.mode in ("missed", "flagged", "due") and not plan.question_ids:
        if plan.mode == "due":
            return (f"nothing is due for review on {bank.title!r} today: a question you "
                    "answer wrong is due again the same day, one you answer right after "
                    "a day or more")
        if plan.mode == "missed":
            return (f"no missed questions on {bank.title!r} yet: the questions you answer "
                    "wrong in a finished attempt are asked here")
        return (f"no flagged questions on {bank.title!r} yet: the questions you flag (m) "
                "in a finished attempt are asked here")
    return str(exc)


# -- the services the app uses ----------------------------------------------------------


class AppServices:
    """Starts, resumes, saves and finishes attempts for the app, over one History.

    Implements :class:`examsim.tui.services.Services`. Errors the user can act on come
    out as ``ServiceError`` with a message to show.
    """

    def __init__(
        self,
        history: History,
        data: Path,
        clock: Clock = time.monotonic,
        cwd: Path | None = None,
    ) -> None:
        self.history = history
        self.data = data
        self.clock = clock
        self.cwd = cwd
        self._sessions: dict[int, ExamSession] = {}  # attempt id -> its live session
        self._pending: list[ExamSession] = []  # started, not yet recorded (start_later)
        self._reviewed: dict[int, int] = {}  # attempt id -> practice checks reviewed
        self._lock_notice_said = False

    @property
    def notice(self) -> str | None:
        return self.history.notice

    def lock_notice(self) -> str | None:
        """Once: that attempt locks do not work in the data dir (storage/lease.py), so
        the heartbeat rule decides which examsim has an attempt open."""
        notice = self.history.locks.notice
        if notice is None or self._lock_notice_said:
            return None
        self._lock_notice_said = True
        return notice

    # attempts this object knows -----------------------------------------------------

    def track(self, session: ExamSession, attempt_id: int) -> None:
        """``session`` is attempt ``attempt_id`` now (replacing an older session of it)."""
        self._sessions[attempt_id] = session

    def release(self, session: ExamSession) -> None:
        """Forget ``session``: it is no longer on screen (its last state is saved), and
        give up its lease so that another examsim may open it."""
        attempt_id = self.attempt_id(session)
        if attempt_id is not None:
            del self._sessions[attempt_id]
            if not self._discard_untouched(session, attempt_id):
                self.history.release(attempt_id)

    def _discard_untouched(self, session: ExamSession, attempt_id: int) -> bool:
        """An unfinished attempt in which nothing was done (no answer, strike, flag or
        confidence) is deleted when it is left: there is nothing to resume. True when
        it was."""
        if session.finished or session.touched:
            return False
        return self.history.discard_untouched(attempt_id)

    def start_later(self, session: ExamSession) -> None:
        """Record ``session`` as a new attempt, but not now: after the first frame.

        Anything that needs the attempt (a save, the result, its id, the app closing)
        records it first, so no change can be lost; :meth:`record_pending` does it
        otherwise, from the app once it has drawn the question.
        """
        self._pending.append(session)

    def record_pending(self) -> None:
        """Record the attempts of :meth:`start_later` now (each once)."""
        while self._pending:
            session = self._pending[0]
            self.track(session, self.history.start_attempt(session))
            self._pending.pop(0)

    def attempt_id(self, session: ExamSession) -> int | None:
        if self._pending:
            self.record_pending()
        for attempt_id, known in self._sessions.items():
            if known is session:
                return attempt_id
        return None

    def open_sessions(self) -> list[tuple[ExamSession, int]]:
        """Sessions started or resumed here that have not finished."""
        if self._pending:
            self.record_pending()
        return [(s, a) for a, s in self._sessions.items() if not s.finished]

    # what the screens ask for -------------------------------------------------------

    def overview(self) -> Overview:
        from ..storage.catalog import discover
        from ..storage.overview import bank_overviews, in_progress
        from ..tui.services import Overview

        entries = discover(self.data, self.cwd)
        banks = [entry.bank for entry in entries if entry.bank is not None]
        notices: list[str] = []
        unfinished = in_progress(self.history, banks, notices)
        return Overview(bank_overviews(entries, self.history), unfinished, notices)

    def mode_counts(self, bank: Bank) -> dict[str, int]:
        return {"missed": len(self.history.missed_ids(bank.id)),
                "flagged": len(self.history.flagged_ids(bank.id)),
                "due": len(due_ids(bank, self.history))}

    def preview(self, bank: Bank, plan: AttemptPlan) -> Assembly:
        from ..core.assemble import AssembleError, assemble
        from ..tui.services import ServiceError

        plan = with_history_ids(bank, self.history, plan)
        try:
            return assemble(bank, plan, recency(bank, self.history, plan))
        except AssembleError as exc:
            raise ServiceError(explain(bank, plan, exc)) from None

    def start(self, bank: Bank, plan: AttemptPlan) -> ExamSession:
        from ..core.assemble import AssembleError
        from ..core.session import ExamSession
        from ..tui.services import ServiceError

        plan = with_history_ids(bank, self.history, plan)
        try:
            session = ExamSession.start(bank, plan, clock=self.clock,
                                        recency=recency(bank, self.history, plan))
        except AssembleError as exc:
            raise ServiceError(explain(bank, plan, exc)) from None
        try:
            self.track(session, self.history.start_attempt(session))
        except (sqlite3.Error, OSError) as exc:
            raise ServiceError(f"cannot record the attempt in {self.history.path}: {exc}") from None
        return session

    def resume(self, attempt_id: int) -> ExamSession:
        from ..storage.history import HistoryError
        from ..storage.resume import find_bank
        from ..tui.services import ServiceError

        live = self._sessions.get(attempt_id)
        if live is not None and not live.finished:  # on screen already: never a 2nd copy
            return live
        row = self.history.attempt(attempt_id)
        if row is None:
            raise ServiceError(f"there is no attempt {attempt_id}")
        try:
            bank = find_bank(row, self.data, self.cwd)
            session = self.history.resume(attempt_id, bank, self.clock)
        except HistoryError as exc:
            raise ServiceError(str(exc)) from None
        except (sqlite3.Error, OSError) as exc:  # disk full, read-only: cannot hold it
            raise ServiceError(f"cannot resume attempt {attempt_id}: the history database "
                               f"could not be written ({exc})") from None
        self.track(session, attempt_id)
        return session

    def find_bank(self, bank_id: str) -> Bank | None:
        """The bank with this id among the banks found, or None."""
        from ..storage.catalog import discover

        for entry in discover(self.data, self.cwd):
            if entry.bank is not None and entry.bank.id == bank_id:
                return entry.bank
        return None

    def abandon(self, attempt_id: int) -> None:
        from ..storage.history import HistoryError
        from ..tui.services import ServiceError

        try:
            self.history.abandon(attempt_id, "abandoned from the home screen")
        except HistoryError as exc:
            raise ServiceError(str(exc)) from None

    def save(self, session: ExamSession) -> None:
        attempt_id = self.attempt_id(session)
        if attempt_id is not None and not session.finished:
            self.history.autosave(attempt_id, session)
            if session.checks != self._reviewed.get(attempt_id, 0):  # a practice check:
                self._reviewed[attempt_id] = session.checks         # review its card now
                self.history.review_answer(attempt_id, session, session.index)

    def finish(self, session: ExamSession) -> None:
        attempt_id = self.attempt_id(session)
        if attempt_id is not None:
            self.history.finish(attempt_id, session)

    def save_open(self) -> None:
        """Save every unfinished session once more (the app is closing); one in which
        nothing was done is deleted instead (nothing to resume)."""
        for session, attempt_id in self.open_sessions():
            if not self._discard_untouched(session, attempt_id):
                self.history.autosave(attempt_id, session)


# -- building and running the app --------------------------------------------------------


def open_services(
    args: argparse.Namespace, clock: Clock = time.monotonic, *, write: bool = True
) -> AppServices:
    """The services over the data dir's history. ``write`` (every command that may start
    or continue an exam): a history that cannot be written is refused here, before any
    exam starts, rather than lose every answer with a toast."""
    from ..storage.locations import data_dir, history_db

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
    home: Callable[[], Any] | None = None,
) -> ExamSimApp:
    """The app over ``services``: showing ``session``, over ``home`` (a screen factory:
    the first screen, where escape on the results returns) when given."""
    from ..storage.history import HistoryError
    from ..tui.app import build_app

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
        clock=services.clock,
        on_change=guarded(services.save, "save the attempt"),
        on_finish=guarded(services.finish, "store the result"),
        home=home,
        services=services,
        notices=[n for n in (services.notice, services.lock_notice()) if n],
    )
    return app


def _exists(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


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

    from ..core.gc_pause import gc_paused

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
    from ..core.assemble import AssembleError
    from ..core.session import ExamSession
    from ..storage.catalog import UnknownBank, resolve
    from ..storage.locations import data_dir

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
    from ..storage.history import HistoryError

    try:
        services.record_pending()
    except (HistoryError, sqlite3.Error, OSError) as exc:
        app.notify(f"could not record the attempt in {services.history.path}: {exc}",
                   severity="error", timeout=10, markup=False)


@without_gc
def run_resume(args: argparse.Namespace) -> int:
    """``examsim resume [ATTEMPT]``: continue that attempt, else the newest in progress.

    Nothing in progress is exit 2 with a message saying how to start one.
    """
    from ..storage.history import ResumeError
    from ..storage.locations import history_path
    from ..storage.resume import Resumed, find_bank, resume_latest

    wanted: int | None = getattr(args, "attempt", None)
    if not history_path(args.data_dir).exists():  # no history: nothing to create it for
        if wanted is not None:
            raise CommandError(f"there is no attempt {wanted}")
        raise CommandError("nothing to resume: no attempt is in progress "
                           "(start one with `examsim run BANK`, or `examsim` to choose)")
    services = open_services(args)
    try:
        if wanted is None:
            resumed = resume_latest(services.history, services.data, services.clock)
        else:
            row = services.history.attempt(wanted)
            if row is None:
                raise ResumeError(f"there is no attempt {wanted}")
            if row.status != "in_progress":
                raise ResumeError(f"attempt {wanted} is {row.status.replace('_', ' ')}, not in "
                                  f"progress; see it with `examsim review {wanted}`")
            bank = find_bank(row, services.data)
            resumed = Resumed(row, services.history.resume(wanted, bank, services.clock))
    except (sqlite3.Error, OSError) as exc:  # disk full, read-only: it could not be kept
        services.history.close()
        raise CommandError(f"cannot resume: the history database {services.history.path} "
                           f"could not be written ({exc}); nothing was changed") from None
    except ResumeError as exc:
        services.history.close()
        message = str(exc)
        if message.startswith("nothing to resume"):
            message += " (start one with `examsim run BANK`, or `examsim` to choose)"
        raise CommandError(message) from None
    services.track(resumed.session, resumed.attempt.id)
    app = make_app(services, resumed.session)
    if resumed.session.finished:
        app.notices.append("Time ran out while you were away: the attempt has ended.")
    return run_app(app, services)


@without_gc
def run_review(args: argparse.Namespace) -> int:
    """``examsim review [ATTEMPT]``: the review screen of a finished attempt (default: the
    last one). The review screen comes with the stats and history screens (issue 6):
    without ``examsim.tui.screens.review`` in the build this says so and exits 2."""
    if not _exists(REVIEW_MODULE):
        raise CommandError("the review screen is not available in this build")
    from ..storage.history import HistoryError
    from ..storage.locations import history_path
    from ..storage.resume import find_bank
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
    try:
        bank = find_bank(attempt, services.data)
    except HistoryError:
        bank = None  # the review still shows what history kept
    found = attempt
    app = make_app(services, home=lambda: ReviewScreen(history, bank, found.id))
    return run_app(app, services)
