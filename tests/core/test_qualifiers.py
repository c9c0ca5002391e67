"""The reading aid's highlights (core/qualifiers.py): table-driven, hostile text, linear."""

from __future__ import annotations

import time

import pytest

from examsim.core.qualifiers import marked, spans


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


def test_time_grows_linearly_with_hostile_text() -> None:
    def cost(size: int) -> float:
        text = ("9" * 13 + " ") * (size // 14) + "RPO of " * (size // 70) + "(" * (size // 10)
        start = time.perf_counter()
        spans(text)
        return time.perf_counter() - start

    small = min(cost(1_000) for _ in range(3))
    large = min(cost(100_000) for _ in range(3))
    assert large / max(small, 1e-6) < 300  # 100x the text: at most ~3x that in time
