"""A bank's stats as plain JSON-able data: what `examsim stats` prints, the stats screen shows."""

from __future__ import annotations

from typing import Any

from ..core.insights import MIN_ANSWERS, top_streaks
from .history import History
from .records import AttemptRow

RECENT = 5        # "recent" accuracy: the last this many scored attempts
WEAKEST = 5


def bank_report(history: History, bank_id: str) -> dict[str, Any]:
    """Everything the stats summary shows for one bank (scored attempts only)."""
    all_attempts = history.attempts(bank_id)
    scored = [a for a in all_attempts if a.scored]
    labels = all_attempts[0].domains if all_attempts else {}
    best = max(scored, key=lambda a: (a.percent or 0.0, a.id), default=None)
    trend = history.trend(bank_id)
    recent = {r.key: r.percent for r in history.accuracy(bank_id, "domain", RECENT)}
    strikes = history.strike_accuracy(bank_id)
    pacing = history.pacing(bank_id)

    def label(domain: str | None) -> str:
        return "(no domain)" if domain is None else labels.get(domain) or domain

    return {
        "bank_id": bank_id,
        "title": all_attempts[0].bank_title if all_attempts else bank_id,
        "attempts": len(scored),
        "in_progress": sum(a.status == "in_progress" for a in all_attempts),
        "abandoned": sum(a.status == "abandoned" for a in all_attempts),
        "best": _score(best),
        "latest": _score(scored[0] if scored else None),
        "trend": {"direction": trend.direction, "points_per_attempt": round(trend.slope, 2)},
        "domains": [
            {"id": r.key, "label": label(r.key), "answered": r.attempted,
             "correct": r.correct, "percent": round(r.percent, 1),
             "recent_percent": _round(recent.get(r.key))}
            for r in history.accuracy(bank_id, "domain")
        ],
        "weakest_topics": [
            {"topic": r.key, "answered": r.attempted, "correct": r.correct,
             "percent": round(r.percent, 1)}
            for r in history.weakest_topics(bank_id, WEAKEST)
        ],
        "min_answers": MIN_ANSWERS,
        "miss_streaks": [
            {"topic": topic, "run": run}
            for topic, run in top_streaks(history.miss_streaks(bank_id), WEAKEST)
        ],
        "strikes": {
            "struck": strikes.overall.struck, "in_key": strikes.overall.in_key,
            "accuracy": _round(strikes.overall.accuracy),
            "per_domain": [
                {"id": key, "label": label(key), "struck": s.struck, "in_key": s.in_key,
                 "accuracy": _round(s.accuracy)}
                for key, s in sorted(strikes.per_domain.items(), key=lambda i: i[0] or "")
            ],
        },
        "pacing": {
            "questions": pacing.overall.questions,
            "mean_seconds": round(pacing.overall.mean, 1),
            "budget_seconds": _round(pacing.budget),
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


def _score(attempt: AttemptRow | None) -> dict[str, Any] | None:
    if attempt is None:
        return None
    return {"attempt_id": attempt.id, "finished": attempt.finished,
            "percent": _round(attempt.percent), "scaled": attempt.scaled,
            "passed": attempt.passed, "status": attempt.status}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
