"""Startup: from launch to the first question on screen, in a real terminal.

    python bench/bench_startup.py [--runs N] [--quick] [--json]

Each run starts the program in a new tmux session of 100x30 and polls ``capture-pane``
every 2 ms until the text is there. Cases, interleaved run by run:

- baseline: bench/minimal_app.py (Header, Static, Footer) until its one line shows;
- ``examsim run banks/sample.toml --seed 1`` until question 1's stem shows;
- ``examsim run BIG.toml --seed 1`` on a generated 10,000-question bank, warm: its
  validated cache was written by a first (untimed) run.

Each app gets a fresh data dir per benchmark run (history grows by one attempt a launch)
and its own cache dir. One untimed launch of every case first warms the OS caches.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import SAMPLE, Result, median


def main(argv: list[str] | None = None) -> list[Result]:
    args = common.arguments(__doc__.splitlines()[0], runs=11).parse_args(argv)
    runs = 1 if args.quick else args.runs
    size = 300 if args.quick else 10_000
    with common.terminal_bench("startup", args.quick) as (_, big, env):
        apps = {
            "minimal": (common.minimal_app_argv(), common.minimal_needles()[0]),
            "sample": (common.run_argv(SAMPLE), common.question_needles(SAMPLE)[0]),
            "big": (common.run_argv(big), common.question_needles(big)[0]),
        }
        with common.Tmux() as tmux:

            def case(name: str) -> float:
                argv, needles = apps[name]
                pane = tmux.launch(argv, env)
                try:
                    return pane.wait_for(*needles) * 1000
                finally:
                    pane.close()

            for name in apps:  # warm-up: OS caches, .pyc files, the bank cache
                case(name)
            samples = common.interleave({name: lambda name=name: case(name) for name in apps}, runs)
    base = median(samples["minimal"])
    results = [
        Result("startup, sample bank", median(samples["sample"]), base, "ms",
               "minimal Textual app", "<= 1.3x", runs,
               samples={"ours": samples["sample"], "baseline": samples["minimal"]}),
        Result(f"startup, {size:,}-question bank, warm", median(samples["big"]), base, "ms",
               "minimal Textual app", "<= 1.6x", runs,
               samples={"ours": samples["big"], "baseline": samples["minimal"]}),
    ]
    common.report("Startup to the first question visible (tmux 100x30)", results, args.json)
    return results


if __name__ == "__main__":
    main()
