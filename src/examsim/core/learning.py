"""What history says about learning, beyond scores: fresh vs repeat answers, answers that
look remembered, answer changes, and a readiness estimate. Pure rules over plain values
(docs/learning.md says why each rule is what it is).

- **Fresh / repeat.** An answer is *fresh* when it is the first time this user saw the
  question (stored with the answer), else a *repeat*. Repeats of a practice exam taken
  again measure memory of the questions, so readiness uses fresh answers only.
- **Possibly remembered.** A repeat answered right in less than ``REMEMBERED_SHARE`` of
  the time the user's fresh answers take for a question of that length (the median of
  fresh seconds per word of stem and options, over at least ``MIN_RATE_ANSWERS`` fresh
  answered questions).
- **Answer changes.** Each change between two complete answers to one question (the
  trail "B>C>B" has two): wrong->right, right->wrong or wrong->wrong.
- **Readiness.** Per domain, a Beta(1, 1) prior updated with the fresh answers (credit
  right, the rest wrong); the estimate for an unseen full exam is the blueprint-weighted
  mean of the domains' posterior means, the interval that mean +-1.96 standard
  deviations of the weighted sum (the domains taken as independent), clipped to 0-100.
  Verdict against the pass percent: "ready" when the low end clears it, "not yet" when
  the high end is below it, else "borderline". Fewer than ``MIN_FRESH`` fresh answers:
  no estimate. The domain that would gain most is the one with the most
  blueprint-weighted points missing (weight x (1 - mean)).
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

REMEMBERED_SHARE = 0.4
MIN_RATE_ANSWERS = 5
MIN_FRESH = 30
MIN_CHANGES = 5  # changes needed before the reading says which way they went
Z95 = 1.96


@dataclass(frozen=True)
class Tally:
    answers: int
    right: float

    @property
    def percent(self) -> float | None:
        return 100.0 * self.right / self.answers if self.answers else None


@dataclass(frozen=True)
class Seen:
    """One seen answer as learning needs it."""

    domain: str | None
    fresh: bool
    credit: float
    correct: bool
    answered: bool
    seconds: float
    words: int  # 0: unknown
    trail: str  # complete answers given, ">" between
    key: str  # the key, bank letters


def fresh_and_repeat(answers: Iterable[Seen]) -> tuple[Tally, Tally]:
    """(fresh, repeat): how many of each, and the credit they earned."""
    every = list(answers)
    fresh = [a for a in every if a.fresh]
    repeat = [a for a in every if not a.fresh]
    return (Tally(len(fresh), sum(a.credit for a in fresh)),
            Tally(len(repeat), sum(a.credit for a in repeat)))


def fresh_rate(answers: Iterable[Seen]) -> float | None:
    """The median seconds per word of the fresh answered questions of known length, or
    None with fewer than MIN_RATE_ANSWERS of them."""
    rates = [a.seconds / a.words for a in answers
             if a.fresh and a.answered and a.words > 0 and a.seconds > 0]
    if len(rates) < MIN_RATE_ANSWERS:
        return None
    return statistics.median(rates)


def remembered(answer: Seen, rate: float | None) -> bool:
    """A repeat answered right much faster than fresh answers of its length."""
    if rate is None or answer.fresh or not answer.correct or answer.words <= 0:
        return False
    return answer.seconds < REMEMBERED_SHARE * rate * answer.words


def repeat_note(full: bool, answers: Iterable[tuple[bool, bool, float]]) -> str:
    """The results' line on repeats, from (seen, fresh, credit) per question: "" when
    every seen question was fresh; a full exam made mostly of repeats (more than half of
    its seen questions) says that its score overstates readiness."""
    seen = [(fresh, credit) for shown, fresh, credit in answers if shown]
    repeats = [credit for fresh, credit in seen if not fresh]
    if not repeats:
        return ""
    fresh = [credit for is_fresh, credit in seen if is_fresh]
    parts = [f"{len(repeats)} of {len(seen)} seen before"]
    if full and 2 * len(repeats) > len(seen):
        parts[0] += ": this score overstates readiness"
    if fresh:
        parts.append(f"fresh {100 * sum(fresh) / len(fresh):.0f}% right of {len(fresh)}")
    parts.append(f"repeats {100 * sum(repeats) / len(repeats):.0f}% right of {len(repeats)}")
    return " · ".join(parts)


# Certainty-based marking (Gardner-Medwin): the marks of a right and a wrong answer at
# each confidence level (1 sure, 2 think so, 3 guessing).
CBM_MARKS = {1: (3, -6), 2: (2, -2), 3: (1, 0)}


def cbm(answers: Iterable[tuple[bool, int | None, bool]]) -> tuple[int, int]:
    """(marks, answers rated) over (correct, confidence, answered) per question: only
    answered questions with a confidence count; a wrong "sure" costs 6, a right one
    earns 3, so the best policy is to say how sure you really are."""
    marks = rated = 0
    for correct, confidence, answered in answers:
        if not answered or confidence not in CBM_MARKS:
            continue
        right, wrong = CBM_MARKS[confidence]
        marks += right if correct else wrong
        rated += 1
    return marks, rated


def cbm_line(answers: Iterable[tuple[bool, int | None, bool]]) -> str:
    """ "Certainty-based marks: +7 over 4 rated answers (1.75 each, at most 3) ..." or ""."""
    marks, rated = cbm(answers)
    if not rated:
        return ""
    return (f"Certainty-based marks: {marks:+d} over {rated} rated answer"
            f"{'s' if rated != 1 else ''} ({marks / rated:.2f} each, at most 3; sure +3/-6, "
            "think so +2/-2, guessing +1/0)")


@dataclass(frozen=True)
class Changes:
    wrong_to_right: int = 0
    right_to_wrong: int = 0
    wrong_to_wrong: int = 0

    @property
    def total(self) -> int:
        return self.wrong_to_right + self.right_to_wrong + self.wrong_to_wrong

    def __add__(self, other: Changes) -> Changes:
        return Changes(self.wrong_to_right + other.wrong_to_right,
                       self.right_to_wrong + other.right_to_wrong,
                       self.wrong_to_wrong + other.wrong_to_wrong)

    @property
    def reading(self) -> str:
        """One line on what changing answers did, once there are enough changes."""
        if self.total < MIN_CHANGES:
            return "too few changes to tell"
        if self.wrong_to_right > self.right_to_wrong:
            return "changing helped you: keep reconsidering"
        if self.right_to_wrong > self.wrong_to_right:
            return "changing hurt you: keep your first answer unless you find a clear reason"
        return "changing neither helped nor hurt you"


def changes(trail: str, key: str) -> Changes:
    """The changes in one answer's trail ("B>C>B"), each classified against ``key``."""
    steps = [step for step in trail.split(">") if step] if trail else []
    w2r = r2w = w2w = 0
    for before, after in itertools.pairwise(steps):
        if before == key:
            r2w += after != key
        elif after == key:
            w2r += 1
        else:
            w2w += 1
    return Changes(w2r, r2w, w2w)


