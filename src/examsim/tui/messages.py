"""What a screen asks the app for: the app (tui/app.py) is the one place that opens,
switches and closes the screens the user navigates between.

A screen posts one of these (``self.post_message(OpenStats(bank_id))``); it bubbles up to
``ExamSimApp``, whose ``@on(...)`` handler opens the screen or starts the attempt. A
screen still opens its own dialogs (help, confirm, the export path, a comment, the
scratchpad, the review grid) and reads their answer in a callback.

The results screen's keys and the end of an attempt are messages of their screens
(``ResultsScreen.ReviewRequested`` / ``StatsRequested`` / ``Leave``,
``ExamScreen.Finished``); the app handles them too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from ..core.assemble import AttemptPlan
    from ..core.bank import Bank


class StartAttempt(Message):
    """Start ``plan`` on ``bank`` and show it (review r: retry these; stats d / m)."""

    def __init__(self, bank: Bank, plan: AttemptPlan) -> None:
        super().__init__()
        self.bank = bank
        self.plan = plan


class OpenStartForm(Message):
    """The start form of ``bank`` (home enter); the attempt it starts is shown."""

    def __init__(self, bank: Bank, mode: str = "exam") -> None:
        super().__init__()
        self.bank = bank
        self.mode = mode


class ResumeAttempt(Message):
    """Continue the attempt in progress ``attempt_id`` (home enter / r); None (palette
    "Resume"): back to the attempt on screen, else the newest one in progress."""

    def __init__(self, attempt_id: int | None = None) -> None:
        super().__init__()
        self.attempt_id = attempt_id


class GoHome(Message):
    """Back to the home screen (palette "Start an exam")."""


class OpenStats(Message):
    """The stats of ``bank_id``; None: the bank of the last finished attempt."""

    def __init__(self, bank_id: str | None = None) -> None:
        super().__init__()
        self.bank_id = bank_id


class OpenHistory(Message):
    """Every attempt (home h, stats h)."""


class OpenReview(Message):
    """The review of ``attempt_id``; None: the last finished attempt."""

    def __init__(self, attempt_id: int | None = None) -> None:
        super().__init__()
        self.attempt_id = attempt_id
