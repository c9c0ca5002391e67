"""Command implementations for the ``examsim`` command line, one module each.

Each module has ``run(args) -> int``. Bad input raises :class:`CommandError` (exit 2) or
a core ``BankError``; the entry point turns both into one line per problem on stderr.
"""

from __future__ import annotations


class CommandError(Exception):
    """Bad input or usage: printed as one line, exit code 2 unless told otherwise."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code
