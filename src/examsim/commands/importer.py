"""``examsim import FILE... [--from FMT] [-o OUT.toml] [--title T] [--id ID] [--domain D]``.

Reads each file with its importer, writes one native bank (TOML, or JSON for ``.json``)
to OUT or to stdout. On stderr: the format guessed when ``--from`` is not given, one
line per skipped question (``FILE:LINE: question N (name): skipped: reason``), notes,
and ``imported X, skipped Y``. Exit 2 when a file cannot be read at all, when nothing
could be imported, or when OUT exists and ``--force`` is not given.
"""

from __future__ import annotations

import argparse
import importlib
import re
import stat
import sys
from pathlib import Path

from ..core.formats import writer
from ..core.formats.common import FormatError, ImportResult, decode, slug
from ..core.formats.native import MAX_BYTES, too_large
from ..storage.catalog import taken_ids
from ..storage.locations import data_dir
from ..storage.safe_files import WriteError, write_file
from . import CommandError
from .output import write_document

READERS = {
    "gift": "gift",
    "aiken": "aiken",
    "markdown": "markdown",
    "csv": "csv_format",
    "moodle-xml": "moodle_xml",
    "qti": "qti",
}
EXTENSIONS = {
    ".gift": "gift", ".md": "markdown", ".markdown": "markdown", ".csv": "csv",
    ".tsv": "csv", ".xml": "moodle-xml", ".aiken": "aiken",
}


def guess(path: Path, text: str) -> tuple[str | None, str]:
    """The format of a file from its extension, else from its content, and why."""
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt:
        return fmt, f"from the extension {path.suffix}"
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith(("<?xml", "<quiz")):
        return "moodle-xml", "from the content: XML"
    if re.search(r"^[ \t]*ANSWER:[ \t]*[A-Za-z]", text, re.MULTILINE):
        return "aiken", "from the content: ANSWER: lines"
    if re.search(r"^ {0,3}[-*+][ \t]+\[[ xX]\]", text, re.MULTILINE) and \
            re.search(r"^ {0,3}#{1,6}[ \t]", text, re.MULTILINE):
        return "markdown", "from the content: headings with - [ ] options"
    # linear: the first class stops at the first ~ or = (no backtracking over a block)
    if re.search(r"\{[^{}~=]*[~=][^{}]*\}|\{[ \t]*(?:T|F|TRUE|FALSE)[ \t]*\}|^::", text,
                 re.MULTILINE):
        return "gift", "from the content: {...} answer blocks"
    first = head.split("\n", 1)[0].lower()
    if "question" in first and any(c in first for c in ",;\t"):
        return "csv", "from the content: a header row"
    return None, "cannot tell the format"


def read_file(path: Path, fmt: str | None) -> tuple[str, ImportResult, list[str]]:
    """(format, result, messages) for one file; raises CommandError if unreadable."""
    name = str(path)
    try:
        if path.is_dir():
            raise CommandError(f"{name}: is a folder, not a file")
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block the read for ever
            raise CommandError(f"{name}: is not a regular file")
        if info.st_size > MAX_BYTES:
            raise CommandError(f"{name}: {too_large(info.st_size)}")
        with path.open("rb") as stream:  # no more than the limit, should the file grow
            raw = stream.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise CommandError(f"{name}: {too_large(len(raw))}")
    except FileNotFoundError:
        raise CommandError(f"{name}: no such file") from None
    except OSError as exc:
        raise CommandError(f"{name}: cannot be read: {exc.strerror or exc}") from None
    messages: list[str] = []
    try:
        if fmt in (None, "qti"):  # QTI is read as bytes: a zip, or XML in its declared encoding
            # the importers are imported when used (READERS, by name), this one too
            from ..core.formats import qti

            why = qti.sniff(raw) if fmt is None else None
            if why:
                fmt = "qti"
                messages.append(f"{name}: reading as qti ({why}; --from to choose)")
            if fmt == "qti":
                return fmt, qti.read_bytes(raw), messages
        text, note = decode(raw)
        if note:
            messages.append(f"{name}: note: {note}")
        if fmt is None:
            fmt, why = guess(path, text)
            if fmt is None:
                raise CommandError(f"{name}: {why}; say it with --from "
                                   f"{'|'.join(READERS)}")
            messages.append(f"{name}: reading as {fmt} ({why}; --from to choose)")
        reader = importlib.import_module(f"examsim.core.formats.{READERS[fmt]}")
        result: ImportResult = reader.read(text)
    except FormatError as exc:
        where = name if exc.line is None else f"{name}:{exc.line}"
        raise CommandError(f"{where}: cannot import as {fmt or 'text'}: {exc.message}") from None
    return fmt, result, messages


# An id given with --id is used as it is, or refused: it names the bank in `examsim run ID`
# and in history, so it is never changed behind the user's back (slugified) either.
_GOOD_ID = re.compile(r"[\w.-]+")


