"""Every importer and the bank loader read hostile files in linear time (issue #19 §2).

Each case of bench/hostile.py (long runs of the format's special characters: backticks,
braces, tildes, equals signs, backslashes, angle brackets, quotes...) is read at 1, 10
and 100 KB in this process: 10 KB may take at most 100 times what 1 KB takes, 100 KB 300
times (linear is 100; a quadratic parser is near 10,000: a 2 KB Markdown file of
backticks once took over 120 s); a ratio between 300 and 3000 is settled at 400 KB (under
4000). Nothing here depends on the machine's speed or load (bench/hostile.py ``growth``
and ``verdict``): this thread's CPU time with the garbage collector held off, the two
sizes read in turns with the best of each kept, and every limit ten times from where
linear code lands (three times for the first look, which only decides when to look again).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))
import hostile  # noqa: E402  # bench/hostile.py: the cases and the timing, shared

CASES = hostile.cases()


def test_every_importer_and_the_loader_have_cases() -> None:
    formats = {fmt for fmt, _ in CASES}
    assert formats == {"markdown", "gift", "aiken", "csv", "moodle-xml", "bank-toml",
                       "bank-json", "import-guess"}
    assert len(CASES) >= 50


@pytest.mark.parametrize(("fmt", "name"), CASES, ids=[f"{f}: {n}" for f, n in CASES])
def test_time_grows_linearly(fmt: str, name: str) -> None:
    # a parser that backtracks would take hours at 100 KB: 10 KB stops it first
    small, middle, growth = hostile.ratio(fmt, name, 1_000, 10_000)
    assert growth < hostile.MIDDLE_LIMIT, (
        f"{fmt} / {name}: 1 KB {small * 1000:.2f} ms, 10 KB {middle * 1000:.2f} ms")
    reader, made = hostile.FORMATS[fmt]
    linear, figures = hostile.verdict(reader, made[name])
    assert linear, f"{fmt} / {name}: {figures}"
