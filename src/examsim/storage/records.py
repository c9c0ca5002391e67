"""Plain rows read from and written to the history database, and how a session becomes rows.

The store speaks to the engine only through the small protocols below (the contract in
docs/architecture.md), so it needs nothing of a session beyond them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from ..core.bank import Bank, Question
from ..core.frozen import Frozen, _set
from ..core.notes import MAX_NOTE
from .progress import ProgressLike

Status = Literal["in_progress", "finished", "timed_out", "abandoned"]
SCORED: tuple[Status, ...] = ("finished", "timed_out")


class QuestionResultLike(Protocol):
    """Read-only: a frozen dataclass (core.scoring.QuestionResult) fits."""

    @property
    def position(self) -> int: ...
    @property
    def question_id(self) -> str: ...
    @property
    def domain(self) -> str | None: ...
    @property
    def topics(self) -> tuple[str, ...]: ...
    @property
    def chosen(self) -> str: ...
    @property
    def answer(self) -> str: ...
    @property
    def struck(self) -> str: ...
    @property
    def correct(self) -> bool: ...
    @property
    def credit(self) -> float: ...
    @property
    def flagged(self) -> bool: ...
    @property
    def confidence(self) -> int | None: ...
    @property
    def seconds(self) -> float: ...
    @property
    def changes(self) -> int: ...
    @property
    def seen(self) -> bool: ...


class ResultLike(Protocol):
    @property
    def total(self) -> int: ...
    @property
    def correct(self) -> float: ...
    @property
    def percent(self) -> float: ...
    @property
    def scaled(self) -> int | None: ...
    @property
    def passed(self) -> bool | None: ...
    @property
    def questions(self) -> tuple[QuestionResultLike, ...]: ...
    @property
    def full(self) -> bool: ...
    @property
    def seen(self) -> int: ...
    @property
    def unanswered(self) -> int: ...


class UnsavedLike(Protocol):
    """What a save writes (core.session.Unsaved)."""

    @property
    def state(self) -> dict[str, Any]: ...
    @property
    def questions(self) -> Sequence[ProgressLike]: ...


class SessionLike(Protocol):
    """What the store reads of a session (core.session.ExamSession fits); read-only, so
    a narrower type (``mode``, a Literal) fits too."""

    @property
    def bank(self) -> Bank: ...
    @property
    def mode(self) -> str: ...
    @property
    def seed(self) -> int: ...
    @property
    def time_limit(self) -> float | None: ...
    @property
    def finished(self) -> bool: ...
    @property
    def end_reason(self) -> str | None: ...

    def elapsed(self) -> float: ...
    def result(self) -> ResultLike: ...
    # saving an attempt in progress: storage/progress.py
    def outline(self) -> dict[str, Any]: ...
    def question_list(self) -> list[tuple[Question, tuple[int, ...]]]: ...
    def unsaved(self, everything: bool = False) -> UnsavedLike: ...
    def saved(self, unsaved: Any) -> None: ...


class AttemptRow(Frozen):
    """One attempt as stored (without its snapshot)."""

    __slots__ = __match_args__ = (
        "id", "bank_id", "bank_title", "bank_hash", "bank_source", "domains", "mode", "seed",
        "started", "finished", "saved", "time_limit", "elapsed", "status", "note", "total",
        "correct", "percent", "scaled", "passed", "full", "planned", "seen", "unanswered")
    id: int
    bank_id: str
    bank_title: str
    bank_hash: str | None
    bank_source: str | None
    domains: dict[str, str]
    mode: str
    seed: int
    started: str
    finished: str | None
    saved: str | None
    time_limit: float | None
    elapsed: float
    status: Status
    note: str | None
    total: int | None
    correct: float | None
    percent: float | None
    scaled: int | None
    passed: bool | None  # None for a session (no verdict) and while in progress
    full: bool  # a full exam (docs/architecture.md, "What an attempt counts")
    planned: int | None  # questions in the attempt
    seen: int | None  # of them, shown on screen (None while in progress)
    unanswered: int | None  # scored questions with no letter chosen

    def __init__(
        self, id: int, bank_id: str, bank_title: str, bank_hash: str | None,
        bank_source: str | None, domains: dict[str, str], mode: str, seed: int, started: str,
        finished: str | None, saved: str | None, time_limit: float | None, elapsed: float,
        status: Status, note: str | None, total: int | None, correct: float | None,
        percent: float | None, scaled: int | None, passed: bool | None, full: bool = False,
        planned: int | None = None, seen: int | None = None, unanswered: int | None = None,
    ) -> None:
        _set(self, "id", id)
        _set(self, "bank_id", bank_id)
        _set(self, "bank_title", bank_title)
        _set(self, "bank_hash", bank_hash)
        _set(self, "bank_source", bank_source)
        _set(self, "domains", domains)
        _set(self, "mode", mode)
        _set(self, "seed", seed)
        _set(self, "started", started)
        _set(self, "finished", finished)
        _set(self, "saved", saved)
        _set(self, "time_limit", time_limit)
        _set(self, "elapsed", elapsed)
        _set(self, "status", status)
        _set(self, "note", note)
        _set(self, "total", total)
        _set(self, "correct", correct)
        _set(self, "percent", percent)
        _set(self, "scaled", scaled)
        _set(self, "passed", passed)
        _set(self, "full", full)
        _set(self, "planned", planned)
        _set(self, "seen", seen)
        _set(self, "unanswered", unanswered)

    @property
    def kind(self) -> str:
        """"exam" for a full exam, else "session"."""
        return "exam" if self.full else "session"

    @property
    def scored(self) -> bool:
        """Finished or timed out: its answers count in stats."""
        return self.status in SCORED

    def domain_label(self, domain_id: str | None) -> str:
        if domain_id is None:
            return "(no domain)"
        return self.domains.get(domain_id) or domain_id


@dataclass(frozen=True)
class AnswerRow:
    """One question of an attempt; letters are bank letters, sorted ("" = none)."""

    attempt_id: int
    position: int
    question_id: str
    question_hash: str
    domain: str | None
    topics: tuple[str, ...]
    chosen: str
    answer: str
    struck: str
    correct: bool
    credit: float
    flagged: bool
    confidence: int | None
    seconds: float
    changes: int
    # The bank letters in the order the screen showed the options, e.g. "CADB" (display
    # letter A showed bank option C); None when not recorded (answers stored before v4).
    display: str | None = None
    seen: bool = True  # shown on screen during the attempt
    trail: str = ""  # every complete answer given, in order: "B>C" (first B, then C)
    fresh: bool = False  # the first time this user saw the question (docs/learning.md)
    words: int = 0  # words of stem and options (0: unknown)
    scored: bool = True  # False: drawn as unscored (in stats, not in the attempt's score)
    note: str = ""  # the scratchpad note (key w), plain text ('' before schema v9)
    stem: str | None = None  # from the questions table, when asked for
    options: tuple[str, ...] | None = None  # option texts, bank order (questions table)

    @property
    def first(self) -> str:
        """The first complete answer given ("" when none, or not recorded)."""
        return self.trail.split(">", 1)[0] if self.trail else ""

    @property
    def answered(self) -> bool:
        """Whether an answer was given (an unanswered question scores as wrong)."""
        return bool(self.chosen)


class CommentRow(Frozen):
    """A comment on a question (schema v9), for the bank's author."""

    __slots__ = __match_args__ = (
        "id", "bank_id", "question_id", "question_hash", "attempt_id", "created", "text")
    id: int
    bank_id: str
    question_id: str
    question_hash: str
    attempt_id: int | None
    created: str  # UTC ISO 8601
    text: str

    def __init__(self, id: int, bank_id: str, question_id: str, question_hash: str,
                 attempt_id: int | None, created: str, text: str) -> None:
        _set(self, "id", id)
        _set(self, "bank_id", bank_id)
        _set(self, "question_id", question_id)
        _set(self, "question_hash", question_hash)
        _set(self, "attempt_id", attempt_id)
        _set(self, "created", created)
        _set(self, "text", text)


