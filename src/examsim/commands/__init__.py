"""Command implementations for the ``examsim`` command line, one module each.

Each module has ``run(args) -> int``. Bad input raises :class:`CommandError` (exit 2) or
a core ``BankError``; the entry point turns both into one line per problem on stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.bank import Bank
    from ..storage.history import History


class CommandError(Exception):
    """Bad input or usage: printed as one line, exit code 2 unless told otherwise."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def open_history(path: Path, *, reading: bool = False) -> History:
    """The history database for a command; ``reading``: the command only reads it (stats,
    export), so a read-only data dir or file is fine. Any failure to open it (a folder
    where the file should be, an unreadable file, a link to /dev/null) is a CommandError
    (exit 2) with one line saying what and where, never a traceback."""
    # A documented lazy import (docs/performance.md): the command line imports this
    # package first, for CommandError; sqlite3 and the history (and below, the bank
    # models) are imported by the commands that open them, not by validate or --help.
    import sqlite3

    from ..storage.db import StoreError
    from ..storage.history import History

    try:
        return History.for_reading(path) if reading else History(path)
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    except (OSError, sqlite3.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise CommandError(f"cannot open the history database {path}: {reason}") from None


def bank_by_id(bank_id: str, data_dir: str | None) -> Bank | None:
    """The bank with this id among the banks found (bundled, ./banks, the data dir's), or
    None when none has it or they cannot be read: figures that need the bank (domain
    sizes, weights, the pass mark) are then left out or say so."""
    from ..core.errors import BankError
    from ..storage.catalog import discover
    from ..storage.locations import data_dir as find_data_dir

    try:
        for entry in discover(find_data_dir(data_dir)):
            if entry.bank is not None and entry.bank.id == bank_id:
                return entry.bank
    except (BankError, OSError):
        return None
    return None
