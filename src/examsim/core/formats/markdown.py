"""Checklist Markdown, as in the community repositories of practice questions.

```
#### Q12. Which command shows the remote URLs?

- [ ] git remote
- [x] git remote -v

[Reference](https://git-scm.com/docs/git-remote)
```

The heading level that most often has ``- [ ]`` / ``- [x]`` items under it is the
question level; each heading at that level is a stem (its text, then any text or code
before the first option). Sections at that level without options are not questions
(introductions, tables of contents) and are left out with one note. Several ``[x]``
make a choose-N question; none is refused. A code block after an option (only blank
lines between) belongs to that option; an indented line right after an option continues
it. After the options, lines that are only a link are references, the rest is the
explanation. Images become ``[image: PATH]``; HTML entities and Markdown backslash
escapes are decoded outside code; everything else is kept as written.

Hostile files read in linear time (a downloaded file must never hang examsim): every
pattern below is matched at the start of a line (one try per line) or stops at the
character that starts its next possible match (``[^<>]``, ``[^()]``...), so no two
tries scan the same text; headings are trimmed and code spans found by scanning, not by
backtracking; the heading tree is walked once with a stack.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from .common import Imported, ImportResult, Skip, Where, normalize_newlines, question, short
from .htmltext import image_note

_HEADING_START = re.compile(r" {0,3}(#{1,6})[ \t]+")
_OPTION = re.compile(r"^ {0,3}[-*+][ \t]+\[([ xX])\](?=[ \t]|$)[ \t]*(.*)$")
_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})")
_LINK_LINE = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?\[([^\]]*)\]\(<?([^)\s>]+)>?\)[ \t]*$"
)
_LABEL = re.compile(r"^(?:Q(?:uestion)?[ \t]*\d+|\d+)[ \t]*[.):-]?[ \t]+", re.IGNORECASE)
# alt text and address stop at a bracket (a later image's "![" or "]("), the title at
# its closing quote: a try never runs into the text of the next one
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\(<?([^()\[\]\s<>]*)>?(?:[ \t]+\"[^\"]*\")?\)")
_IMG_TAG = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""\b(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_BACKTICKS = re.compile(r"`+")
_EXPLANATION = re.compile(
    r"^(?:(?:\*\*|__)explanation:?(?:\*\*|__):?|explanation:)\s*", re.IGNORECASE
)
INVISIBLE = "\u00ad\u2800\u200b\u200c\u200d\u2060\ufeff \t\n"


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str  # as written, without the closing hashes


@dataclass
class _Line:
    number: int
    text: str
    code: list[str] | None = None  # the lines of a fenced block, fences included


@dataclass
class _Option:
    checked: bool
    parts: list[str]  # its text, then continuation paragraphs and code blocks


@dataclass
class _Section:
    line: int
    heading: str
    body: list[_Line] = field(default_factory=list)


def read(text: str) -> ImportResult:
    """Every question of a checklist Markdown file."""
    result = ImportResult()
    lines = _units(normalize_newlines(text))
    headings = [(i, h) for i, u in enumerate(lines) if u.code is None
                and (h := _heading(u.text)) is not None]
    ends = _ends(headings, len(lines))
    level = _question_level(lines, headings, ends)
    if level is None:
        result.note(None, "no heading is followed by - [ ] / - [x] options: no questions")
        return result
    for _, heading in headings:
        if heading.level < level and heading.text.strip():
            result.title = _inline(heading.text.strip())
            break
    sections = _sections(lines, headings, ends, level)
    number = 0
    others: list[str] = []
    for section in sections:
        if not any(u.code is None and _OPTION.match(u.text) for u in section.body):
            others.append(short(section.heading, 30))
            continue
        number += 1
        label = _LABEL.match(section.heading)
        name = label.group(0).strip(" .):-\t") if label else None
        where = Where(section.line, number, name or short(section.heading) or None)
        try:
            data = _question(section)
        except Skip as skip:
            result.skip(where, str(skip))
            continue
        result.questions.append(Imported(where, data, id_hint=name))
    if others:
        shown = ", ".join(repr(o) for o in others[:3]) + (", ..." if len(others) > 3 else "")
        result.note(None, f"{len(others)} section(s) at the question level have no options "
                    f"and were left out as not questions: {shown}")
    return result


def _units(text: str) -> list[_Line]:
    """The lines, with each fenced code block gathered into one unit."""
    units: list[_Line] = []
    raw = text.split("\n")
    i = 0
    while i < len(raw):
        fence = _FENCE.match(raw[i])
        if fence is None:
            units.append(_Line(i + 1, raw[i]))
            i += 1
            continue
        mark = fence.group(2)
        end = i + 1
        while end < len(raw):
            close = _FENCE.match(raw[end])
            if close and close.group(2)[0] == mark[0] and len(close.group(2)) >= len(mark) \
                    and not raw[end][close.end():].strip():
                break
            end += 1
        block = raw[i : end + 1]
        units.append(_Line(i + 1, raw[i], code=_dedent(block, len(fence.group(1)))))
        i = end + 1
    return units


def _dedent(block: list[str], indent: int) -> list[str]:
    out = []
    for line in block:
        lead = len(line) - len(line.lstrip(" \t"))
        out.append(line[min(lead, indent):])
    return out


def _heading(text: str) -> _Heading | None:
    """An ATX heading: 1-6 ``#`` and a space, its text without the closing ``#``s."""
    start = _HEADING_START.match(text)
    if start is None:
        return None
    rest = text[start.end():].rstrip(" \t")
    hashes = len(rest) - len(rest.rstrip("#"))
    if hashes and hashes < len(rest) and rest[-hashes - 1] in " \t":
        rest = rest[:-hashes].rstrip(" \t")
    return _Heading(len(start.group(1)), rest)


