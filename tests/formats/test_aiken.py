"""Aiken: Moodle's rules, its error cases, and where examsim goes further."""

from __future__ import annotations

from pathlib import Path

from examsim.core.formats import aiken


def test_sample_file(fixtures: Path) -> None:
    result = aiken.read((fixtures / "sample.aiken.txt").read_text(encoding="utf-8"))
    assert [q.question for q in result.questions] == [
        {"stem": "What is 2 + 2?", "options": ["3", "4", "5"], "answer": ["B"]},
        {"stem": "Which of these numbers are prime?", "options": ["2", "4", "5"],
         "answer": ["A", "C"]},
    ]
    assert [q.where.number for q in result.questions] == [1, 2]
    assert [(s.where.line, s.reason) for s in result.skipped] == [
        (13, "1 option; a question needs at least 2 (ANSWER on line 15)"),
        (17, "options are lettered A, C; Aiken needs A, B, C... in order"),
        (22, "ANSWER 'D' on line 25: 'D' is not one of the option letters A, B"),
    ]
    assert "imported as choose 2 (Moodle would take A alone)" in result.notes[0].message


def test_moodle_error_cases_inline() -> None:
    text = "\n".join([
        "A) option with no question",   # 1: question not started
        "ANSWER: A",                    # 2: question not started
        "Open question",                # 3
        "A) one",
        "B) two",
        "Next question",                # 6: the open one is not completed
        "A)one",
        "B)two",
        "ANSWER: B",
    ])
    result = aiken.read(text)
    assert [(s.where.line, s.reason.split(" (")[0]) for s in result.skipped] == [
        (1, "an option line with no question before it"),
        (2, "an ANSWER line with no question before it"),
        (3, "no ANSWER line before the next question"),
    ]
    assert result.questions[0].question == {"stem": "Next question", "options": ["one", "two"],
                                            "answer": ["B"]}


def test_unfinished_question_at_the_end() -> None:
    result = aiken.read("Q?\nA) a\nB) b")
    assert result.skipped[0].reason == "no ANSWER line at the end of the file: not completed"


def test_text_is_literal_and_short_lines_are_ignored() -> None:
    result = aiken.read("Is <b> & </b> HTML?\n\nx\nA) <yes>\nB) &amp;\nANSWER: A\n")
    assert result.questions[0].question == {
        "stem": "Is <b> & </b> HTML?", "options": ["<yes>", "&amp;"], "answer": ["A"]}


def test_multi_line_stem_is_kept_with_a_note() -> None:
    result = aiken.read("First line\nsecond line?\nA. x\nB. y\nANSWER: b\n")
    assert result.questions[0].question["stem"] == "First line\nsecond line?"
    assert result.questions[0].question["answer"] == ["B"]
    messages = " ".join(n.message for n in result.notes)
    assert "runs over 2 lines" in messages and "lower-case" in messages
