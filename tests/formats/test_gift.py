"""GIFT: the project's own sample and the rules, one at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsim.core.formats import gift


def one(text: str) -> dict:
    result = gift.read(text)
    assert not result.skipped, result.skipped
    assert len(result.questions) == 1
    return result.questions[0].question


def skipped(text: str) -> str:
    result = gift.read(text)
    assert not result.questions
    assert len(result.skipped) == 1
    return result.skipped[0].reason


def test_sample_file(fixtures: Path) -> None:
    result = gift.read((fixtures / "sample.gift").read_text(encoding="utf-8"))
    names = [q.where.name for q in result.questions]
    assert names == ["DNS port", "Pick two", "Escapes: all of them", "Sky", "Missing word",
                     "HTML"]
    reasons = {s.where.name: s.reason for s in result.skipped}
    assert reasons == {
        "Essay": "GIFT essay questions have no options",
        "Numeric": "GIFT numerical questions have no options",
        "Short": "GIFT short-answer questions have no options",
        "Match": "GIFT matching questions are not multiple choice",
        "A description with no answers.": "a description (no answer block {...}): nothing "
                                          "to answer",
        "No key": "no correct answer marked (no answer has a positive weight)",
    }
    lines = {s.where.name: s.where.line for s in result.skipped}
    assert lines["Essay"] == 35 and lines["No key"] == 45
    dns = result.questions[0]
    assert dns.where.line == 5 and dns.where.number == 1 and dns.id_hint == "dns-port"
    assert dns.question == {
        "domain": "Networking",
        "topics": ["DNS", "ports"],
        "stem": "Which port does DNS use by default?",
        "options": [{"text": "53", "why": "Right: UDP and TCP 53."},
                    {"text": "25", "why": "That is SMTP."},
                    {"text": "80", "why": "That is HTTP."}],
        "answer": ["A"],
        "explanation": "DNS queries use port 53.",
    }


def test_crlf_and_cr_read_the_same(fixtures: Path) -> None:
    text = (fixtures / "sample.gift").read_text(encoding="utf-8")
    plain = gift.read(text)
    for newline in ("\r\n", "\r"):
        other = gift.read(text.replace("\n", newline))
        assert [q.question for q in other.questions] == [q.question for q in plain.questions]
        assert other.skipped == plain.skipped


def test_multiple_response_by_weights() -> None:
    q = one("Which?{~%50%a ~%-100%b ~%50%c}")
    assert q["answer"] == ["A", "C"]


def test_no_equals_means_multiple_response_even_with_one_full_answer() -> None:
    assert one("Which?{~%100%a ~%-50%b ~%-50%c}")["answer"] == ["A"]


def test_partial_credit_in_single_answer_is_noted() -> None:
    result = gift.read("Which?{~wrong ~%50%half =full}")
    assert result.questions[0].question["answer"] == ["C"]
    assert "partial credit not kept (B 50%)" in result.notes[0].message


def test_several_right_answers_become_choose_n_with_a_note() -> None:
    result = gift.read("Seasons\\:{=spring =summer ~easter}")
    assert result.questions[0].question["answer"] == ["A", "B"]
    assert "imported as choose 2" in result.notes[0].message


def test_true_false_feedback_follows_moodle() -> None:
    # {ANSWER#feedback for the wrong choice#feedback for the right choice}
    q = one("Grant is buried in Grant's tomb.{TRUE#wrong one#right one####general}")
    assert q["options"] == [{"text": "True", "why": "right one"},
                            {"text": "False", "why": "wrong one"}]
    assert q["answer"] == ["A"] and q["explanation"] == "general"
    assert one("x{F}")["answer"] == ["B"] and one("x{T}")["answer"] == ["A"]


def test_escapes_and_backslashes() -> None:
    q = one("A \\\\ B \\{x\\} \\n C?{=\\= 2 + 3 ~\\~ \\# \\: ~\\frac}")
    assert q["stem"] == "A \\ B {x}\nC?"
    assert [o if isinstance(o, str) else o["text"] for o in q["options"]] == \
        ["= 2 + 3", "~ # :", "\\frac"]


def test_formats_and_html() -> None:
    q = one("[html]<p>Pick <b>one</b> &amp; go</p>{=[plain]<b> ~[markdown]**x** # [html]<i>no</i>}")
    assert q["stem"] == "Pick one & go"
    assert q["options"] == ["<b>", {"text": "**x**", "why": "no"}]


def test_missing_word_and_brace_on_its_own_line() -> None:
    assert one("The {~a =b} letter.")["stem"] == "The _____ letter."
    assert one("::T:: Stem here\n{\n=yes\n~no\n}")["stem"] == "Stem here"


def test_comments_ids_and_tags() -> None:
    result = gift.read("// [id:my-id] [tag:one] [tag:t\\]wo]\n// plain comment\nQ?{=a ~b}")
    assert result.questions[0].id_hint == "my-id"
    assert result.questions[0].question["topics"] == ["one", "t]wo"]
    assert result.questions[0].where.line == 3


def test_category_sets_domain_and_does_not_count() -> None:
    result = gift.read("$CATEGORY: $course$/top/Unit 1: Topic\n\nQ?{=a ~b}\n\n"
                       "$CATEGORY: other\n\nR?{=a ~b}")
    assert [q.question["domain"] for q in result.questions] == ["Unit 1: Topic", "other"]
    assert [q.where.number for q in result.questions] == [1, 2]


@pytest.mark.parametrize(("text", "reason"), [
    ("::unclosed title{=a ~b}", "the title opened with '::' is never closed"),
    ("Q? {=a ~b", "'{' without a matching '}'"),
    ("Q? =a ~b}", "'}' without a '{' before it"),
    ("{=a ~b}", "no question text before the answers"),
    ("Q?{~a ~b}", "no correct answer marked (no answer has a positive weight)"),
    ("Q?{=%50%a ~b}", "no answer is fully right (100%); the best is worth 50%"),
])
def test_refusals(text: str, reason: str) -> None:
    assert skipped(text).startswith(reason)


def test_blank_line_inside_an_open_block_does_not_split() -> None:
    q = one("Q?{\n=a\n\n~b\n}")
    assert q["options"] == ["a", "b"]
    result = gift.read("Q?{=a ~b\n\n::Next:: R?{=c ~d}")
    assert [s.reason for s in result.skipped] == ["'{' without a matching '}'"]
    assert [q.where.name for q in result.questions] == ["Next"]


MISSING_BLANK = """// comment
::Q1:: What is 2+2? {
=4 # right
~3
}
::Q2:: Broken question with no answers {
}

