"""``examsim validate [PATH...]``: check bank files; exit 0 when all are valid, 2 otherwise.

It always reports control characters in bank text (problems: the file is invalid) and
warns of bidi controls (a ``warning`` line; the bank stays valid). With ``--lint`` it
also prints one "figures" line per bank (core/lint_content.py); with
``--profile professional`` (which implies ``--lint``) figures outside that level's limits
are lint errors. With no PATH it checks every bank file examsim would offer (storage/catalog.py
``discover``): the bundled banks, ./banks and the banks/ folder of the data dir, and says
first which folders, and how many files in each, it checked.

Every finding is one line of one format (core/errors.Problem with a kind):
``FILE:LINE: KIND: question ID (#N): FIELD: MESSAGE``, leaving out what is unknown.
KIND is ``error`` (the file is invalid: a format problem, control characters, a lint
error with ``--lint``), ``warning`` (bidi controls: the bank stays valid) or ``note``
(a lint note). A file's findings come in line order.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ..core.bank import Bank
from ..core.errors import BankError, Problem
from ..core.formats.native import load_bank, place_lines, question_lines
from ..core.lint import bidi_controls, control_characters, lint
from ..core.lint_content import PROFILES, figures
from ..core.lint_issue import LintIssue
from ..storage.catalog import clash_problem, discover, id_clashes
from ..storage.locations import bank_dirs, bank_files, data_dir, user_banks_dir
from . import CommandError

# one bank file checked: its path, the bank when it loads, else its problems (one line each)
Checked = tuple[Path, "Bank | None", tuple[str, ...]]


def collect(paths: list[str]) -> list[Path]:
    """The bank files named: files as given, folders searched for *.toml and *.json."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = bank_files(path)
            if not found:
                raise CommandError(f"{name}: no .toml or .json files in this folder")
            files.extend(found)
        else:
            files.append(path)
    return files


def load(files: list[Path]) -> Iterator[Checked]:
    for path in files:
        try:
            yield path, load_bank(path), ()
        except BankError as exc:
            yield path, None, tuple(str(p.with_kind(ERROR))
                                    for p in exc.problems)
        except Exception as exc:  # a bug in one file: report it, go on with the others
            yield path, None, (error(path, f"could not be loaded: {type(exc).__name__}: "
                                           f"{exc}"),)


ERROR = "error"
KINDS = {"error": ERROR, "warning": "warning", "note": "note"}  # LintIssue.severity -> kind


def error(path: Path, message: str) -> str:
    """A finding about the whole file (no line, question or field)."""
    return str(Problem(file=str(path), message=message, kind=ERROR))


def _whole_file(path: Path, line: str) -> str:
    """A catalog's one-line problem (``PATH: message``) as a finding of that file."""
    return error(path, line.removeprefix(f"{path}: "))


def discovered(data: Path) -> list[Checked]:
    """Every bank file examsim would offer, checked, after a line saying where they are."""
    entries = discover(data)
    if not entries:
        raise CommandError(f"no bank files found (bundled, ./banks or {user_banks_dir(data)}); "
                           "name a file or folder to validate")
    counts = Counter(entry.origin for entry in entries)
    folders = [f"{origin} {folder} ({counts[origin]})" for origin, folder in bank_dirs(data)
               if counts[origin]]
    if not counts["data dir"]:  # the folder a user puts banks in: say it was looked at
        folders.append(f"data dir {user_banks_dir(data)} (0)")
    files = len(entries)
    print(f"checking {files} bank file{'s' if files != 1 else ''}: {', '.join(folders)}")
    checked: list[Checked] = []
    for entry in entries:
        if entry.bank is not None:
            checked.append((entry.path, entry.bank, ()))
        elif entry.clash_id is not None:
            checked.append((entry.path, None, tuple(_whole_file(entry.path, p)
                                                    for p in entry.problems)))
        else:  # read again for the problems one by one, located (the catalog keeps text)
            checked.extend(load([entry.path]))
    return checked


def refuse_clashes(checked: list[Checked], data: Path) -> list[Checked]:
    """The files checked, those whose bank id another of them, or a bank examsim offers
    (storage/catalog.py), uses too turned into a problem naming the other file."""
    found = [(path, bank.id) for path, bank, _ in checked if bank is not None]
    named = set(path for path, _ in found)
    for entry in discover(data):
        bank_id = entry.bank.id if entry.bank is not None else entry.clash_id
        if bank_id is not None:
            found.append((entry.path, bank_id))
    clashing = id_clashes(found)
    return [(path, None, (_whole_file(path, clash_problem(path, bank.id, clashing[path])),))
            if bank is not None and path in clashing and path in named else (path, bank, problems)
            for path, bank, problems in checked]


def run(args: argparse.Namespace) -> int:
    if args.paths:
        checked = refuse_clashes(list(load(collect(args.paths))), data_dir(args.data_dir))
    else:
        checked = discovered(data_dir(args.data_dir))
    bad = 0
    for path, bank, problems in checked:
        if bank is None:
            bad += 1
            for problem in problems:
                print(problem, file=sys.stderr)
            continue
        profile_name = getattr(args, "profile", None)
        issues = control_characters(bank) + bidi_controls(bank)
        if args.lint or profile_name:  # --profile implies --lint
            profile = PROFILES[profile_name] if profile_name else None
            issues += lint(bank, profile)
            print(f"{path}: figures: {figures(bank).line()}")
        if issues:
            for finding in findings(path, bank, issues):
                print(finding, file=sys.stderr)
            if any(issue.severity == "error" for issue in issues):
                bad += 1
                continue
        questions, domains = len(bank.questions), len(bank.domains)
        print(
            f"{path}: ok: {bank.id}, {questions} question{'s' if questions != 1 else ''}, "
            f"{domains} domain{'s' if domains != 1 else ''}"
        )
    if bad:
        print(f"{bad} invalid bank file{'s' if bad != 1 else ''}", file=sys.stderr)
        return 2
    return 0


def findings(path: Path, bank: Bank, issues: list[LintIssue]) -> list[str]:
    """The issues of a bank that loads, each one located line (a kind, the question's id
    and number, the field), in line order (those without a line first, as found)."""
    ids = [q.id for q in bank.questions]
    numbers = {qid: index + 1 for index, qid in enumerate(ids)}
    lines: dict[str, int] = {}
    if any(issue.question and not issue.where for issue in issues):
        lines = question_lines(path, ids)
    places = place_lines(path, [i.where for i in issues if i.where], ids)
    found: list[Problem] = []
    for issue in issues:
        line = places.get(issue.where) if issue.where else lines.get(issue.question or "")
        number = issue.where[1] + 1 if issue.where[:1] == ("questions",) and \
            isinstance(issue.where[1], int) else numbers.get(issue.question or "")
        found.append(Problem(file=str(path), message=issue.message, line=line,
                             question=issue.question, number=number, field=issue.field,
                             kind=KINDS[issue.severity]))
    found.sort(key=lambda problem: problem.line or 0)
    return [str(problem) for problem in found]
