"""``examsim comments BANK``: the comments learners kept on a bank's questions (key c in
the review and in practice feedback), for the bank's author.

One line per comment, oldest first: where the question is (``file:line`` of its ``id``
in the bank file, core/formats/native.question_lines), its id, when the comment was made
(local time), a mark when the question has changed since, and the text. Everything
printed goes through the command line's SafeStream (control characters shown, never
run). BANK is a bank file or the id of a bank found; an id no bank has any more still
lists its comments, without lines.
"""

from __future__ import annotations

import argparse
import sys

from ..core.bank import Bank
from ..core.formats.native import question_lines
from ..core.timefmt import local_time
from ..storage.catalog import UnknownBank, resolve
from ..storage.locations import data_dir, history_path
from ..storage.records import CommentRow
from . import CommandError, open_history

CHANGED = "(changed since)"
GONE = "(no longer in the bank)"


def run(args: argparse.Namespace) -> int:
    bank: Bank | None = None
    try:
        bank = resolve(args.bank, data_dir(args.data_dir))
        bank_id = bank.id
    except UnknownBank as exc:
        bank_id, unknown = args.bank, str(exc)
    else:
        unknown = ""
    path = history_path(args.data_dir)
    found: list[CommentRow] = []
    with_comments: list[str] = []
    if path.exists():  # reading never creates a database
        with open_history(path, reading=True) as history:
            if history.notice:
                print(f"examsim: {history.notice}", file=sys.stderr)
            found = history.comments(bank_id)
            with_comments = history.comment_banks()
    if bank is None and not found:
        known = ", ".join(with_comments) or "none"
        raise CommandError(f"{unknown}; banks with comments: {known}")
    if not found:
        print(f"No comments on bank {bank_id} yet: press c on a question in the review, "
              "or after checking a practice answer.")
        return 0
    for line in lines(found, bank):
        print(line)
    return 0


def lines(comments: list[CommentRow], bank: Bank | None) -> list[str]:
    """One line per comment: place, question id, local time, changed mark, text."""
    places = _places(comments, bank)
    width = max(len(place) for place in places)
    out = []
    for comment, place in zip(comments, places, strict=True):
        mark = ""
        if bank is not None:
            if not bank.has_question(comment.question_id):
                mark = f" {GONE}"
            elif bank.question(comment.question_id).fingerprint != comment.question_hash:
                mark = f" {CHANGED}"
        out.append(f"{place:<{width}}  {comment.question_id}  {local_time(comment.created)}"
                   f"{mark}  {comment.text}")
    return out


def _places(comments: list[CommentRow], bank: Bank | None) -> list[str]:
    """``file:line`` of each comment's question; the file alone (or "-") when not found."""
    if bank is None or not bank.source:
        return ["-"] * len(comments)
    found = question_lines(bank.source, list(bank.question_ids()))
    return [f"{bank.source}:{found[c.question_id]}" if c.question_id in found
            else bank.source for c in comments]
