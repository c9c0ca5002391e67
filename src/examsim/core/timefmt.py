"""Times as people read them: stored UTC stamps shown in local time."""

from __future__ import annotations

from datetime import UTC, datetime


def local_time(stamp: str | None, *, seconds: bool = False) -> str:
    """A stored UTC ISO stamp ("2025-01-31T09:05:00Z") in local time, "2025-01-31 10:05"."""
    if not stamp:
        return "–"
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M" + (":%S" if seconds else ""))
