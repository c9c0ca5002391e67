"""What the screens may ask of the rest of examsim, beyond the session they show.

The app gets one object that implements :class:`Services` (``build_app(services=...)``,
required): the command line passes :class:`examsim.tui.app_services.AppServices` (over the
history database and the bank catalog); the Pilot tests pass their one complete fake
(tests/tui/fakes.py). Screens never open files or databases themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from ..core.frozen import Frozen, _set

if TYPE_CHECKING:
    from pathlib import Path

    from ..core.assemble import Assembly, AttemptPlan
    from ..core.bank import Bank
    from ..core.session import ExamSession
    from ..storage.history import History
    from ..storage.overview import BankOverview, InProgress
    from ..storage.records import AttemptRow


class ServiceError(Exception):
    """A request that cannot be met; the message is for the user, as it is."""


class Overview(Frozen):
    """Everything the home screen lists (each list a new one when not given)."""

    __slots__ = __match_args__ = ("banks", "unfinished", "notices")
    banks: list[BankOverview]
    unfinished: list[InProgress]
    notices: list[str]  # e.g. an attempt set aside

    def __init__(self, banks: list[BankOverview] | None = None,
                 unfinished: list[InProgress] | None = None,
                 notices: list[str] | None = None) -> None:
        _set(self, "banks", [] if banks is None else banks)
        _set(self, "unfinished", [] if unfinished is None else unfinished)
        _set(self, "notices", [] if notices is None else notices)


class Services(Protocol):
    @property
    def history(self) -> History:
        """The history the review, stats and history screens and comments read."""
        ...

    @property
    def data(self) -> Path:
        """The data dir (banks/ in it; settings.json; exports/)."""
        ...

    @property
    def can_start(self) -> bool:
        """Attempts can be started here (False: a history that cannot be written); the
        review's r and the stats' d / m are offered only then."""
        ...

    @property
    def exports(self) -> Path | None:
        """The folder the CSV export dialog proposes (None: the current folder)."""
        ...

    def attempt_id(self, session: ExamSession) -> int | None:
        """The attempt a session this object started or resumed is recorded as."""
        ...

    def find_bank(self, bank_id: str, attempt: AttemptRow | None = None) -> Bank | None:
        """The bank with this id: the file ``attempt`` (default: the bank's newest
        attempt) was taken on when it still holds that bank, else a bank found with that
        id; None when there is none. The one way the TUI finds a bank."""
        ...

    def overview(self) -> Overview:
        """The banks found with their scores, and the attempts in progress."""
        ...

    def mode_counts(self, bank: Bank) -> dict[str, int]:
        """How many questions missed / flagged / due modes would ask on ``bank``."""
        ...

    def preview(self, bank: Bank, plan: AttemptPlan) -> Assembly:
        """What ``start`` would give, without starting; ServiceError says why not."""
        ...

    def start(self, bank: Bank, plan: AttemptPlan) -> ExamSession:
        """Start and record a new attempt; ServiceError says why it cannot."""
        ...

    def resume(self, attempt_id: int) -> ExamSession:
        """Restore an attempt in progress (it may come back finished: time ran out while
        away); ServiceError says why it cannot."""
        ...

    def abandon(self, attempt_id: int) -> None:
        """Give up an attempt in progress (its answers so far are kept in history)."""
        ...

    def release(self, session: ExamSession) -> None:
        """The app no longer shows ``session`` (left for the home screen unfinished): stop
        saving it; resuming its attempt restores it from its last save."""
        ...

    def save(self, session: ExamSession) -> None:
        """Autosave a session this object started or resumed (the app's on_change)."""
        ...

    def finish(self, session: ExamSession) -> None:
        """Store a submitted session (the app's on_finish)."""
        ...
