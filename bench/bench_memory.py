"""Memory: peak RSS of the app with a 10,000-question bank open, against the minimal app.

    python bench/bench_memory.py [--runs N] [--quick] [--json]

Each run starts the program in a new tmux session of 100x30, waits until its first screen
is visible, lets it settle for a second, then reads VmHWM (peak resident set size, which
includes the peak while the bank was loading) from /proc/PID/status. Cases, interleaved:

- baseline: bench/minimal_app.py (Header, Static, Footer);
- ``examsim run BIG.toml --seed 1``, warm (the validated cache in place);
- the same on a cold cache (the entry removed first: parse, validate, write the entry);
- ``examsim run banks/sample.toml --seed 1``, for information.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import SAMPLE, Result, median

SETTLE = 1.0
EXTRA_MB = 80


def main(argv: list[str] | None = None) -> list[Result]:
    args = common.arguments(__doc__.splitlines()[0], runs=3).parse_args(argv)
    runs = 1 if args.quick else args.runs
    size = 300 if args.quick else 10_000
    with common.terminal_bench("memory", args.quick) as (work, big, env):
        cache = work / "cache"
        big_needles = common.question_needles(big)[0]
        apps = {
            "minimal": (common.minimal_app_argv(), common.minimal_needles()[0]),
            "big": (common.run_argv(big), big_needles),
            "big cold": (common.run_argv(big), big_needles),
            "sample": (common.run_argv(SAMPLE), common.question_needles(SAMPLE)[0]),
        }
        with common.Tmux() as tmux:

            def case(name: str) -> float:
                if name == "big cold":
                    shutil.rmtree(cache / "banks", ignore_errors=True)
                argv, needles = apps[name]
                pane = tmux.launch(argv, env)
                try:
                    pane.wait_for(*needles, timeout=120)
                    time.sleep(SETTLE)
                    return pane.memory_mb()[0]
                finally:
                    pane.close()

            for name in apps:  # warm-up; leaves the big bank's cache entry in place
                case(name)
            case("big")
            samples = common.interleave({name: lambda name=name: case(name) for name in apps}, runs)
    base = median(samples["minimal"])

    def result(name: str, key: str, target: str = "") -> Result:
        return Result(name, median(samples[key]), base, "MB", "minimal Textual app", target,
                      runs, samples={"ours": samples[key], "baseline": samples["minimal"]})

    results = [
        result(f"peak RSS, {size:,}-question bank (warm)", "big", f"<= +{EXTRA_MB} MB"),
        result(f"peak RSS, {size:,}-question bank (cold)", "big cold"),
        result("peak RSS, sample bank", "sample"),
    ]
    common.report("Memory: peak RSS with the first question on screen", results, args.json)
    return results


if __name__ == "__main__":
    main()
