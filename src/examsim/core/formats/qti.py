"""IMS QTI: 1.2 (Canvas and other LMS quiz exports) and 2.1/2.2 choice items.

Input is bytes: one XML file, or a zip package (a Canvas quiz export, a QTI 2 content
package) whose ``.xml`` members are read in memory, never extracted.

QTI 1.2 (``<questestinterop>``): each ``<item>`` with one ``<response_lid>`` of
``<response_label>`` choices. The key is every choice that a ``<respcondition>`` scores
above 0 (``<setvar>``), a ``<not>`` excluded: for a single-answer item the choices worth
the most, for a multiple-answer item every positive one (Canvas writes one condition
``<and>`` of the right choices and ``<not>`` of the others). Canvas's ``question_type``
metadata names the kind when present; other kinds (short answer, fill in the blanks,
dropdowns, matching, numerical, essay...) are skipped with the kind. Feedback linked
from a condition on one choice is that option's why; ``general_fb`` (else
``correct_fb``) is the explanation. Empty choices that are not in the key are dropped.

QTI 2.1/2.2 (``<assessmentItem>``): one ``<choiceInteraction>``; ``<correctResponse>``
(else the positive ``<mapEntry>``) gives the key, ``cardinality`` single or multiple.
The item body around the interaction and its ``<prompt>`` make the stem;
``<feedbackInline>`` in a choice is its why. Items with other interactions are skipped.

HTML becomes plain text as in the Moodle XML importer; images are named. A DTD or entity
declaration is refused (defusedxml). The declared encoding is honoured (ISO-8859-1,
Windows-1252, Shift_JIS...); without one, UTF-8, else cp1252 with a note. Zip members
are bounded in number and size (the size read, not the size the header claims); names
that are absolute or climb out with ``..`` are left out with a note.
"""

from __future__ import annotations

import codecs
import copy
import html
import io
import re
import zipfile
import zlib
from xml.etree.ElementTree import Element, ParseError, tostring

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException

from ..bank import LETTERS
from .common import (
    FormatError,
    Imported,
    ImportResult,
    Skip,
    Where,
    decode,
    letters,
    normalize_newlines,
    option,
    question,
    short,
)
from .htmltext import html_to_text, image_note

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
SCORE_TOLERANCE = 1e-6

CANVAS_TYPES = {
    "multiple_choice_question": "single", "true_false_question": "single",
    "multiple_answers_question": "multiple",
}
CANVAS_OTHER = {
    "short_answer_question": "short-answer", "fill_in_multiple_blanks_question":
    "fill-in-the-blanks", "multiple_dropdowns_question": "dropdown",
    "matching_question": "matching", "numerical_question": "numerical",
    "calculated_question": "formula", "essay_question": "essay",
    "file_upload_question": "file-upload", "text_only_question": "text-only",
}
RESPONSES_12 = {
    "response_str": "text-entry", "response_num": "numeric", "response_xy": "hotspot",
    "response_grp": "grouping", "response_extension": "extension",
}
HIDDEN_2 = {"rubricBlock", "modalFeedback", "feedbackBlock", "feedbackInline",
            "templateBlock", "templateInline", "printedVariable"}
