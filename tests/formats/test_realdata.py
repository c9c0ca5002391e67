"""The importers against real files written by other people (../shared/realdata).

These files are not in the repository (several are copyleft); every test here skips
with the reason when the folder is absent. docs/importers.md shows the same numbers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from examsim.commands.importer import read_file
from examsim.core.formats import gift, writer
from examsim.core.formats.common import Imported, ImportResult
from examsim.core.formats.htmltext import html_to_text, looks_like_html
from examsim.core.formats.native import load_bank

FORMATS = {"gift_pegjs_tests": "gift", "moodle_gift": "gift", "moodle_aiken": "aiken",
           "moodle_xml": "moodle-xml", "md_linkedin_quizzes": "markdown",
           "csv_term_quiz": "csv"}

# file: (imported, skipped); the reasons are in docs/importers.md
EXPECTED = {
    "gift_pegjs_tests/TFTwoFeedback.gift": (3, 0),
    "gift_pegjs_tests/category1.gift": (0, 0),
    "gift_pegjs_tests/categorySpecialCharacter.gift": (0, 0),
    "gift_pegjs_tests/description1.gift": (1, 1),
    "gift_pegjs_tests/descriptionTitleEscapedColon.gift": (1, 1),
    "gift_pegjs_tests/descriptionWithID.gift": (1, 1),
    "gift_pegjs_tests/escapeAll.gift": (1, 0),
    "gift_pegjs_tests/escapeColon.gift": (1, 0),
    "gift_pegjs_tests/escapeEquals.gift": (1, 0),
    "gift_pegjs_tests/essay1.gift": (0, 1),
    "gift_pegjs_tests/formatExamples.gift": (1, 0),
    "gift_pegjs_tests/giftFormatPhpExamples.gift": (5, 5),
    "gift_pegjs_tests/markdown.gift": (0, 4),
    "gift_pegjs_tests/matching1.gift": (0, 2),
    "gift_pegjs_tests/mc1.gift": (1, 0),
    "gift_pegjs_tests/mc2.gift": (1, 0),
    "gift_pegjs_tests/mc4.gift": (1, 0),
    "gift_pegjs_tests/mc5.gift": (4, 0),
    "gift_pegjs_tests/mcHTMLComment.gift": (1, 0),
    "gift_pegjs_tests/multiLineFeedback1.gift": (2, 0),
    "gift_pegjs_tests/multipleAnswersFloat.gift": (1, 0),
    "gift_pegjs_tests/newlineAndLaTeX.gift": (0, 1),
    "gift_pegjs_tests/numerical1.gift": (0, 10),
    "gift_pegjs_tests/options1.gift": (9, 5),
    "gift_pegjs_tests/shortAnswer1.gift": (0, 2),
    "gift_pegjs_tests/shortAnswer2.gift": (0, 2),
    "gift_pegjs_tests/shortAnswerNotMatching.gift": (2, 0),
    "gift_pegjs_tests/shortFirstEmbedded.gift": (0, 2),
    "gift_pegjs_tests/shortFirstEmbeddedUnderline.gift": (0, 2),
    "gift_pegjs_tests/shortFirstEmbeddedUnderlineHTML.gift": (0, 2),
    "gift_pegjs_tests/symbolsAll.gift": (1, 0),
    "gift_pegjs_tests/tag_id.gift": (0, 1),
    "gift_pegjs_tests/tag_id_and_two_tags.gift": (0, 1),
    "gift_pegjs_tests/tag_two_tags.gift": (0, 1),
    "gift_pegjs_tests/tf1.gift": (1, 0),
    "gift_pegjs_tests/tf1_html.gift": (1, 0),
    "gift_pegjs_tests/tf1_markdown.gift": (1, 0),
    "gift_pegjs_tests/tf2.gift": (2, 0),
    "gift_pegjs_tests/totara_moodle_backslash.gift": (0, 1),
    "gift_pegjs_tests/totara_moodle_essay.gift": (0, 1),
    "gift_pegjs_tests/totara_moodle_match.gift": (0, 1),
    "gift_pegjs_tests/totara_moodle_multichoice.gift": (1, 0),
    "gift_pegjs_tests/totara_moodle_multichoice_multi.gift": (1, 0),
    "gift_pegjs_tests/totara_moodle_numerical.gift": (0, 1),
    "gift_pegjs_tests/totara_moodle_pre_content.gift": (0, 1),
    "gift_pegjs_tests/totara_moodle_shortanswer.gift": (0, 1),
    "gift_pegjs_tests/totara_moodle_shortanswer_general_feedback.gift": (0, 1),
    "gift_pegjs_tests/totara_moodle_truefalse.gift": (1, 0),
    "gift_pegjs_tests/totara_moodle_truefalse_true_answer1.gift": (1, 0),
    "gift_pegjs_tests/totara_moodle_truefalse_true_answer2.gift": (1, 0),
    "gift_pegjs_tests/type_inferred_multiline_markdown.gift": (0, 1),
    "moodle_gift/questions.gift.crlf.txt": (5, 4),
    "moodle_gift/questions.gift.txt": (5, 4),
    "moodle_gift/questions_in_category.gift.txt": (2, 2),
    "moodle_aiken/aiken_errors.txt": (3, 4),
    "moodle_aiken/questions.aiken.txt": (2, 0),
    "moodle_xml/error_invalid_grades.xml": (1, 0),
    "moodle_xml/html_chars_in_idnumbers.xml": (1, 0),
    "moodle_xml/multianswer.xml": (0, 1),
    "moodle_xml/multichoice.xml": (1, 0),
    "moodle_xml/sample_questions_with_old_image_tag.xml": (1, 1),
    "moodle_xml/truefalse.xml": (2, 0),
    "md_linkedin_quizzes/git/git-quiz.md": (167, 2),
    "md_linkedin_quizzes/python/python-quiz.md": (224, 1),
    "csv_term_quiz/abcd.csv": (3, 0),
    "csv_term_quiz/error.csv": (0, 4),
    "csv_term_quiz/fill_in_the_blank.csv": (0, 3),
    "csv_term_quiz/true_false.csv": (3, 0),
}
PEER = sorted(n for n in EXPECTED if n.startswith("gift_pegjs_tests/"))


def imported(realdata: Path, name: str) -> tuple[ImportResult, writer.Built]:
    path = realdata / name
    _, result, _ = read_file(path, FORMATS[name.split("/")[0]])
    return result, writer.build([(str(path), result)], "real")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_numbers_and_the_bank_loads(name: str, realdata: Path, tmp_path: Path) -> None:
    _, built = imported(realdata, name)
    assert (len(built.kept), len(built.skipped)) == EXPECTED[name], \
        [(s.where.label(), s.reason) for _, s in built.skipped]
    if built.kept:
        path = tmp_path / "bank.toml"
        path.write_text(writer.dumps(built.data), encoding="utf-8")
        assert len(load_bank(path).questions) == EXPECTED[name][0]


def _norm(text: str) -> str:
    """Whitespace collapsed; the peer joins lines with a space and pads "_____ ."."""
    return re.sub(r"\s+([.,?!])", r"\1", " ".join(text.split()))


def _peer_text(part: dict) -> str:
    text = part["text"]
    if part["format"] == "html" or (part["format"] == "moodle" and looks_like_html(text)):
        text = html_to_text(text)
    return _norm(text)


def _option_text(option: str | dict) -> str:
    return _norm(option if isinstance(option, str) else option["text"])


@pytest.mark.parametrize("name", PEER)
def test_gift_peer_suite_options_and_keys(name: str, realdata: Path) -> None:
    """Every MC and TF question of the peer's suite: its stem, options and key."""
    path = realdata / name
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    result = gift.read(path.read_text(encoding="utf-8"))
    ours: dict[int | None, Imported] = {q.where.number: q for q in result.questions}
    questions = [q for q in expected if q["type"] != "Category"]
    for number, peer in enumerate(questions, 1):
        if peer["type"] not in ("MC", "TF"):
            assert number not in ours, f"question {number} ({peer['type']}) was imported"
            continue
        assert number in ours, f"question {number} was skipped: {result.skipped}"
        got = ours[number].question
        assert _norm(got["stem"]) == _peer_text(peer["stem"])
        if peer["type"] == "TF":
            assert [_option_text(o) for o in got["options"]] == ["True", "False"]
            assert got["answer"] == ["A" if peer["isTrue"] else "B"]
            continue
        choices = peer["choices"]
        assert [_option_text(o) for o in got["options"]] == \
            [_peer_text(c["text"]) for c in choices]
        key = [i for i, c in enumerate(choices) if c["isCorrect"]] or \
            [i for i, c in enumerate(choices) if (c["weight"] or 0) > 0]
        assert got["answer"] == ["ABCDEFGH"[i] for i in key]
        whys = [None if isinstance(o, str) else _norm(o["why"]) for o in got["options"]]
        assert whys == [_peer_text(c["feedback"]) or None if c["feedback"] else None
                        for c in choices]
        general = peer["globalFeedback"]
        assert _norm(got.get("explanation", "")) == (_peer_text(general) if general else "")


