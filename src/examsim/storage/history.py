"""The history of attempts: one SQLite database in the data dir.

Writing an attempt::

    history = History(history_path())          # creates, migrates or moves a damaged file aside
    if history.notice: show(history.notice)     # e.g. where a damaged database went
    attempt_id = history.start_attempt(session)
    history.autosave(attempt_id, session)       # after every change; commits at once
    history.finish(attempt_id, session)         # after submit: answers and scores

Resuming: ``history.unfinished()`` lists attempts in progress, newest first;
``history.resume(attempt_id, bank)`` restores the session, or marks the attempt abandoned
(keeping its answers so far) and raises :class:`ResumeError` when the bank no longer fits.

Every write is one short ``BEGIN IMMEDIATE`` transaction; with WAL and a busy timeout two
processes (two terminals) can write at once. While an attempt is in progress it is kept
in parts (storage/progress.py): its outline and question list, written once when it
starts, one row per question shown or touched, UPSERTed when it changes, and a small
state (position, time); a save writes what changed only. Its answers are kept even when
the snapshot can no longer be restored.

One attempt, one writer: an attempt in progress is held with an OS lock on its lock file
in the data dir (storage/lease.py: the kernel drops it when the process dies, however it
dies), and its lease columns (schema v4: the owner's pid and host, and a heartbeat
refreshed by every autosave) say who holds it. Starting or resuming an attempt claims
it; autosave, finish and abandon by another examsim while it holds the lock raise
:class:`AttemptBusy` ("open in another examsim (pid N)") instead of overwriting its
answers. An attempt whose lock nobody holds is free, whatever its columns say. Where
locks do not work (``locks.notice`` says so), the columns decide: an owner is stale, and
may be taken over, when its pid is dead on this host or its heartbeat is older than
:data:`LEASE_SECONDS`. Finishing or abandoning releases the lease, and so does
:meth:`History.close` (quitting the app).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core.bank import Bank, Question
from ..core.credit import credit
from ..core.notes import comment_text
from ..core.session import BankChanged, ExamSession
from . import progress as saves
from . import queries
from .db import mark_closed, open_database, open_read_only, writable
from .lease import AttemptLocks, Lock
from .locations import history_path
from .records import (
    ANSWER_COLUMNS,
    ATTEMPT_COLUMNS,
    COMMENT_COLUMNS,
    AnswerRow,
    AttemptRow,
    CommentRow,
    SessionLike,
    answer_from_row,
    answer_params,
    attempt_from_row,
    iso,
    option_texts,
    progress_rows,
    question_record,
    row_seen,
    touched,
    with_display,
)

Now = Callable[[], datetime]
Owner = tuple[int, str]  # (pid, host name)

# An attempt's totals per topic (schema v6), from its answer_topics rows: what the topic
# stats read. Written with the attempt's answers.
SUM_TOPICS = (
    "INSERT OR REPLACE INTO attempt_topics (attempt_id, topic, asked, credit, answered) "
    "SELECT attempt_id, topic, count(*), total(credit), total(answered) "
    "FROM answer_topics WHERE attempt_id = ? GROUP BY topic"
)

LEASE_SECONDS = 300.0  # a heartbeat older than this: the owner is gone (or asleep)


def utc_now() -> datetime:
    return datetime.now(UTC)


class HistoryError(Exception):
    """A request the history cannot honour; the message is for the user."""


class ResumeError(HistoryError):
    """An attempt cannot be resumed; the message says why and what became of it."""


class AttemptBusy(ResumeError):
    """The attempt is open in another examsim that is still alive."""

    def __init__(self, attempt_id: int, pid: int | None, host: str | None,
                 same_host: bool) -> None:
        where = f" (pid {pid})" if same_host else f" (pid {pid} on {host})"
        super().__init__(
            f"attempt {attempt_id} is open in another examsim{where if pid else ''}: "
            "continue it there, or quit that one first"
        )
        self.attempt_id = attempt_id
        self.pid = pid
        self.host = host


def this_process() -> Owner:
    return os.getpid(), socket.gethostname()


class History:
    """The history database. Thread-safe; one connection per instance."""

    def __init__(
        self,
        path: str | Path,
        now: Now = utc_now,
        owner: Owner | None = None,
        locks: AttemptLocks | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        self.path = Path(path)
        self._now = now
        self._owner = owner  # None: this process (pid looked up at each use)
        self._claimed: set[int] = set()
        self._lock = threading.RLock()
        self.locks = locks if locks is not None else AttemptLocks(self.path.parent / "locks")
        self.read_only = read_only
        if read_only:  # stats and export on a folder that cannot be written
            self._conn, self.notice = open_read_only(self.path), None
        else:
            self._conn, self.notice = open_database(self.path, now)
            self._replay_cards()

    @classmethod
    def for_reading(cls, path: str | Path) -> History:
        """The history for a command that only reads it: as usual (migrated, a damaged
        file moved aside), or read only when its folder or file cannot be written."""
        try:
            return cls(path)
        except (OSError, sqlite3.Error):
            if writable(Path(path)):
                raise
        return cls(path, read_only=True)

    @property
    def writable(self) -> bool:
        """Saves can succeed: not opened read only, and the file and its folder can be
        written. An exam is never started on a history that cannot keep it."""
        return not self.read_only and writable(self.path)

    def close(self) -> None:
        """Release the attempts this history holds open, then close the database."""
        with self._lock:
            try:
                for attempt_id in sorted(self._claimed):
                    self.release(attempt_id)
            except Exception:  # closing must close; a lease left behind goes stale
                pass
            self.locks.close()
            self._conn.close()
            if not self.read_only:
                mark_closed(self.path)  # the next open may skip quick_check (storage/db.py)

    def now(self) -> datetime:
        """The history's clock (UTC): what it stamps attempts and reviews with."""
        return self._now()

    @property
    def changes(self) -> int:
        """Rows written through this History since it opened (sqlite's total_changes): a
        screen that kept it when it read can tell whether anything changed since."""
        with self._lock:
            return self._conn.total_changes

    @property
    def owner(self) -> Owner:
        return self._owner if self._owner is not None else this_process()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One immediate transaction: committed when the block ends, else rolled back."""
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # SQLite may have rolled back on its own already
                    conn.execute("ROLLBACK")
                raise

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, under the history's lock, for a block of reads (storage/stats.py)."""
        with self._lock:
            yield self._conn

    def _read(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[Any]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # -- writing an attempt -------------------------------------------------------------

    def start_attempt(self, session: SessionLike) -> int:
        """Record a new attempt in progress; returns its id. Writes its outline and
        question list once (storage/progress.py) and the state of every question that
        is not blank."""
        bank = session.bank
        questions = session.question_list()
        unsaved = session.unsaved(everything=True)
        domains = {d.id: d.label for d in bank.domains}
        stamp = iso(self._now())
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO attempts (bank_id, bank_title, bank_hash, bank_source, domains, "
                "mode, seed, started, saved, time_limit, elapsed, status, total, state, "
                "owner_pid, owner_host, heartbeat, full, planned) VALUES (?, ?, ?, "
                "?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?, ?, ?, ?, ?, ?, ?)",
                (bank.id, bank.title, saves.fit_mark(bank.source_hash), _absolute(bank.source),
                 json.dumps(domains, ensure_ascii=False), session.mode, session.seed, stamp,
                 stamp, session.time_limit, unsaved.state["elapsed"], len(questions),
                 json.dumps(unsaved.state), *self.owner, stamp,
                 int(bool(getattr(session, "full", False))), len(questions)),
            )
            if cursor.lastrowid is None:  # an INSERT always sets it
                raise RuntimeError("the new attempt got no id")
            attempt_id = cursor.lastrowid
            _write_parts(conn, attempt_id, session, questions, unsaved)
            self.locks.acquire(attempt_id)  # new: nobody else has it (BUSY only if reused)
        session.saved(unsaved)
        self._claimed.add(attempt_id)
        return attempt_id

    # -- the lease: one examsim per attempt in progress ---------------------------------

    def claim(self, attempt_id: int) -> None:
        """Take the lease of an attempt in progress for this process.

        Raises AttemptBusy when another examsim that is alive holds it, HistoryError when
        the attempt is not in progress. Claiming one's own attempt again is a no-op.
        """
        with self._write() as conn:
            self._require_in_progress(conn, attempt_id)
            self._take_lease(conn, attempt_id)

    def release(self, attempt_id: int) -> None:
        """Give up this process's lease of an attempt (nothing when it holds none)."""
        pid, host = self.owner
        with self._lock:
            self._conn.execute(
                "UPDATE attempts SET owner_pid = NULL, owner_host = NULL, heartbeat = NULL "
                "WHERE id = ? AND owner_pid = ? AND owner_host = ?",
                (attempt_id, pid, host),
            )
            self._claimed.discard(attempt_id)
            self.locks.release(attempt_id)

    def holder(self, attempt_id: int) -> Owner | None:
        """The live examsim other than this one that has the attempt open, or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT owner_pid, owner_host, heartbeat FROM attempts WHERE id = ?",
                (attempt_id,),
            ).fetchone()
        if row is None:
            return None
        lock = self.locks.probe(attempt_id)
        if lock is Lock.BUSY:
            return int(row[0] or 0), str(row[1] or "?")
        if lock is Lock.UNKNOWN and self._held_by_other(*row):
            return int(row[0]), str(row[1])
        return None

    def _held_by_other(self, pid: int | None, host: str | None, heartbeat: str | None) -> bool:
        """Where locks do not work: whether the lease columns name another examsim that
        still looks alive (a fresh heartbeat, and a live pid when on this host)."""
        if pid is None or host is None:
            return False
        me_pid, me_host = self.owner
        if (pid, host) == (me_pid, me_host):
            return False
        if heartbeat is None:
            return False
        try:
            beat = datetime.strptime(heartbeat, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except ValueError:
            return False
        if (self._now() - beat).total_seconds() > LEASE_SECONDS:
            return False
        return not (host == me_host and not _pid_alive(pid))

    def _check_lease(self, conn: Any, attempt_id: int, lock: Lock | None = None) -> None:
        """Inside a write: raise AttemptBusy when another live examsim holds the lease
        (``lock``: the state of its lock when known already)."""
        lock = lock if lock is not None else self.locks.probe(attempt_id)
        if lock in (Lock.MINE, Lock.FREE):
            return
        row = conn.execute(
            "SELECT owner_pid, owner_host, heartbeat FROM attempts WHERE id = ?",
            (attempt_id,),
        ).fetchone()
        if row is None:
            return
        if lock is Lock.BUSY or self._held_by_other(*row):
            raise AttemptBusy(attempt_id, row[0], row[1], row[1] in (None, self.owner[1]))

    def _take_lease(self, conn: Any, attempt_id: int) -> None:
        """Inside a write: take the lease, or raise AttemptBusy."""
        self._check_lease(conn, attempt_id, self.locks.acquire(attempt_id))
        conn.execute(
            "UPDATE attempts SET owner_pid = ?, owner_host = ?, heartbeat = ? WHERE id = ?",
            (*self.owner, iso(self._now()), attempt_id),
        )
        self._claimed.add(attempt_id)

    def autosave(self, attempt_id: int, session: SessionLike) -> None:
        """Save the session's state now, in one short transaction: the attempt's state
        and one UPSERT of the rows of the questions that changed since the last save
        (storage/progress.py); the session forgets them once it is committed."""
        unsaved = session.unsaved()
        pid, host = self.owner
        stamp = iso(self._now())
        update = (  # ours, or nobody's: save and refresh the heartbeat in one statement
            "UPDATE attempts SET state = ?, elapsed = ?, saved = ?, "
            "heartbeat = ?, owner_pid = ?, owner_host = ? "
            "WHERE id = ? AND status = 'in_progress' AND ((owner_pid = ? AND owner_host = ?)"
            " OR owner_pid IS NULL)"
        )
        params = (json.dumps(unsaved.state), unsaved.state["elapsed"], stamp, stamp, pid,
                  host, attempt_id, pid, host)
        with self._lock:
            saved = False
            if self.locks.holds(attempt_id) or not self.locks.works:
                with self._write() as conn:
                    if conn.execute(update, params).rowcount == 1:
                        saves.write_progress(conn, attempt_id, unsaved.questions)
                        saved = True
            if not saved:
                with self._write() as conn:  # not ours (or gone): take it over when stale
                    self._require_in_progress(conn, attempt_id)
                    self._take_lease(conn, attempt_id)
                    conn.execute(update, params)
                    saves.write_progress(conn, attempt_id, unsaved.questions)
            self._claimed.add(attempt_id)
        session.saved(unsaved)

    def finish(self, attempt_id: int, session: SessionLike) -> AttemptRow:
        """Store a submitted attempt: every answer and the scores, in one transaction."""
        if not session.finished:
            raise HistoryError(f"attempt {attempt_id} is not submitted yet; submit it first")
        status = "timed_out" if session.end_reason == "time_up" else "finished"
        result = session.result()
        rows = with_display(progress_rows(session.bank, result.questions),
                            getattr(session, "option_orders", None))
        moment = self._now()
        stamp = iso(moment)
        with self._write() as conn:
            self._require_in_progress(conn, attempt_id)
            self._check_lease(conn, attempt_id)
            _remember_questions(conn, (session.bank.question(row["question_id"]) for row in rows))
            self._insert_answers(conn, attempt_id, rows)
            saves.clear(conn, attempt_id)
            _review_rows(conn, attempt_id, session.bank.id, rows, moment)
            conn.execute(
                "UPDATE attempts SET status = ?, finished = ?, saved = ?, elapsed = ?, "
                "total = ?, correct = ?, percent = ?, scaled = ?, passed = ?, full = ?, "
                "planned = ?, seen = ?, unanswered = ?, snapshot = NULL, progress = NULL, "
                "outline = NULL, state = NULL, owner_pid = NULL, owner_host = NULL, "
                "heartbeat = NULL WHERE id = ?",
                (status, stamp, stamp, session.elapsed(), result.total,
                 result.correct, result.percent, result.scaled,
                 None if result.passed is None else int(result.passed), int(result.full),
                 len(result.questions), result.seen, result.unanswered, attempt_id),
            )
        self._claimed.discard(attempt_id)
        self.locks.release(attempt_id)
        return self._attempt_or_fail(attempt_id)

    def abandon(
        self, attempt_id: int, reason: str, session: SessionLike | None = None
    ) -> AttemptRow:
        """Give up an attempt in progress, keeping every question asked (answered or not:
        the review counts them all; abandoned attempts never count in stats).

        Without a session the answers come from the last save (storage/progress.py). The
        saved parts stay, so an attempt abandoned because of a bank edit can be looked into.
        """
        rows: list[dict[str, Any]] | None = None
        elapsed = None
        if session is not None:
            rows = with_display(progress_rows(session.bank, session.result().questions),
                                getattr(session, "option_orders", None))
            elapsed = session.elapsed()
        with self._write() as conn:
            self._require_in_progress(conn, attempt_id)
            self._check_lease(conn, attempt_id)
            if rows is None:
                rows = saves.read_rows(conn, attempt_id)
            self._insert_answers(conn, attempt_id, rows)
            conn.execute(
                "UPDATE attempts SET status = 'abandoned', note = ?, finished = ?, "
                "elapsed = coalesce(?, elapsed), progress = NULL, owner_pid = NULL, "
                "owner_host = NULL, heartbeat = NULL WHERE id = ?",
                (reason, iso(self._now()), elapsed, attempt_id),
            )
        self._claimed.discard(attempt_id)
        self.locks.release(attempt_id)
        return self._attempt_or_fail(attempt_id)

    def _answered_so_far(self, attempt_id: int) -> int:
        """The answered questions in an attempt's last save."""
        with self._lock:
            rows = saves.touched_rows(self._conn, attempt_id)
        return sum(1 for row in rows if row.get("chosen"))

    def discard_untouched(self, attempt_id: int) -> bool:
        """Delete an attempt in progress that this process holds and in whose last save
        nothing was done (no answer, strike, flag or confidence): quitting it leaves
        nothing to resume. False (and nothing deleted) otherwise."""
        rows = self._read("SELECT status FROM attempts WHERE id = ?", (attempt_id,))
        if not rows or rows[0][0] != "in_progress" or attempt_id not in self._claimed:
            return False
        with self._lock:
            saved = saves.touched_rows(self._conn, attempt_id)
        if any(touched(row) for row in saved):
            return False
        pid, host = self.owner
        with self._write() as conn:
            cursor = conn.execute(
                "DELETE FROM attempts WHERE id = ? AND status = 'in_progress' AND "
                "((owner_pid = ? AND owner_host = ?) OR owner_pid IS NULL)",
                (attempt_id, pid, host))
        self._claimed.discard(attempt_id)
        return bool(cursor.rowcount == 1)

    def delete_attempt(self, attempt_id: int) -> bool:
        """Delete an attempt and its answers; False when there was none. An attempt in
        progress that this examsim has open (the one being taken) or that another live
        examsim holds is not deleted: HistoryError (AttemptBusy for another examsim),
        since the examsim taking it would go on saving answers into an id that no longer
        exists (or, once reused, into another attempt)."""
        with self._write() as conn:
            row = conn.execute("SELECT status FROM attempts WHERE id = ?",
                               (attempt_id,)).fetchone()
            if row is None:
                return False
            if row[0] == "in_progress":
                if attempt_id in self._claimed or self.locks.holds(attempt_id):
                    raise HistoryError(
                        f"attempt {attempt_id} is the one open here: end it (ctrl+s) or "
                        "quit examsim first, then delete it")
                self._check_lease(conn, attempt_id)
            cursor = conn.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
            return bool(cursor.rowcount == 1)

    @staticmethod
    def _insert_answers(conn: Any, attempt_id: int, rows: list[dict[str, Any]]) -> None:
        (bank_id,) = conn.execute("SELECT bank_id FROM attempts WHERE id = ?",
                                  (attempt_id,)).fetchone()
        for row in rows:  # fresh: no other attempt of this bank has shown the question
            row["fresh"] = row_seen(row) and conn.execute(
                "SELECT 1 FROM answers a INDEXED BY answers_question "
                "JOIN attempts t ON t.id = a.attempt_id WHERE a.question_id = ? "
                "AND a.attempt_id != ? AND a.seen AND t.bank_id = ? LIMIT 1",
                (row["question_id"], attempt_id, bank_id)).fetchone() is None
        conn.executemany(
            f"INSERT INTO answers ({ANSWER_COLUMNS}, strikes, strikes_in_key) "
            f"VALUES ({', '.join('?' * 24)})",
            [(*answer_params(attempt_id, row), len(row["struck"]),
              sum(letter in row["answer"] for letter in row["struck"])) for row in rows],
        )
        conn.executemany(  # topics count what was seen only (schema v7)
            "INSERT OR IGNORE INTO answer_topics VALUES (?, ?, ?, ?, ?, ?)",
            [(attempt_id, row["position"], topic, int(row["correct"]), row["credit"],
              int(bool(row["chosen"])))
             for row in rows if row_seen(row) for topic in row["topics"]],
        )
        conn.execute(SUM_TOPICS, (attempt_id,))

    def _require_in_progress(self, conn: Any, attempt_id: int) -> None:
        found = conn.execute("SELECT status FROM attempts WHERE id = ?", (attempt_id,))
        row = found.fetchone()
        if row is None or row[0] != "in_progress":
            raise HistoryError(self._not_in_progress(conn, attempt_id))

    @staticmethod
    def _not_in_progress(conn: Any, attempt_id: int) -> str:
        row = conn.execute("SELECT status FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        if row is None:
            return f"there is no attempt {attempt_id}"
        return f"attempt {attempt_id} is {row[0].replace('_', ' ')}, not in progress"

    # -- resuming -----------------------------------------------------------------------

    def unfinished(self, bank_id: str | None = None) -> list[AttemptRow]:
        """Attempts in progress, newest first."""
        sql = f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE status = 'in_progress'"
        params: list[Any] = []
        if bank_id is not None:
            sql += " AND bank_id = ?"
            params.append(bank_id)
        return [attempt_from_row(r) for r in self._read(sql + " ORDER BY id DESC", params)]

    def snapshot(self, attempt_id: int) -> dict[str, Any] | None:
        """The last saved snapshot of an attempt in progress (or abandoned), as the
        JSON dict of a SessionSnapshot; None when there is none (a finished attempt).
        Raises ValueError when its save is damaged."""
        with self._lock:
            return saves.read_snapshot(self._conn, attempt_id)

    def progress_summary(self, attempt_id: int) -> saves.Summary | None:
        """How far an attempt in progress got, without building its snapshot (the home
        screen's line: storage/overview.py); None when no save is kept."""
        with self._lock:
            return saves.read_summary(self._conn, attempt_id)

    def resume(
        self, attempt_id: int, bank: Bank, clock: Callable[[], float] = time.monotonic
    ) -> ExamSession:
        """Restore an attempt in progress against the current bank.

        When the bank no longer fits (a question removed, options changed), the attempt
        stays in progress, untouched, and ResumeError says why: putting the bank back
        makes it resumable again, and abandoning it keeps its answers. A save that is
        damaged can never be resumed: the attempt is kept as abandoned with its answers
        so far, and ResumeError says so. A restored session that had already ended (time
        ran out before the last save) is finished here; the caller sees
        ``session.finished`` and shows the results.
        """
        row = self.attempt(attempt_id)
        if row is None:
            raise ResumeError(f"there is no attempt {attempt_id}")
        if row.status != "in_progress":
            raise ResumeError(f"attempt {attempt_id} is {row.status.replace('_', ' ')}; "
                              "only an attempt in progress can be resumed")
        if row.bank_id != bank.id:
            raise ResumeError(f"attempt {attempt_id} is on bank {row.bank_id!r}, "
                              f"not {bank.id!r}")
        self.claim(attempt_id)  # AttemptBusy when another examsim has it open
        try:
            with self._lock:  # blank questions in short (the same session, validated)
                data = saves.read_snapshot(self._conn, attempt_id, compact=True)
            if data is None:
                raise ValueError("its saved state is missing")
            # saved against this very bank file: its questions need not be made to check
            fits = saves.rows_fit(row.bank_hash, bank.source_hash)
            session = ExamSession.restore(bank, data, clock, fits=fits)
        except BankChanged as exc:
            self.release(attempt_id)
            count = self._answered_so_far(attempt_id)
            raise ResumeError(
                f"attempt {attempt_id} on {row.bank_title!r} cannot be resumed: {exc}. "
                f"It stays in progress: put the bank back as it was to go on, or "
                f"abandon it (x on the home screen) to keep its {count} "
                f"answer{'s' if count != 1 else ''} so far in the history."
            ) from exc
        except ValueError as exc:  # RestoreError, or a snapshot that does not validate
            kept = self.abandon(attempt_id, f"could not resume: {exc}")
            count = sum(answer.answered for answer in self.answers(kept.id))
            raise ResumeError(
                f"attempt {attempt_id} on {row.bank_title!r} cannot be resumed: {exc}. "
                f"It is kept as abandoned with its {count} "
                f"answer{'s' if count != 1 else ''} so far."
            ) from exc
        with self._write() as conn:
            if conn.execute("SELECT outline FROM attempts WHERE id = ?",
                            (attempt_id,)).fetchone()[0] is None:
                # a v9 save the migration left as it was, restored all the same: in parts
                unsaved = session.unsaved(everything=True)
                _write_parts(conn, attempt_id, session, session.question_list(), unsaved)
                conn.execute("UPDATE attempts SET snapshot = NULL, progress = NULL, "
                             "state = ? WHERE id = ?", (json.dumps(unsaved.state), attempt_id))
                session.saved(unsaved)  # committed below, or the resume fails
            elif not fits:  # the bank may have been edited since
                _refresh_questions(conn, attempt_id, session)
            if not fits:  # the rows are now the bank's (storage/progress.py rows_fit)
                conn.execute("UPDATE attempts SET bank_hash = ? WHERE id = ?",
                             (saves.fit_mark(bank.source_hash), attempt_id))
        if session.finished:
            self.finish(attempt_id, session)
        return session

    # -- reading attempts ---------------------------------------------------------------

    def attempt(self, attempt_id: int) -> AttemptRow | None:
        rows = self._read(f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE id = ?", (attempt_id,))
        return attempt_from_row(rows[0]) if rows else None

    def _attempt_or_fail(self, attempt_id: int) -> AttemptRow:
        row = self.attempt(attempt_id)
        if row is None:
            raise HistoryError(f"there is no attempt {attempt_id}")
        return row

    def attempts(
        self, bank_id: str | None = None, limit: int | None = None, scored_only: bool = False,
        full_only: bool = False,
    ) -> list[AttemptRow]:
        """Attempts, newest first; ``full_only``: full exams only."""
        sql = f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE 1"
        params: list[Any] = []
        if bank_id is not None:
            sql += " AND bank_id = ?"
            params.append(bank_id)
        if scored_only:
            sql += " AND status IN ('finished', 'timed_out')"
        if full_only:
            sql += " AND full = 1"
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [attempt_from_row(r) for r in self._read(sql, params)]

    def last_finished(self, bank_id: str | None = None) -> AttemptRow | None:
        """The newest finished or timed-out attempt."""
        found = self.attempts(bank_id, limit=1, scored_only=True)
        return found[0] if found else None

    def answers(self, attempt_id: int) -> list[AnswerRow]:
        """The stored questions of an attempt in the order asked, with their stems and
        option texts."""
        columns = ", ".join(f"a.{c.strip()}" for c in ANSWER_COLUMNS.split(","))
        rows = self._read(
            f"SELECT {columns}, q.stem, q.options FROM answers a "
            f"LEFT JOIN questions q ON q.hash = a.question_hash "
            f"WHERE a.attempt_id = ? ORDER BY a.position",
            (attempt_id,),
        )
        return [answer_from_row((*row[:-1], option_texts(row[-1]))) for row in rows]

    def banks(self) -> list[tuple[str, str, int]]:
        """(bank id, latest title, scored attempts) of every bank in history."""
        with self._lock:
            return queries.banks(self._conn)

    # -- comments on questions (schema v9, core/notes.py) ------------------------------

    def add_comment(self, bank_id: str, question_id: str, question_hash: str,
                    attempt_id: int | None, text: str) -> CommentRow:
        """Keep a comment on a question (one line, cut to MAX_COMMENT characters);
        ValueError when nothing is left of it."""
        kept = comment_text(text)
        if not kept:
            raise ValueError("an empty comment is not kept")
        stamp = iso(self._now())
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO comments (bank_id, question_id, question_hash, attempt_id, "
                "created, text) VALUES (?, ?, ?, ?, ?, ?)",
                (bank_id, question_id, question_hash, attempt_id, stamp, kept))
            comment_id = int(cursor.lastrowid or 0)
        return CommentRow(comment_id, bank_id, question_id, question_hash, attempt_id,
                          stamp, kept)

    def comments(self, bank_id: str) -> list[CommentRow]:
        """The comments on a bank's questions, oldest first."""
        rows = self._read(f"SELECT {COMMENT_COLUMNS} FROM comments WHERE bank_id = ? "
                          "ORDER BY id", (bank_id,))
        return [CommentRow(*row) for row in rows]

    def comment_banks(self) -> list[str]:
        """The ids of the banks with comments."""
        return [row[0] for row in self._read(
            "SELECT DISTINCT bank_id FROM comments ORDER BY bank_id")]

    # -- spaced review (core/spaced.py) -------------------------------------------------

    def review_answer(self, attempt_id: int, session: SessionLike, position: int) -> bool:
        """Review the card of one checked answer now (a practice check); False when that
        answer was reviewed already (each answer is reviewed once)."""
        result = session.result()
        if not 0 <= position < len(result.questions):
            return False
        rows = progress_rows(session.bank, [result.questions[position]])
        with self._write() as conn:
            return _review_rows(conn, attempt_id, session.bank.id, rows, self._now()) == 1

    def due(self, bank_id: str, before: datetime) -> list[tuple[str, str | None]]:
        """(question id, domain) of the cards due before ``before``, most overdue first."""
        return [(qid, domain) for qid, domain in self._read(
            "SELECT question_id, domain FROM cards WHERE bank_id = ? AND due < ? "
            "ORDER BY due, question_id", (bank_id, iso_exact(before)))]

    def due_count(self, bank_id: str, before: datetime) -> int:
        (count,) = self._read("SELECT count(*) FROM cards WHERE bank_id = ? AND due < ?",
                              (bank_id, iso_exact(before)))[0]
        return int(count)

    def cards(self, bank_id: str) -> list[tuple[str, str | None, str, str]]:
        """(question id, domain, card JSON, question hash) of every card of a bank."""
        return [tuple(row) for row in self._read(
            "SELECT question_id, domain, card, question_hash FROM cards WHERE bank_id = ? "
            "ORDER BY question_id", (bank_id,))]

    def review_history(self, bank_id: str) -> dict[str, list[tuple[datetime, bool]]]:
        """Per question, its reviews (time, right) oldest first."""
        found: dict[str, list[tuple[datetime, bool]]] = {}
        # the newest three per question are all that "learned" reads
        for qid, stamp, correct in self._read(
                "SELECT question_id, reviewed, correct FROM (SELECT question_id, reviewed, "
                "correct, attempt_id, position, row_number() OVER (PARTITION BY question_id "
                "ORDER BY reviewed DESC, attempt_id DESC, position DESC) AS n "
                "FROM review_log WHERE bank_id = ?) WHERE n <= 3 "
                "ORDER BY question_id, reviewed, attempt_id, position", (bank_id,)):
            found.setdefault(qid, []).append((_parse_time(stamp), bool(correct)))
        return found

    def _replay_cards(self) -> None:
        """A history from before schema v8 has answers but no cards: replay every seen
        answer of its scored attempts, oldest first, at each attempt's end (once)."""
        with self._lock:
            conn = self._conn
            if conn.execute("SELECT 1 FROM review_log LIMIT 1").fetchone():
                return
            attempts = conn.execute(
                "SELECT id, bank_id, coalesce(finished, started) FROM attempts "
                "WHERE status IN ('finished', 'timed_out') ORDER BY id").fetchall()
        if not attempts:
            return
        with contextlib.suppress(sqlite3.Error):  # read-only: replayed on a later open
            self._replay(attempts)

    def _replay(self, attempts: list[tuple[int, str, str]]) -> None:
        with self._write() as conn:
            for attempt_id, bank_id, stamp in attempts:
                rows = [
                    {"position": position, "question_id": qid, "question_hash": qhash,
                     "domain": domain, "correct": bool(correct), "confidence": confidence,
                     "seen": True}
                    for position, qid, qhash, domain, correct, confidence in conn.execute(
                        "SELECT position, question_id, question_hash, domain, correct, "
                        "confidence FROM answers WHERE attempt_id = ? AND seen "
                        "ORDER BY position", (attempt_id,))
                ]
                _review_rows(conn, attempt_id, bank_id, rows, _parse_time(stamp))

    def fresh_tallies(self, bank_id: str) -> list[tuple[str | None, bool, int, float]]:
        """(domain, fresh, answers, credit) over the seen answers of scored attempts."""
        return [(domain, bool(fresh), int(count), float(credit)) for domain, fresh, count, credit
                in self._read(
                    "SELECT a.domain, a.fresh, count(*), total(a.credit) FROM answers a "
                    "JOIN attempts t ON t.id = a.attempt_id WHERE t.bank_id = ? AND "
                    "t.status IN ('finished', 'timed_out') AND a.seen "
                    "GROUP BY a.domain, a.fresh", (bank_id,))]

    def fast_repeats(self, bank_id: str, seconds_per_word: float) -> int:
        """Repeats answered right in less than ``seconds_per_word`` x their words."""
        (count,) = self._read(
            "SELECT count(*) FROM answers a JOIN attempts t ON t.id = a.attempt_id "
            "WHERE t.bank_id = ? AND t.status IN ('finished', 'timed_out') AND a.seen "
            "AND NOT a.fresh AND a.correct AND a.words > 0 AND a.seconds < ? * a.words",
            (bank_id, seconds_per_word))[0]
        return int(count)

    def last_seen(self, bank_id: str) -> dict[str, int]:
        """Question id -> the newest attempt (id) that showed it, over every stored
        attempt of the bank: what ``prefer_fresh`` ranks by (unseen ones are absent)."""
        return dict(self._read(
            "SELECT a.question_id, max(a.attempt_id) FROM answers a "
            "JOIN attempts t ON t.id = a.attempt_id WHERE t.bank_id = ? AND a.seen "
            "GROUP BY a.question_id", (bank_id,)))

    # -- what the modes and the stats screen need ---------------------------------------

    def missed_ids(self, bank_id: str) -> list[str]:
        """Questions whose newest seen answer was wrong or unanswered."""
        with self._lock:
            return queries.last_ids(self._conn, bank_id, "missed")

    def flagged_ids(self, bank_id: str) -> list[str]:
        """Questions flagged the last time they were seen."""
        with self._lock:
            return queries.last_ids(self._conn, bank_id, "flagged")

    def miss_streaks(self, bank_id: str | None = None) -> dict[str, int]:
        with self._lock:
            return queries.miss_streaks(self._conn, bank_id)

    def scores(self, bank_id: str | None = None) -> list[queries.AttemptScore]:
        """The scores of scored full exams (attempt id, finished, percent, scaled,
        passed), oldest first (sessions have no score to trend)."""
        with self._lock:
            return queries.score_series(self._conn, bank_id)


def _review_rows(
    conn: Any, attempt_id: int, bank_id: str, rows: Iterable[dict[str, Any]], when: datetime
) -> int:
    """Inside a write: review the card of each seen row not reviewed yet (review_log
    holds one row per attempt and position); returns how many were reviewed."""
    # A documented lazy point (docs/performance.md): the scheduler (core/spaced.py, fsrs)
    # is needed when answers are reviewed (an attempt's end, a practice check, replaying
    # a history from before v8), never on the way to a start's first frame.
    from ..core import spaced

    stamp = iso_exact(when)
    done = 0
    for row in rows:
        if not row_seen(row):
            continue
        rated = spaced.rating(bool(row["correct"]), row.get("confidence"))
        logged = conn.execute(
            "INSERT OR IGNORE INTO review_log (attempt_id, position, bank_id, question_id, "
            "reviewed, rating, correct) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (attempt_id, row["position"], bank_id, row["question_id"], stamp, int(rated),
             int(bool(row["correct"]))))
        if logged.rowcount != 1:
            continue
        found = conn.execute(
            "SELECT card, question_hash FROM cards WHERE bank_id = ? AND question_id = ?",
            (bank_id, row["question_id"])).fetchone()
        old = found[0] if found is not None and found[1] == row["question_hash"] else None
        card = spaced.review(old, rated, when)  # a changed question starts afresh
        conn.execute(
            "INSERT OR REPLACE INTO cards (bank_id, question_id, question_hash, domain, card, "
            "due) VALUES (?, ?, ?, ?, ?, ?)",
            (bank_id, row["question_id"], row["question_hash"], row.get("domain"), card.card,
             iso_exact(card.due)))
        done += 1
    return done


def iso_exact(moment: datetime) -> str:
    """UTC ISO 8601 to the microsecond, e.g. 2025-01-31T09:05:00.000000Z (sorts as text)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_time(stamp: str) -> datetime:
    """A stored UTC time (either precision) as an aware datetime."""
    try:
        return datetime.fromisoformat(stamp).astimezone(UTC)  # Python 3.11 reads the Z
    except ValueError:
        pass
    for pattern in ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.strptime(stamp, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)


def _remember_questions(conn: Any, questions: Iterable[Question]) -> None:
    """Store the text of each question version once (export and review show it); in
    the table's key order, so that many (a large attempt) are appended, not scattered."""
    conn.executemany("INSERT OR IGNORE INTO questions VALUES (?, ?, ?, ?, ?)",
                     sorted(question_record(question) for question in questions))


def _write_parts(conn: Any, attempt_id: int, session: SessionLike,
                 questions: list[tuple[Question, tuple[int, ...]]], unsaved: Any) -> None:
    """Inside a write: an attempt's outline, question list and the rows of its questions
    that are not blank (storage/progress.py)."""
    outline = session.outline()
    unscored = frozenset(outline.get("unscored") or ())
    _remember_questions(conn, [question for question, _ in questions])
    saves.write_outline(conn, attempt_id, outline, (
        saves.question_params(attempt_id, position, question, order,
                              question.id not in unscored)
        for position, (question, order) in enumerate(questions)))
    saves.write_progress(conn, attempt_id, unsaved.questions)


def _refresh_questions(conn: Any, attempt_id: int, session: SessionLike) -> None:
    """Inside a write, after a resume: the rows of the questions edited since the save
    (new fingerprint, domain, topics, key) and the credit of every saved answer, as the
    bank now has them (what an abandon without the session keeps)."""
    questions = session.question_list()
    unscored = frozenset(session.outline().get("unscored") or ())
    # the fingerprint covers stem, options and key (so words and answer); the option
    # order and scored never change: only the fingerprint, domain and topics can differ
    stored = {position: (fingerprint, domain, topics) for position, fingerprint, domain, topics
              in conn.execute("SELECT position, question_hash, domain, topics FROM "
                              "attempt_questions WHERE attempt_id = ?", (attempt_id,))}
    edited = []
    for position, (question, order) in enumerate(questions):
        fingerprint, domain, topics = stored.get(position, (None, None, None))
        if (fingerprint != question.fingerprint or domain != question.domain
                or topics is None or json.loads(topics) != list(question.topics)):
            edited.append((question, saves.question_params(
                attempt_id, position, question, order, question.id not in unscored)))
    if edited:
        _remember_questions(conn, [question for question, _ in edited])
        conn.executemany(
            "UPDATE attempt_questions SET question_id = ?, question_hash = ?, display = ?, "
            "domain = ?, topics = ?, answer = ?, words = ?, scored = ? "
            "WHERE attempt_id = ? AND position = ?",
            [(*params[2:], params[0], params[1]) for _, params in edited])
    partial = session.bank.settings.partial_credit
    changed = []
    for position, chosen, before in conn.execute(
            "SELECT position, chosen, credit FROM attempt_progress WHERE attempt_id = ?",
            (attempt_id,)).fetchall():
        now = credit(questions[position][0], chosen, partial) if chosen else 0.0
        if now != before:
            changed.append((now, attempt_id, position))
    conn.executemany(
        "UPDATE attempt_progress SET credit = ? WHERE attempt_id = ? AND position = ?", changed)


def _absolute(source: str | None) -> str | None:
    return str(Path(source).resolve()) if source else None


def _pid_alive(pid: int) -> bool:
    """Whether a process with this pid runs on this host (True when unsure; a zombie,
    dead but not reaped, is not alive). Only used where locks do not work."""
    if os.name == "nt":  # os.kill(pid, 0) would end it there: trust the heartbeat
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. PermissionError: it exists, as another user
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def open_history(data_dir: str | Path | None = None, now: Now = utc_now) -> History:
    """Open (creating when needed) the history in the data dir."""
    return History(history_path(data_dir), now)