COMMENT_COLUMNS = "id, bank_id, question_id, question_hash, attempt_id, created, text"


ATTEMPT_COLUMNS = (
    "id, bank_id, bank_title, bank_hash, bank_source, domains, mode, seed, started, "
    "finished, saved, time_limit, elapsed, status, note, total, correct, percent, scaled, "
    "passed, full, planned, seen, unanswered"
)
ANSWER_COLUMNS = (
    "attempt_id, position, question_id, question_hash, domain, topics, chosen, answer, "
    "struck, correct, credit, flagged, confidence, seconds, changes, display, seen, trail, "
    "fresh, words, scored, note"
)


def attempt_from_row(row: tuple[Any, ...]) -> AttemptRow:
    values = list(row)
    values[5] = json.loads(values[5] or "{}")
    values[19] = None if values[19] is None else bool(values[19])
    values[20] = bool(values[20])
    return AttemptRow(*values)


def answer_from_row(row: tuple[Any, ...]) -> AnswerRow:
    values = list(row)
    values[5] = tuple(json.loads(values[5] or "[]"))
    values[9] = bool(values[9])
    values[11] = bool(values[11])
    values[16] = bool(values[16])
    values[18] = bool(values[18])
    values[20] = bool(values[20])
    return AnswerRow(*values)