def check_id(bank_id: str) -> str:
    """``--id`` as given, when it is one word of letters, digits, '-', '_' and '.'."""
    if _GOOD_ID.fullmatch(bank_id):
        return bank_id
    suggestion = slug(bank_id)
    hint = f", for example {suggestion!r}" if suggestion else ""
    raise CommandError(f"--id {bank_id!r} cannot be a bank id: use letters, digits, "
                       f"'-', '_' and '.' only, without spaces{hint}")


def free_id(bank_id: str, args: argparse.Namespace, output: Path | None) -> str:
    """``bank_id`` when no bank examsim offers has it; else, for an id taken from the file
    name, the first free ``ID-2``, ``ID-3``... (and a line saying so). An id given with
    ``--id`` that is taken is an error: two banks cannot share an id."""
    taken = taken_ids(data_dir(args.data_dir), but=output)
    if bank_id not in taken:
        return bank_id
    if args.bank_id is not None:
        raise CommandError(f"--id {bank_id!r} is taken by {taken[bank_id]}; two banks cannot "
                           "share an id: choose another")
    number = 2
    while f"{bank_id}-{number}" in taken:
        number += 1
    free = f"{bank_id}-{number}"
    print(f"examsim: bank id {bank_id!r} is taken by {taken[bank_id]}; this bank gets the "
          f"id {free!r} (--id sets another)", file=sys.stderr)
    return free


def run(args: argparse.Namespace) -> int:
    if args.bank_id is not None:
        check_id(args.bank_id)
    output = Path(args.output) if args.output else None
    kind = "toml"
    if output is not None:
        if output.suffix.lower() not in (".toml", ".json"):
            raise CommandError(f"{output}: the bank file must end in .toml or .json")
        kind = output.suffix.lower()[1:]
        if output.exists() and not args.force:
            raise CommandError(f"{output} exists; add --force to overwrite it")
        if any(_same(output, Path(f)) for f in args.files):
            raise CommandError(f"{output} is also an input file")
        if not output.parent.is_dir():
            raise CommandError(f"{output.parent}: no such folder")
        if output.is_dir():
            raise CommandError(f"{output} is a folder; name a file")
    sources: list[tuple[str, ImportResult]] = []
    formats: list[str] = []
    for name in args.files:
        fmt, result, messages = read_file(Path(name), args.fmt)
        for message in messages:
            print(message, file=sys.stderr)
        sources.append((name, result))
        formats.append(fmt)
    first = Path(args.files[0])
    bank_id = free_id(args.bank_id or slug((output or first).stem.split(".")[0]) or "imported",
                      args, output)
    title = args.title or next((r.title for _, r in sources if r.title), None) or \
        first.name.split(".")[0]
    shown = [f"{Path(f).name} ({fmt})" for f, fmt in zip(args.files, formats, strict=True)]
    names = ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")
    built = writer.build(sources, bank_id, title, args.domain,
                         description=f"Imported from {names} by examsim import.")
    _report(sources, built)
    if not built.data["questions"]:
        print("examsim: nothing could be imported; no bank written", file=sys.stderr)
        return 2
    text = writer.dumps(built.data, kind, header=f"Imported from {names} by examsim import.")
    if output is None:
        write_document(text)
    else:
        try:  # a temporary file of its own (mkstemp), never one planted beside OUT
            write_file(output, text, replace=args.force)
        except FileExistsError:
            raise CommandError(f"{output} exists; add --force to overwrite it") from None
        except WriteError as exc:
            raise CommandError(str(exc)) from None
        print(f"wrote {output}", file=sys.stderr)
    return 0


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _report(sources: list[tuple[str, ImportResult]], built: writer.Built) -> None:
    """Skips and notes file by file in line order, then the counts."""
    files = [file for file, _ in sources]
    lines: list[tuple[int, int, str]] = []
    for file, skipped in built.skipped:
        lines.append((files.index(file), skipped.where.line or 0,
                      _line(file, skipped.where.label(), f"skipped: {skipped.reason}")))
    for index, (file, result) in enumerate(sources):
        for note in result.notes:
            label = note.where.label() if note.where else ""
            line = note.where.line or 0 if note.where else 0
            lines.append((index, line, _line(file, label, f"note: {note.message}")))
    for _, _, text in sorted(lines, key=lambda entry: entry[:2]):
        print(text, file=sys.stderr)
    kept_total = skipped_total = 0
    for file in files:
        kept = sum(1 for f, _ in built.kept if f == file)
        left_out = sum(1 for f, _ in built.skipped if f == file)
        kept_total, skipped_total = kept_total + kept, skipped_total + left_out
        if len(files) > 1:
            print(f"{file}: imported {kept}, skipped {left_out}", file=sys.stderr)
    print(f"imported {kept_total}, skipped {skipped_total}", file=sys.stderr)


def _line(file: str, label: str, message: str) -> str:
    return f"{file}:{label}: {message}" if label else f"{file}: {message}"