$CATEGORY: net
::Q3:: Ports? {=22 ~23}
::Q\\:4:: Next? {T}
"""


def test_a_title_inside_a_question_is_noted_a_blank_line_probably_missing() -> None:
    result = gift.read(MISSING_BLANK)
    # read as the GIFT spec (and Moodle) reads it: the title is part of the question
    assert [q.where.name for q in result.questions] == ["Q1", "Q3"]
    assert result.questions[0].question["stem"].endswith(
        "_____\n::Q2:: Broken question with no answers {\n}")
    assert [(n.where.label(), n.message) for n in result.notes] == [
        ("6: question 1 (Q1)", "'::Q2::' is read as part of this question's text: a blank "
                               "line is probably missing before it"),
        ("11: question 2 (Q3)", "'::Q:4::' is read as part of this question's text: a blank "
                                "line is probably missing before it"),
    ]


def test_a_title_on_a_question_s_first_line_or_after_a_blank_line_is_not_noted() -> None:
    for text in ("::Q1::\nWhat? {=a ~b}\n\n::Q2:: Then? {=c ~d}\n",
                 "$CATEGORY: x\n::Q1:: What? {=a ~b}\n", "::Q1:: What? {\n=a\n~b\n}\n",
                 "::Q1:: What? {=a ~b\n::no end on this line\n}\n"):
        result = gift.read(text)
        assert result.questions and not result.notes, (text, result.notes)
