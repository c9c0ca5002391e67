"""A file's content written to stdout: ``export -o -`` (CSV), ``export --report -o -``
(Markdown) and ``import`` without ``-o`` (the bank).

One rule (docs/architecture.md, "Safe text"): piped or redirected, stdout gets the very
bytes ``-o FILE`` would write, so ``examsim export -o - > a.csv`` is ``-o a.csv`` byte
for byte (bidi controls kept: they are data, e.g. in right-to-left text). On a terminal
the text is shown as every other command output is (core/safe_text.py ``shown``): the
bidi controls spelled out (``\\u202e``), so that a terminal that does bidi cannot reorder
a row. Control characters never reach stdout either way: the writers spell them out
(CSV, the report) or drop them (import) before this.
"""

from __future__ import annotations

import sys

from ..core.safe_text import shown


def on_terminal() -> bool:
    """Is stdout a terminal? (A stream that cannot say is not one.)"""
    try:
        return bool(sys.stdout.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def write_document(text: str) -> None:
    """``text`` to stdout as bytes (no newline translation touches the CR LF of a CSV),
    shown safe on a terminal, as it is otherwise."""
    if on_terminal():  # CR LF line ends kept; what is between them shown
        text = "\r\n".join(shown(part) for part in text.split("\r\n"))
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # no bytes to write to: through the stream (cli.SafeStream shows it)
        sys.stdout.write(text)
        return
    buffer.write(text.encode("utf-8"))
    buffer.flush()