def test_moodle_gift_cases(realdata: Path) -> None:
    """moodle_gift/cases.md: the multiple-choice and true/false cases (I3, I4, I9-I11)."""
    base = realdata / "moodle_gift"
    plain = gift.read((base / "questions.gift.txt").read_text(encoding="utf-8"))
    crlf = gift.read((base / "questions.gift.crlf.txt").read_text(encoding="utf-8"))
    assert [q.question for q in crlf.questions] == [q.question for q in plain.questions]
    by_name = {q.where.name: q.question for q in plain.questions}
    assert list(by_name) == ["Q2", "colours", "Q1", "2-08 TSL"]
    assert by_name["Q2"]["options"] == [
        {"text": "yellow", "why": "right; good!"},
        {"text": "red", "why": "wrong, it's yellow"},
        {"text": "blue", "why": "wrong, it's yellow"}]
    assert by_name["Q2"]["answer"] == ["A"]
    assert [o["text"] for o in by_name["colours"]["options"]] == \
        ["yellow", "red", "off-beige", "blue"]
    assert by_name["colours"]["answer"] == ["A", "C"]
    q1 = by_name["Q1"]  # FALSE#feedback for the wrong choice#feedback for the right one
    assert q1["answer"] == ["B"]
    assert q1["options"] == [{"text": "True", "why": "42 is the Ultimate Answer."},
                             {"text": "False", "why": "You gave the right answer."}]
    assert q1["explanation"] == "This is, of course, a Hitchiker's Guide to the Galaxy " \
                                "reference."
    assert [q.question["answer"] for q in plain.questions[-2:]] == [["A"], ["A"]]
    assert [s.reason.split(" ")[1] for s in plain.skipped] == \
        ["essay", "matching", "numerical", "short-answer"]
    category = gift.read((base / "questions_in_category.gift.txt").read_text(encoding="utf-8"))
    assert {q.question["domain"] for q in category.questions} == {"Default for New Features"}
    greeting = category.questions[0].question
    assert greeting["answer"] == ["B"]
    assert greeting["stem"].endswith("What language is being spoken?")