def option_texts(raw: str | None) -> tuple[str, ...] | None:
    """The questions table's JSON list of option texts; None when missing or damaged."""
    try:
        texts = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        return None
    return tuple(texts)


def iso(moment: datetime) -> str:
    """UTC ISO 8601 to the second, e.g. 2025-01-31T09:05:00Z (sorts as text)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def question_words(question: Question) -> int:
    """Words of a question's stem and option texts (how long it takes to read)."""
    return len(question.stem.split()) + sum(len(o.text.split()) for o in question.options)


def question_hash(question: Question) -> str:
    """sha256 of what a question asks: stem, option texts and key (not explanations)."""
    return question.fingerprint


def question_record(question: Question) -> tuple[str, str, str, str, str]:
    """A row for the questions table: (hash, id, stem, options JSON, answer)."""
    options = json.dumps([option.text for option in question.options], ensure_ascii=False)
    return (question_hash(question), question.id, question.stem, options,
            "".join(question.answer))


def progress_rows(bank: Bank, results: Iterable[QuestionResultLike]) -> list[dict[str, Any]]:
    """Answer rows (without attempt id) as JSON-able dicts, from scoring's question results."""
    rows = []
    for item in results:
        rows.append({
            "position": item.position,
            "question_id": item.question_id,
            "question_hash": question_hash(bank.question(item.question_id)),
            "domain": item.domain,
            "topics": list(item.topics),
            "chosen": item.chosen,
            "answer": item.answer,
            "struck": item.struck,
            "correct": bool(item.correct),
            "credit": float(item.credit),
            "flagged": bool(item.flagged),
            "confidence": item.confidence,
            "seconds": float(item.seconds),
            "changes": int(item.changes),
            "seen": bool(item.seen),
            "trail": str(getattr(item, "trail", "")),
            "words": question_words(bank.question(item.question_id)),
            "scored": bool(getattr(item, "scored", True)),
            "note": str(getattr(item, "note", "")),
        })
    return rows


def with_display(
    rows: list[dict[str, Any]], orders: Iterable[Iterable[int]] | None
) -> list[dict[str, Any]]:
    """``rows`` with each one's display order ("CADB": bank letters as shown) from the
    session's option orders (display i showed bank option order[i]); as they are without."""
    if orders is None:
        return rows
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    by_position = [tuple(order) for order in orders]
    for row in rows:
        position = row["position"]
        if 0 <= position < len(by_position):
            row["display"] = "".join(letters[index] for index in by_position[position])
    return rows


def touched(row: Mapping[str, Any]) -> bool:
    """Whether the user did anything to a question (kept when an attempt is abandoned)."""
    return bool(row["chosen"] or row["struck"] or row["flagged"]
                or row["confidence"] is not None or str(row.get("note") or "").strip())


def row_seen(row: Mapping[str, Any]) -> bool:
    """Whether a progress row's question was shown; rows saved before examsim kept it
    count as seen when anything was done to the question or time was spent on it."""
    seen = row.get("seen")
    if seen is not None:
        return bool(seen)
    return touched(row) or float(row.get("seconds") or 0) > 0


def answer_params(attempt_id: int, row: Mapping[str, Any]) -> tuple[Any, ...]:
    """Parameters for an INSERT of ANSWER_COLUMNS."""
    return (
        attempt_id, row["position"], row["question_id"], row["question_hash"], row["domain"],
        json.dumps(list(row["topics"]), ensure_ascii=False), row["chosen"], row["answer"],
        row["struck"], int(row["correct"]), row["credit"], int(row["flagged"]),
        row["confidence"], row["seconds"], row["changes"], row.get("display"),
        int(row_seen(row)), str(row.get("trail") or ""), int(bool(row.get("fresh"))),
        int(row.get("words") or 0), int(row.get("scored", True) is not False),
        str(row.get("note") or "")[:MAX_NOTE],
    )
