"""The banks a user has: bundled, ./banks and the data dir's banks/, and BANK arguments.

Banks are loaded through the validated cache (:mod:`.bank_cache`): the same Bank as
``load_bank``, without parsing and validating an unchanged file again.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..core.bank import Bank
from ..core.errors import BankError
from ..core.frozen import Frozen, _set
from .bank_cache import load_cached
from .locations import bank_dirs, bank_files


class BankEntry(Frozen):
    """One bank file found: the bank when it loads, else its problems. A bank whose id
    another file found uses too is refused (``clash_id`` is that id): run, resume and
    history would not know which of the two an attempt belongs to."""

    __slots__ = __match_args__ = ("origin", "path", "bank", "problems", "clash_id")
    origin: str
    path: Path
    bank: Bank | None
    problems: tuple[str, ...]
    clash_id: str | None

    def __init__(self, origin: str, path: Path, bank: Bank | None,
                 problems: tuple[str, ...] = (), clash_id: str | None = None) -> None:
        _set(self, "origin", origin)
        _set(self, "path", path)
        _set(self, "bank", bank)
        _set(self, "problems", problems)
        _set(self, "clash_id", clash_id)

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
    found = [(entry.path, entry.bank.id) for entry in entries if entry.bank is not None]
    clashing = id_clashes(found)
    return [entry if entry.bank is None or entry.path not in clashing else
            BankEntry(entry.origin, entry.path, None,
                      (clash_problem(entry.path, entry.bank.id, clashing[entry.path]),),
                      entry.bank.id)
            for entry in entries]


def _same_file(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def id_clashes(found: Iterable[tuple[Path, str]]) -> dict[Path, list[Path]]:
    """For each file whose bank id another file uses too, those other files. ``found``
    holds (path, bank id) pairs; one file named twice (two routes to it) is no clash."""
    by_id: dict[str, dict[Path, Path]] = {}
    for path, bank_id in found:
        by_id.setdefault(bank_id, {}).setdefault(_same_file(path), path)
    clashes: dict[Path, list[Path]] = {}
    for files in by_id.values():
        if len(files) > 1:
            for real, path in files.items():
                clashes[path] = [other for key, other in files.items() if key != real]
    return clashes


def clash_problem(path: Path, bank_id: str, others: list[Path]) -> str:
    """The one line that says a bank's id is taken, naming both files."""
    names = ", ".join(str(other) for other in others)
    return (f"{path}: bank id {bank_id!r} is also the id of {names}; two banks cannot "
            "share an id (their histories would mix): give one of them another "
            "[bank] id, or remove one")


def taken_ids(data: Path, cwd: Path | None = None, *, but: Path | None = None) -> dict[str, Path]:
    """The bank ids of the banks found (refused duplicates too), each with a file that
    holds it; ``but``: a file to leave out (one about to be overwritten)."""
    skip = _same_file(but) if but is not None else None
    taken: dict[str, Path] = {}
    for entry in discover(data, cwd):
        bank_id = entry.bank.id if entry.bank is not None else entry.clash_id
        if bank_id is not None and _same_file(entry.path) != skip:
            taken.setdefault(bank_id, entry.path)
    return taken


class UnknownBank(LookupError):
    """A BANK argument that is neither a file nor the id of a bank found."""


def resolve(name: str, data: Path, cwd: Path | None = None) -> Bank:
    """Load BANK given as a path, or as the id (or file stem) of a bank found.

    Raises BankError for a bad file and UnknownBank, naming the banks found, otherwise.
    """
    path = Path(name).expanduser()
    if path.exists() or path.suffix.lower() in (".toml", ".json"):
        bank = load_cached(path)
        entries = discover(data, cwd)
        found = [(e.path, e.bank.id if e.bank is not None else e.clash_id) for e in entries]
        clashing = id_clashes([(path, bank.id)] + [(p, i) for p, i in found if i is not None])
        if path in clashing:
            raise BankError.single(str(path), clash_problem(path, bank.id, clashing[path])
                                   .removeprefix(f"{path}: "))
        return bank
    entries = discover(data, cwd)
    for entry in entries:
        if entry.bank is not None and name in (entry.bank.id, entry.path.stem):
            return entry.bank
    for entry in entries:
        if entry.bank is None and name == entry.clash_id:
            raise BankError.single(str(entry.path),
                                   entry.problems[0].removeprefix(f"{entry.path}: "))
        if entry.bank is None and name == entry.path.stem:
            try:  # raises its own problems, each located, as `run PATH` gives them
                load_cached(entry.path)
            except BankError:
                raise
            except Exception:  # cannot be read at all: the problem discover noted says so
                pass
            raise BankError.single(str(entry.path), "; ".join(
                p.removeprefix(f"{entry.path}: ") for p in entry.problems))
    known = ", ".join(sorted(e.bank.id for e in entries if e.bank is not None)) or "none"
    raise UnknownBank(f"no bank file or bank id {name!r}; banks found: {known}")
