"""The services the app uses (tui/services.py's Protocol), over one History and the bank
catalog: the command line builds one (commands/app.py ``open_services``) and passes it to
the app."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from ..core.assemble import AssembleError, Assembly, AttemptPlan, assemble
from ..core.bank import Bank
from ..core.session import Clock, ExamSession
from ..storage.catalog import discover
from ..storage.history import History, HistoryError
from ..storage.locations import exports_dir
from ..storage.plans import due_ids, explain, recency, with_history_ids
from ..storage.records import AttemptRow
from ..storage.resume import find_bank, locate_bank
from .services import Overview, ServiceError


class AppServices:
    """Starts, resumes, saves and finishes attempts for the app, over one History.

    Implements :class:`examsim.tui.services.Services` (tests/tui/fakes.py holds the fake
    the Pilot tests use). Errors the user can act on come out as ``ServiceError`` with a
    message to show.
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

    @property
    def can_start(self) -> bool:
        return self.history.writable

    @property
    def exports(self) -> Path:
        return exports_dir(self.data)  # as `examsim export` without -o

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
        # lazy point: the home screen's lines, never read on the way to an exam's first
        # frame (docs/performance.md, "Lazy imports")
        from ..storage.overview import bank_overviews, in_progress

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
        plan = with_history_ids(bank, self.history, plan)
        try:
            return assemble(bank, plan, recency(bank, self.history, plan))
        except AssembleError as exc:
            raise ServiceError(explain(bank, plan, exc)) from None

    def start(self, bank: Bank, plan: AttemptPlan) -> ExamSession:
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
            raise ServiceError(f"cannot resume: the history database {self.history.path} "
                               f"could not be written ({exc}); nothing was changed") from None
        self.track(session, attempt_id)
        return session

    def find_bank(self, bank_id: str, attempt: AttemptRow | None = None) -> Bank | None:
        """The bank with this id: the file ``attempt`` (default: the bank's newest attempt)
        was taken on when it still holds that bank, else a bank found with that id."""
        if attempt is None:
            newest = self.history.attempts(bank_id, limit=1)
            attempt = newest[0] if newest else None
        source = attempt.bank_source if attempt is not None else None
        return locate_bank(bank_id, self.data, self.cwd, source)

    def abandon(self, attempt_id: int) -> None:
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
