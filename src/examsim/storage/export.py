"""CSV export (shared/DESIGN.md, "CSV export"): RFC 4180 via the csv module, UTF-8.

One row per question of an attempt, or one row per attempt. ``chosen``, ``answer`` and
``struck`` are bank letters (A = the first option in the file), several written together
("BD"); ``shown_chosen`` and ``shown_answer`` are the letters the screen showed (options
are shuffled), empty when the attempt did not record its order; ``chosen_text`` and
``answer_text`` are the option texts, " | " between several, in the order of the shown
letters. An unanswered question has empty ``chosen`` columns. Positions are 1-based, as
the screen numbers them. ``excel=True`` starts the file with a UTF-8 byte order mark,
without which some spreadsheets read UTF-8 as another encoding. ``seen`` is 0 for a
question never shown, ``scored`` 0 for a question drawn as unscored, ``note`` the
scratchpad note written on it (key w; newlines kept inside the quoted cell). Per attempt,
``questions``, ``correct`` and ``percent`` are over the questions scored (all of a full
exam, the seen ones of a session); ``kind`` is "exam" (full exam) or "session", which
has no ``scaled`` or ``passed``.
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
    "seen", "scored", "shown_chosen", "shown_answer", "chosen_text", "answer_text", "note",
)
ATTEMPT_COLUMNS = (
    "attempt_id", "bank_id", "mode", "started", "finished", "questions", "correct",
    "percent", "scaled", "passed", "seconds", "status", "kind", "seen", "unanswered",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TOPIC_SEPARATOR = "; "
TEXT_SEPARATOR = " | "
LETTERS = "ABCDEFGH"
BOM = "\ufeff"


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


def shown_letters(bank_letters: str, display: str | None) -> str:
    """Bank letters as the screen showed them, sorted ("" when the order is unknown):
    ``display`` "CADB" means display letter A showed bank option C."""
    if not display:
        return ""
    return "".join(sorted(LETTERS[display.index(letter)] for letter in bank_letters
                          if letter in display))


def option_text(bank_letters: str, display: str | None,
                options: tuple[str, ...] | None) -> str:
    """The texts of the options ``bank_letters`` names, in the order shown, " | " between."""
    if not options:
        return ""
    order = display or LETTERS[:len(options)]
    picked = [LETTERS.index(letter) for letter in order if letter in bank_letters]
    return TEXT_SEPARATOR.join(options[i].strip() for i in picked if i < len(options))


def question_rows(attempt: AttemptRow, answers: Iterable[AnswerRow]) -> Iterable[list[str]]:
    for a in answers:
        yield [cell(v) for v in (
            attempt.id, attempt.bank_id, a.position + 1, a.question_id, a.domain,
            TOPIC_SEPARATOR.join(a.topics), a.stem.strip() if a.stem else a.stem, a.chosen,
            a.answer, a.correct, a.flagged, a.struck, a.seconds, a.confidence, a.changes,
            a.seen, a.scored,
            shown_letters(a.chosen, a.display), shown_letters(a.answer, a.display),
            option_text(a.chosen, a.display, a.options),
            option_text(a.answer, a.display, a.options), a.note,
        )]


def attempt_rows(attempts: Iterable[AttemptRow]) -> Iterable[list[str]]:
    for t in attempts:
        yield [cell(v) for v in (
            t.id, t.bank_id, t.mode, t.started, t.finished, t.total, t.correct, t.percent,
            t.scaled, t.passed, t.elapsed, t.status, t.kind, t.seen, t.unanswered,
        )]


def write_questions(out: TextIO, attempt: AttemptRow, answers: Iterable[AnswerRow], *,
                    excel: bool = False) -> int:
    """Write the header and one row per question; returns the number of rows."""
    return _write(out, QUESTION_COLUMNS, question_rows(attempt, answers), excel)


def write_attempts(out: TextIO, attempts: Iterable[AttemptRow], *, excel: bool = False) -> int:
    """Write the header and one row per attempt; returns the number of rows."""
    return _write(out, ATTEMPT_COLUMNS, attempt_rows(attempts), excel)


def _write(out: TextIO, header: tuple[str, ...], rows: Iterable[list[str]],
           excel: bool) -> int:
    if excel:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
