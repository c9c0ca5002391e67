"""The exam timer: time left (or time used when untimed) and a pace hint.

The widget keeps no time of its own: every redraw asks the session (``remaining()``,
``elapsed()``), and its interval only redraws and calls ``session.tick()``. When a tick
reports that time ran out the widget posts :class:`ExamTimer.TimeUp` once.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from textual.content import Content
from textual.message import Message
from textual.widget import Widget

if TYPE_CHECKING:
    from ...core.session import ExamSession

WARNING_AT = 10 * 60
ERROR_AT = 5 * 60
PACE_SLACK = 60  # seconds either way that still count as "on pace"


def clock_text(seconds: float, *, up: bool = False) -> str:
    """``m:ss`` or ``h:mm:ss``; time left rounds up (0:00 only at the end), time used down.
    A figure that is not finite (a damaged record) is "–"."""
    if not math.isfinite(seconds):
        return "–"
    total = math.floor(seconds) if up else math.ceil(seconds)
    total = max(0, total)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def pace_hint(elapsed: float, answered: int, count: int, time_limit: float | None) -> str:
    """"ahead 3m" / "behind 2m" against the budget for the questions answered so far."""
    if time_limit is None or count <= 0 or answered <= 0:
        return ""
    budget = time_limit * min(answered, count) / count
    margin = budget - elapsed
    if abs(margin) < PACE_SLACK:
        return "on pace"
    minutes = round(abs(margin) / 60)
    return f"ahead {minutes}m" if margin > 0 else f"behind {minutes}m"


class ExamTimer(Widget):
    """Time left with a pace hint; warning and error classes as the end nears."""

    DEFAULT_CSS = """
    ExamTimer {
        width: auto;
        height: 1;
        padding: 0 1;
        color: $text;
        text-style: bold;
    }
    ExamTimer.-warning { color: $text-warning; background: $warning-muted; }
    ExamTimer.-error { color: $text-error; background: $error-muted; }
    """

    class TimeUp(Message):
        """The session ended because its time ran out."""

    def __init__(
        self,
        session: ExamSession,
        *,
        interval: float = 0.5,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.session = session
        self.interval = interval
        self._announced = False
        self._shown = ""

    def on_mount(self) -> None:
        self._sync_classes()
        self.set_interval(self.interval, self.update_time)

    def update_time(self) -> None:
        """Account time through the session, redraw, and post TimeUp once when it ran out."""
        time_up = self.session.tick()
        self._sync_classes()
        self.redraw()
        if time_up and not self._announced:
            self._announced = True
            self.post_message(self.TimeUp())

    def redraw(self) -> None:
        """Redraw only when the text changed (a key can change the pace hint), and lay
        out again only when its width did: a key press should not cost a layout pass."""
        text = self._text()
        if text != self._shown:
            self.refresh(layout=len(text) != len(self._shown))

    def _text(self) -> str:
        session = self.session
        remaining = session.remaining()
        if remaining is None:
            return f"{clock_text(session.elapsed(), up=True)} used"
        text = f"{clock_text(remaining)} left"
        if session.finished:
            return "time up" if session.end_reason == "time_up" else text
        hint = pace_hint(session.elapsed(), session.answered, session.count, session.time_limit)
        return f"{text} · {hint}" if hint else text

    def _sync_classes(self) -> None:
        remaining = self.session.remaining()
        self.set_class(remaining is not None and ERROR_AT < remaining <= WARNING_AT, "-warning")
        self.set_class(remaining is not None and remaining <= ERROR_AT, "-error")

    def render(self) -> Content:
        self._shown = self._text()
        return Content(self._shown)
