"""What history says: pure computations over plain rows (no database, no Textual).

The store (storage/queries.py) fetches rows and small aggregates; this module ranks and
interprets them: weakest topics, miss streaks, strike accuracy, pacing, confidence
calibration and the trend of scores. Every function takes plain values so that the stats
screen, the ``stats`` command and tests can all feed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

MIN_ANSWERS = 3          # never rank a topic or domain on fewer questions asked than this
CONFIDENCE_LABELS = {1: "sure", 2: "think so", 3: "guessing"}
# The share of right answers each confidence level should reach to be well calibrated.
CONFIDENCE_EXPECTED = {1: 0.9, 2: 0.65, 3: 0.35}
CALIBRATION_SLACK = 0.1
TREND_WINDOW = 5
TREND_FLAT = 1.0         # percentage points per attempt below which a trend is flat


@dataclass(frozen=True)
class Accuracy:
    """How a domain, topic or confidence level fared: the questions asked (``attempted``),
    the credit they earned, and how many of them were answered at all (None: not counted).

    Scoring counts an unanswered question as wrong, so percentages are over questions
    asked; ``answered`` is there so that nobody calls questions "answers".
    """

    key: str | None
    attempted: int
    correct: float
    answered: int | None = None

    @property
    def questions(self) -> int:
        return self.attempted

    @property
    def answers(self) -> int:
        """Questions answered (all asked when not counted)."""
        return self.attempted if self.answered is None else self.answered

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.attempted if self.attempted else 0.0


@dataclass(frozen=True)
class QuestionStat:
    """One question's history: times seen and wrong, and how the last time went."""

    question_id: str
    seen: int
    wrong: int
    last_correct: bool
    last_flagged: bool
    last_attempt: int


def weakest(
    rows: Iterable[Accuracy], n: int = 5, min_answers: int = MIN_ANSWERS
) -> list[Accuracy]:
    """The ``n`` lowest accuracies among keys with at least ``min_answers`` questions
    seen, at least one of them answered (a key never answered is not a weakness shown,
    only a gap: it is never recommended for study).

    Ties go to the key with more answers (more evidence), then by name.
    """
    ranked = [row for row in rows
              if row.attempted >= min_answers and row.answers > 0 and row.key is not None]
    ranked.sort(key=lambda row: (row.percent, -row.attempted, row.key or ""))
    return ranked[:n]


def miss_streaks(
    sequence: Iterable[tuple[str, bool] | tuple[str, bool, bool]],
) -> dict[str, int]:
    """The current run of wrong answers per topic, from (topic, correct) or (topic,
    correct, answered) in time order.

    A streak counts answers given and wrong: a question left unanswered (time ran out,
    skipped) scores as wrong but says nothing about what the user believes, so it neither
    extends nor ends a run. "4 wrong in a row" then means four wrong answers. A topic
    answered right last has a run of 0 and is left out.
    """
    runs: dict[str, int] = {}
    for topic, correct, *rest in sequence:
        if rest and not rest[0] and not correct:
            runs.setdefault(topic, 0)
            continue
        runs[topic] = 0 if correct else runs.get(topic, 0) + 1
    return {topic: run for topic, run in runs.items() if run}


def top_streaks(
    streaks: Mapping[str, int], n: int = 5, min_run: int = 2
) -> list[tuple[str, int]]:
    """The longest current miss streaks, at least ``min_run`` long, longest first."""
    ranked = [(topic, run) for topic, run in streaks.items() if run >= min_run]
    ranked.sort(key=lambda item: (-item[1], item[0]))
    return ranked[:n]


@dataclass(frozen=True)
class StrikeStats:
    """Options struck out, and how many of them were in fact in the key."""

    struck: int
    in_key: int

    @property
    def accuracy(self) -> float | None:
        """Percent of strikes that were right to strike (the option was wrong)."""
        if not self.struck:
            return None
        return 100.0 * (self.struck - self.in_key) / self.struck


@dataclass(frozen=True)
class StrikeReport:
    overall: StrikeStats
    per_domain: dict[str | None, StrikeStats]


