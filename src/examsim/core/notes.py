"""The bounds of what a learner writes: scratchpad notes and comments on questions.

A note (key ``w`` on the exam screen) is plain text kept per question of an attempt: in
the session's snapshot while it runs, in ``answers.note`` once it ends, in the review and
the CSV ``note`` column. A comment (key ``c`` in the review and in practice feedback)
is one line about a question for the bank's author, kept across attempts in the
``comments`` table and listed by ``examsim comments BANK``. Both are data, never terminal
input: every place that shows them passes them through ``safe_text.shown``.
"""

from __future__ import annotations

MAX_NOTE = 10_000  # characters of one question's note
MAX_COMMENT = 500  # characters of one comment


def bounded(text: str, limit: int) -> tuple[str, bool]:
    """``text`` cut to ``limit`` characters, and whether it was cut."""
    if len(text) <= limit:
        return text, False
    return text[:limit], True


def comment_text(text: str) -> str:
    """A comment as stored: surrounding whitespace stripped, line breaks as spaces (a
    comment is one line), at most MAX_COMMENT characters; "" when nothing is left."""
    return " ".join(text.split("\n")).strip()[:MAX_COMMENT].strip()