_DECLARATION = re.compile(r"<\?xml[^>]{0,300}?\?>")
_ENCODING = re.compile(r"""encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_SNIFF = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?(questestinterop|assessmentItem)\b")


def sniff(raw: bytes) -> str | None:
    """Why ``raw`` looks like QTI (a zip package, or XML whose root is QTI's), else None."""
    if raw[:4] == b"PK\x03\x04":
        return "from the content: a zip package"
    head = raw[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("utf-8")
    pos = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:  # past the declaration, comments, a doctype: to the root element
        while pos < len(head) and head[pos:pos + 1].isspace():
            pos += 1
        for start, end in ((b"<?", b"?>"), (b"<!--", b"-->"), (b"<!", b">")):
            if head.startswith(start, pos):
                found = head.find(end, pos + len(start))
                pos = len(head) if found < 0 else found + len(end)
                break
        else:
            break
    if _SNIFF.match(head, pos):
        return "from the content: QTI XML"
    return None


def read(text: str) -> ImportResult:
    """Every question of one QTI XML document given as text."""
    result = ImportResult()
    _document(undeclared(text), None, result, [0])
    return result


def read_bytes(raw: bytes) -> ImportResult:
    """Every question of a QTI XML file or zip package, as bytes."""
    if raw[:4] == b"PK\x03\x04":
        return _package(raw)
    text, note = xml_text(raw)
    result = ImportResult()
    if note:
        result.note(None, note)
    _document(text, None, result, [0])
    return result


def xml_text(raw: bytes) -> tuple[str, str | None]:
    """The text of an XML file in its declared encoding; the declaration is removed."""
    if raw.startswith(b"\xef\xbb\xbf"):
        text, note = raw[3:].decode("utf-8", "strict"), None
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, note = decode(raw)
    else:
        head = _DECLARATION.match(raw[:400].decode("latin-1"))
        declared = _ENCODING.search(head.group(0)) if head else None
        if declared is None:
            text, note = decode(raw)
        else:
            name = declared.group(1)
            try:
                codec = codecs.lookup(name)
            except LookupError:
                raise FormatError(f"declares the encoding {name!r}, which is unknown") from None
            try:
                text, note = raw.decode(codec.name), None
            except UnicodeDecodeError as exc:
                line = raw.count(b"\n", 0, exc.start) + 1
                raise FormatError(f"is not valid {name} as it declares", line) from None
    return undeclared(text), note


def undeclared(text: str) -> str:
    """Decoded text without its XML declaration (the parser must not decode it again);
    the declaration's line breaks are kept, so line numbers stay right."""
    text = normalize_newlines(text)
    head = _DECLARATION.match(text)
    if head:
        text = re.sub(r"[^\n]", "", head.group(0)) + text[head.end():]
    return text


def _parse(text: str) -> Element:
    try:
        root = DefusedET.fromstring(text)
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        message = re.sub(r":? line \d+, column \d+$", "", str(exc))
        raise FormatError(f"XML syntax error: {message}", line) from None
    except DefusedXmlException as exc:
        raise FormatError(f"refused: the XML declares a DTD or entities ({type(exc).__name__}); "
                          "QTI exports never do") from None
    except (ValueError, LookupError) as exc:
        raise FormatError(f"cannot be parsed as XML: {exc}") from None
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = element.tag.rsplit("}", 1)[-1]
    return root


def _document(text: str, member: str | None, result: ImportResult, counter: list[int]) -> bool:
    """Read one XML document into ``result``; False when it is not QTI (in a package)."""
    text = normalize_newlines(text)
    root = _parse(text)
    if root.tag == "questestinterop":
        title = next((a.get("title") for a in root.iter("assessment") if a.get("title")), None)
        result.title = result.title or title
        items = list(root.iter("item"))
        lines: list[int | None] = list(tag_lines(text, "item"))
        if len(lines) != len(items):
            lines = [None] * len(items)
        for item, line in zip(items, lines, strict=True):
            name = item.get("title") or item.get("ident") or ""
            where = _where(member, line, counter, name)
            try:
                data = _item12(item, where, result)
            except Skip as skip:
                result.skip(where, str(skip))
                continue
            result.questions.append(Imported(where, data, id_hint=name or None))
        return True
    if root.tag == "assessmentItem":
        name = root.get("title") or root.get("identifier") or ""
        starts = tag_lines(text, "assessmentItem")
        where = _where(member, starts[0] if starts else None, counter, name)
        try:
            data = _item2(root)
        except Skip as skip:
            result.skip(where, str(skip))
            return True
        result.questions.append(Imported(where, data, id_hint=name or None))
        return True
    if member is not None:
        return False
    if root.tag == "assessmentTest":
        raise FormatError("a QTI assessment test refers to items in other files: "
                          "import the whole package (.zip)")
    if root.tag.startswith("qti-"):
        raise FormatError(f"<{root.tag}> is QTI 3, which examsim does not read; "
                          "export as QTI 2.1 or 1.2")
    raise FormatError(f"not QTI: the root element is <{root.tag}>, "
                      "not <questestinterop> (1.2) or <assessmentItem> (2.x)")


def _where(member: str | None, line: int | None, counter: list[int], name: str) -> Where:
    counter[0] += 1
    label = " ".join(name.split())
    if member is None:
        return Where(line, counter[0], short(label) or None)
    place = f"{member}:{line}" if line else member
    return Where(None, counter[0], f"{place} {short(label)}".rstrip())


def tag_lines(text: str, name: str) -> list[int]:
    """The line of each start tag ``<name`` (any prefix), comments and CDATA skipped.

    One pass with ``str.find``: linear in the text.
    """
    lines: list[int] = []
    pos, line = 0, 1
    while True:
        start = text.find("<", pos)
        if start < 0:
            return lines
        line += text.count("\n", pos, start)
        if text.startswith("<!--", start):
            end = text.find("-->", start + 4)
            end = len(text) if end < 0 else end + 3
        elif text.startswith("<![CDATA[", start):
            end = text.find("]]>", start + 9)
            end = len(text) if end < 0 else end + 3
        else:
            end = start + 1
            while end < len(text) and (text[end].isalnum() or text[end] in "_.:-"):
                end += 1
            if text[start + 1:end].rsplit(":", 1)[-1] == name:
                lines.append(line)
        line += text.count("\n", start, end)
        pos = end


# -- QTI 1.2 ------------------------------------------------------------------------


def _item12(item: Element, where: Where, result: ImportResult) -> dict[str, object]:
    kind = _metadata(item).get("question_type", "").strip().lower()
    if kind in CANVAS_OTHER:
        raise Skip(f"Canvas {CANVAS_OTHER[kind]} questions are not multiple choice")
    if kind and kind not in CANVAS_TYPES:
        raise Skip(f"unknown question type {kind!r}")
    presentation = item.find("presentation")
    if presentation is None:
        raise Skip("no <presentation>: nothing to answer")
    responses = [e for e in presentation.iter() if e.tag.startswith("response_")
                 and e.tag != "response_label"]
    for response in responses:
        if response.tag in RESPONSES_12:
            raise Skip(f"a {RESPONSES_12[response.tag]} response ({response.tag}) "
                       "is not multiple choice")
    lids = [r for r in responses if r.tag == "response_lid"]
    if not lids:
        raise Skip("no response: a text-only item")
    if len(lids) > 1:
        raise Skip(f"{len(lids)} responses in one item (fill-in-the-blanks, dropdowns or "
                   "matching) are not multiple choice")
    lid = lids[0]
    if lid.find("material") is not None:
        raise Skip("a labelled response (matching or dropdown) is not multiple choice")
    cardinality = CANVAS_TYPES.get(kind) or (lid.get("rcardinality") or "single").lower()
    if cardinality == "ordered":
        raise Skip("an ordering response is not multiple choice")
    labels = [(label.get("ident") or "", _material_text(label))
              for label in lid.iter("response_label")]
    if len(labels) < 2:
        raise Skip(f"{len(labels)} choice{'s' if len(labels) != 1 else ''}; "
                   "multiple choice needs at least 2")
    feedback = {fb.get("ident") or "": _material_text(fb) for fb in item.iter("itemfeedback")}
    weights, whys = _conditions(item, lid.get("ident") or "", feedback)
    labels, weights_list = _drop_empty(labels, weights, where, result)
    key = _key([weights_list[i] for i in range(len(labels))],
               cardinality != "multiple", where, result)
    options = [option(text, whys.get(ident) or feedback.get(f"{ident}_fb") or None)
               for ident, text in labels]
    stem = "\n\n".join(filter(None, (_material_text(m) for m in _stem_materials(presentation))))
    if not stem:
        raise Skip("no question text")
    explanation = feedback.get("general_fb") or feedback.get("correct_fb") or ""
    return question(stem, options, key, explanation)


def _metadata(item: Element) -> dict[str, str]:
    fields: dict[str, str] = {}
    for field in item.iter("qtimetadatafield"):
        label = (field.findtext("fieldlabel") or "").strip()
        if label and label not in fields:
            fields[label] = field.findtext("fieldentry") or ""
    return fields


def _stem_materials(element: Element) -> list[Element]:
    """The ``<material>`` of the presentation outside any response."""
    found: list[Element] = []
    for child in element:
        if child.tag.startswith("response_"):
            continue
        if child.tag == "material":
            found.append(child)
        else:
            found.extend(_stem_materials(child))
    return found


def _material_text(element: Element) -> str:
    """Plain text of every ``<mattext>``/``<matimage>`` inside ``element``, in order."""
    parts: list[str] = []
    for node in element.iter():
        if node.tag in ("mattext", "mat_extension", "matemtext"):
            raw = "".join(node.itertext())
            kind = (node.get("texttype") or "text/plain").lower()
            parts.append(html_to_text(raw) if "html" in kind else _plain(raw))
        elif node.tag == "matimage":
            parts.append(image_note(node.get("uri") or "", node.get("label") or ""))
    return "\n\n".join(p for p in parts if p)


def _plain(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().split("\n"))


def _conditions(
    item: Element, response: str, feedback: dict[str, str]
) -> tuple[dict[str, float], dict[str, str]]:
    """Each choice's best score in a condition, and the feedback linked to one choice."""
    weights: dict[str, float] = {}
    whys: dict[str, str] = {}
    for condition in item.iter("respcondition"):
        test = condition.find("conditionvar")
        if test is None:
            continue
        chosen = _positive_idents(test, response)
        score = _score(condition)
        if score is not None and score > 0:
            for ident in chosen:
                weights[ident] = max(weights.get(ident, 0.0), score)
        plain = list(test)
        if len(plain) == 1 and plain[0].tag == "varequal":
            ident = (plain[0].text or "").strip()
            for link in condition.iter("displayfeedback"):
                text = feedback.get(link.get("linkrefid") or "")
                if text and ident not in whys:
                    whys[ident] = text
    return weights, whys


def _positive_idents(test: Element, response: str) -> list[str]:
    """The ``<varequal>`` choices of a condition, those under ``<not>`` left out."""
    found: list[str] = []
    stack = list(test)
    while stack:
        node = stack.pop()
        if node.tag == "not":
            continue
        if node.tag == "varequal":
            respident = node.get("respident")
            if respident in (None, "", response):
                found.append((node.text or "").strip())
        else:
            stack.extend(node)
    return found


def _score(condition: Element) -> float | None:
    total: float | None = None
    for setvar in condition.findall("setvar"):
        raw = (setvar.text or "").strip()
        try:
            value = float(raw)
        except ValueError:
            raise Skip(f"a score {raw!r} is not a number") from None
        if value != value or abs(value) > 1e9:
            raise Skip(f"a score {raw!r} is out of range")
        action = (setvar.get("action") or "Set").lower()
        if action == "subtract":
            value = -value
        total = value if total is None or action == "set" else total + value
    return total


def _drop_empty(
    labels: list[tuple[str, str]], weights: dict[str, float], where: Where,
    result: ImportResult,
) -> tuple[list[tuple[str, str]], list[float]]:
    kept = [(ident, text) for ident, text in labels if text.strip()]
    empty = [i for i, (_, text) in enumerate(labels) if not text.strip()]
    if any(weights.get(labels[i][0], 0) > 0 for i in empty):
        raise Skip("an empty choice is marked right")
    if empty:
        result.note(where, f"{len(empty)} empty choice{'s' if len(empty) != 1 else ''} "
                    "left out")
    return kept, [weights.get(ident, 0.0) for ident, _ in kept]


def _key(weights: list[float], single: bool, where: Where, result: ImportResult) -> list[str]:
    positive = [i for i, w in enumerate(weights) if w > SCORE_TOLERANCE]
    if not positive:
        raise Skip("no correct answer marked (no choice scores above 0)")
    if not single:
        return letters(positive)
    best = max(weights)
    full = [i for i in positive if best - weights[i] <= SCORE_TOLERANCE]
    partial = [i for i in positive if i not in full]
    if len(full) > 1:
        result.note(where, f"{len(full)} answers are each fully right ("
                    f"{', '.join(letters(full))}); imported as choose {len(full)}")
    if partial:
        credit = ", ".join(f"{LETTERS[i]} {weights[i]:g}" for i in partial if i < len(LETTERS))
        result.note(where, f"partial credit not kept ({credit} of {best:g}); "
                    "only the key scores")
    return letters(full)


# -- QTI 2.1 / 2.2 ------------------------------------------------------------------


def _item2(root: Element) -> dict[str, object]:
    body = root.find("itemBody")
    if body is None:
        raise Skip("no <itemBody>: nothing to answer")
    interactions = [e for e in body.iter() if e.tag.endswith("Interaction")]
    if not interactions:
        raise Skip("no interaction: nothing to answer")
    others = sorted({e.tag for e in interactions if e.tag != "choiceInteraction"})
    if others:
        raise Skip(f"<{others[0]}> is not multiple choice")
    if len(interactions) > 1:
        raise Skip(f"{len(interactions)} choice interactions in one item")
    interaction = interactions[0]
    declaration = _declaration(root, interaction.get("responseIdentifier") or "")
    cardinality = (declaration.get("cardinality") or "single").lower()
    if cardinality not in ("single", "multiple"):
        raise Skip(f"a response of cardinality {cardinality!r} is not multiple choice")
    correct = declaration.find("correctResponse")
    right = [(v.text or "").strip() for v in correct.findall("value")] if correct is not None \
        else []
    if not right:
        right = [e.get("mapKey") or "" for e in declaration.iter("mapEntry")
                 if _number(e.get("mappedValue")) > 0]
    if not right:
        raise Skip("no correct response declared")
    if cardinality == "single" and len(right) > 1:
        raise Skip(f"a single-choice item declares {len(right)} correct responses")
    choices = list(interaction.iter("simpleChoice"))
    options: list[str | dict[str, str]] = []
    idents: list[str] = []
    for choice in choices:
        whys = [_html_text(f) for f in choice.iter("feedbackInline")]
        options.append(option(_html_text(choice), "\n".join(w for w in whys if w) or None))
        idents.append(choice.get("identifier") or "")
    missing = [r for r in right if r not in idents]
    if missing:
        raise Skip(f"the correct response {missing[0]!r} is not one of the choices")
    key = letters([i for i, ident in enumerate(idents) if ident in right])
    stem = _stem2(body, interaction)
    if not stem:
        raise Skip("no question text")
    return question(stem, options, key)


def _declaration(root: Element, identifier: str) -> Element:
    declarations = root.findall("responseDeclaration")
    for declaration in declarations:
        if declaration.get("identifier") == identifier:
            return declaration
    raise Skip(f"no <responseDeclaration> for the response {identifier!r}")


def _number(raw: str | None) -> float:
    try:
        value = float(raw or "0")
    except ValueError:
        return 0.0
    return value if value == value and abs(value) <= 1e9 else 0.0


def _html_text(element: Element) -> str:
    """Plain text of an element's content (XHTML), hidden QTI parts left out."""
    inner = html.escape(element.text or "", quote=False)
    for child in element:
        if child.tag in HIDDEN_2:
            inner += html.escape(child.tail or "", quote=False)
            continue
        tail, child.tail = child.tail, None
        inner += tostring(_visible(child), encoding="unicode")
        child.tail = tail
        inner += html.escape(tail or "", quote=False)
    return html_to_text(inner)


def _visible(element: Element) -> Element:
    """A copy without the hidden QTI parts (rubrics, feedback, templates)."""
    clone = copy.deepcopy(element)
    stack = [clone]
    while stack:
        node = stack.pop()
        for child in list(node):
            if child.tag in HIDDEN_2:
                node.remove(child)
            else:
                stack.append(child)
    return clone


def _stem2(body: Element, interaction: Element) -> str:
    """The item body with the interaction replaced by its prompt."""
    clone = copy.deepcopy(body)
    for parent in clone.iter():
        for index, child in enumerate(list(parent)):
            if child.tag == "choiceInteraction":
                prompt = child.find("prompt")
                replacement = Element("div")
                if prompt is not None:
                    replacement.text = prompt.text
                    replacement.extend(list(prompt))
                replacement.tail = child.tail
                parent.remove(child)
                parent.insert(index, replacement)
                return _html_text(clone)
    return _html_text(clone)  # pragma: no cover - the interaction is in the body


# -- zip packages -------------------------------------------------------------------


def _package(raw: bytes) -> ImportResult:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise FormatError(f"not a readable zip file: {exc}") from None
    if len(infos) > MAX_MEMBERS:
        raise FormatError(f"{len(infos)} files in the zip, over {MAX_MEMBERS}; refused")
    result = ImportResult()
    counter = [0]
    total = 0
    read_any = False
    xml = [i for i in infos if not i.is_dir() and i.filename.lower().endswith(".xml")
           and i.filename.replace("\\", "/").rsplit("/", 1)[-1].lower() != "imsmanifest.xml"]
    qti = [i for i in infos if not i.is_dir() and i.filename.lower().endswith(".qti")]
    for group in (xml, qti):
        for info in group:
            name = info.filename
            if not _safe_name(name):
                result.note(None, f"{name!r} in the zip left out: an unsafe path")
                continue
            data = _member(archive, info, result)
            if data is None:
                continue
            total += len(data)
            if total > MAX_TOTAL_BYTES:
                raise FormatError(f"over {_size(MAX_TOTAL_BYTES)} uncompressed; refused")
            try:
                text, note = xml_text(data)
                if note:
                    result.note(None, f"{name}: {note}")
                read_any = _document(text, name, result, counter) or read_any
            except FormatError as exc:
                where = f"{name}:{exc.line}" if exc.line else name
                result.note(None, f"{where} left out: {exc.message}")
        if read_any:
            break
    if not read_any:
        raise FormatError("no QTI file in the zip (no <questestinterop> or <assessmentItem> "
                          "in its .xml files)")
    return result


def _safe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return not (name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0])


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, result: ImportResult) -> bytes | None:
    """A member's bytes, at most MAX_MEMBER_BYTES whatever its header says; None if not."""
    name = info.filename
    limit = MAX_MEMBER_BYTES
    if info.flag_bits & 0x1:
        result.note(None, f"{name} left out: encrypted")
        return None
    if info.file_size > limit:
        result.note(None, f"{name} left out: over {_size(limit)}")
        return None
    try:
        with archive.open(info) as stream:
            data = stream.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError,
            EOFError) as exc:
        result.note(None, f"{name} left out: cannot be read ({exc})")
        return None
    if len(data) > limit:
        result.note(None, f"{name} left out: over {_size(limit)}")
        return None
    return data


def _size(limit: int) -> str:
    return f"{limit // 1048576} MB" if limit >= 1048576 else f"{limit} bytes"
