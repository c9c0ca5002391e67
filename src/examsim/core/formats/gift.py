"""GIFT, Moodle's text format, read the way Moodle's importer reads it.

Questions are separated by blank lines (a blank line inside an open ``{...}`` block does
not end the question unless the next line starts a new one). Lines starting with ``//``
are comments; ``[id:...]`` and ``[tag:...]`` in them give the id and topics.
``$CATEGORY: path`` sets the domain of the questions after it. ``::title::`` names a
question. The answer block runs from the first unescaped ``{`` to the next ``}``; text
after it makes a missing-word question (``_____`` in the stem).

Multiple choice (the block has a ``~``): ``=`` marks a right answer, ``~`` a wrong one,
``%50%`` a weight; a block with no ``=`` is multiple-response and every answer with a
positive weight is in the key. ``{T}``, ``{TRUE}``, ``{F}``, ``{FALSE}`` make a
true/false question (options True and False; ``{ANSWER#wrong feedback#right feedback}``).
``#`` starts an answer's feedback (its ``why``), ``####`` the general feedback (the
explanation). Essay, numerical, matching, short answer and description questions have
no options and are skipped. Escapes ``\\~ \\= \\# \\{ \\} \\: \\\\ \\n`` are undone;
``[html]`` text is turned into plain text, ``[markdown]`` and ``[plain]`` kept as written.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator

from .common import (
    Imported,
    ImportResult,
    Skip,
    Where,
    category_name,
    key_from_weights,
    normalize_newlines,
    option,
    question,
    short,
)
from .htmltext import html_to_text, looks_like_html

_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%")
# a value stops at "[" too: "[id:[id:[id:..." on one line is one try per "[", not a scan
# to the end of the line from each (quadratic)
_ID = re.compile(r"\[id:((?:\\.|[^\[\]\\\n])*)\]")
_TAG = re.compile(r"\[tag:((?:\\.|[^\[\]\\\n])*)\]")
_TF = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_CATEGORY = "$CATEGORY:"


def read(text: str) -> ImportResult:
    """Every question of a GIFT file; unsupported ones are skipped with a reason."""
    result = ImportResult()
    domain: str | None = None
    number = 0
    for start, lines in _blocks(normalize_newlines(text)):
        comment = [x.strip().startswith("//") for x in lines]
        first = next((i for i, x in enumerate(lines) if x.strip() and not comment[i]), None)
        if first is None:
            continue
        line = start + first
        comments = "\n".join(x for x, c in zip(lines, comment, strict=True) if c)
        body = [x.rstrip() for x, c in zip(lines, comment, strict=True) if not c]
        source = textwrap.dedent("\n".join(body)).strip()
        if source.startswith(_CATEGORY):
            head, _, rest = source.partition("\n")
            domain = category_name(head[len(_CATEGORY):])
            source = rest.strip()
            line += 1
            first = next((i for i in range(first + 1, len(lines))
                          if lines[i].strip() and not comment[i]), len(lines))
            if not source:
                continue
        number += 1
        where = Where(line=line, number=number)
        _titles_inside(lines, start, first, where, source, result)
        try:
            _question(source, comments, domain, where, result)
        except Skip as skip:
            result.skip(_named(where, source), str(skip))
    return result


def _titles_inside(
    lines: list[str], start: int, first: int, where: Where, source: str, result: ImportResult
) -> None:
    """Note each line of a question after its first (``lines[first]``, file line
    ``start + first``) that starts with a ``::title::``: GIFT reads it as more of the
    question's text (Moodle does too), but it is nearly always the next question with the
    blank line before it missing. One look at each line; the question is named once."""
    name: str | None = None
    for index in range(first + 1, len(lines)):
        stripped = lines[index].strip()
        end = _find(stripped, "::", 2) if stripped.startswith("::") else -1
        if end <= 2:
            continue
        if name is None:
            name = _named(where, source).name or ""
        result.note(Where(start + index, where.number, name or None),
                    f"'::{short(unescape(stripped[2:end]))}::' is read as part of this "
                    "question's text: a blank line is probably missing before it")


def _blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, lines) of each blank-line separated block."""
    lines = text.split("\n")
    starts = _starts_question(lines)
    current: list[str] = []
    start = depth = 0
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped:
            if current and (depth == 0 or starts[number]):
                yield start, current
                current, depth = [], 0
            elif current:
                current.append(line)
            continue
        if not current:
            start = number
        current.append(line)
        if not stripped.startswith("//"):
            opened = closed = 0
            for i in _unescaped(stripped):
                opened += stripped[i] == "{"
                closed += stripped[i] == "}"
            depth = max(0, depth + opened - closed)
    if current:
        yield start, current


def _starts_question(lines: list[str]) -> list[bool]:
    """For each line index i: does the next non-blank line from i on start a question
    (or is there none)? One pass from the end (a scan per blank line was quadratic in a
    block of blank lines)."""
    starts = [True] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        stripped = lines[i].strip()
        starts[i] = stripped.startswith(("::", _CATEGORY)) if stripped else starts[i + 1]
    return starts


def _unescaped(text: str, start: int = 0) -> Iterator[int]:
    """Positions of the characters that are not escaped (nor escaping)."""
    i = start
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            i += 2
            continue
        yield i
        i += 1


def _find(text: str, target: str, start: int = 0) -> int:
    for i in _unescaped(text, start):
        if text.startswith(target, i):
            return i
    return -1


def _rfind(text: str, target: str) -> int:
    found = -1
    for i in _unescaped(text):
        if text.startswith(target, i):
            found = i
    return found


def unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _split_format(raw: str, default: str) -> tuple[str, str]:
    raw = raw.strip()
    match = _FORMAT.match(raw)
    if match:
        return match.group(1).lower(), raw[match.end():]
    return default, raw


def render(raw: str, fmt: str) -> str:
    """Text of a GIFT fragment (already split from its format) as plain text."""
    text = unescape(raw)
    if fmt == "html" or (fmt == "moodle" and looks_like_html(text)):
        return html_to_text(text)
    if fmt == "markdown":
        return textwrap.dedent(text).strip()
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _part(raw: str, default: str) -> str:
    """A fragment that may start with its own ``[format]``, as plain text."""
    fmt, raw = _split_format(raw, default)
    return render(raw, fmt)


def _named(where: Where, source: str) -> Where:
    """The place of a skipped question, named by its title or the start of its text."""
    if source.startswith("::"):
        end = _find(source, "::", 2)
        if end > 0 and source[2:end].strip():
            return Where(where.line, where.number, short(unescape(source[2:end])))
        source = source[end + 2 :] if end > 0 else source[2:]
    cut = _find(source, "{")
    text = _split_format(source if cut < 0 else source[:cut], "moodle")[1]
    return Where(where.line, where.number, short(unescape(text)) or None)


def _question(
    source: str, comments: str, domain: str | None, where: Where, result: ImportResult
) -> None:
    title = None
    if source.startswith("::"):
        end = _find(source, "::", 2)
        if end < 0:
            raise Skip("the title opened with '::' is never closed")
        title = unescape(source[2:end]).strip() or None
        source = source[end + 2 :].strip()
    opened = _find(source, "{")
    closed = _find(source, "}", opened + 1) if opened >= 0 else _find(source, "}")
    if opened < 0 and closed < 0:
        raise Skip("a description (no answer block {...}): nothing to answer")
    if opened < 0 or closed < 0:
        raise Skip("'{' without a matching '}'" if closed < 0 else "'}' without a '{' before it")
    stem_raw = source[:opened]
    if source[closed + 1 :].strip():
        stem_raw += "_____" + source[closed + 1 :]
    fmt, stem_raw = _split_format(stem_raw, "moodle")
    stem = render(stem_raw, fmt)
    where = Where(where.line, where.number, short(title or stem) or None)
    if not stem:
        raise Skip("no question text before the answers")
    block = source[opened + 1 : closed]
    explanation = ""
    general = _rfind(block, "####")
    if general >= 0:
        explanation = _part(block[general + 4 :], fmt)
        block = block[:general]
    block = block.strip()
    marks = [i for i in _unescaped(block) if block[i] in "~="]
    if not block:
        raise Skip("GIFT essay questions have no options")
    if block.startswith("#"):
        raise Skip("GIFT numerical questions have no options")
    if any(block[i] == "~" for i in marks):
        options, answer = _choices(block, marks, fmt, where, result)
    elif marks and _find(block, "->") >= 0:
        raise Skip("GIFT matching questions are not multiple choice")
    elif _truth(block) is not None:
        options, answer = _true_false(block, fmt)
    else:
        raise Skip("GIFT short-answer questions have no options")
    tags = [_bracketed(t) for t in _TAG.findall(comments)]
    ids = [_bracketed(i) for i in _ID.findall(comments)]
    data = question(stem, options, answer, explanation, domain=domain,
                    topics=[t for t in tags if t])
    result.questions.append(Imported(where, data, id_hint=(ids[-1] if ids else None) or title))


def _bracketed(text: str) -> str:
    """The value of ``[id:...]`` or ``[tag:...]``: ``\\]`` stands for ``]``."""
    return re.sub(r"\\(.)", r"\1", text).strip()


def _choices(
    block: str, marks: list[int], fmt: str, where: Where, result: ImportResult
) -> tuple[list[str | dict[str, str]], list[str]]:
    pieces: list[tuple[str, str]] = []
    if block[: marks[0]].strip():
        pieces.append(("~", block[: marks[0]]))
    for here, after in zip(marks, [*marks[1:], len(block)], strict=True):
        pieces.append((block[here], block[here + 1 : after]))
    options: list[str | dict[str, str]] = []
    weights: list[float] = []
    for mark, raw in pieces:
        raw = raw.strip()
        weight = 100.0 if mark == "=" else 0.0
        match = _WEIGHT.match(raw)
        if match:
            weight = float(match.group(1))
            raw = raw[match.end():]
        cut = _find(raw, "#")
        text_raw, why_raw = (raw, "") if cut < 0 else (raw[:cut], raw[cut + 1 :])
        text = _part(text_raw, fmt)
        why = _part(why_raw, fmt)
        options.append(option(text, why or None))
        weights.append(weight)
    single = any(mark == "=" for mark, _ in pieces)
    return options, key_from_weights(weights, single, where, result)


def _truth(block: str) -> bool | None:
    cut = _find(block, "#")
    token = (block if cut < 0 else block[:cut]).strip()
    return _TF.get(token.upper())


def _true_false(block: str, fmt: str) -> tuple[list[str | dict[str, str]], list[str]]:
    """``{ANSWER#feedback for the wrong choice#feedback for the right choice}``."""
    truth = _truth(block)
    cut = _find(block, "#")
    wrong = right = ""
    if cut >= 0:
        rest = block[cut + 1 :]
        second = _find(rest, "#")
        wrong, right = (rest, "") if second < 0 else (rest[:second], rest[second + 1 :])
    wrong = _part(wrong, fmt)
    right = _part(right, fmt)
    true_why, false_why = (right, wrong) if truth else (wrong, right)
    options = [option("True", true_why or None), option("False", false_why or None)]
    return options, ["A" if truth else "B"]
