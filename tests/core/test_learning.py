"""Learning rules with known inputs (core/learning.py): fresh vs repeat, remembered,
answer changes, readiness."""

from __future__ import annotations

import pytest

from examsim.core import learning
from examsim.core.learning import Changes, Seen, Tally


def seen(fresh: bool = True, correct: bool = True, seconds: float = 60.0, words: int = 100,
         domain: str | None = "d", trail: str = "", key: str = "A") -> Seen:
    return Seen(domain, fresh, 1.0 if correct else 0.0, correct, True, seconds, words,
                trail, key)


def test_fresh_and_repeat_are_counted_apart() -> None:
    answers = [seen(True, True), seen(True, False), seen(False, True), seen(False, True)]
    fresh, repeat = learning.fresh_and_repeat(answers)
    assert (fresh.answers, fresh.right, fresh.percent) == (2, 1.0, 50.0)
    assert (repeat.answers, repeat.right, repeat.percent) == (2, 2.0, 100.0)
    assert learning.fresh_and_repeat([])[0].percent is None


def test_a_fast_right_repeat_is_possibly_remembered() -> None:
    fresh = [seen(seconds=s, words=100) for s in (50, 60, 70, 80, 90)]  # median 0.7 s/word
    rate = learning.fresh_rate(fresh)
    assert rate == pytest.approx(0.7)
    assert learning.remembered(seen(False, True, seconds=27.0, words=100), rate)  # < 28 s
    assert not learning.remembered(seen(False, True, seconds=29.0, words=100), rate)
    assert not learning.remembered(seen(False, False, seconds=5.0), rate)  # wrong
    assert not learning.remembered(seen(True, True, seconds=5.0), rate)  # fresh
    assert not learning.remembered(seen(False, True, seconds=5.0, words=0), rate)  # unknown
    assert learning.fresh_rate(fresh[:4]) is None  # too few fresh answers to judge
    assert not learning.remembered(seen(False, True, seconds=1.0), None)


@pytest.mark.parametrize(("trail", "key", "expected"), [
    ("", "A", Changes()), ("B", "A", Changes()),
    ("B>A", "A", Changes(1, 0, 0)), ("A>B", "A", Changes(0, 1, 0)),
    ("B>C", "A", Changes(0, 0, 1)), ("B>A>C>A", "A", Changes(2, 1, 0)),
    ("AB>AC>BC", "AC", Changes(1, 1, 0)),
])
def test_answer_changes_are_classified(trail: str, key: str, expected: Changes) -> None:
    assert learning.changes(trail, key) == expected


def test_the_reading_of_changes() -> None:
    assert Changes(8, 3, 3).reading == "changing helped you: keep reconsidering"
    assert Changes(1, 4, 0).reading.startswith("changing hurt you")
    assert Changes(2, 2, 1).reading == "changing neither helped nor hurt you"
    assert Changes(1, 0, 0).reading == "too few changes to tell"
    assert Changes(1, 2, 3) + Changes(1, 1, 1) == Changes(2, 3, 4)


def test_readiness_needs_thirty_fresh_answers() -> None:
    r = learning.readiness({"a": Tally(29, 29.0)}, {"a": 1.0}, 75.0)
    assert r.estimate is None and r.verdict == "not enough fresh answers yet"
    assert r.fresh_answers == 29


def test_readiness_with_known_inputs() -> None:
    """Two domains weighted 60/40: 30 of 50 and 10 of 20 fresh answers right. Posterior
    means 31/52 and 11/22; estimate 0.6*31/52 + 0.4*0.5 = 55.8%; the interval from the
    beta variances; pass mark 75% above the high end -> "not yet"; the first domain
    loses 0.6*(21/52) = 0.242 weighted points, the second 0.4*0.5 = 0.2: gain "a"."""
    r = learning.readiness({"a": Tally(50, 30.0), "b": Tally(20, 10.0)},
                           {"a": 60.0, "b": 40.0}, 75.0)
    pa, pb = 31 / 52, 11 / 22
    assert r.estimate == pytest.approx(100 * (0.6 * pa + 0.4 * pb))
    var = 0.36 * pa * (1 - pa) / 53 + 0.16 * pb * (1 - pb) / 23
    assert r.high == pytest.approx(100 * (0.6 * pa + 0.4 * pb + 1.96 * var ** 0.5))
    assert r.low == pytest.approx(100 * (0.6 * pa + 0.4 * pb - 1.96 * var ** 0.5))
    assert round(r.estimate, 1) == 55.8 and r.high < 75.0
    assert r.verdict == "not yet" and r.gain == "a"


def test_readiness_verdicts() -> None:
    strong = learning.readiness({"a": Tally(200, 190.0)}, {"a": 1.0}, 75.0)
    assert strong.verdict == "ready" and strong.low >= 75.0
    near = learning.readiness({"a": Tally(40, 30.0)}, {"a": 1.0}, 75.0)
    assert near.verdict == "borderline" and near.low < 75.0 <= near.high
    # a domain with no fresh answers keeps the prior (0.5) and widens the interval
    gap = learning.readiness({"a": Tally(40, 40.0)}, {"a": 50.0, "b": 50.0}, 75.0)
    assert gap.gain == "b" and gap.high - gap.low > near.high - near.low


def test_the_repeat_note_of_the_results() -> None:
    fresh = [(True, True, 1.0)] * 9 + [(True, True, 0.0)] * 4
    repeats = [(True, False, 1.0)] * 50 + [(True, False, 0.0)] * 12
    assert learning.repeat_note(True, fresh + repeats + [(False, True, 0.0)] * 12) == (
        "62 of 75 seen before: this score overstates readiness · fresh 69% right of 13 · "
        "repeats 81% right of 62")
    assert learning.repeat_note(False, fresh + repeats) == (
        "62 of 75 seen before · fresh 69% right of 13 · repeats 81% right of 62")
    assert learning.repeat_note(True, fresh) == ""
    assert learning.repeat_note(True, fresh * 2 + repeats[:3]).startswith("3 of 29 seen before ·")


def test_certainty_based_marks() -> None:
    answers = [(True, 1, True), (False, 1, True), (True, 2, True), (False, 2, True),
               (True, 3, True), (False, 3, True), (True, None, True), (False, 1, False)]
    # sure: +3 -6; think so: +2 -2; guessing: +1 +0; no confidence or no answer: not rated
    assert learning.cbm(answers) == (-2, 6)
    assert learning.cbm_line(answers).startswith(
        "Certainty-based marks: -2 over 6 rated answers (-0.33 each, at most 3;")
    assert learning.cbm_line([(True, None, True)]) == ""
