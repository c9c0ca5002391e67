"""Key latency: from ``send-keys n`` to the next question's text on screen, in tmux.

    python bench/bench_keys.py [--runs N] [--presses K] [--quick] [--json] [--compare EXAMSIM]

Each run starts the program in a new tmux session of 100x30, waits until it shows its
first screen and has settled, then presses ``n`` K times, each time polling
``capture-pane`` every 2 ms until the next question's number and the start of its stem
are on screen (the baseline: until its next line is). Cases, interleaved run by run:

- baseline: bench/minimal_app.py, whose ``n`` replaces the text of one Static;
- for information, a second baseline: the same app holding a whole question's text in its
  Static (minimal_app.TextApp: the sample bank's questions in the order ours asks them,
  with the number, options and answer line: as much text as the exam screen draws), ``n``
  replacing it with the next one. The share of our time that is Textual drawing that much
  text, against our own widgets and logic;
- ``examsim run banks/sample.toml --seed 1``;
- ``examsim run BIG.toml --seed 1`` on a generated 10,000-question bank (warm cache).

Every press of every run is one sample; the figures are their medians.

``--compare EXAMSIM`` also times another build's ``examsim`` (say, a source tree of an
older commit) on the same two banks, interleaved with the others and with data and cache
dirs of its own (its own banks/sample.toml when it has one): a before/after in one run.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import SAMPLE, Result, median

SETTLE = 0.5  # seconds after the first screen before the first press
BETWEEN = 0.1  # seconds between presses


def main(argv: list[str] | None = None) -> list[Result]:
    parser = common.arguments(__doc__.splitlines()[0], runs=5)
    parser.add_argument("--presses", type=int, default=10, help="presses per run (max 11)")
    parser.add_argument("--compare", metavar="EXAMSIM",
                        help="another build's examsim script, timed beside ours")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    presses = 3 if args.quick else min(args.presses, 11)
    size = 300 if args.quick else 10_000
    with common.terminal_bench("keys", args.quick) as (work, big, env):
        texts = work / "question-texts.json"
        texts.write_text(json.dumps(common.question_texts(SAMPLE, presses + 1)),
                         encoding="utf-8")
        screens: dict[str, tuple[list[str], list[list[str]], dict[str, str]]] = {
            "minimal": (common.minimal_app_argv(), common.minimal_needles(presses + 1), env),
            "text": ([common.PYTHON, str(common.BENCH / "minimal_app.py"), str(texts)],
                     common.question_needles(SAMPLE, presses + 1), env),
            "sample": (common.run_argv(SAMPLE), common.question_needles(SAMPLE, presses + 1),
                       env),
            "big": (common.run_argv(big), common.question_needles(big, presses + 1), env),
        }
        if args.compare:
            screens.update(common.compared_cases(args.compare, work, screens, ("sample", "big")))
        samples: dict[str, list[float]] = {name: [] for name in screens}
        with common.Tmux() as tmux:

            def case(name: str) -> float:
                argv, needles, case_env = screens[name]
                pane = tmux.launch(argv, case_env)
                try:
                    pane.wait_for(*needles[0])
                    time.sleep(SETTLE)
                    for k in range(1, presses + 1):
                        samples[name].append(pane.press("n", *needles[k]) * 1000)
                        time.sleep(BETWEEN)
                finally:
                    pane.close()
                return 0.0

            for name in screens:  # warm-up (and the big bank's cache), not counted
                case(name)
            for values in samples.values():
                values.clear()
            common.interleave({name: lambda name=name: case(name) for name in screens}, runs)
    base = median(samples["minimal"])
    results = [
        Result("key n to next question, sample bank", median(samples["sample"]), base, "ms",
               "minimal app, n updates a Static", "<= 1.2x", runs,
               samples={"ours": samples["sample"], "baseline": samples["minimal"]}),
        Result(f"key n to next question, {size:,}-question bank", median(samples["big"]),
               base, "ms", "minimal app, n updates a Static", "<= 1.2x", runs,
               samples={"ours": samples["big"], "baseline": samples["minimal"]}),
        Result("key n, text baseline: a Static with a whole question", median(samples["text"]),
               base, "ms", "minimal app, n updates a Static", "", runs,
               note="for information: what share of ours is Textual drawing a question's "
                    "text (the sample bank's, as much as the exam screen draws)",
               samples={"ours": samples["text"], "baseline": samples["minimal"]}),
    ]
    if args.compare:
        results += [
            Result(f"key n, {what}, {args.compare}", median(samples[f"{name} (compared)"]),
                   base, "ms", "minimal app, n updates a Static", "", runs,
                   samples={"ours": samples[f"{name} (compared)"],
                            "baseline": samples["minimal"]})
            for name, what in (("sample", "sample bank"), ("big", f"{size:,} questions"))
        ]
    common.report(f"Key latency, {presses} presses a run (tmux 100x30)", results, args.json)
    return results


if __name__ == "__main__":
    main()
