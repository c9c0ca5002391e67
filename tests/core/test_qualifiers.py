"""The reading aid's highlights (core/qualifiers.py): table-driven, hostile text, linear."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from examsim.core.qualifiers import PATTERNS, marked, spans

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import hostile  # bench/hostile.py: the timing shared by the linear-time tests


def lit(text: str) -> list[str]:
    return [text[a:b] for a, b in spans(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Which solution is MOST cost-effective?", ["MOST cost-effective"]),
    ("Which option meets the requirements with the LEAST operational overhead?",
     ["LEAST operational overhead"]),
    ("Which action should the architect take FIRST?", ["FIRST"]),
    ("Which of these is NOT required?", ["NOT"]),
    ("All of the following EXCEPT one", ["EXCEPT"]),
    ("most companies do this", []),  # ordinary lower-case "most" is not a qualifier
    ("The design must be highly available with minimal downtime.",
     ["highly available", "minimal downtime"]),
    ("Which steps should be taken? (Choose two.)", ["(Choose two.)"]),
    ("(Select THREE.)", ["(Select THREE.)"]),
    ("An RPO of 15 minutes and an RTO of 1 hour", ["RPO of 15 minutes", "RTO of 1 hour"]),
    ("99.99% availability for 5 TB of data", ["99.99%", "5 TB"]),
    ("a budget of $12,000 per month", ["$12,000"]),
    ("the lowest cost option", ["lowest cost"]),
    ("", []),
])
def test_what_is_highlighted(text: str, expected: list[str]) -> None:
    assert lit(text) == expected


def test_the_text_is_never_changed_and_markup_stays_literal() -> None:
    for text in ("[bold]MOST[/] [link=x]cost[/link]", "\x1b[2J NOT \x1b]52;c;x\x07",
                 "Choose (Choose two.) twice (Choose two.)", "MOSTLY NOTHING"):
        runs = marked(text)
        assert "".join(piece for piece, _ in runs) == text
    assert marked("MOSTLY NOTHING") == [("MOSTLY NOTHING", False)]
    assert [p for p, hit in marked("[b]MOST[/b]") if hit] == ["MOST"]


# runs of what starts a match and then fails: each pattern's near misses
HOSTILE_RUNS = ("9" * 13 + " ", "RPO of ", "(", "(choose ", "$9,", "9.9", "without changing ",
                "most cost ", "operational ", "minimal ", "lowest ", "99.", "RTO of less than ")


def hostile_text(size: int) -> str:
    share = size // len(HOSTILE_RUNS)
    return "".join(run * (share // len(run)) for run in HOSTILE_RUNS)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_time_grows_linearly_with_hostile_text(pattern: str) -> None:
    """Each pattern alone (a quadratic one beside fast linear ones would hide in the sum):
    100 times the text takes under 300 times as long, or 400 times under 4000 times
    (linear is ~N, quadratic ~N^2): CPU time, the two sizes read in turns, best of each
    (bench/hostile.py ``verdict``), so neither the machine's speed nor its load decides."""
    flags = 0 if pattern == PATTERNS[0] else re.IGNORECASE  # as _compiled makes them
    compiled = re.compile(pattern, flags)
    linear, figures = hostile.verdict(lambda text: list(compiled.finditer(text)),
                                      hostile_text)
    assert linear, f"{pattern}: {figures}"


def test_spans_grow_linearly_with_hostile_text() -> None:
    linear, figures = hostile.verdict(spans, hostile_text)
    assert linear, figures
