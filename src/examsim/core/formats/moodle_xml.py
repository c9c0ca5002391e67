"""Moodle XML (``<quiz>`` of ``<question type="...">``), parsed with defusedxml.

``multichoice``: the answers' ``fraction`` (percent) gives the key, as in GIFT: a
single-answer question's key is the 100% answer(s), a multiple-answer question's every
answer with a positive fraction. ``truefalse``: options True and False, the one worth
100% is the key. ``category`` pseudo-questions set the domain of the questions after
them. Text in HTML is turned into plain text; embedded files are left out and images
named as ``[image: NAME]``. Each answer's feedback is its ``why``, the general feedback
the explanation, tags the topics, the idnumber (else the name) the source of the id.
Other question types have no options and are skipped. A DTD or entity declaration is
refused (defusedxml), so a file cannot expand entities or reach the network.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException

from .common import (
    FormatError,
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
from .htmltext import html_to_text, image_note, looks_like_html

OTHER_TYPES = {
    "shortanswer": "short-answer", "numerical": "numerical", "essay": "essay",
    "matching": "matching", "match": "matching", "cloze": "cloze (embedded answers)",
    "multianswer": "cloze (embedded answers)", "description": "description",
    "calculated": "calculated", "calculatedsimple": "calculated",
    "calculatedmulti": "calculated multichoice", "randomsamatch": "random matching",
    "ddwtos": "drag-and-drop", "ddimageortext": "drag-and-drop", "ddmarker": "drag-and-drop",
    "gapselect": "select-missing-words", "random": "random",
}
_MASK = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>", re.DOTALL)
_QUESTION_TAG = re.compile(r"<question\b")


def read(text: str) -> ImportResult:
    """Every question of a Moodle XML file."""
    text = normalize_newlines(text)
    try:
        root = DefusedET.fromstring(text)
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        message = re.sub(r":? line \d+, column \d+$", "", str(exc))
        raise FormatError(f"XML syntax error: {message}", line) from None
    except DefusedXmlException as exc:
        raise FormatError(f"refused: the XML declares a DTD or entities ({type(exc).__name__}); "
                          "Moodle exports never do") from None
    except (ValueError, LookupError) as exc:
        raise FormatError(f"cannot be parsed as XML: {exc}") from None
    if root.tag != "quiz":
        raise FormatError(f"not Moodle XML: the root element is <{root.tag}>, not <quiz>")
    result = ImportResult()
    lines = _question_lines(text)
    domain: str | None = None
    number = 0
    for index, element in enumerate(root.findall("question")):
        kind = (element.get("type") or "").strip().lower()
        line = lines[index] if index < len(lines) else None
        if kind == "category":
            domain = category_name(element.findtext("category/text") or "") or domain
            continue
        number += 1
        name = element.findtext("name/text") or ""
        name = " ".join((html_to_text(name) if looks_like_html(name) else name).split())
        where = Where(line, number, short(name) or None)
        try:
            data = _question(element, kind, domain, where, result)
        except Skip as skip:
            result.skip(where, str(skip))
            continue
        idnumber = (element.findtext("idnumber") or "").strip()
        result.questions.append(Imported(where, data, id_hint=idnumber or name or None))
    return result


def _question_lines(text: str) -> list[int]:
    """The line of each ``<question`` tag, comments and CDATA masked out."""
    masked = _MASK.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    lines: list[int] = []
    line, counted = 1, 0  # newlines counted up to offset ``counted``: once over the text
    for match in _QUESTION_TAG.finditer(masked):
        line += masked.count("\n", counted, match.start())
        counted = match.start()
        lines.append(line)
    return lines


def _text(element: Element | None, default: str = "moodle_auto_format") -> str:
    """Plain text of an element holding ``<text>`` (and a ``format`` attribute)."""
    if element is None:
        return ""
    raw = element.findtext("text") or ""
    fmt = (element.get("format") or default).lower()
    if fmt == "html" or (fmt == "moodle_auto_format" and looks_like_html(raw)):
        return html_to_text(raw)
    if fmt == "markdown":
        return raw.strip()
    return "\n".join(line.strip() for line in raw.strip().split("\n"))


def _question(
    element: Element, kind: str, domain: str | None, where: Where, result: ImportResult
) -> dict[str, object]:
    if kind in OTHER_TYPES:
        raise Skip(f"Moodle {OTHER_TYPES[kind]} questions are not multiple choice")
    if kind not in ("multichoice", "truefalse"):
        raise Skip(f"unknown question type {kind!r}")
    stem = _text(element.find("questiontext"))
    images = [image_note(i.text or "") for i in element.findall("image") if (i.text or "").strip()]
    stem = "\n\n".join(part for part in [stem, *images] if part)
    if not stem:
        raise Skip("no question text")
    answers = element.findall("answer")
    weights = [_fraction(a, n) for n, a in enumerate(answers, 1)]
    whys = [_text(a.find("feedback")) or None for a in answers]
    if kind == "truefalse":
        options, key = _true_false(answers, weights, whys)
    else:
        options = [option(_text(a), why) for a, why in zip(answers, whys, strict=True)]
        single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
        key = key_from_weights(weights, single, where, result)
    topics = [t.strip() for t in (x.text or "" for x in element.findall("tags/tag/text"))]
    return question(stem, options, key, _text(element.find("generalfeedback")), domain=domain,
                    topics=[t for t in topics if t])


def _fraction(answer: Element, number: int) -> float:
    raw = (answer.get("fraction") or "0").strip()
    try:
        value = float(raw)
    except ValueError:
        raise Skip(f"answer {number} has fraction {raw!r}, not a number") from None
    if value != value or abs(value) > 100:
        raise Skip(f"answer {number} has fraction {raw!r}, outside -100..100")
    return value


def _true_false(
    answers: list[Element], weights: list[float], whys: list[str | None]
) -> tuple[list[str | dict[str, str]], list[str]]:
    found: dict[str, tuple[float, str | None]] = {}
    for answer, weight, why in zip(answers, weights, whys, strict=True):
        found[(answer.findtext("text") or "").strip().lower()] = (weight, why)
    if set(found) != {"true", "false"}:
        raise Skip(f"a true/false question needs answers 'true' and 'false', got "
                   f"{sorted(found)}")
    right = [k for k in ("true", "false") if found[k][0] > 0]
    if len(right) != 1:
        raise Skip("a true/false question needs exactly one of true/false worth 100%")
    options = [option("True", found["true"][1]), option("False", found["false"][1])]
    return options, ["A" if right == ["true"] else "B"]
