"""The reading aid: where a stem says what decides the answer (key ``u`` on the exam screen).

SAP-style questions turn on a few words: MOST / LEAST / BEST / FIRST, NOT / EXCEPT,
"cost-effective", "operational overhead", "highly available", "minimal downtime",
"(Choose two.)", and figures with units (RPO of 15 minutes, 99.99%, 5 TB). ``spans``
finds them and returns (start, end) character offsets; the screen styles those ranges
and never changes the text. The one list of what is highlighted is ``PATTERNS``.

Every pattern is a plain alternation of literal words with bounded, non-nested
quantifiers (no backtracking blow-up), matched with ``re`` over text of any content:
bank text is hostile input and is never parsed as markup here.
"""

from __future__ import annotations

import functools
import re

# Words that decide SAP questions, matched as whole words; the capitalised forms only
# (MOST, NOT) where the lower-case word is ordinary English ("most companies").
_UPPER = r"\b(?:MOST|LEAST|BEST|FIRST|NOT|EXCEPT|FEWEST|LOWEST|HIGHEST|FASTEST)\b"
_PHRASES = (
    r"\b(?:most|more|least) cost[- ]effective(?:ly)?\b",
    r"\blowest (?:cost|latency|possible cost)\b",
    r"\b(?:least|minimal|minimum|lowest|no additional|without) operational overhead\b",
    r"\boperational(?:ly)? (?:overhead|efficient|complexity)\b",
    r"\bhighly available\b",
    r"\bhigh availability\b",
    r"\b(?:minimal|minimum|minimize|minimizes|no|zero|near-zero) downtime\b",
    r"\bfault[- ]tolerant\b",
    r"\bleast privilege\b",
    r"\bwithout (?:changing|modifying|rewriting) (?:the )?(?:application|code)\b",
    r"\((?:choose|select) (?:two|three|four|2|3|4)\.?\)",
)
_UNITS = (
    r"(?:milliseconds?|ms|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|"
    r"years?|[KMGTP]i?B(?:/s)?|[KMGT]bps|Gbit/s|requests? per second|RPS|IOPS|TPS|"
    r"vCPUs?|users|accounts|Regions|AZs)"
)
_FIGURES = (
    r"\b(?:RPO|RTO)s?\b(?: of)?(?: (?:less than|under|below|within|at most))? ?"
    r"\d[\d,.]{0,12} ?" + _UNITS + r"\b",
    r"\b\d{1,3}(?:\.\d{1,6})?%",
    r"\b\d[\d,.]{0,12} ?" + _UNITS + r"\b",
    r"\$\d[\d,.]{0,15}(?: ?(?:K|M|million|thousand))?",
)
PATTERNS: tuple[str, ...] = (_UPPER, *_PHRASES, *_FIGURES)


@functools.cache
def _compiled() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns, compiled the first time the aid is on (~2 ms a start need not pay)."""
    phrases = re.compile("|".join(f"(?:{p})" for p in (*_PHRASES, *_FIGURES)), re.IGNORECASE)
    return re.compile(_UPPER), phrases


def spans(text: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) ranges of ``text`` to highlight."""
    upper, phrases = _compiled()
    found = [(m.start(), m.end()) for m in upper.finditer(text)]
    found += [(m.start(), m.end()) for m in phrases.finditer(text)]
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def marked(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, highlighted) runs; joined, the pieces are ``text``."""
    runs: list[tuple[str, bool]] = []
    at = 0
    for start, end in spans(text):
        if start > at:
            runs.append((text[at:start], False))
        runs.append((text[start:end], True))
        at = end
    if at < len(text) or not runs:
        runs.append((text[at:], False))
    return runs