def test_moodle_aiken_cases(realdata: Path) -> None:
    """moodle_aiken/cases.md A1 and A2: what is imported, and the errors' lines."""
    result, _ = imported(realdata, "moodle_aiken/questions.aiken.txt")
    first, second = (q.question for q in result.questions)
    assert first["stem"] == "The Moodle project was started by:"
    assert first["options"][1] == "Martin Dougiamas" and first["answer"] == ["B"]
    assert second["stem"] == "Moodle's abilities include handling user input that includes " \
                             '<html class="cool"> & images:'
    errors, _ = imported(realdata, "moodle_aiken/aiken_errors.txt")
    assert [q.question["stem"] for q in errors.questions] == [
        "A good question", "A second good question",
        "A third good question with HTML chars such as > < &"]
    assert errors.questions[1].question["options"] == ["Incorrect (No space)",
                                                       "Correct (No space)"]
    assert errors.questions[1].question["answer"] == ["B"]
    assert errors.questions[2].question["options"] == ["Correct (< > &)", "Incorrect (< > &)"]
    lines = [(s.where.line, s.reason) for s in errors.skipped]
    assert [line for line, _ in lines] == [1, 5, 7, 14]
    assert "ANSWER on line 3" in lines[0][1] and "(line 18)" in lines[3][1]


