"""CSV with a header row: one question per row.

The header names the columns, in any order and case (spaces, ``-`` and ``_`` alike):

- the stem: ``question`` (or ``stem``, ``question_text``, ``prompt``);
- the options, one of: ``A`` .. ``H`` (or ``option_a`` ..), ``option1`` .. ``option8``
  (or ``choice1`` .., ``answer1`` ..), or ``correct_answer`` with ``wrong_answer1`` ..
  (or a single ``wrong_answer``), the layout of the term-quiz files, where the correct
  answer becomes option A;
- the key, unless ``correct_answer`` gives it: ``answer`` (or ``correct``, ``key``),
  holding letters (``B``, ``B,D``, ``BD``), option numbers (``2``, ``2;4``) or the
  text of the right option(s), several separated by ``;`` or ``|``;
- optional: ``explanation`` (``explaination``, ``rationale``, ``feedback``), ``domain``
  (``category``), ``topics`` (``topic``, ``tags``; split on ``;``, ``|`` or ``,``),
  ``references`` (split on whitespace or ``;``), ``id``.

The delimiter (``,`` ``;`` or tab) is guessed from the header. A row with more or fewer
cells than the header is skipped (a stray comma shifts every column after it); empty
option cells at the end of a row are dropped, an empty one before a filled one refuses
the row.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from ..bank import LETTERS
from .common import (
    FormatError,
    Imported,
    ImportResult,
    Skip,
    Where,
    normalize_newlines,
    question,
    short,
)

ALIASES = {
    "question": ("question", "stem", "question_text", "questiontext", "prompt"),
    "answer": ("answer", "answers", "correct", "key", "correct_answers", "correct_letter"),
    "explanation": ("explanation", "explaination", "explanations", "rationale", "feedback"),
    "domain": ("domain", "category", "section"),
    "topics": ("topics", "topic", "tags", "tag"),
    "references": ("references", "reference", "refs", "sources", "source"),
    "id": ("id", "question_id", "qid"),
}
_LETTER_COLUMN = re.compile(r"^(?:option_?|choice_?|answer_?)?([a-h])$")
_NUMBER_COLUMN = re.compile(r"^(?:option|choice|answer)_?([1-8])$")
_WRONG_COLUMN = re.compile(r"^(?:wrong|incorrect)_?answers?_?([0-9]*)$")


@dataclass
class _Layout:
    columns: dict[str, int] = field(default_factory=dict)  # role -> column index
    options: list[int] = field(default_factory=list)  # option columns in letter order
    correct_first: bool = False  # term-quiz layout: correct_answer is option A


def read(text: str) -> ImportResult:
    """Every row of a CSV file with a header row as a question."""
    text = normalize_newlines(text)
    if not text.strip():
        raise FormatError("is empty: a CSV file needs a header row and one row per question")
    try:
        rows = list(_rows(text))
    except csv.Error as exc:
        raise FormatError(f"CSV syntax error: {exc}") from None
    rows = [(line, row) for line, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise FormatError("has no rows")
    header_line, header = rows[0]
    layout = _layout(header, header_line)
    result = ImportResult()
    for number, (line, row) in enumerate(rows[1:], 1):
        column = layout.columns["question"]
        where = Where(line, number, short(row[column] if column < len(row) else "") or None)
        try:
            if len(row) != len(header):
                cause = "a comma in a cell without quotes?" if len(row) > len(header) else \
                    "cells missing"
                raise Skip(f"the row has {_count(len(row), 'cell')}; the header has "
                           f"{len(header)} ({cause})")
            data, hint = _question(row, layout)
        except Skip as skip:
            result.skip(where, str(skip))
            continue
        result.questions.append(Imported(where, data, id_hint=hint))
    return result


def _rows(text: str) -> list[tuple[int, list[str]]]:
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if any(c in first for c in ",;\t") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    for row in reader:
        rows.append((start, row))
        start = reader.line_num + 1
    return rows


def _key(name: str) -> str:
    return re.sub(r"[\s\-_]+", "_", name.strip().lower()).strip("_")


def _layout(header: list[str], line: int) -> _Layout:
    keys = [_key(h) for h in header]
    layout = _Layout()
    letters: dict[int, int] = {}
    wrong: list[tuple[int, int]] = []
    for index, key in enumerate(keys):
        role = next((r for r, names in ALIASES.items() if key in names), None)
        if role and role not in layout.columns:
            layout.columns[role] = index
        elif key == "correct_answer":
            layout.columns["correct_answer"] = index
        elif (m := _LETTER_COLUMN.match(key)) or (m := _NUMBER_COLUMN.match(key)):
            mark = m.group(1)
            letters.setdefault(LETTERS.lower().find(mark) if mark.isalpha() else int(mark) - 1,
                               index)
        elif m := _WRONG_COLUMN.match(key):
            wrong.append((int(m.group(1) or 0), index))
    if "question" not in layout.columns:
        raise FormatError(f"the header row names no question column (found: "
                          f"{', '.join(header)}); name one 'question'", line)
    if "correct_answer" in layout.columns and not letters:
        layout.correct_first = True
        layout.options = [layout.columns["correct_answer"]] + [i for _, i in sorted(wrong)]
    else:
        if "correct_answer" in layout.columns and "answer" not in layout.columns:
            layout.columns["answer"] = layout.columns["correct_answer"]
        layout.options = [letters[slot] for slot in sorted(letters)]
        if not layout.options:
            raise FormatError("the header row names no option columns (A..H, option1.., or "
                              "correct_answer with wrong_answer1..)", line)
        if "answer" not in layout.columns:
            raise FormatError("the header row names no answer column ('answer')", line)
    return layout


def _question(row: list[str], layout: _Layout) -> tuple[dict[str, object], str | None]:
    def cell(role: str) -> str:
        index = layout.columns.get(role)
        return row[index].strip() if index is not None else ""

    stem = cell("question")
    if not stem:
        raise Skip("the question cell is empty")
    cells = [row[i].strip() for i in layout.options]
    while cells and not cells[-1]:
        cells.pop()
    if "" in cells:
        raise Skip(f"option {LETTERS[cells.index('')]} is empty but a later one is not")
    if layout.correct_first:
        if not cells:
            raise Skip("the correct_answer cell is empty")
        if len(cells) == 1:
            raise Skip("only the correct answer is given (no wrong answers): a fill-in "
                       "question, not multiple choice")
        answer = ["A"]
    else:
        answer = _answer(cell("answer"), cells)
    topics = [t.strip() for t in re.split(r"[;|,]", cell("topics")) if t.strip()]
    references = [r for r in re.split(r"[\s;]+", cell("references")) if r]
    data = question(stem, list(cells), answer, cell("explanation"), domain=cell("domain"),
                    topics=topics, references=references)
    return data, cell("id") or None


def _answer(raw: str, options: list[str]) -> list[str]:
    """Letters from a key cell: letters, option numbers, or option texts."""
    if not raw:
        raise Skip("the answer cell is empty: no correct answer marked")
    if not options:
        raise Skip("no options")
    last = LETTERS[min(len(options), len(LETTERS)) - 1]
    norm = [" ".join(o.split()) for o in options]
    by_text = [i for i, o in enumerate(norm) if o == " ".join(raw.split())]
    tokens = [t for t in re.split(r"[\s,;/|+&]+", raw) if t]
    picked: list[int] | None = None
    if re.fullmatch(r"[A-Ha-h]+", raw.strip()) and (raw.isupper() or len(raw.strip()) == 1):
        picked = [LETTERS.index(c) for c in raw.strip().upper()]
    elif all(re.fullmatch(r"[A-Ha-h]", t) for t in tokens):
        picked = [LETTERS.index(t.upper()) for t in tokens]
    elif all(re.fullmatch(r"[1-8]", t) for t in tokens):
        picked = [int(t) - 1 for t in tokens]
    if picked is not None:
        if by_text and by_text != sorted(set(picked)):
            raise Skip(f"answer {raw!r} is both option letters and the text of option "
                       f"{LETTERS[by_text[0]]}")
        out = [i for i in picked if i >= len(options)]
        if out:
            raise Skip(f"answer {raw!r} names no option (options are A-{last})")
        return [LETTERS[i] for i in sorted(set(picked))]
    if by_text:
        return [LETTERS[by_text[0]]]
    wanted = [" ".join(t.split()) for t in re.split(r"[;|]", raw) if t.strip()]
    found = [norm.index(w) for w in wanted if w in norm]
    if len(found) != len(wanted) or not found:
        raise Skip(f"answer {raw!r} is neither option letters nor the text of an option")
    return [LETTERS[i] for i in sorted(set(found))]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
