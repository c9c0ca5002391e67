"""Spaced review rules (core/spaced.py): ratings, intervals, interleaving, learned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from fsrs import Rating

from examsim.core import due, spaced

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("correct", "confidence", "expected"), [
    (False, None, Rating.Again), (False, 1, Rating.Again), (False, 3, Rating.Again),
    (True, 3, Rating.Hard), (True, None, Rating.Good), (True, 1, Rating.Good),
    (True, 2, Rating.Good),
])
def test_rating_from_an_answer(correct: bool, confidence: int | None, expected: Rating) -> None:
    assert spaced.rating(correct, confidence) == expected


def test_wrong_is_due_at_once_and_right_not_before_tomorrow() -> None:
    wrong = spaced.review(None, Rating.Again, NOON)
    assert wrong.due == NOON
    for rated in (Rating.Hard, Rating.Good):
        right = spaced.review(None, rated, NOON)
        assert right.due >= NOON + timedelta(days=1)
    good = spaced.review(None, Rating.Good, NOON)
    again = spaced.review(good.card, Rating.Good, good.due)
    assert again.due - good.due > good.due - NOON  # intervals grow with each right answer
    lapse = spaced.review(again.card, Rating.Again, again.due)
    assert lapse.due == again.due  # a lapse is due the same day again


def test_review_is_deterministic_and_survives_a_damaged_card() -> None:
    assert spaced.review(None, Rating.Good, NOON) == spaced.review(None, Rating.Good, NOON)
    assert spaced.review("{not json", Rating.Good, NOON) == spaced.review(None, Rating.Good, NOON)


def test_retrievability_falls_with_time() -> None:
    card = spaced.review(None, Rating.Good, NOON).card
    soon = spaced.retrievability(card, NOON + timedelta(hours=1))
    later = spaced.retrievability(card, NOON + timedelta(days=30))
    assert 0.0 < later < soon <= 1.0


def test_end_of_day_is_local_midnight_in_utc() -> None:
    tokyo = timezone(timedelta(hours=9))
    assert due.end_of_day(NOON, tokyo) == datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    assert due.end_of_day(NOON, UTC) == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(("items", "expected"), [
    ([], []),
    ([("a1", "a"), ("a2", "a"), ("b1", "b"), ("b2", "b")], ["a1", "b1", "a2", "b2"]),
    ([("a1", "a"), ("a2", "a"), ("a3", "a"), ("b1", "b")], ["a1", "b1", "a2", "a3"]),
    ([("a1", "a"), ("b1", "b"), ("c1", "c")], ["a1", "b1", "c1"]),
    ([("x", None), ("y", None), ("z", "d")], ["x", "z", "y"]),
])
def test_interleave_keeps_overdue_order_but_never_repeats_a_domain(
    items: list[tuple[str, str | None]], expected: list[str]
) -> None:
    assert due.interleave(items) == expected


def test_learned_needs_three_right_answers_three_days_apart() -> None:
    days = [NOON + timedelta(days=d) for d in (0, 3, 6, 9)]
    assert spaced.learned([(days[0], True), (days[1], True), (days[2], True)])
    assert not spaced.learned([(days[0], True), (days[1], True)])
    assert not spaced.learned([(days[0], True), (days[1], False), (days[2], True)])
    assert not spaced.learned([(days[0], True), (days[0] + timedelta(days=2), True),
                               (days[2], True)])
    assert spaced.learned([(days[0], False), (days[1], True), (days[2], True), (days[3], True)])


def test_recall_is_read_only_a_day_after_the_last_review() -> None:
    """Newcomer run 6, finding 15: right after wrong answers the stats read "recall 100%"
    beside 0% accuracy (FSRS counts whole days: under a day after a review it predicts
    100% whatever the answer). Recall now comes from cards reviewed a day or more ago."""
    wrong = spaced.review(None, Rating.Again, NOON).card
    right = spaced.review(None, Rating.Good, NOON).card
    assert spaced.retrievability(wrong, NOON + timedelta(hours=23, minutes=59)) == 1.0
    for card in (wrong, right):
        assert spaced.settled_recall(card, NOON + timedelta(minutes=5)) is None
        assert spaced.settled_recall(card, NOON + timedelta(hours=23, minutes=59)) is None
    day = NOON + spaced.RECALL_AFTER
    assert round(spaced.settled_recall(wrong, day) or 0, 3) == 0.766
    assert round(spaced.settled_recall(right, day) or 0, 3) == 0.947

    cards = [("q1", "net", wrong), ("q2", "net", right), ("q3", "sec", wrong)]
    totals = {"net": 2, "sec": 1, "iam": 4}
    soon = spaced.memory(cards, {}, NOON + timedelta(minutes=5), totals)
    assert [(m.key, m.recall, m.seen, m.total) for m in soon] == [
        ("net", None, 2, 2), ("sec", None, 1, 1), ("iam", None, 0, 4)]
    later = spaced.memory(cards, {}, day, totals)
    assert [(m.key, round(m.recall or 0, 3), m.seen) for m in later] == [
        ("net", round((0.7661957 + 0.9468475) / 2, 3), 2), ("sec", 0.766, 1), ("iam", 0, 0)]
    older = ("q4", "sec", spaced.review(None, Rating.Good, NOON - timedelta(days=2)).card)
    mixed = spaced.memory([*cards, older], {}, NOON + timedelta(minutes=5), totals)
    assert mixed[1].seen == 2 and round(mixed[1].recall or 0, 3) == round(
        spaced.settled_recall(older[2], NOON) or 0, 3)  # only the older card counts
