"""``examsim export --anki FILE.apkg [--bank ID] [--missed | --flagged | --due | --all]``.

An Anki deck of a bank's questions (storage/anki.py builds it). ``--bank`` takes a bank
id or file, as ``examsim run`` does; without it, the bank of the last finished attempt.
``--all`` (the default) exports every question, ``--missed`` those whose newest answer
in history was wrong or unanswered, ``--flagged`` those flagged the last time they were
seen, ``--due`` those due for spaced review today (docs/learning.md). ``FILE`` may be a
folder: ``examsim-BANK.apkg`` (``-missed``/``-flagged``) is
written inside it. An existing file is never overwritten without ``--force``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.due import end_of_day
from ..storage.anki import AnkiWriteError, cards, write_deck
from ..storage.catalog import UnknownBank, resolve
from ..storage.history import History, ResumeError
from ..storage.locations import data_dir, history_path
from ..storage.resume import find_bank
from . import CommandError

CSV_ONLY = (("attempt", "--attempt"), ("last", "--last"), ("output", "-o/--output"))


def run(args: argparse.Namespace) -> int:
    for name, flag in CSV_ONLY:
        if getattr(args, name, None):
            raise CommandError(f"{flag} chooses attempts for CSV; with --anki choose "
                               "questions with --missed, --flagged, --due or --all")
    selection = ("missed" if args.missed else "flagged" if args.flagged
                 else "due" if getattr(args, "due", False) else "all")
    bank = _bank(args)
    if selection == "all":
        chosen = cards(bank)
    else:
        wanted = _history_ids(args, bank.id, selection)
        in_bank = set(bank.question_ids())
        gone = [qid for qid in wanted if qid not in in_bank]
        if gone:
            print(f"examsim: note: {len(gone)} {selection} question"
                  f"{'s are' if len(gone) != 1 else ' is'} no longer in bank {bank.id!r}; "
                  "left out", file=sys.stderr)
        chosen = cards(bank, wanted)
        if not chosen:
            raise CommandError(f"no {selection} questions on bank {bank.id!r}: "
                               "nothing to export, no deck written", code=1)
    path = Path(args.anki).expanduser()
    if path.is_dir():
        suffix = "" if selection == "all" else f"-{selection}"
        path = path / f"examsim-{bank.id}{suffix}.apkg"
    try:
        write_deck(path, bank, chosen, force=args.force)
    except AnkiWriteError as exc:
        raise CommandError(str(exc)) from None
    print(f"wrote {len(chosen)} note{'s' if len(chosen) != 1 else ''} to {path}")
    return 0


def _bank(args: argparse.Namespace):
    data = data_dir(args.data_dir)
    if args.bank is not None:
        try:
            return resolve(args.bank, data)
        except UnknownBank as exc:
            raise CommandError(str(exc)) from None
    last = None
    if history_path(args.data_dir).exists():
        with History(history_path(args.data_dir)) as history:
            last = history.last_finished()
    if last is None:
        raise CommandError("no finished attempt to take the bank from: name it with --bank ID")
    try:
        return find_bank(last, data)  # its file, else a bank with its id
    except ResumeError as exc:
        raise CommandError(f"{exc}; or name the bank with --bank ID") from None


def _history_ids(args: argparse.Namespace, bank_id: str, selection: str) -> list[str]:
    path = history_path(args.data_dir)
    if not path.exists():  # exporting never creates a database
        raise CommandError(f"no history yet: --{selection} needs finished attempts")
    with History(path) as history:
        if history.notice:
            print(f"examsim: {history.notice}", file=sys.stderr)
        if selection == "missed":
            return history.missed_ids(bank_id)
        if selection == "due":
            return [qid for qid, _ in history.due(bank_id, end_of_day(history.now()))]
        return history.flagged_ids(bank_id)