def test_moodle_xml_files(realdata: Path) -> None:
    result, _ = imported(realdata, "moodle_xml/truefalse.xml")
    assert [q.question["answer"] for q in result.questions] == [["B"], ["A"]]
    assert result.questions[0].question["domain"] == "Default for testhead/TrueFalse"
    assert "[image: Moodle logo (logo.jpg)]" in result.questions[0].question["stem"]
    result, _ = imported(realdata, "moodle_xml/multichoice.xml")
    greeting = result.questions[0].question
    assert greeting["answer"] == ["B"]
    assert greeting["options"][1] == {"text": "[image: French flag (flag-france.jpg)] French",
                                      "why": "Yes, well done!"}
    assert "[file: bonjour.mp3]" in greeting["stem"]
    result, _ = imported(realdata, "moodle_xml/error_invalid_grades.xml")
    assert result.questions[0].question["answer"] == ["B", "C", "E"]
    assert "add up to 99.6667%" in result.notes[0].message
    result, _ = imported(realdata, "moodle_xml/html_chars_in_idnumbers.xml")
    assert result.questions[0].id_hint == "T & F"


def test_markdown_quizzes(realdata: Path) -> None:
    result, built = imported(realdata, "md_linkedin_quizzes/python/python-quiz.md")
    assert result.title == "Python (Programming Language)"
    by_id = {q["id"]: q for q in built.data["questions"]}
    assert by_id["q11"]["answer"] == "B"
    assert by_id["q11"]["options"][1].startswith("B\n\n```python\ndef sum(a, b):")
    assert by_id["q123"]["stem"].endswith("[image: images/Q129.png]")
    assert by_id["q124"]["options"][2].startswith("```python\nd = {}")
    assert by_id["q163"]["options"][3] == "D: You will get a syntax error."
    result, built = imported(realdata, "md_linkedin_quizzes/git/git-quiz.md")
    by_id = {q["id"]: q for q in built.data["questions"]}
    assert [o.split("\n")[0] for o in by_id["q20"]["options"]] == ["```bash"] * 4
    assert by_id["q39"]["references"] == ["https://git-scm.com/book/en/v2/Git-Branching-Rebasing"]
    assert by_id["q3"]["explanation"].startswith("- `git reset --hard HEAD~5` resets")


def test_csv_term_quiz(realdata: Path) -> None:
    _, built = imported(realdata, "csv_term_quiz/abcd.csv")
    assert built.data["questions"][0]["options"] == ["correct1", "wrong11", "wrong12", "wrong13"]
    assert built.data["questions"][0]["explanation"] == "explaination1"


def test_no_real_gift_file_gets_the_missing_blank_line_note(realdata: Path) -> None:
    """The note on a '::title::' inside a question has no false alarm in real files."""
    files = sorted(n for n in EXPECTED if FORMATS[n.split("/")[0]] == "gift")
    assert len(files) > 30
    for name in files:
        result, _ = imported(realdata, name)
        assert not [n for n in result.notes if "blank line" in n.message], name
