"""Every importer and the bank loader read hostile files in linear time (issue #19 §2).

Each case of bench/hostile.py (long runs of the format's special characters: backticks,
braces, tildes, equals signs, backslashes, angle brackets, quotes...) is read at 1, 10
and 100 KB in this process; 100 KB may take at most 300 times what 1 KB takes (linear is
100; a quadratic parser is near 10,000: a 2 KB Markdown file of backticks once took over
120 s). Times are CPU time with the garbage collector held off (bench/hostile.py says
why); a ratio over the limit is measured once more before it fails, so a busy machine
does not fail it, while a quadratic parser fails both times by far.
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
    # a parser that backtracks would take hours at 100 KB: stop it at 1 or 10 KB
    hostile.seconds(fmt, name, 1_000, runs=1)  # warm up
    small = hostile.seconds(fmt, name, 1_000, runs=15)
    assert small < 0.5, f"{fmt} / {name}: 1 KB takes {small:.1f} s"
    middle = hostile.seconds(fmt, name, 10_000, runs=3)
    assert middle < max(small, 1e-4) * hostile.LIMIT / 3, (
        f"{fmt} / {name}: 1 KB {small * 1000:.2f} ms, 10 KB {middle * 1000:.2f} ms")
    small, large, ratio = hostile.ratio(fmt, name)
    if ratio >= hostile.LIMIT:  # once more: a pause of the machine is not the parser
        small, large, ratio = min(hostile.ratio(fmt, name), (small, large, ratio),
                                  key=lambda measured: measured[2])
    assert ratio < hostile.LIMIT, (
        f"{fmt} / {name}: 1 KB {small * 1000:.2f} ms, 10 KB {middle * 1000:.2f} ms, "
        f"100 KB {large * 1000:.1f} ms: {ratio:.0f} times for 100 times the size")