def _ends(headings: list[tuple[int, _Heading]], count: int) -> list[int]:
    """For each heading, the line index where its section ends: the next heading of the
    same or a higher level (one pass with a stack), else the end."""
    ends = [count] * len(headings)
    open_: list[int] = []
    for n, (index, heading) in enumerate(headings):
        while open_ and headings[open_[-1]][1].level >= heading.level:
            ends[open_.pop()] = index
        open_.append(n)
    return ends


def _question_level(
    lines: list[_Line], headings: list[tuple[int, _Heading]], ends: list[int]
) -> int | None:
    options = [0]  # options[i]: option lines among lines[:i]
    for unit in lines:
        options.append(options[-1] + (unit.code is None and bool(_OPTION.match(unit.text))))
    counts: Counter[int] = Counter()
    for (index, heading), end in zip(headings, ends, strict=True):
        if options[end] > options[index + 1]:
            counts[heading.level] += 1
    if not counts:
        return None
    return max(counts, key=lambda lv: (counts[lv], lv))


def _sections(
    lines: list[_Line], headings: list[tuple[int, _Heading]], ends: list[int], level: int
) -> list[_Section]:
    return [_Section(lines[index].number, heading.text.strip(), lines[index + 1 : end])
            for (index, heading), end in zip(headings, ends, strict=True)
            if heading.level == level]


def _question(section: _Section) -> dict[str, object]:
    heading = _inline(_LABEL.sub("", section.heading, count=1).strip())
    stem: list[str] = [heading] if heading else []
    options: list[_Option] = []
    after: list[str] = []
    references: list[str] = []
    gap = False
    for unit in section.body:
        option = _OPTION.match(unit.text) if unit.code is None else None
        link = _LINK_LINE.match(unit.text) if unit.code is None else None
        if option:
            if after:
                raise Skip(f"an option at line {unit.number} comes after other text; "
                           "cannot tell where the question ends")
            options.append(_Option(option.group(1) != " ", [_inline(option.group(2))]))
        elif not unit.text.strip() and unit.code is None:
            gap = True
            continue
        elif not options:
            stem.append(_block(unit, gap and bool(stem)))
        elif link and unit.code is None:
            references.append(link.group(2))
        elif unit.code is not None and not after:
            options[-1].parts.append(_code(unit))
        elif not after and unit.text.startswith(("  ", "\t")):
            line = _inline(unit.text.strip())
            if gap or not options[-1].parts[-1].strip():
                options[-1].parts.append(line)
            else:
                options[-1].parts[-1] += " " + line
        else:
            after.append(_block(unit, gap and bool(after)))
        gap = False
    return _assemble(stem, options, after, references)


def _block(unit: _Line, paragraph: bool) -> str:
    """One line or code block of a stem or explanation; a blank line before it kept."""
    text = _code(unit) if unit.code is not None else _inline(unit.text.rstrip())
    return ("\n" if paragraph else "") + text


def _code(unit: _Line) -> str:
    return "\n".join(unit.code or [])


def _assemble(
    stem_lines: list[str], options: list[_Option], after: list[str], references: list[str]
) -> dict[str, object]:
    stem = "\n".join(stem_lines).strip()
    if not stem:
        raise Skip("no question text")
    texts: list[str | dict[str, str]] = []
    for opt in options:
        parts = [opt.parts[0].strip(INVISIBLE), *opt.parts[1:]]
        texts.append("\n\n".join(part for part in parts if part.strip()))
    answer = [chr(ord("A") + i) for i, opt in enumerate(options) if opt.checked]
    if not answer:
        raise Skip("no correct answer marked ([x])")
    explanation = _EXPLANATION.sub("", "\n".join(after).strip(), count=1).strip()
    return question(stem, texts, answer, explanation, references=references)


def _inline(text: str) -> str:
    """Entities, backslash escapes and images rewritten, code spans left alone."""
    out: list[str] = []
    last = 0
    for start, end in _code_spans(text):
        out.append(_plain(text[last:start]))
        out.append(text[start:end])
        last = end
    out.append(_plain(text[last:]))
    return "".join(out)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each code span: a run of backticks up to the next run of the same
    length (CommonMark); a run without one is text. One pass over the runs: for each
    length a pointer moves forward only."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    same: dict[int, list[int]] = {}  # length -> indexes of the runs that long, in order
    for n, (start, end) in enumerate(runs):
        same.setdefault(end - start, []).append(n)
    seen = dict.fromkeys(same, 0)
    spans: list[tuple[int, int]] = []
    n = 0
    while n < len(runs):
        length = runs[n][1] - runs[n][0]
        others, at = same[length], seen[length]
        while at < len(others) and others[at] <= n:
            at += 1
        seen[length] = at
        if at == len(others):
            n += 1
            continue
        spans.append((runs[n][0], runs[others[at]][1]))
        n = others[at] + 1
    return spans


def _plain(text: str) -> str:
    text = _IMAGE.sub(lambda m: image_note(m.group(2), m.group(1)), text)
    text = _IMG_TAG.sub(_img_tag, text)
    text = _ESCAPED.sub(lambda m: m.group(1), text)
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def _img_tag(match: re.Match[str]) -> str:
    attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
             for m in _ATTR.finditer(match.group(0))}
    return image_note(attrs.get("src", ""), attrs.get("alt", ""))
