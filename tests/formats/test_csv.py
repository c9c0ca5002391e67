"""CSV with a header row naming the columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsim.core.formats import csv_format
from examsim.core.formats.common import FormatError


def test_sample_file(fixtures: Path) -> None:
    result = csv_format.read((fixtures / "sample.csv").read_text(encoding="utf-8"))
    assert [q.id_hint for q in result.questions] == ["net-1", "net-2", "net-3"]
    assert result.questions[0].question == {
        "domain": "network", "topics": ["ports", "tls"], "stem": "Which port does HTTPS use?",
        "options": ["80", "443", "22"], "answer": ["B"], "explanation": "TLS on 443.",
    }
    assert result.questions[1].question["stem"] == "Which two are\ntransport protocols?"
    assert result.questions[1].question["answer"] == ["A", "C"]
    assert result.questions[2].question["answer"] == ["B"]  # given as the option's text
    assert [(s.where.line, s.reason) for s in result.skipped] == [
        (6, "the row has 11 cells; the header has 10 (a comma in a cell without quotes?)"),
        (7, "the answer cell is empty: no correct answer marked"),
        (8, "answer 'E' names no option (options are A-B)"),
    ]


def test_term_quiz_layout_puts_the_correct_answer_first() -> None:
    text = ("question,correct_answer,wrong_answer1,wrong_answer2,explaination\n"
            "Q?,yes,no,maybe,because\n")
    q = csv_format.read(text).questions[0].question
    assert q == {"stem": "Q?", "options": ["yes", "no", "maybe"], "answer": ["A"],
                 "explanation": "because"}


@pytest.mark.parametrize(("answer", "letters"), [
    ("b", ["B"]), ("BD", ["B", "D"]), ("b, d", ["B", "D"]), ("2;4", ["B", "D"]),
    ("two|four", ["B", "D"]), ("three", ["C"]),
])
def test_answer_cell_forms(answer: str, letters: list[str]) -> None:
    text = ('Question;Option 1;Option 2;Option 3;Option 4;Answer\n'
            f'Q?;one;two;three;four;"{answer}"\n')
    assert csv_format.read(text).questions[0].question["answer"] == letters


def test_ambiguous_letter_answer_is_refused() -> None:
    text = "question,a,b,answer\nWhich letter?,B,A,A\n"
    reason = csv_format.read(text).skipped[0].reason
    assert reason == "answer 'A' is both option letters and the text of option B"


def test_gap_in_options_is_refused() -> None:
    text = "question,a,b,c,answer\nQ?,x,,z,A\n"
    assert csv_format.read(text).skipped[0].reason == "option B is empty but a later one is not"


def test_tab_separated_with_blank_lines() -> None:
    text = "question\tA\tB\tanswer\n\nQ?\tx\ty\tB\n\n"
    result = csv_format.read(text)
    assert result.questions[0].question["answer"] == ["B"]
    assert result.questions[0].where.line == 3


@pytest.mark.parametrize(("text", "message"), [
    ("", "is empty"),
    ("stem only\n", "the header row names no question column"),
    ("question,answer\nQ?,A\n", "the header row names no option columns"),
    ("question,a,b\nQ?,x,y\n", "the header row names no answer column"),
])
def test_unreadable_files(text: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        csv_format.read(text)


def test_a_row_of_one_cell_says_cell() -> None:
    reason = csv_format.read("question,a,b,answer\nlonely\n").skipped[0].reason
    assert reason.startswith("the row has 1 cell; the header has 4")
