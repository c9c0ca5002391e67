"""A plan's question ids from history (missed / flagged / due), its recency, and why a
plan cannot start: what the command line and the app's services share
(commands/app.py, tui/app_services.py)."""

from __future__ import annotations

import dataclasses

from ..core.assemble import AttemptPlan
from ..core.bank import Bank
from ..core.due import end_of_day, interleave
from .history import History


def recency(bank: Bank, history: History, plan: AttemptPlan) -> dict[str, int] | None:
    """When each question was last seen, for a plan that prefers fresh questions."""
    return history.last_seen(bank.id) if plan.prefer_fresh else None


def with_history_ids(bank: Bank, history: History, plan: AttemptPlan) -> AttemptPlan:
    """Fill in the question ids of a missed / flagged / due plan that has none."""
    if plan.mode not in ("missed", "flagged", "due") or plan.question_ids:
        return plan
    if plan.mode == "due":
        ids = due_ids(bank, history)
    elif plan.mode == "missed":
        ids = history.missed_ids(bank.id)
    else:
        ids = history.flagged_ids(bank.id)
    return dataclasses.replace(plan, question_ids=tuple(ids))


def due_ids(bank: Bank, history: History) -> list[str]:
    """The questions due for review before the end of today (local time), most overdue
    first, interleaved across domains (core/due.py)."""
    due = history.due(bank.id, end_of_day(history.now()))
    return interleave([(qid, domain) for qid, domain in due if bank.has_question(qid)])


def explain(bank: Bank, plan: AttemptPlan, exc: Exception) -> str:
    """A user-facing reason why ``plan`` cannot start on ``bank``."""
    if plan.mode in ("missed", "flagged", "due") and not plan.question_ids:
        if plan.mode == "due":
            return (f"nothing is due for review on {bank.title!r} today: a question you "
                    "answer wrong is due again the same day, one you answer right after "
                    "a day or more")
        if plan.mode == "missed":
            return (f"no missed questions on {bank.title!r} yet: the questions you answer "
                    "wrong in a finished attempt are asked here")
        return (f"no flagged questions on {bank.title!r} yet: the questions you flag (m) "
                "in a finished attempt are asked here")
    return str(exc)
