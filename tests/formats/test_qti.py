"""QTI 1.2 and 2.x: own fixtures, zip packages, encodings, the real files, a fuzz."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examsim.cli import main
from examsim.commands.importer import read_file
from examsim.core.formats import qti, writer
from examsim.core.formats.common import FormatError, ImportResult
from examsim.core.formats.native import load_bank


def summary(result: ImportResult) -> list[tuple[str | None, list[str]]]:
    return [(q.id_hint, q.question["answer"]) for q in result.questions]


def test_qti12_fixture_in_its_declared_encoding(fixtures: Path) -> None:
    raw = (fixtures / "sample_qti12.xml").read_bytes()
    assert "Crème".encode("latin-1") in raw  # the file is ISO-8859-1, as it declares
    result = qti.read_bytes(raw)
    assert result.title == "Café quiz"
    assert summary(result) == [("Crème brûlée", ["A"]), ("Pick two", ["A", "C"])]
    assert result.questions[0].question == {
        "stem": "Which dessert is torched?",  # the <script> is gone, the <b> is text
        "options": ["Crème brûlée", {"text": "Mousse & <tart>", "why": "Not torched."},
                    "Tiramisu"],
        "answer": ["A"],
        "explanation": "Caramelised sugar.",
    }
    assert [(s.where.line, s.where.name, s.reason) for s in result.skipped] == [
        (65, "Your name", "a text-entry response (response_str) is not multiple choice"),
        (71, "No key", "no correct answer marked (no choice scores above 0)"),
        (88, "Bad score", "a score 'lots' is not a number"),
    ]
    assert [(n.where.line, n.message) for n in result.notes if n.where] == [
        (6, "partial credit not kept (C 40 of 100); only the key scores")]


def test_qti21_fixture(fixtures: Path) -> None:
    result = qti.read_bytes((fixtures / "sample_qti21.xml").read_bytes())
    assert len(result.questions) == 1 and not result.skipped
    item = result.questions[0]
    assert (item.where.line, item.id_hint) == (3, "Well-known ports")
    assert item.question == {
        "stem": "Which ports are well known & encrypted?\n\nChoose two.",  # no rubric
        "options": [{"text": "22", "why": "SSH."}, "80", "443 <tls>"],
        "answer": ["A", "C"],
    }


def item2(body: str, declaration: str = "", root: str = "assessmentItem") -> bytes:
    return (f'<{root} xmlns="http://www.imsglobal.org/xsd/imsqti_v2p2" identifier="i" '
            f'title="T">{declaration}<itemBody>{body}</itemBody></{root}>').encode()


SINGLE = ('<responseDeclaration identifier="R" cardinality="single">'
          "<correctResponse><value>b</value></correctResponse></responseDeclaration>")
CHOICES = ('<choiceInteraction responseIdentifier="R" maxChoices="1"><prompt>Q?</prompt>'
           '<simpleChoice identifier="a">A</simpleChoice>'
           '<simpleChoice identifier="b">B</simpleChoice></choiceInteraction>')


@pytest.mark.parametrize(("body", "declaration", "reason"), [
    ('<textEntryInteraction responseIdentifier="R"/>', SINGLE,
     "<textEntryInteraction> is not multiple choice"),
    (CHOICES + '<orderInteraction responseIdentifier="R"/>', SINGLE,
     "<orderInteraction> is not multiple choice"),
    (CHOICES + CHOICES, SINGLE, "2 choice interactions in one item"),
    ("<p>Just text</p>", SINGLE, "no interaction: nothing to answer"),
    (CHOICES, "", "no <responseDeclaration> for the response 'R'"),
    (CHOICES, SINGLE.replace(">b<", ">z<"), "the correct response 'z' is not one of the choices"),
    (CHOICES, SINGLE.replace("<value>b</value>", "<value>a</value><value>b</value>"),
     "a single-choice item declares 2 correct responses"),
    (CHOICES, '<responseDeclaration identifier="R" cardinality="ordered"/>',
     "a response of cardinality 'ordered' is not multiple choice"),
    (CHOICES, '<responseDeclaration identifier="R" cardinality="single"/>',
     "no correct response declared"),
])
def test_qti2_items_skipped_with_reason(body: str, declaration: str, reason: str) -> None:
    result = qti.read_bytes(item2(body, declaration))
    assert not result.questions
    assert [(s.where.name, s.reason) for s in result.skipped] == [("T", reason)]


def test_qti2_key_from_mapping() -> None:
    declaration = ('<responseDeclaration identifier="R" cardinality="multiple"><mapping>'
                   '<mapEntry mapKey="a" mappedValue="1"/><mapEntry mapKey="b" mappedValue="-1"/>'
                   "</mapping></responseDeclaration>")
    result = qti.read_bytes(item2(CHOICES, declaration))
    assert summary(result) == [("T", ["A"])]
    assert result.questions[0].question["stem"] == "Q?"


@pytest.mark.parametrize(("raw", "message"), [
    (b"<quiz/>", "not QTI: the root element is <quiz>"),
    (item2("", root="assessmentTest"), "import the whole package"),
    (b'<qti-assessment-item identifier="x"/>', "is QTI 3"),
    (b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aa">]><questestinterop>&a;'
     b"</questestinterop>", "refused: the XML declares a DTD"),
    (b'<?xml version="1.0" encoding="klingon"?><questestinterop/>',
     "declares the encoding 'klingon', which is unknown"),
    (b'<?xml version="1.0" encoding="UTF-8"?>\n<questestinterop>\xe9</questestinterop>',
     "is not valid UTF-8 as it declares"),
    (b"<questestinterop><item>", "XML syntax error"),
    (b"PK\x03\x04 not really a zip", "not a readable zip file"),
])
def test_files_that_are_not_qti(raw: bytes, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        qti.read_bytes(raw)


def test_encodings() -> None:
    body = ('<questestinterop><item title="{t}"><presentation><material><mattext>{t}'
            "</mattext></material><response_lid ident='R'><render_choice>"
            "<response_label ident='a'><material><mattext>{t}</mattext></material>"
            "</response_label><response_label ident='b'><material><mattext>no</mattext>"
            "</material></response_label></render_choice></response_lid></presentation>"
            "<resprocessing><respcondition><conditionvar><varequal respident='R'>a"
            "</varequal></conditionvar><setvar>1</setvar></respcondition></resprocessing>"
            "</item></questestinterop>")
    for encoding, title in (("Shift_JIS", "日本語の質問"), ("windows-1252", "€uro – dash"),
                            ("ISO-8859-1", "Straße")):
        raw = f'<?xml version="1.0" encoding="{encoding}"?>\n'.encode() + \
            body.format(t=title).encode(encoding)
        result = qti.read_bytes(raw)
        assert result.questions[0].question["stem"] == title, encoding
        assert result.questions[0].where.line == 2
    utf16 = ('<?xml version="1.0" encoding="UTF-16"?>' + body.format(t="ü")).encode("utf-16")
    assert qti.read_bytes(utf16).questions[0].question["options"][0] == "ü"
    # no declaration and not UTF-8: read as cp1252, with a note
    result = qti.read_bytes(body.format(t="café").encode("cp1252"))
    assert result.questions[0].question["stem"] == "café"
    assert "cp1252" in result.notes[0].message


def test_tag_lines_skip_comments_and_cdata() -> None:
    text = ("<a>\n<!-- <item> -->\n<item x='1'>\n<![CDATA[\n<item>]]><itemfeedback/>"
            "\n<q:item/>\n<items/>")
    assert qti.tag_lines(text, "item") == [3, 6]
    long = "<item>" + "<!--" * 50_000  # an unclosed comment costs one scan, not one per "<!--"
    assert qti.tag_lines(long, "item") == [1]


def canvas_zip(fixtures: Path, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
        archive.writestr("g1/", "")
        archive.writestr("g1/g1.xml", (fixtures / "sample_qti12.xml").read_bytes())
        archive.writestr("g1/assessment_meta.xml", "<quiz><title>meta</title></quiz>")
        archive.writestr("items/ports.xml", (fixtures / "sample_qti21.xml").read_bytes())
        archive.writestr("non_cc_assessments/g1.xml.qti",
                         (fixtures / "sample_qti12.xml").read_bytes())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_package(fixtures: Path) -> None:
    result = qti.read_bytes(canvas_zip(fixtures))
    assert summary(result) == [("Crème brûlée", ["A"]), ("Pick two", ["A", "C"]),
                               ("Well-known ports", ["A", "C"])]  # the .qti copy not read
    assert result.title == "Café quiz"
    first = result.questions[0].where
    assert first.label() == "question 1 (g1/g1.xml:6 Crème brûlée)"
    assert result.skipped[0].where.label() == "question 3 (g1/g1.xml:65 Your name)"


def test_zip_reads_the_qti_copy_when_it_is_all_there_is(fixtures: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
        archive.writestr("non_cc_assessments/g1.xml.qti",
                         (fixtures / "sample_qti12.xml").read_bytes())
    assert len(qti.read_bytes(buffer.getvalue()).questions) == 2


def test_zip_limits_and_unsafe_names(fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = (fixtures / "sample_qti21.xml").read_bytes()
    raw = canvas_zip(fixtures, {"../evil.xml": good, "/abs.xml": good, "c:/win.xml": good,
                                "big.xml": b"<a>" + b" " * 50_000 + b"</a>"})
    monkeypatch.setattr(qti, "MAX_MEMBER_BYTES", 20_000)
    result = qti.read_bytes(raw)
    assert len(result.questions) == 3
    notes = [n.message for n in result.notes]
    assert "'../evil.xml' in the zip left out: an unsafe path" in notes
    assert "'/abs.xml' in the zip left out: an unsafe path" in notes
    assert "'c:/win.xml' in the zip left out: an unsafe path" in notes
    assert "big.xml left out: over 20000 bytes" in notes

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(3):
            archive.writestr(f"m{n}.xml", good + b" " * 4000)
    monkeypatch.setattr(qti, "MAX_TOTAL_BYTES", 8000)
    with pytest.raises(FormatError, match="uncompressed; refused"):
        qti.read_bytes(bomb.getvalue())
    monkeypatch.setattr(qti, "MAX_MEMBERS", 2)
    with pytest.raises(FormatError, match="3 files in the zip, over 2"):
        qti.read_bytes(bomb.getvalue())


def test_zip_without_qti() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
        archive.writestr("notes.xml", "<notes/>")
        archive.writestr("broken.xml", "<questestinterop>")
    with pytest.raises(FormatError, match="no QTI file in the zip"):
        qti.read_bytes(buffer.getvalue())


def test_import_command_guesses_qti(fixtures: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    package = tmp_path / "canvas-export.zip"
    package.write_bytes(canvas_zip(fixtures))
    out = tmp_path / "quiz.toml"
    assert main(["import", str(package), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "reading as qti (from the content: a zip package" in err
    assert f"{package}:question 3 (g1/g1.xml:65 Your name): skipped: a text-entry" in err
    assert "imported 3, skipped 3" in err
    bank = load_bank(out)
    assert [q.id for q in bank.questions] == ["creme-brulee", "pick-two", "well-known-ports"]
    assert bank.title == "Café quiz"
    # an .xml file is sniffed as QTI, not taken for Moodle XML by its extension
    assert main(["import", str(fixtures / "sample_qti21.xml")]) == 0
    assert "reading as qti (from the content: QTI XML" in capsys.readouterr().err
    assert main(["import", str(fixtures / "sample.xml"), "--from", "qti"]) == 2
    assert "cannot import as qti: not QTI: the root element is <quiz>" in \
        capsys.readouterr().err


# -- the real files (../shared/realdata/qti_instructure) ------------------------------

# file: {title of each imported question: key}, then the reasons of the skipped ones
REAL = {
    "all_canvas_simple_1.2.xml": (
        {"Question 1": ["A"], "Question 2": ["A"], "Question 5": ["A", "B", "C"]},
        ["Canvas short-answer questions are not multiple choice",
         "Canvas fill-in-the-blanks questions are not multiple choice",
         "Canvas dropdown questions are not multiple choice",
         "Canvas matching questions are not multiple choice",
         "Canvas numerical questions are not multiple choice",
         "Canvas formula questions are not multiple choice",
         "Canvas essay questions are not multiple choice"]),
    "edge_cases_1.2.xml": ({}, [
        "2 responses in one item (fill-in-the-blanks, dropdowns or matching) are not "
        "multiple choice",
        "a labelled response (matching or dropdown) is not multiple choice",
        "Canvas matching questions are not multiple choice",
        "a labelled response (matching or dropdown) is not multiple choice"]),
    "items_1.2__multiple_answer.xml": ({"Discussion - content.": ["A", "C", "D", "G"]}, []),
    "items_1.2__multiple_choice.xml": ({"How much time each week?": ["D"]}, []),
    "items_1.2__true_false.xml": ({"Grading - specific - 3 pt score": ["B"]}, []),
    "items_2.1__choice.xml": ({"Unattended Luggage": ["A"]}, []),
    "items_2.2__choice_multiple.xml": ({"Composition of Water": ["A", "D"]}, []),
    "items_2.2__choice_true_false.xml": ({"Unattended Luggage": ["A"]}, []),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_files(name: str, realdata: Path, tmp_path: Path) -> None:
    path = realdata / "qti_instructure" / name
    fmt, result, messages = read_file(path, None)
    assert fmt == "qti" and "reading as qti" in messages[0]
    keys, reasons = REAL[name]
    assert {q.id_hint: q.question["answer"] for q in result.questions} == keys
    assert [s.reason for s in result.skipped] == reasons
    built = writer.build([(str(path), result)], "real")
    assert len(built.kept) == len(keys)
    if built.kept:
        out = tmp_path / "bank.toml"
        out.write_text(writer.dumps(built.data), encoding="utf-8")
        assert len(load_bank(out).questions) == len(keys)


def test_real_canvas_details(realdata: Path) -> None:
    raw = (realdata / "qti_instructure" / "all_canvas_simple_1.2.xml").read_bytes()
    result = qti.read_bytes(raw)
    first = result.questions[0].question
    assert first["stem"] == "Question 1, Multiple Choice, Answer is C"
    assert first["options"][0] == {"text": "C", "why": "Answer feedback for C, correct"}
    assert first["explanation"] == "Item Feedback, Neutral"
    multiple = result.questions[2]
    assert [o["text"] for o in multiple.question["options"]] == list("ABCDEF")
    assert [n.message for n in result.notes] == ["3 empty choices left out"]
    # ISO-8859-1 declared; script= attributes in HTML never reach the text
    tf = qti.read_bytes((realdata / "qti_instructure" / "items_1.2__true_false.xml").read_bytes())
    assert "alert" not in str(tf.questions[0].question)


# -- fuzz -------------------------------------------------------------------------------

TOKENS = ["<questestinterop>", "</questestinterop>", "<item title='t'>", "</item>",
          "<presentation>", "</presentation>", "<material><mattext>", "</mattext></material>",
          "<response_lid ident='R' rcardinality='Multiple'>", "</response_lid>",
          "<render_choice>", "</render_choice>", "<response_label ident='a'>",
          "<response_label ident='b'>", "</response_label>", "<resprocessing>",
          "</resprocessing>", "<respcondition><conditionvar>", "</conditionvar>",
          "<varequal respident='R'>a</varequal>", "<not>", "</not>", "<and>", "</and>",
          "<setvar action='Add'>", "</setvar>", "</respcondition>", "100", "-5", "x",
          "<![CDATA[<p>y</p>]]>", "&amp;", "<!--", "-->", "\n", "é", "<response_str>",
          "</response_str>", "<itemfeedback ident='general_fb'>", "</itemfeedback>"]
TOKENS2 = ["<assessmentItem title='t'>", "</assessmentItem>", "<itemBody>", "</itemBody>",
           "<responseDeclaration identifier='R' cardinality='single'>",
           "<responseDeclaration identifier='R' cardinality='multiple'>",
           "</responseDeclaration>", "<correctResponse>", "</correctResponse>",
           "<value>a</value>", "<value>b</value>", "<choiceInteraction responseIdentifier='R'>",
           "</choiceInteraction>", "<simpleChoice identifier='a'>",
           "<simpleChoice identifier='b'>", "</simpleChoice>", "<prompt>", "</prompt>",
           "<p>", "</p>", "<feedbackInline>", "</feedbackInline>", "x", " ", "&lt;"]
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


def check(raw: bytes) -> None:
    try:
        result = qti.read_bytes(raw)
    except FormatError as exc:
        assert exc.message
        return
    built = writer.build([("fuzz", result)], "fuzz")
    if built.data["questions"]:
        writer.dumps(built.data)


@FUZZ
@given(st.one_of(st.binary(max_size=200),
                 st.lists(st.sampled_from(TOKENS + TOKENS2), max_size=60).map("".join)
                 .map(str.encode)))
def test_fuzz_random_input(raw: bytes) -> None:
    check(raw)


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


@FUZZ
@given(st.lists(st.tuples(_TEXT, st.sampled_from(["100", "0", "-1", "25", "x", ""])),
                min_size=0, max_size=10), _TEXT, st.sampled_from(["Single", "Multiple", ""]))
def test_fuzz_wellformed_items(choices: list[tuple[str, str]], stem: str, card: str) -> None:
    labels = "".join(f"<response_label ident='c{i}'><material><mattext>{escape(text)}"
                     "</mattext></material></response_label>" for i, (text, _) in
                     enumerate(choices))
    conditions = "".join(f"<respcondition><conditionvar><varequal respident='R'>c{i}"
                         f"</varequal></conditionvar><setvar>{score}</setvar></respcondition>"
                         for i, (_, score) in enumerate(choices))
    raw = (f"<questestinterop><item title='t'><presentation><material><mattext>"
           f"{escape(stem)}</mattext></material><response_lid ident='R' rcardinality='{card}'>"
           f"<render_choice>{labels}</render_choice></response_lid></presentation>"
           f"<resprocessing>{conditions}</resprocessing></item></questestinterop>")
    check(raw.encode())
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("q.xml", raw)
    check(zipped.getvalue())


def test_read_text_ignores_the_declared_encoding(fixtures: Path) -> None:
    text = (fixtures / "sample_qti12.xml").read_bytes().decode("latin-1")
    result = qti.read(text)  # already decoded: the ISO-8859-1 declaration must not matter
    assert summary(result) == [("Crème brûlée", ["A"]), ("Pick two", ["A", "C"])]
    shifted = '<?xml version="1.0" encoding="Shift_JIS"?>\n' + text.split("\n", 1)[1]
    assert qti.read(shifted).questions[0].where.line == 6
