"""A bank's stats as plain JSON-able data: what `examsim stats` prints, the stats screen shows.

Counts say what they count: ``questions`` is how many were asked, that is *seen*
(shown on screen) in scored attempts (percentages are over them: an unanswered question
scores as wrong), ``answered`` how many got an answer. ``best``, ``latest`` and the
trend count full exams only; ``attempts`` counts every scored attempt, ``full_exams``
and ``sessions`` split it. A miss
streak's ``run`` counts wrong answers in a row; unanswered questions do not enter it.

``bank_report`` reads everything at once. The stats screen (tui/screens/stats.py) reads
the same figures in two steps through the public pieces: ``glance`` (scores, trend,
domains, miss streaks), then ``details`` (strikes, pacing, confidence).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..core.bank import Bank
from ..core.insights import MIN_ANSWERS, Trend, top_streaks
from .history import History
from .records import AttemptRow

RECENT = 5        # "recent" accuracy: the last this many scored attempts
WEAKEST = 5

Label = Callable[[str | None], str]


def bank_report(history: History, bank_id: str, bank: Bank | None = None) -> dict[str, Any]:
    """Everything the stats summary shows for one bank (scored attempts only); ``bank``
    (when found) gives each domain's question count in ``memory``."""
    attempts = history.attempts(bank_id)
    label = domain_label(attempts[0].domains if attempts else {})
    report = glance(history, bank_id, attempts, label, history.trend(bank_id),
                    history.miss_streaks(bank_id), weakest=True)
    return report | details(history, bank_id, label) | review_plan(history, bank_id, label,
                                                                   bank)


def review_plan(
    history: History, bank_id: str, label: Label, bank: Bank | None = None
) -> dict[str, Any]:
    """Spaced review (core/spaced.py): ``due`` today (before local midnight) and this
    week (before the end of the sixth day from now), and per domain ``memory``: mean
    predicted recall (percent), learned, seen and total questions."""
    from datetime import timedelta

    from ..core.spaced import end_of_day, memory

    now = history.now()
    today = end_of_day(now)
    totals = None
    if bank is not None:
        totals = {d.id: len(bank.questions_in(d.id)) for d in bank.domains} if bank.domains \
            else {None: len(bank.questions)}
    cards = [(qid, domain, card) for qid, domain, card, _ in history.cards(bank_id)]
    return {
        "due": {"today": history.due_count(bank_id, today),
                "week": history.due_count(bank_id, today + timedelta(days=6))},
        "memory": [
            {"id": m.key, "label": label(m.key),
             "recall_percent": None if m.recall is None else round(100 * m.recall, 1),
             "learned": m.learned, "seen": m.seen, "total": m.total}
            for m in memory(cards, history.review_history(bank_id), now, totals)
        ],
    }


def glance(history: History, bank_id: str, all_attempts: Sequence[AttemptRow], label: Label,
           trend: Trend, runs: Mapping[str, int], *, weakest: bool = False) -> dict[str, Any]:
    """Title, attempt counts, best and latest score, trend, domains and miss streaks, from
    what the caller has read already (``history.attempts``, the trend, the miss streaks);
    with ``weakest``, the weakest topics as well."""
    scored = [a for a in all_attempts if a.scored]
    exams = [a for a in scored if a.full]  # best, latest and trend: full exams only
    best = max(exams, key=lambda a: (a.percent or 0.0, a.id), default=None)
    recent = {r.key: r.percent for r in history.accuracy(bank_id, "domain", RECENT)}
    report: dict[str, Any] = {
        "bank_id": bank_id,
        "title": all_attempts[0].bank_title if all_attempts else bank_id,
        "attempts": len(scored),
        "full_exams": len(exams),
        "sessions": len(scored) - len(exams),
        "in_progress": sum(a.status == "in_progress" for a in all_attempts),
        "abandoned": sum(a.status == "abandoned" for a in all_attempts),
        "best": score_summary(best),
        "latest": score_summary(exams[0] if exams else None),
        "trend": {"direction": trend.direction, "points_per_attempt": round(trend.slope, 2)},
        "domains": [
            {"id": r.key, "label": label(r.key), "questions": r.questions,
             "answered": r.answers, "correct": r.correct, "percent": round(r.percent, 1),
             "recent_percent": round1(recent.get(r.key))}
            for r in history.accuracy(bank_id, "domain")
        ],
    }
    if weakest:
        report["weakest_topics"] = [
            {"topic": r.key, "questions": r.questions, "answered": r.answers,
             "correct": r.correct, "percent": round(r.percent, 1)}
            for r in history.weakest_topics(bank_id, WEAKEST)
        ]
    report["min_answers"] = MIN_ANSWERS
    report["miss_streaks"] = [
        {"topic": topic, "run": run} for topic, run in top_streaks(runs, WEAKEST)
    ]
    return report


def details(history: History, bank_id: str, label: Label) -> dict[str, Any]:
    """Strike accuracy, pacing and confidence calibration ("strikes", "pacing",
    "calibration")."""
    strikes = history.strike_accuracy(bank_id)
    pacing = history.pacing(bank_id)
    return {
        "strikes": {
            "struck": strikes.overall.struck, "in_key": strikes.overall.in_key,
            "accuracy": round1(strikes.overall.accuracy),
            "per_domain": [
                {"id": key, "label": label(key), "struck": s.struck, "in_key": s.in_key,
                 "accuracy": round1(s.accuracy)}
                for key, s in sorted(strikes.per_domain.items(), key=lambda i: i[0] or "")
            ],
        },
        "pacing": {
            "questions": pacing.overall.questions,
            "mean_seconds": round(pacing.overall.mean, 1),
            "budget_seconds": round1(pacing.budget),
            "per_domain": [
                {"id": p.key, "label": label(p.key), "questions": p.questions,
                 "mean_seconds": round(p.mean, 1), "verdict": pacing.verdict(p)}
                for p in pacing.per_domain
            ],
        },
        "calibration": [
            {"level": c.level, "label": c.label, "answered": c.answered,
             "percent": round(c.percent, 1), "verdict": c.verdict}
            for c in history.calibration(bank_id)
        ],
    }


def domain_label(labels: Mapping[str, str]) -> Label:
    """A domain id's name: from ``labels``, else the id; "(no domain)" for None."""
    def label(domain: str | None) -> str:
        return "(no domain)" if domain is None else labels.get(domain) or domain
    return label


def score_summary(attempt: AttemptRow | None) -> dict[str, Any] | None:
    """One attempt's score as the report shows it ("best", "latest"); None for none."""
    if attempt is None:
        return None
    return {"attempt_id": attempt.id, "finished": attempt.finished,
            "percent": round1(attempt.percent), "scaled": attempt.scaled,
            "passed": attempt.passed, "status": attempt.status}


def round1(value: float | None) -> float | None:
    """``value`` rounded to one decimal; None stays None."""
    return None if value is None else round(value, 1)
