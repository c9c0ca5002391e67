"""``examsim validate PATH...``: check bank files; exit 0 when all are valid, 2 otherwise."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import CommandError


def collect(paths: list[str]) -> list[Path]:
    """The bank files named: files as given, folders searched for *.toml and *.json."""
    from ..storage.locations import bank_files, bundled_banks_dir

    if not paths:
        bundled = bundled_banks_dir()
        if bundled is None:
            raise CommandError("no bundled banks found; name a file or folder to validate")
        paths = [str(bundled)]
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


def run(args: argparse.Namespace) -> int:
    from ..core.bank import load_bank
    from ..core.errors import BankError

    bad = 0
    for path in collect(args.paths):
        try:
            bank = load_bank(path)
        except BankError as exc:
            bad += 1
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        except Exception as exc:  # a bug in one file: report it, go on with the others
            bad += 1
            print(f"{path}: could not be loaded: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        if args.lint:
            from ..core.lint import lint

            issues = lint(bank)
            for issue in issues:
                print(f"{path}: lint: {issue}", file=sys.stderr)
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
