"""Time assemble() of a 75-question exam from a 10,000-question bank against a baseline.

    python bench/bench_assemble.py [QUESTIONS] [RUNS]

The bank (4 weighted domains) is built in memory. The baseline, timed in the same run,
is ``random.sample`` of 75 ids from the bank's id list: the least any selection can do;
a second one adds what assemble() must also do, shuffle each question's options.
assemble() also splits by domain weight. Prints the median of each and the ratios.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from genbank import bank_data

from examsim.core.assemble import AttemptPlan, assemble
from examsim.core.bank_model import validate_bank

ASKED = 75


def median_seconds(work: Callable[[int], object], runs: int) -> float:
    times = []
    for run in range(runs):
        start = time.perf_counter()
        work(run)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    started = time.perf_counter()
    bank = validate_bank(bank_data(size))
    print(f"bank: {size} questions, {len(bank.domains)} domains, "
          f"built in {time.perf_counter() - started:.1f} s")
    ids = [q.id for q in bank.questions]

    def baseline(run: int) -> object:
        return random.Random(run).sample(ids, ASKED)

    def with_options(run: int) -> object:
        rng = random.Random(run)
        picked = rng.sample(bank.questions, ASKED)
        orders = []
        for question in picked:
            order = list(range(len(question.options)))
            rng.shuffle(order)
            orders.append(order)
        return picked, orders

    def exam(run: int) -> object:
        return assemble(bank, AttemptPlan(questions=ASKED, seed=run))

    for work in (baseline, with_options, exam):  # warm up
        median_seconds(work, 20)
    base = median_seconds(baseline, runs)
    naive = median_seconds(with_options, runs)
    ours = median_seconds(exam, runs)
    print(f"baseline random.sample of {ASKED} ids:       {base * 1e6:8.1f} us")
    print(f"  the same plus shuffled options:        {naive * 1e6:8.1f} us")
    print(f"assemble() of a {ASKED}-question exam:        {ours * 1e6:8.1f} us")
    print(f"(medians of {runs} runs)")
    print(f"ratio: {ours / base:.1f}x random.sample; "
          f"{ours / naive:.2f}x random.sample with shuffled options")


if __name__ == "__main__":
    main()
