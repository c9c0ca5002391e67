"""The ``examsim`` command: argument parsing and dispatch; the work is in commands/."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
MODES = ("exam", "practice", "drill", "missed", "flagged", "due")
IMPORT_FORMATS = ("gift", "aiken", "markdown", "csv", "moodle-xml")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with one line, like every bad input
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS,
        help="where history and settings live (default: $EXAMSIM_DATA_DIR or the user data dir)",
    )
    parser = _Parser(
        prog="examsim", parents=[common],
        description="A terminal exam simulator for hard multiple-choice certifications.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"examsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    run = sub.add_parser("run", parents=[common], help="start an attempt on a bank")
    run.add_argument("bank", metavar="BANK", help="a bank file, or the id of a bank found")
    run.add_argument("--mode", choices=MODES, default="exam")
    run.add_argument("--questions", type=_positive_int, metavar="N")
    run.add_argument("--time", type=_time_minutes, metavar="MIN", help="time limit in minutes")
    run.add_argument("--domain", action="append", default=[], metavar="ID")
    run.add_argument("--topic", action="append", default=[], metavar="T")
    run.add_argument("--seed", type=int, metavar="N")
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
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--from", dest="fmt", choices=IMPORT_FORMATS)
    imp.add_argument("-o", "--output", metavar="OUT.toml")
    imp.add_argument("--title")
    imp.add_argument("--id", dest="bank_id")
    imp.add_argument("--domain", dest="domain")
    imp.add_argument("--force", action="store_true", help="overwrite OUT if it exists")

    export = sub.add_parser("export", parents=[common], help="write results as CSV")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--attempt", type=int, metavar="ID")
    which.add_argument("--last", action="store_true")
    which.add_argument("--all", action="store_true")
    export.add_argument("-o", "--output", metavar="FILE.csv", help="'-' for stdout")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")

    stats = sub.add_parser("stats", parents=[common], help="what your history says")
    stats.add_argument("--bank", metavar="ID")
    stats.add_argument("--json", action="store_true")

    sub.add_parser("schema", parents=[common], help="print the JSON Schema of the bank format")
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number")
    return value


def _time_minutes(text: str) -> float:
    from .core.assemble import MAX_TIME_MINUTES

    value = _positive_float(text)
    if value > MAX_TIME_MINUTES:
        raise argparse.ArgumentTypeError(f"{text!r} must be at most {MAX_TIME_MINUTES} minutes")
    return value


# the commands that read or write the data dir; it is checked once, before any of them runs
DATA_DIR_COMMANDS = frozenset({None, "run", "resume", "review", "export", "stats"})

HANDLERS = {
    None: "examsim.commands.app:run_home",
    "run": "examsim.commands.app:run_attempt",
    "resume": "examsim.commands.app:run_resume",
    "review": "examsim.commands.app:run_review",
    "validate": "examsim.commands.validate:run",
    "import": "examsim.commands.importer:run",
    "export": "examsim.commands.export:run",
    "stats": "examsim.commands.stats:run",
    "schema": "examsim.commands.schema:run",
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not hasattr(args, "data_dir"):
        args.data_dir = None
    if getattr(args, "attempt_option", None) is not None:  # review --attempt ID
        if args.attempt is not None and args.attempt != args.attempt_option:
            build_parser().error("review: give the attempt once, as ATTEMPT or --attempt ID")
        args.attempt = args.attempt_option
    module_name, func_name = HANDLERS[args.command].split(":")
    from .commands import CommandError
    from .core.errors import BankError

    if args.command in DATA_DIR_COMMANDS:
        from .storage.locations import DataDirError, check_data_dir

        try:
            check_data_dir(args.data_dir)
        except DataDirError as exc:
            print(f"examsim: {exc}", file=sys.stderr)
            return EXIT_USAGE

    try:
        handler = getattr(importlib.import_module(module_name), func_name)
        return handler(args)
    except BankError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
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
