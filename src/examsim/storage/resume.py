"""Which bank an attempt was taken on: the one way to find a bank by id (the app's
services, `examsim resume`, `review`, `export --anki`). Restoring the attempt itself is
``History.resume``, called by the services' ``resume`` (tui/app_services.py).
"""

from __future__ import annotations

from pathlib import Path

from ..core.bank import Bank
from ..core.errors import BankError
from .bank_cache import load_cached
from .catalog import discover
from .history import ResumeError
from .records import AttemptRow


def locate_bank(
    bank_id: str, data: Path, cwd: Path | None = None, source: str | None = None
) -> Bank | None:
    """The one way to find a bank by id: the file ``source`` (where an attempt was read
    from) when it still holds a bank of that id, else a bank with that id in the usual
    places (storage/catalog.py); None when there is none."""
    if source:
        path = Path(source)
        if path.is_file():
            try:
                bank = load_cached(path)
            except BankError:
                bank = None
            if bank is not None and bank.id == bank_id:
                return bank
    for entry in discover(data, cwd):
        if entry.bank is not None and entry.bank.id == bank_id:
            return entry.bank
    return None


def find_bank(attempt: AttemptRow, data: Path, cwd: Path | None = None) -> Bank:
    """The bank an attempt was taken on (:func:`locate_bank`). Raises ResumeError when
    there is none (the attempt stays in progress: the file may only be out of reach for
    now)."""
    bank = locate_bank(attempt.bank_id, data, cwd, attempt.bank_source)
    if bank is not None:
        return bank
    where = f" (it was read from {attempt.bank_source})" if attempt.bank_source else ""
    raise ResumeError(
        f"attempt {attempt.id} is on bank {attempt.bank_id!r}, which is not found{where}; "
        "put the bank back, or run `examsim run` with its file"
    )
