"""The ``examsim`` command: argument parsing and dispatch; the work is in commands/."""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn, TextIO, cast

from . import __version__
from .commands import CommandError
from .core.errors import BankError
from .core.limits import MAX_QUESTIONS, MAX_TIME_MINUTES
from .core.safe_text import shown
from .storage.locations import DataDirError, check_data_dir

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
MODES = ("exam", "practice", "drill", "missed", "flagged", "due")
IMPORT_FORMATS = ("gift", "aiken", "markdown", "csv", "moodle-xml", "qti")
MODE_HELP = {
    "exam": "timed, as the real exam; the key shows at the end (default)",
    "practice": "untimed; enter checks each answer and shows the key and why",
    "drill": "practice on the --domain / --topic you name",
    "missed": "the questions answered wrong or left unanswered last time",
    "flagged": "the questions flagged the last time you saw them",
    "due": "spaced review: the questions due today, most overdue first",
}


class _Formatter(argparse.HelpFormatter):
    """Keeps the line breaks of a help text (the modes get a line each)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        lines: list[str] = []
        for part in text.splitlines():
            column = re.match(r"\S+ {2,}", part)  # "exam     timed, ...": wrap under the text
            lines.extend(textwrap.wrap(part, width, subsequent_indent=" " * (
                column.end() if column else 0)) or [""])
        return lines


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # argparse's own keywords

    def error(self, message: str) -> NoReturn:  # exit 2 with one line, like every bad input
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)  # the subcommands' parents are of their parser class
    common.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS,
        help="where history and settings live (default: $EXAMSIM_DATA_DIR or the user data dir)",
    )
    parser = _Parser(
        prog="examsim", parents=[common],
        description="A terminal exam simulator for hard multiple-choice certifications.",
    )
    parser.add_argument("--version", action="version", version=f"examsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    run = sub.add_parser("run", parents=[common], help="start an attempt on a bank")
    run.add_argument("bank", metavar="BANK", help="a bank file, or the id of a bank found")
    run.add_argument("--mode", choices=MODES, default="exam", metavar="MODE",
                     help="\n".join(f"{mode:10}{text}" for mode, text in MODE_HELP.items()))
    run.add_argument("--questions", type=_questions, metavar="N",
                     help="ask at most N questions (an exam's time scales with them)")
    run.add_argument("--time", type=_time_minutes, metavar="MIN", help="time limit in minutes")
    run.add_argument("--domain", action="append", default=[], metavar="ID",
                     help="only questions of this domain (repeat for several)")
    run.add_argument("--topic", action="append", default=[], metavar="T",
                     help="only questions with this topic (repeat for several)")
    run.add_argument("--seed", type=_seed, metavar="N",
                     help="the shuffle's seed, to repeat an attempt's order")
    run.add_argument("--strict", action="store_true",
                     help="the exam clock runs on while examsim is closed, as on the real exam")
    run.add_argument("--extra-time", type=_time_minutes, metavar="MIN", default=0.0,
                     help="extra minutes (an accommodation such as ESL +30); a full exam "
                          "stays a full exam")
    run.add_argument("--unscored", type=_unscored, metavar="N",
                     help="questions of the exam drawn at random as unscored (default: the "
                          "bank's 'unscored' setting for a full exam, else 0)")
    run.add_argument("--prefer-fresh", action="store_true",
                     help="questions you have not seen first, then the least recently "
                          "seen, keeping the domain weights")
    run.add_argument("--no-shuffle", action="store_true",
                     help="questions and options in file order")

    resume = sub.add_parser("resume", parents=[common],
                            help="continue an unfinished attempt (default: the newest)")
    resume.add_argument("attempt", nargs="?", type=_positive_int, metavar="ATTEMPT",
                        help="attempt id (default: the newest unfinished)")

    review = sub.add_parser("review", parents=[common], help="review a finished attempt")
    review.add_argument("attempt", nargs="?", type=_positive_int, metavar="ATTEMPT",
                        help="attempt id (default: the last finished)")
    review.add_argument("--attempt", dest="attempt_option", type=_positive_int, metavar="ID",
                        help="the same as ATTEMPT, as in `examsim export --attempt ID`")

    validate = sub.add_parser("validate", parents=[common], help="check bank files")
    validate.add_argument("paths", nargs="*", metavar="PATH",
                          help="files or folders (default: every bank examsim offers: "
                               "bundled, ./banks, the data dir's banks/)")
    validate.add_argument("--lint", action="store_true",
                          help="also check content: choose-N wording, whys, duplicates, topics;"
                               " print each bank's content figures")
    validate.add_argument("--profile", choices=("professional",),  # lint_content.PROFILES
                          help="hold content figures to an exam level's limits (implies "
                               "--lint; see docs/content.md)")

    imp = sub.add_parser("import", parents=[common], help="convert other formats to a bank")
    imp.add_argument("files", nargs="+", metavar="FILE", help="the files to convert")
    imp.add_argument("--from", dest="fmt", choices=IMPORT_FORMATS,
                     help="their format (default: from the file name and content)")
    imp.add_argument("-o", "--output", metavar="OUT.toml",
                     help="the bank to write (.toml or .json; default: print it)")
    imp.add_argument("--title", help="the bank's title (default: from the file)")
    imp.add_argument("--id", dest="bank_id",
                     help="the bank's id (default: from the file name, made unique)")
    imp.add_argument("--domain", dest="domain",
                     help="the domain id to put every question in")
    imp.add_argument("--force", action="store_true", help="overwrite OUT if it exists")

    export = sub.add_parser("export", parents=[common], help="write results as CSV")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--attempt", type=_positive_int, metavar="ID",
                       help="one row per question of attempt ID")
    which.add_argument("--last", action="store_true",
                       help="one row per question of the last finished attempt (default)")
    which.add_argument("--all", action="store_true", help="one row per attempt")
    which.add_argument("--missed", action="store_true",
                       help="with --anki: the questions last answered wrong or left blank")
    which.add_argument("--flagged", action="store_true",
                       help="with --anki: the questions flagged the last time they were seen")
    which.add_argument("--due", action="store_true",
                       help="with --anki: the questions due for spaced review today")
    export.add_argument("-o", "--output", metavar="FILE.csv",
                        help="a file or folder; '-' for stdout "
                             "(default: the data dir's exports/ folder)")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    export.add_argument("--excel", action="store_true",
                        help="start with a UTF-8 byte order mark, for spreadsheets that "
                             "misread UTF-8 without one")
    export.add_argument("--report", action="store_true",
                        help="the score report of full exams as Markdown, a file per attempt")
    export.add_argument("--anki", metavar="FILE.apkg",
                        help="write an Anki deck of a bank's questions instead of CSV "
                             "(--all, the default, --missed or --flagged)")
    export.add_argument("--bank", metavar="ID",
                        help="with --anki: the bank (default: that of the last finished attempt)")

    stats = sub.add_parser("stats", parents=[common], help="what your history says")
    stats.add_argument("--bank", metavar="ID", help="one bank (default: every bank)")
    stats.add_argument("--json", action="store_true", help="print the report as JSON")

    comments = sub.add_parser("comments", parents=[common],
                              help="list the comments kept on a bank's questions (key c)")
    comments.add_argument("bank", metavar="BANK", help="a bank file, or the id of a bank")

    sub.add_parser("schema", parents=[common], help="print the JSON Schema of the bank format")

    serve = sub.add_parser("serve", parents=[common],
                           help="serve the app in a browser (needs the examsim[web] extra)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=_port, default=8000, help="default: 8000")

    completion = sub.add_parser("completion", parents=[common],
                                help="print a shell completion script (bash, zsh, fish)")
    completion.add_argument("shell", nargs="?", choices=("bash", "zsh", "fish"),
                            help="the shell to complete in")
    completion.add_argument("--list-banks", action="store_true", help=argparse.SUPPRESS)
    # the script is made from this parser; handed down so that commands never import cli
    completion.set_defaults(parser=parser)
    return parser


MAX_INT = 2**63 - 1  # what the history database can store


def _whole(text: str, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high`` (a 5000-digit one is refused, not parsed)."""
    shown = text if len(text) <= 30 else text[:29] + "…"
    try:
        value = int(text) if len(text.strip()) <= 30 else None
    except ValueError:
        value = None
    if value is None:
        raise argparse.ArgumentTypeError(f"{shown!r} is not a whole number from {low} to {high}")
    if value < low:
        raise argparse.ArgumentTypeError(f"{shown!r} must be at least {low}")
    if value > high:
        raise argparse.ArgumentTypeError(f"{shown!r} must be at most {high}")
    return value