def strike_accuracy(rows: Iterable[tuple[str | None, str, str]]) -> StrikeReport:
    """From (domain, struck letters, key letters) per answer: how often a strike was wrong."""
    counts: dict[str | None, list[int]] = {}
    for domain, struck, answer in rows:
        if not struck:
            continue
        tally = counts.setdefault(domain, [0, 0])
        tally[0] += len(struck)
        tally[1] += sum(1 for letter in struck if letter in answer)
    per_domain = {key: StrikeStats(s, k) for key, (s, k) in counts.items()}
    overall = StrikeStats(
        sum(s.struck for s in per_domain.values()), sum(s.in_key for s in per_domain.values())
    )
    return StrikeReport(overall, per_domain)


@dataclass(frozen=True)
class Pace:
    key: str | None
    questions: int
    seconds: float

    @property
    def mean(self) -> float:
        return self.seconds / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class PacingReport:
    overall: Pace
    per_domain: tuple[Pace, ...]
    budget: float | None  # seconds per question the time limits allowed, on average

    def verdict(self, pace: Pace) -> str:
        """"over budget" / "within budget" / "" when untimed."""
        if self.budget is None or not pace.questions:
            return ""
        return "over budget" if pace.mean > self.budget else "within budget"


def pacing(rows: Iterable[tuple[str | None, int, float]], budget: float | None) -> PacingReport:
    """From (domain, questions, total seconds): mean seconds per question, slowest first."""
    per_domain = tuple(
        sorted((Pace(key, count, seconds) for key, count, seconds in rows if count),
               key=lambda pace: (-pace.mean, pace.key or ""))
    )
    overall = Pace(None, sum(p.questions for p in per_domain),
                   sum(p.seconds for p in per_domain))
    return PacingReport(overall, per_domain, budget)


@dataclass(frozen=True)
class Calibration:
    level: int
    label: str
    answered: int
    correct: float
    expected: float  # percent a well-calibrated user would reach at this level

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.answered if self.answered else 0.0

    @property
    def verdict(self) -> str:
        """"overconfident", "underconfident" or "calibrated" (needs MIN_ANSWERS answers)."""
        if self.answered < MIN_ANSWERS:
            return "too few answers"
        slack = 100.0 * CALIBRATION_SLACK
        if self.percent < self.expected - slack:
            return "overconfident"
        if self.percent > self.expected + slack and self.level != 1:
            return "underconfident"
        return "calibrated"


def calibration(rows: Iterable[Accuracy]) -> list[Calibration]:
    """From accuracy per confidence level ("1", "2", "3"): how well confidence predicts."""
    found: list[Calibration] = []
    for row in rows:
        level = int(row.key) if row.key is not None else 0
        if level not in CONFIDENCE_LABELS:
            continue
        found.append(Calibration(level, CONFIDENCE_LABELS[level], row.attempted, row.correct,
                                 100.0 * CONFIDENCE_EXPECTED[level]))
    return sorted(found, key=lambda c: c.level)


@dataclass(frozen=True)
class Trend:
    attempts: int
    latest: float | None
    best: float | None
    slope: float  # percentage points per attempt over the last TREND_WINDOW attempts

    @property
    def direction(self) -> str:
        if self.attempts < 2:
            return "not enough attempts"
        if self.slope >= TREND_FLAT:
            return "improving"
        if self.slope <= -TREND_FLAT:
            return "declining"
        return "steady"


def trend(percents: Sequence[float], window: int = TREND_WINDOW) -> Trend:
    """Scores in time order, oldest first: latest, best, and the least-squares slope."""
    if not percents:
        return Trend(0, None, None, 0.0)
    recent = list(percents[-window:])
    return Trend(len(percents), percents[-1], max(percents), _slope(recent))


def _slope(values: Sequence[float]) -> float:
    n = len(values)
    if n < 2:
        return 0.0
    mean_x = (n - 1) / 2
    mean_y = sum(values) / n
    num = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    den = sum((x - mean_x) ** 2 for x in range(n))
    return num / den
