"""What is due today and in what order: the day's end and the interleaving of the due
questions (core/spaced.py holds the scheduler that sets each card's due time).

Kept apart from core/spaced.py so that what reads due counts and plans a ``due`` attempt
(the home screen, storage/plans.py, ``examsim run``) does not import the scheduler (fsrs).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta, tzinfo


def end_of_day(now: datetime, zone: tzinfo | None = None) -> datetime:
    """The end of ``now``'s day in ``zone`` (default: the machine's local zone), in UTC:
    "due today" means due before this moment."""
    local = now.astimezone(zone) if zone is not None else now.astimezone()
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), local.tzinfo)
    return midnight.astimezone(UTC)


def interleave(items: Sequence[tuple[str, str | None]]) -> list[str]:
    """Question ids from (id, domain) pairs given most overdue first, reordered so that
    no two of the same domain follow each other while another domain remains; otherwise
    the order is kept (greedy: the most overdue of another domain comes next)."""
    left = list(items)
    order: list[str] = []
    previous: str | None = None
    first = True
    while left:
        pick = 0
        if not first:
            for index, (_, domain) in enumerate(left):
                if domain != previous:
                    pick = index
                    break
        qid, previous = left.pop(pick)
        first = False
        order.append(qid)
    return order