def _port(text: str) -> int:
    value = _positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (1-65535)")
    return value


def _positive_int(text: str) -> int:
    return _whole(text, 1, MAX_INT)


def _seed(text: str) -> int:
    return _whole(text, 0, MAX_INT)


def _questions(text: str) -> int:
    return _whole(text, 1, MAX_QUESTIONS)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number")
    return value


def _unscored(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"{text!r} must be 0 to 1000")
    return value


def _time_minutes(text: str) -> float:
    value = _positive_float(text)
    if value > MAX_TIME_MINUTES:
        raise argparse.ArgumentTypeError(f"{text!r} must be at most {MAX_TIME_MINUTES} minutes")
    return value


# the commands that read or write the data dir; it is checked once, before any of them runs
DATA_DIR_COMMANDS = frozenset({None, "run", "resume", "review", "export", "stats", "serve",
                               "comments"})
# of them, those that only read it: a read-only data dir is fine for them
READING_COMMANDS = frozenset({"export", "stats", "comments"})

HANDLERS = {
    None: "examsim.commands.app:run_home",
    "run": "examsim.commands.app:run_attempt",
    "resume": "examsim.commands.app:run_resume",
    "review": "examsim.commands.app:run_review",
    "validate": "examsim.commands.validate:run",
    "import": "examsim.commands.importer:run",
    "export": "examsim.commands.export:run",
    "stats": "examsim.commands.stats:run",
    "comments": "examsim.commands.comments:run",
    "schema": "examsim.commands.schema:run",
    "completion": "examsim.commands.completion:run",
    "serve": "examsim.commands.serve:run",
}


