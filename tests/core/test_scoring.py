"""Scoring: credit, pass rules, scaled scores and breakdowns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examsim.core.bank import LETTERS
from examsim.core.scoring import AnswerRecord, credit, scaled_score, score

from .helpers import banks, make_bank, question


def ten_single(**settings):
    return make_bank([question(f"q{i}", answer="B") for i in range(10)], **settings)


def answers(right: int, total: int = 10) -> list[AnswerRecord]:
    return [AnswerRecord(f"q{i}", chosen="B" if i < right else "A") for i in range(total)]


def test_counts_right_answers_and_percent():
    result = score(ten_single(), answers(7))
    assert (result.total, result.correct, result.percent) == (10, 7.0, 70.0)
    assert [q.correct for q in result.questions] == [True] * 7 + [False] * 3


def test_default_pass_percent_is_70():
    assert score(ten_single(), answers(7)).passed
    assert not score(ten_single(), answers(6)).passed
    assert score(ten_single(), answers(7)).pass_label == "70%"
    assert score(ten_single(), answers(7)).scaled is None


def test_bank_pass_percent():
    bank = ten_single(pass_percent=75)
    assert not score(bank, answers(7)).passed
    assert score(bank, answers(8)).passed
    assert score(bank, answers(8)).pass_label == "75%"


def test_scaled_score_and_pass_mark():
    bank = ten_single(scaled_score={"min": 100, "max": 1000, "pass": 750})
    result = score(bank, answers(7))
    assert result.scaled == 730  # 100 + 900 * 0.7
    assert not result.passed
    assert result.pass_label == "750/1000"
    assert score(bank, answers(8)).scaled == 820
    assert score(bank, answers(8)).passed


def test_scaled_score_rounds_half_up():
    assert scaled_score(100, 1000, 1, 8) == 213  # 212.5
    assert scaled_score(100, 1000, 3, 8) == 438  # 437.5
    assert scaled_score(0, 10, 1, 3) == 3


def test_pass_mark_is_inclusive():
    bank = ten_single(scaled_score={"min": 0, "max": 100, "pass": 70})
    assert score(bank, answers(7)).passed


def test_unanswered_counts_as_wrong():
    bank = ten_single()
    records = [AnswerRecord(f"q{i}") for i in range(10)]
    result = score(bank, records)
    assert result.correct == 0 and not result.passed
    assert result.questions[0].chosen == ""


def choose_two_bank(**settings):
    return make_bank([question("m", answer=["B", "D"], options=5)], **settings)


@pytest.mark.parametrize("chosen, plain, partial", [
    ("BD", 1.0, 1.0),
    ("DB", 1.0, 1.0),
    ("B", 0.0, 0.5),
    ("BC", 0.0, 0.0),     # one right, one wrong
    ("AC", 0.0, 0.0),
    ("", 0.0, 0.0),
    ("BDE", 0.0, 0.5),    # more picks than N (not possible in a session): 2 - 1
])
def test_choose_n_all_or_nothing_unless_partial_credit(chosen, plain, partial):
    assert score(choose_two_bank(), [AnswerRecord("m", chosen)]).correct == plain
    result = score(choose_two_bank(partial_credit=True), [AnswerRecord("m", chosen)])
    assert result.correct == partial
    assert result.questions[0].correct is (plain == 1.0)


def test_partial_credit_does_not_touch_single_answer_questions():
    bank = make_bank([question("s", answer="A")], partial_credit=True)
    assert credit(bank.question("s"), "B", partial=True) == 0.0
    assert credit(bank.question("s"), "A", partial=True) == 1.0


def test_question_results_carry_letters_and_marks():
    bank = choose_two_bank()
    record = AnswerRecord("m", chosen="DB", struck="EA", flagged=True, confidence=2,
                          seconds=12.5, changes=3)
    row = score(bank, [record]).questions[0]
    assert (row.position, row.question_id, row.chosen, row.answer, row.struck) == (
        0, "m", "BD", "BD", "AE")
    assert (row.flagged, row.confidence, row.seconds, row.changes) == (True, 2, 12.5, 3)


def test_breakdown_per_domain_in_bank_order_with_labels():
    questions = [
        question("a1", domain="b", topics=["S3", "IAM"]),
        question("a2", domain="a", topics=["IAM"]),
        question("a3", domain="a", topics=["VPC"]),
        question("a4", domain="a"),
    ]
    bank = make_bank(questions, [("a", 60), ("b", 40)])
    records = [AnswerRecord("a1", "A"), AnswerRecord("a2", "A"), AnswerRecord("a3", "B"),
               AnswerRecord("a4", "A")]
    result = score(bank, records)
    assert [(b.key, b.label, b.attempted, b.correct) for b in result.per_domain] == [
        ("a", "Domain a", 3, 2.0), ("b", "Domain b", 1, 1.0)]
    assert result.per_domain[0].percent == pytest.approx(200 / 3)
    assert [(b.key, b.attempted, b.correct, b.percent) for b in result.per_topic] == [
        ("IAM", 2, 2.0, 100.0), ("S3", 1, 1.0, 100.0), ("VPC", 1, 0.0, 0.0)]


def test_domainless_bank_has_no_domain_breakdown():
    assert score(ten_single(), answers(3)).per_domain == ()


def test_empty_attempt_scores_zero_and_fails():
    result = score(ten_single(), [])
    assert (result.total, result.correct, result.percent, result.passed) == (0, 0, 0.0, False)


@given(banks(max_questions=20), st.data())
@settings(max_examples=100, deadline=None)
def test_score_never_exceeds_the_question_count(bank, data):
    records = []
    for q in bank.questions:
        letters = LETTERS[:len(q.options)]
        chosen = data.draw(st.lists(st.sampled_from(letters), unique=True, max_size=q.choose))
        records.append(AnswerRecord(q.id, "".join(chosen)))
    result = score(bank, records)
    assert 0 <= result.correct <= result.total == len(bank.questions)
    assert 0 <= result.percent <= 100
    assert all(0 <= row.credit <= 1 for row in result.questions)
    assert result.correct == pytest.approx(sum(row.correct for row in result.questions)) \
        or bank.settings.partial_credit
    if result.scaled is not None:
        assert 100 <= result.scaled <= 1000
    for part in (*result.per_domain, *result.per_topic):
        assert 0 <= part.correct <= part.attempted


def test_a_partly_answered_choose_n_question_is_answered_and_scored_as_given():
    """Results, history and CSV: "unanswered" is a scored question with no letter chosen.
    A choose-two question with one letter chosen is answered (wrong, or half a point with
    partial credit); the exam screen's counter names it "partly answered" instead
    (ExamSession.unanswered / partly_answered)."""
    bank = make_bank([question("m", answer=["B", "D"], options=5),
                      question("s", answer="A"), question("e", answer="A")])
    records = [AnswerRecord("m", chosen="B"), AnswerRecord("s", chosen="A"),
               AnswerRecord("e")]
    result = score(bank, records)
    assert (result.unanswered, result.correct, result.total) == (1, 1.0, 3)
    assert [q.answered for q in result.questions] == [True, True, False]
    with_partial = score(make_bank([question("m", answer=["B", "D"], options=5),
                                    question("s", answer="A"), question("e", answer="A")],
                                   partial_credit=True), records)
    assert (with_partial.unanswered, with_partial.correct) == (1, 1.5)
