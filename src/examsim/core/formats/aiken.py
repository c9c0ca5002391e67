"""Aiken, the one-line-per-part format, read by Moodle's rules.

A question is a stem line, option lines ``A) text`` or ``A. text`` (a capital letter,
``)`` or ``.``, an optional space) and a line ``ANSWER: B``. Lines are trimmed and lines
shorter than two characters are ignored. As in Moodle: an option or ANSWER line with no
question open is an error ("question not started"); a question with fewer than two
options is dropped at its ANSWER line; a new stem while a question with options is
still open drops the open one ("not completed"). Text is kept literally (``<`` and
``&`` are not HTML).

Where examsim goes further than Moodle, it says so: a stem may run over several lines
before its first option (Moodle drops all but the last line); ``ANSWER: B, D`` means
choose two (Moodle would take B alone); options must be lettered A, B, C... in order,
since the ANSWER letter is read by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..bank import LETTERS
from .common import Imported, ImportResult, Where, normalize_newlines, question, short

_OPTION = re.compile(r"^([A-Z])[).][ \t]?")
_ANSWER = "ANSWER:"


@dataclass
class _Open:
    line: int
    number: int
    stem: list[str]
    options: list[tuple[str, str]] = field(default_factory=list)  # (label, text)

    @property
    def where(self) -> Where:
        return Where(self.line, self.number, short(" ".join(self.stem)))


def read(text: str) -> ImportResult:
    """Every question of an Aiken file; broken ones are reported as Moodle reports them."""
    result = ImportResult()
    current: _Open | None = None
    number = 0
    for line_number, raw in enumerate(normalize_newlines(text).split("\n"), 1):
        line = raw.strip()
        if len(line) < 2:
            continue
        here = Where(line=line_number)
        option = _OPTION.match(line)
        if option:
            if current is None:
                result.skip(here, "an option line with no question before it (question "
                            "not started)")
                continue
            current.options.append((option.group(1), line[option.end():].strip()))
        elif line.startswith(_ANSWER):
            if current is None:
                result.skip(here, "an ANSWER line with no question before it (question "
                            "not started)")
                continue
            _finish(current, line[len(_ANSWER):].strip(), line_number, result)
            current = None
        elif current is not None and not current.options:
            current.stem.append(line)
        else:
            if current is not None:
                result.skip(current.where, f"no ANSWER line before the next question "
                            f"(line {line_number}): not completed")
            number += 1
            current = _Open(line_number, number, [line])
    if current is not None:
        result.skip(current.where, "no ANSWER line at the end of the file: not completed")
    return result


def _finish(current: _Open, answer: str, line: int, result: ImportResult) -> None:
    where = current.where
    count = len(current.options)
    if count < 2:
        result.skip(where, f"{count} option{'s' if count != 1 else ''}; a question needs at "
                    f"least 2 (ANSWER on line {line})")
        return
    labels = "".join(label for label, _ in current.options)
    if labels != LETTERS[:count] and labels != "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:count]:
        result.skip(where, f"options are lettered {', '.join(labels)}; Aiken needs A, B, C... "
                    "in order")
        return
    keys = [k for k in re.split(r"[\s,;/]+", answer) if k]
    if not keys:
        result.skip(where, f"ANSWER on line {line} names no letter")
        return
    bad = [k for k in keys if len(k) != 1 or k.upper() not in labels]
    if bad:
        result.skip(where, f"ANSWER {answer!r} on line {line}: {bad[0]!r} is not one of the "
                    f"option letters {', '.join(labels)}")
        return
    letters = sorted({k.upper() for k in keys})
    if any(k != k.upper() for k in keys):
        result.note(where, f"lower-case ANSWER {answer!r} read as {', '.join(letters)}")
    if len(letters) > 1:
        result.note(where, f"ANSWER names {len(letters)} letters: imported as choose "
                    f"{len(letters)} (Moodle would take {keys[0].upper()} alone)")
    if len(current.stem) > 1:
        result.note(where, f"the stem runs over {len(current.stem)} lines (Moodle keeps only "
                    "the last)")
    stem = "\n".join(current.stem)
    options: list[str | dict[str, str]] = [text for _, text in current.options]
    result.questions.append(Imported(where, question(stem, options, letters)))
