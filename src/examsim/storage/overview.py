"""What the home screen lists, as plain data: every bank found with your best and latest
score, and the attempts in progress with how far they got and the time they have left.

Read-only: one query for the scored attempts of every bank, one for the attempts in
progress and, per attempt in progress, its saved fields and counts from the progress rows
(storage/progress.py ``read_summary``): no snapshot is built, so a 100,000-question
attempt costs what a 75-question one does, but for the questions with a choice. One
exception: an attempt in progress whose saved time cannot be shown (a time limit of inf
or 1e308 seconds, written by an older examsim) is moved to abandoned, its answers kept,
with a notice saying so, rather than crash the home screen on every start.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..core.bank import Bank
from ..core.due import end_of_day
from ..core.session import MAX_SECONDS
from .catalog import BankEntry
from .history import History, HistoryError
from .progress import Summary
from .records import AttemptRow


@dataclass(frozen=True)
class BankOverview:
    """One bank file found, with its scores from history (none when it has no attempts)."""

    entry: BankEntry
    attempts: int = 0                 # scored (finished or timed out) attempts
    best: AttemptRow | None = None    # highest percent of a full exam; the newer on a tie
    latest: AttemptRow | None = None  # newest scored full exam
    exams: int = 0                    # of the scored attempts, full exams (the rest:
                                      # sessions, which never make best or latest)
    due: int = 0                      # questions due for spaced review today
    ready: str = ""                   # the readiness line ("" without attempts)

    @property
    def bank(self) -> Bank | None:
        return self.entry.bank

    @property
    def first_problem(self) -> str:
        """Why a file did not load ('' when it did)."""
        return self.entry.problems[0] if self.entry.problems else ""


@dataclass(frozen=True)
class InProgress:
    """An unfinished attempt, as far as its last autosave says."""

    attempt: AttemptRow
    answered: int
    flagged: int
    total: int
    position: int                     # 0-based question on screen when it was saved
    remaining: float | None           # seconds left; None when untimed
    held_by: tuple[int, str] | None = None  # (pid, host) of another examsim that has it open


def bank_overviews(entries: Iterable[BankEntry], history: History | None) -> list[BankOverview]:
    """Each entry with its scores; ``history`` None (no database yet) gives no scores."""
    by_bank: dict[str, list[AttemptRow]] = {}
    today = None
    if history is not None:
        today = end_of_day(history.now())
        for row in history.attempts(scored_only=True):  # newest first
            by_bank.setdefault(row.bank_id, []).append(row)
    found = []
    for entry in entries:
        rows = by_bank.get(entry.bank.id, []) if entry.bank is not None else []
        exams = [row for row in rows if row.full]
        best = max(exams, key=lambda a: (a.percent or 0.0, a.id), default=None)
        due, ready = 0, ""
        if history is not None and today is not None and entry.bank is not None and rows:
            due = history.due_count(entry.bank.id, today)
            # lazy point (docs/performance.md): the report's ~40 pydantic models cost
            # every start 20-40 ms to define; only a bank with attempts needs them here
            from .report import readiness, readiness_text

            ready = readiness_text(readiness(history, entry.bank))
        found.append(BankOverview(entry, len(rows), best, exams[0] if exams else None,
                                  len(exams), due, ready))
    return found


def in_progress(
    history: History | None, banks: Sequence[Bank] = (), notices: list[str] | None = None
) -> list[InProgress]:
    """Attempts in progress, newest first. ``banks`` (by id) make "answered" exact for
    choose-N questions; without the bank a question with any choice counts as answered.
    An attempt whose saved time cannot be shown is abandoned; ``notices`` gets a line."""
    if history is None:
        return []
    by_id = {bank.id: bank for bank in banks}
    found = []
    for row in history.unfinished():
        summary = history.progress_summary(row.id) or Summary({}, 0, 0, ())
        item = _progress(row, summary, by_id.get(row.bank_id))
        if not _showable(item):
            _set_aside(history, row, notices)
            continue
        held_by = history.holder(row.id)
        found.append(item if held_by is None else dataclasses.replace(item, held_by=held_by))
    return found


def _progress(row: AttemptRow, summary: Summary, bank: Bank | None) -> InProgress:
    answered = 0
    for qid, chosen in summary.choices:  # only the questions with a choice: the bank
        need = 1                         # makes just these (a cached bank makes each
        if bank is not None and bank.has_question(qid):  # question on first use)
            need = bank.question(qid).choose
        answered += len(chosen) >= need
    snapshot = summary.fields
    total = summary.total or (row.total or 0)
    elapsed = _number(snapshot.get("elapsed"), row.elapsed)
    limit = _number(snapshot.get("time_limit"), row.time_limit)
    plan = snapshot.get("plan")
    start = _number(snapshot.get("wall_start"), None)
    if isinstance(plan, dict) and plan.get("strict") is True and start is not None:
        # strict timing: the clock ran on while examsim was closed
        elapsed = max(elapsed or 0.0, time.time() - start)
    remaining = None if limit is None else max(0.0, limit - (elapsed or 0.0))
    position = snapshot.get("index")
    position = position if isinstance(position, int) and 0 <= position < max(total, 1) else 0
    return InProgress(row, answered, summary.flagged, total, position, remaining)


def _showable(item: InProgress) -> bool:
    return item.remaining is None or 0 <= item.remaining <= MAX_SECONDS


def _set_aside(history: History, row: AttemptRow, notices: list[str] | None) -> None:
    reason = "its saved time limit cannot be used (not a finite number of seconds)"
    try:
        history.abandon(row.id, f"could not be shown: {reason}")
    except HistoryError:  # open in another examsim: that one decides
        return
    if notices is not None:
        notices.append(f"Attempt {row.id} on {row.bank_title!r} was moved to abandoned: "
                       f"{reason}. Its answers so far stay in the history.")


def _number(value: object, fallback: float | None) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:  # an int beyond any float
            return math.inf
        return number if not math.isnan(number) else math.inf
    return fallback
