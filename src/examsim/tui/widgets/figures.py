"""Small text helpers shared by the review, stats and history screens."""

from __future__ import annotations

from ...core.safe_text import shown
from .timer import clock_text


def duration(seconds: float | None) -> str:
    """Time used, m:ss or h:mm:ss ("–" when unknown)."""
    return "–" if seconds is None else clock_text(seconds, up=True)


def plural(count: float, word: str, words: str | None = None) -> str:
    shown = f"{count:g}" if isinstance(count, float) else str(count)
    return f"{shown} {word if count == 1 else (words or word + 's')}"


def clip(text: str, width: int) -> str:
    """The first line of ``text``, whitespace folded, cut to ``width`` cells with an ellipsis."""
    line = " ".join(shown(text).split())
    return line if len(line) <= width else line[: max(0, width - 1)].rstrip() + "…"
