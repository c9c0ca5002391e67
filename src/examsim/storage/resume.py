"""`examsim resume`, the store side: find the newest unfinished attempt, its bank, restore it.

The exam screen then runs the session and keeps calling ``history.autosave`` with the
same attempt id.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.bank import Bank
from ..core.errors import BankError
from ..core.session import ExamSession
from .bank_cache import load_cached
from .catalog import discover
from .history import History, ResumeError
from .records import AttemptRow


@dataclass(frozen=True)
class Resumed:
    attempt: AttemptRow
    session: ExamSession


def find_bank(attempt: AttemptRow, data: Path, cwd: Path | None = None) -> Bank:
    """The bank an attempt was taken on: its file when that still holds the same bank id,
    else a bank with that id in the usual places. Raises ResumeError when there is none
    (the attempt stays in progress: the file may only be out of reach for now)."""
    if attempt.bank_source:
        path = Path(attempt.bank_source)
        if path.is_file():
            try:
                bank = load_cached(path)
            except BankError:
                bank = None
            if bank is not None and bank.id == attempt.bank_id:
                return bank
    for entry in discover(data, cwd):
        if entry.bank is not None and entry.bank.id == attempt.bank_id:
            return entry.bank
    where = f" (it was read from {attempt.bank_source})" if attempt.bank_source else ""
    raise ResumeError(
        f"attempt {attempt.id} is on bank {attempt.bank_id!r}, which is not found{where}; "
        "put the bank back, or run `examsim run` with its file"
    )


def resume_latest(
    history: History, data: Path, clock: Callable[[], float] = time.monotonic,
    cwd: Path | None = None,
) -> Resumed:
    """Restore the newest attempt in progress; ResumeError says why when it cannot."""
    unfinished = history.unfinished()
    if not unfinished:
        raise ResumeError("nothing to resume: no attempt is in progress")
    attempt = unfinished[0]
    bank = find_bank(attempt, data, cwd)
    return Resumed(attempt, history.resume(attempt.id, bank, clock))
