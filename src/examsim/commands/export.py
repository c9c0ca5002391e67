"""``examsim export [--attempt ID | --last | --all] [-o FILE.csv] [--force] [--excel]``.

Without a choice, the last finished attempt. Without ``-o``, a file named after what was
exported in the data dir's exports/ folder (created when needed; the message says where);
``-o FOLDER`` writes that file name into the folder (as the app's export dialog does);
``-o -`` writes to stdout (commands/output.py: the file's bytes when piped, bidi controls
spelled out on a terminal). An existing file is never overwritten without ``--force``.
``--excel`` starts the CSV with a UTF-8 byte order mark for spreadsheets that need one.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from pathlib import Path

from ..storage.export import write_attempts, write_questions
from ..storage.locations import data_dir, ensure_dir, exports_dir, history_path
from ..storage.safe_files import WriteError, write_file
from . import CommandError, open_history
from .output import write_document
from .report_export import run as run_report


def run(args: argparse.Namespace) -> int:
    if getattr(args, "report", False):  # the score report as Markdown: its own module
        return run_report(args)
    if getattr(args, "anki", None):
        # export --anki is a command of its own: genanki is imported only for it
        from .anki import run as run_anki

        return run_anki(args)
    for name in ("missed", "flagged", "due", "bank"):
        if getattr(args, name, None):
            raise CommandError(f"--{name} goes with --anki FILE.apkg")
    path = history_path(args.data_dir)
    if not path.exists():  # exporting never creates a database
        raise CommandError("no history yet: finish an attempt first")
    with open_history(path, reading=True) as history:
        if history.notice:
            print(f"examsim: {history.notice}", file=sys.stderr)
        write, default_name = _choose(history, args)
    buffer = io.StringIO()
    count = write(buffer, excel=getattr(args, "excel", False))
    target = args.output
    if target is None:
        try:
            target = str(ensure_dir(exports_dir(data_dir(args.data_dir))) / default_name)
        except OSError as exc:
            raise CommandError(f"cannot create the exports folder: {exc.strerror or exc} "
                               "(name a file with -o)") from None
    if target == "-":
        write_document(buffer.getvalue())
    else:
        path = Path(target).expanduser()
        if path.is_dir():  # a folder: the usual file name inside it
            path = path / default_name
        _to_file(path, buffer.getvalue(), args.force)
        print(f"wrote {count} row{'s' if count != 1 else ''} to {path}")
    return 0


def _choose(history, args: argparse.Namespace) -> tuple[Callable[..., int], str]:
    if args.all:
        attempts = history.attempts()[::-1]
        if not attempts:
            raise CommandError("no attempts in history yet")
        return (lambda out, **kw: write_attempts(out, attempts, **kw)), "examsim-attempts.csv"
    if args.attempt is not None:
        attempt = history.attempt(args.attempt)
        if attempt is None:
            last = history.attempts(limit=1)
            hint = f" (the newest is {last[0].id})" if last else ""
            raise CommandError(f"there is no attempt {args.attempt}{hint}")
    else:
        attempt = history.last_finished()
        if attempt is None:
            raise CommandError("no finished attempt yet")
    if attempt.status == "in_progress":
        raise CommandError(f"attempt {attempt.id} is still in progress: "
                           f"continue it with `examsim resume {attempt.id}` and finish it first")
    answers = history.answers(attempt.id)
    return ((lambda out, **kw: write_questions(out, attempt, answers, **kw)),
            f"examsim-attempt-{attempt.id}.csv")


def _to_file(path: Path, text: str, force: bool) -> None:
    """Through a temporary file of its own in the target folder (storage/safe_files.py):
    a planted symlink is never written through, nothing is left behind on failure, and
    the file is private (0600)."""
    try:
        write_file(path, text, replace=force)
    except FileExistsError:
        raise CommandError(f"{path} exists; use --force to overwrite it") from None
    except WriteError as exc:
        if path.is_dir():
            raise CommandError(f"{path} is a folder; name a file, or another folder") from None
        raise CommandError(str(exc)) from None
