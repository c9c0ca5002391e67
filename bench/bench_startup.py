"""Startup: from launch to the first question on screen, in a real terminal.

    python bench/bench_startup.py [--runs N] [--quick] [--json] [--compare EXAMSIM]

Each run starts the program in a new tmux session of 100x30 and polls ``capture-pane``
every 2 ms until the text is there. Cases, interleaved run by run:

- baseline: bench/minimal_app.py (Header, Static, Footer) until its one line shows;
- ``examsim run banks/sample.toml --seed 1`` until question 1's stem shows;
- ``examsim run BIG.toml --seed 1`` on a generated 10,000-question bank, warm: its
  validated cache was written by a first (untimed) run.

Each app gets a fresh data dir per benchmark run (history grows by one attempt a launch)
and its own cache dir. One untimed launch of every case first warms the OS caches.

``--compare EXAMSIM`` also times another build's ``examsim`` (say, an install of the main
branch) on the same two banks, interleaved with the others and with data and cache dirs of
its own: a before/after in one run, which a loaded machine makes the only fair one.
``--history N`` gives every data dir a history of N finished attempts first (opening the
history is part of every start).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import SAMPLE, Result, median


def main(argv: list[str] | None = None) -> list[Result]:
    parser = common.arguments(__doc__.splitlines()[0], runs=11)
    parser.add_argument("--compare", metavar="EXAMSIM",
                        help="another build's examsim script, timed beside ours")
    parser.add_argument("--history", type=int, default=0, metavar="N",
                        help="start with a history of N finished attempts of 75 answers "
                             "(bench_stats.py's; default: none, one attempt more a launch)")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    size = 300 if args.quick else 10_000
    with common.terminal_bench("startup", args.quick) as (work, big, env):
        apps = {
            "minimal": (common.minimal_app_argv(), common.minimal_needles()[0], env),
            "sample": (common.run_argv(SAMPLE), common.question_needles(SAMPLE)[0], env),
            "big": (common.run_argv(big), common.question_needles(big)[0], env),
        }
        if args.history:
            seed_history(work / "data", args.history)
        if args.compare:
            if args.history:
                seed_history(work / "data-compared", args.history)
            apps.update(common.compared_cases(args.compare, work, apps, ("sample", "big")))
        with common.Tmux() as tmux:

            def case(name: str) -> float:
                argv, needles, case_env = apps[name]
                pane = tmux.launch(argv, case_env)
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
    if args.compare:
        results += [
            Result(f"startup, {what}, {args.compare}", median(samples[f"{name} (compared)"]),
                   base, "ms", "minimal Textual app", "", runs,
                   samples={"ours": samples[f"{name} (compared)"],
                            "baseline": samples["minimal"]})
            for name, what in (("sample", "sample bank"), ("big", f"{size:,} questions"))
        ]
    common.report("Startup to the first question visible (tmux 100x30)", results, args.json)
    return results


def seed_history(data: Path, attempts: int) -> None:
    """A history of ``attempts`` finished attempts in the data dir ``data``."""
    from bench_stats import generate

    data.mkdir(parents=True, exist_ok=True)
    generate(data / "history.sqlite3", attempts, 75)


if __name__ == "__main__":
    main()