class SafeStream:
    """A text stream that shows control characters as placeholders (core/safe_text.py):
    what a command prints (bank ids, titles, messages, file names) never drives the
    terminal. Everything else (isatty, buffer, encoding) is the wrapped stream's."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(shown(text))

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line, its output through :class:`SafeStream` (both streams)."""
    streams = sys.stdout, sys.stderr
    # a SafeStream is a stream as far as print and the commands are concerned
    sys.stdout, sys.stderr = (cast(TextIO, SafeStream(s)) if s is not None else s
                              for s in streams)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if not hasattr(args, "data_dir"):
        args.data_dir = None
    if getattr(args, "attempt_option", None) is not None:  # review --attempt ID
        if args.attempt is not None and args.attempt != args.attempt_option:
            build_parser().error("review: give the attempt once, as ATTEMPT or --attempt ID")
        args.attempt = args.attempt_option
    module_name, func_name = HANDLERS[args.command].split(":")
    if args.command in DATA_DIR_COMMANDS:
        try:
            check_data_dir(args.data_dir, writable=args.command not in READING_COMMANDS)
        except DataDirError as exc:
            print(f"examsim: {exc}", file=sys.stderr)
            return EXIT_USAGE

    try:
        # The one lazy import of the command line: each command's module (and what it
        # needs: Textual for the app, sqlite3 for the history, the importers...) is
        # imported only when that command runs.
        handler = getattr(importlib.import_module(module_name), func_name)
        return handler(args)
    except BankError as exc:  # each as validate says it: FILE:LINE: error: ...
        for problem in exc.problems:
            print(problem.with_kind("error"), file=sys.stderr)
        return EXIT_USAGE
    except CommandError as exc:
        print(f"examsim: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: say so in one line unless asked for the traceback
        if os.environ.get("EXAMSIM_DEBUG"):
            raise
        print(f"examsim: unexpected error: {type(exc).__name__}: {exc} "
              "(set EXAMSIM_DEBUG=1 for the traceback)", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