@dataclass(frozen=True)
class Readiness:
    fresh_answers: int
    pass_percent: float
    estimate: float | None = None  # percent; None: not enough fresh answers
    low: float | None = None
    high: float | None = None
    gain: str | None = None  # the domain that would gain most

    @property
    def verdict(self) -> str:
        if self.estimate is None or self.low is None or self.high is None:
            return "not enough fresh answers yet"
        if self.low >= self.pass_percent:
            return "ready"
        if self.high < self.pass_percent:
            return "not yet"
        return "borderline"


def readiness(
    per_domain: Mapping[str | None, Tally],
    weights: Mapping[str | None, float],
    pass_percent: float,
) -> Readiness:
    """Estimate the score on an unseen full exam from fresh answers per domain, weighted
    by the blueprint (``weights``; a bank without domains: {None: 1})."""
    answers = sum(t.answers for t in per_domain.values())
    if answers < MIN_FRESH or not weights:
        return Readiness(answers, pass_percent)
    total = sum(weights.values())
    mean = variance = 0.0
    gains: list[tuple[float, str]] = []
    for key, weight in weights.items():
        share = weight / total
        tally = per_domain.get(key, Tally(0, 0.0))
        a = 1.0 + tally.right
        b = 1.0 + tally.answers - tally.right
        p = a / (a + b)
        mean += share * p
        variance += share * share * (a * b) / ((a + b) ** 2 * (a + b + 1))
        gains.append((share * (1 - p), key or ""))
    spread = Z95 * math.sqrt(variance)
    gain = max(gains)[1] if gains else None
    return Readiness(answers, pass_percent, 100 * mean, 100 * max(0.0, mean - spread),
                     100 * min(1.0, mean + spread), gain or None)
