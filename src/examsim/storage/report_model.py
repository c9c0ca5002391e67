"""The stats report as typed, frozen models: what `examsim stats --json` prints and the
stats screen shows (built by storage/report.py; schema and rules in docs/stats-json.md).

``BankReport.model_dump(mode="json")`` is one bank of ``stats --json``, key for key and in
the same order; ``StatsDocument`` is the whole document (``{"banks": [...]}``). Field
order is the JSON key order: pydantic lists a model's fields in the order they are
declared, inherited ones first, collected from the last base class to the first (so
``BankReport(Details, Glance)`` has the glance's fields, then the details').

Percentages are rounded to one decimal, seconds to one decimal, the trend slope to two;
None is null in the JSON.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict


class Figures(BaseModel):
    """A frozen part of the report; unknown fields are refused."""

    # defer_build: the validators are built when a report is first made, not at import
    # (storage/overview.py imports the report for readiness: built at import, the models
    # cost every start ~40 ms, most of it pydantic looking up its plugins)
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    @classmethod
    def merged(cls, *parts: BaseModel, **fields: Any) -> Self:
        """One model from the fields of ``parts`` (models already validated: they are
        taken as they are) and ``fields``, the latter winning."""
        values: dict[str, Any] = {}
        for part in parts:
            values.update(dict(part))
        return cls.model_validate(values | fields)


# -- the glance: counts, scores, trend, domains, topics, streaks --------------------------


class ScoreSummary(Figures):
    """One attempt's score ("best", "latest")."""

    attempt_id: int
    finished: str | None          # ISO 8601 UTC, as stored
    percent: float | None
    scaled: int | None            # None: the bank has no scaled score
    passed: bool | None
    status: str                   # "finished" or "timed_out"


class TrendSummary(Figures):
    direction: str                # "improving", "declining", "steady", "not enough attempts"
    points_per_attempt: float     # least-squares slope over the last 5 full exams


class DomainAccuracy(Figures):
    id: str | None                # None: questions without a domain
    label: str
    questions: int                # seen in scored attempts (the percent is over them)
    answered: int                 # of them, with a complete answer
    correct: float                # credit earned (a share with partial credit)
    percent: float
    recent_percent: float | None  # over the last RECENT scored attempts; None: not asked


class TopicAccuracy(Figures):
    topic: str | None
    questions: int
    answered: int
    correct: float
    percent: float


class MissStreak(Figures):
    topic: str
    run: int                      # wrong answers in a row, newest first


class Glance(Figures):
    """What the stats screen shows first (storage/report.glance)."""

    bank_id: str
    title: str
    attempts: int                 # scored attempts: full exams and sessions
    full_exams: int
    sessions: int
    in_progress: int
    abandoned: int
    best: ScoreSummary | None     # full exams only
    latest: ScoreSummary | None
    trend: TrendSummary
    domains: tuple[DomainAccuracy, ...]
    weakest_topics: tuple[TopicAccuracy, ...] | None = None  # None: not read (the screen)
    min_answers: int              # MIN_ANSWERS: a topic is ranked from this many asked
    miss_streaks: tuple[MissStreak, ...]


# -- the details: strikes, pacing, confidence, spaced review, learning -------------------


class DomainStrikes(Figures):
    id: str | None
    label: str
    struck: int
    in_key: int
    accuracy: float | None        # None: nothing struck


class Strikes(Figures):
    struck: int                   # options struck out
    in_key: int                   # of them, in the key (wrong to strike)
    accuracy: float | None        # percent of strikes that were right; None: none struck
    per_domain: tuple[DomainStrikes, ...]


class DomainPacing(Figures):
    id: str | None
    label: str
    questions: int
    mean_seconds: float
    verdict: str                  # "over budget", "within budget", "" when untimed


class Pacing(Figures):
    questions: int
    mean_seconds: float
    budget_seconds: float | None  # mean time limit per question; None: all untimed
    per_domain: tuple[DomainPacing, ...]  # slowest first


class ConfidenceLevel(Figures):
    level: int                    # 1 sure, 2 think so, 3 guessing
    label: str
    answered: int
    percent: float
    verdict: str                  # "calibrated", "overconfident", "underconfident", ...


class Habits(Figures):
    """Strikes, pacing and confidence calibration (storage/report.details)."""

    strikes: Strikes
    pacing: Pacing
    calibration: tuple[ConfidenceLevel, ...]


class Due(Figures):
    today: int                    # cards due before local midnight
    week: int                     # due before the end of the sixth day from now


class DomainMemory(Figures):
    id: str | None
    label: str
    recall_percent: float | None  # mean predicted recall; None: no card
    learned: int
    seen: int
    total: int | None             # questions of the domain in the bank; None: bank not at hand


class ReviewPlan(Figures):
    """Spaced review (storage/report.review_plan)."""

    due: Due
    memory: tuple[DomainMemory, ...]


class AnswerTally(Figures):
    answers: int
    percent: float | None         # None: no answers


class Readiness(Figures):
    estimate: float | None        # None: fewer than MIN_FRESH fresh answers
    low: float | None
    high: float | None
    pass_percent: float
    verdict: str                  # "ready", "borderline", "not yet", "not enough ..."
    fresh_answers: int
    gain: str | None              # the domain with most to gain; None without an estimate


class DomainChanges(Figures):
    id: str | None
    label: str
    wrong_to_right: int
    right_to_wrong: int
    wrong_to_wrong: int


class AnswerChanges(Figures):
    wrong_to_right: int
    right_to_wrong: int
    wrong_to_wrong: int
    reading: str
    per_domain: tuple[DomainChanges, ...]  # domains with at least MIN_CHANGES changes


class Learning(Figures):
    """Fresh vs repeat, remembered answers, readiness, answer changes
    (storage/report.learning_report)."""

    fresh: AnswerTally
    repeat: AnswerTally
    remembered: int
    readiness: Readiness | None   # None: the bank file is not at hand
    answer_changes: AnswerChanges


class Details(Learning, ReviewPlan, Habits):
    """What the stats screen shows second: the habits, then the review plan, then the
    learning figures (fields in that order)."""


class BankReport(Details, Glance):
    """One bank of `examsim stats --json`: the glance (with the weakest topics), then the
    details."""

    weakest_topics: tuple[TopicAccuracy, ...]  # at most WEAKEST ranked topics, weakest first


class StatsDocument(Figures):
    """The whole of `examsim stats --json`."""

    banks: tuple[BankReport, ...]
