"""The banks a user has: bundled, ./banks and the data dir's banks/, and BANK arguments.

Banks are loaded through the validated cache (:mod:`.bank_cache`): the same Bank as
``load_bank``, without parsing and validating an unchanged file again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.bank import Bank
from ..core.errors import BankError
from .bank_cache import load_cached
from .locations import bank_dirs, bank_files


@dataclass(frozen=True)
class BankEntry:
    """One bank file found: the bank when it loads, else its problems."""

    origin: str
    path: Path
    bank: Bank | None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.bank is not None


def discover(data: Path, cwd: Path | None = None) -> list[BankEntry]:
    """Every bank file in the usual places, loaded; a bad file is listed with its problems."""
    entries: list[BankEntry] = []
    for origin, folder in bank_dirs(data, cwd):
        for path in bank_files(folder):
            try:
                entries.append(BankEntry(origin, path, load_cached(path)))
            except BankError as exc:
                entries.append(BankEntry(origin, path, None, tuple(map(str, exc.problems))))
            except Exception as exc:  # one odd file must not hide the others
                problem = f"{path}: could not be loaded: {type(exc).__name__}: {exc}"
                entries.append(BankEntry(origin, path, None, (problem,)))
    return entries


class UnknownBank(LookupError):
    """A BANK argument that is neither a file nor the id of a bank found."""


def resolve(name: str, data: Path, cwd: Path | None = None) -> Bank:
    """Load BANK given as a path, or as the id (or file stem) of a bank found.

    Raises BankError for a bad file and UnknownBank, naming the banks found, otherwise.
    """
    path = Path(name).expanduser()
    if path.exists() or path.suffix.lower() in (".toml", ".json"):
        return load_cached(path)
    entries = discover(data, cwd)
    for entry in entries:
        if entry.bank is not None and name in (entry.bank.id, entry.path.stem):
            return entry.bank
    for entry in entries:
        if entry.bank is None and name == entry.path.stem:
            raise BankError.single(str(entry.path), "; ".join(entry.problems))
    known = ", ".join(sorted(e.bank.id for e in entries if e.bank is not None)) or "none"
    raise UnknownBank(f"no bank file or bank id {name!r}; banks found: {known}")
