"""CSV export (shared/DESIGN.md, "CSV export"): RFC 4180 via the csv module, UTF-8.

One row per question of an attempt, or one row per attempt. Letters are bank letters
(A = the first option in the file), several written together ("BD"); an unanswered
question has an empty ``chosen``; ``seen`` is 0 for a question never shown. Positions are
1-based, as the screen numbers them. Per attempt, ``questions``, ``correct`` and
``percent`` are over the questions scored (all of a full exam, the seen ones of a
session); ``kind`` is "exam" (full exam) or "session", which has no ``scaled`` or
``passed``.
Text that starts with ``= + - @`` (or a tab or carriage return) gets a leading ``'`` so
that a spreadsheet shows it instead of running it as a formula. The stem is stripped of
surrounding whitespace (a TOML multi-line string ends with a newline). Control
characters but tab and newline are spelled out (``\x1b``): the data is kept, and a
terminal showing the file (``export -o -``) is not driven by it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from ..core.safe_text import escaped
from .records import AnswerRow, AttemptRow

QUESTION_COLUMNS = (
    "attempt_id", "bank_id", "position", "question_id", "domain", "topics", "stem",
    "chosen", "answer", "correct", "flagged", "struck", "seconds", "confidence", "changes",
    "seen", "scored",
)
ATTEMPT_COLUMNS = (
    "attempt_id", "bank_id", "mode", "started", "finished", "questions", "correct",
    "percent", "scaled", "passed", "seconds", "status", "kind", "seen", "unanswered",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TOPIC_SEPARATOR = "; "


def neutralise(text: str) -> str:
    """Defuse spreadsheet formula injection: prefix a single quote to risky text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Any) -> str:
    """A value as CSV text: booleans 1/0, None empty, numbers plain, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{round(value, 2):.12g}" if value == value else ""
    return neutralise(escaped(str(value)))


def question_rows(attempt: AttemptRow, answers: Iterable[AnswerRow]) -> Iterable[list[str]]:
    for a in answers:
        yield [cell(v) for v in (
            attempt.id, attempt.bank_id, a.position + 1, a.question_id, a.domain,
            TOPIC_SEPARATOR.join(a.topics), a.stem.strip() if a.stem else a.stem, a.chosen,
            a.answer, a.correct, a.flagged, a.struck, a.seconds, a.confidence, a.changes,
            a.seen, a.scored,
        )]


def attempt_rows(attempts: Iterable[AttemptRow]) -> Iterable[list[str]]:
    for t in attempts:
        yield [cell(v) for v in (
            t.id, t.bank_id, t.mode, t.started, t.finished, t.total, t.correct, t.percent,
            t.scaled, t.passed, t.elapsed, t.status, t.kind, t.seen, t.unanswered,
        )]


def write_questions(out: TextIO, attempt: AttemptRow, answers: Iterable[AnswerRow]) -> int:
    """Write the header and one row per question; returns the number of rows."""
    return _write(out, QUESTION_COLUMNS, question_rows(attempt, answers))


def write_attempts(out: TextIO, attempts: Iterable[AttemptRow]) -> int:
    """Write the header and one row per attempt; returns the number of rows."""
    return _write(out, ATTEMPT_COLUMNS, attempt_rows(attempts))


def _write(out: TextIO, header: tuple[str, ...], rows: Iterable[list[str]]) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
