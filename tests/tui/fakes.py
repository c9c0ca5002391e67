"""The one fake of tui/services.py's ``Services`` that every Pilot test passes to the app.

It implements the whole Protocol over a real History (the tests' own, or one in a temp
folder opened on first use) and banks held in memory, and records what the app asked:
``plans`` (start), ``resumed``, ``released``, ``abandoned``, ``saves``, ``finished``. A
session it started is not recorded in the history unless ``record=True`` (or the test
calls :meth:`know`); ``attempt_id`` then says None, as for a session the history does
not hold. ``can_start`` is False unless asked for: the review's r and the stats' d / m are
then not offered (as the screens' snapshots show them). ``exports`` (None: the current
folder) is where the CSV export dialog proposes to write.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

from examsim.core.assemble import AssembleError, Assembly, AttemptPlan, assemble
from examsim.core.bank import Bank
from examsim.core.session import ExamSession
from examsim.storage.history import History, HistoryError
from examsim.storage.records import AttemptRow
from examsim.tui.services import Overview, ServiceError, Services


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeServices:
    """Services over ``history`` (default: a new one in a temp folder) and ``banks``."""

    def __init__(
        self,
        history: History | None = None,
        data: Path | None = None,
        banks: Bank | Iterable[Bank] = (),
        *,
        clock: FakeClock | None = None,
        record: bool = False,
        can_start: bool = False,
        exports: Path | None = None,
    ) -> None:
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        if data is None:
            self._folder = tempfile.TemporaryDirectory(prefix="examsim-fake-")
            data = Path(self._folder.name)
        self._data = data
        self._history = history
        self.banks = {b.id: b for b in ([banks] if isinstance(banks, Bank) else banks)}
        self.clock = clock or FakeClock()
        self.record = record
        self._can_start = can_start
        self._exports = exports
        self.ids: dict[int, int] = {}  # id(session) -> attempt id
        self.plans: list[AttemptPlan] = []
        self.resumed: list[int] = []
        self.released: list[ExamSession] = []
        self.abandoned: list[int] = []
        self.saves = 0
        self.finished: list[ExamSession] = []

    @property
    def history(self) -> History:
        if self._history is None:
            self._history = History(self._data / "history.sqlite3")
        return self._history

    @property
    def data(self) -> Path:
        return self._data

    @property
    def can_start(self) -> bool:
        return self._can_start

    @property
    def exports(self) -> Path | None:
        return self._exports

    @property
    def bank(self) -> Bank:
        """The one bank (tests with a single bank)."""
        (only,) = self.banks.values()
        return only

    def know(self, session: ExamSession, attempt_id: int) -> None:
        """``session`` is attempt ``attempt_id`` in the history."""
        self.ids[id(session)] = attempt_id

    # -- the Protocol ---------------------------------------------------------------------

    def attempt_id(self, session: ExamSession) -> int | None:
        return self.ids.get(id(session))

    def find_bank(self, bank_id: str, attempt: AttemptRow | None = None) -> Bank | None:
        return self.banks.get(bank_id)

    def overview(self) -> Overview:
        return Overview()

    def mode_counts(self, bank: Bank) -> dict[str, int]:
        return {"missed": len(self.history.missed_ids(bank.id)),
                "flagged": len(self.history.flagged_ids(bank.id)), "due": 0}

    def preview(self, bank: Bank, plan: AttemptPlan) -> Assembly:
        try:
            return assemble(bank, plan)
        except AssembleError as exc:
            raise ServiceError(str(exc)) from None

    def start(self, bank: Bank, plan: AttemptPlan) -> ExamSession:
        self.plans.append(plan)
        try:
            session = ExamSession.start(bank, plan, clock=self.clock)
        except AssembleError as exc:
            raise ServiceError(str(exc)) from None
        if self.record:
            self.know(session, self.history.start_attempt(session))
        return session

    def resume(self, attempt_id: int) -> ExamSession:
        self.resumed.append(attempt_id)
        row = self.history.attempt(attempt_id)
        bank = self.banks.get(row.bank_id) if row is not None else None
        if row is None or bank is None:
            raise ServiceError(f"there is no attempt {attempt_id} on a bank at hand")
        try:
            session = self.history.resume(attempt_id, bank, self.clock)
        except HistoryError as exc:
            raise ServiceError(str(exc)) from None
        self.know(session, attempt_id)
        return session

    def abandon(self, attempt_id: int) -> None:
        self.abandoned.append(attempt_id)
        self.history.abandon(attempt_id, "abandoned from the home screen")

    def release(self, session: ExamSession) -> None:
        self.released.append(session)

    def save(self, session: ExamSession) -> None:
        self.saves += 1
        if (attempt_id := self.attempt_id(session)) is not None and not session.finished:
            self.history.autosave(attempt_id, session)

    def finish(self, session: ExamSession) -> None:
        self.finished.append(session)
        if (attempt_id := self.attempt_id(session)) is not None:
            self.history.finish(attempt_id, session)


def _complete(services: FakeServices) -> Services:
    return services  # mypy checks here that the fake implements the whole Protocol
