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
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from .common import Imported, ImportResult, Skip, Where, normalize_newlines, question, short
from .htmltext import image_note

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_OPTION = re.compile(r"^ {0,3}[-*+][ \t]+\[([ xX])\](?=[ \t]|$)[ \t]*(.*)$")
_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})")
_LINK_LINE = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?\[([^\]]*)\]\(<?([^)\s>]+)>?\)[ \t]*$"
)
_LABEL = re.compile(r"^(?:Q(?:uestion)?[ \t]*\d+|\d+)[ \t]*[.):-]?[ \t]+", re.IGNORECASE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\(<?([^)\s>]*)>?(?:[ \t]+\"[^\"]*\")?\)")
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""\b(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_EXPLANATION = re.compile(
    r"^(?:(?:\*\*|__)explanation:?(?:\*\*|__):?|explanation:)\s*", re.IGNORECASE
)
INVISIBLE = "\u00ad\u2800\u200b\u200c\u200d\u2060\ufeff \t\n"


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
    headings = [(i, m) for i, u in enumerate(lines) if u.code is None
                and (m := _HEADING.match(u.text))]
    level = _question_level(lines, headings)
    if level is None:
        result.note(None, "no heading is followed by - [ ] / - [x] options: no questions")
        return result
    for _, match in headings:
        if len(match.group(1)) < level and match.group(2).strip():
            result.title = _inline(match.group(2).strip())
            break
    sections = _sections(lines, headings, level)
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


def _question_level(lines: list[_Line], headings: list[tuple[int, re.Match[str]]]) -> int | None:
    counts: Counter[int] = Counter()
    for n, (index, match) in enumerate(headings):
        level = len(match.group(1))
        end = next((i for i, m in headings[n + 1 :] if len(m.group(1)) <= level), len(lines))
        if any(u.code is None and _OPTION.match(u.text) for u in lines[index + 1 : end]):
            counts[level] += 1
    if not counts:
        return None
    return max(counts, key=lambda lv: (counts[lv], lv))


def _sections(
    lines: list[_Line], headings: list[tuple[int, re.Match[str]]], level: int
) -> list[_Section]:
    sections: list[_Section] = []
    for n, (index, match) in enumerate(headings):
        if len(match.group(1)) != level:
            continue
        end = next((i for i, m in headings[n + 1 :] if len(m.group(1)) <= level), len(lines))
        sections.append(_Section(lines[index].number, match.group(2).strip(),
                                 lines[index + 1 : end]))
    return sections


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
    for span in _CODE_SPAN.finditer(text):
        out.append(_plain(text[last : span.start()]))
        out.append(span.group(0))
        last = span.end()
    out.append(_plain(text[last:]))
    return "".join(out)


def _plain(text: str) -> str:
    text = _IMAGE.sub(lambda m: image_note(m.group(2), m.group(1)), text)
    text = _IMG_TAG.sub(_img_tag, text)
    text = _ESCAPED.sub(r"\1", text)
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def _img_tag(match: re.Match[str]) -> str:
    attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
             for m in _ATTR.finditer(match.group(0))}
    return image_note(attrs.get("src", ""), attrs.get("alt", ""))
