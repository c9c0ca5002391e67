"""Scale of one attempt: saving an attempt of 100,000 questions, against one of 75.

    python bench/bench_scale.py [--runs N] [--quick] [--json] [--questions N] [--saves N]

Issue #20, section 6: with a 100,000-question bank the first key took 11.8 s and each
later key about 0.6 s, because every save wrote the whole attempt. A save must cost in
proportion to what changed, not to the bank. Measured in-process on the core and storage
layers (no terminal): a bank generated in memory (bench/genbank.py, ``compact``: short
texts, as only the count matters), ``ExamSession.start`` on all its questions (practice,
untimed; the bank is then frozen out of the cyclic collector, as the app does), then

- **first save**: ``History.start_attempt`` (the app records the attempt at its first
  save) and the autosave after the first answer;
- **later saves**: for each of ``--saves`` questions, choose an option, go to the next
  question, and time ``History.autosave`` (median);
- **size**: the database and its WAL file after those saves (MB).

Baseline, in the same run: the same steps on a 75-question attempt of the same
generated bank. The ratio is what the issue asks for: 1x means the size of the bank
does not matter. The first save of 100,000 questions has to write the attempt's question
list once, so it grows with the attempt (info); later saves and the size of each save
must not (target: later saves <= 2x).
"""

from __future__ import annotations

import gc
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import Result, arguments, median, report, workdir
from genbank import bank_data

from examsim.core.assemble import AttemptPlan
from examsim.core.bank import Bank
from examsim.core.bank_model import validate_bank
from examsim.core.session import ExamSession
from examsim.storage.history import History


def make_bank(count: int) -> Bank:
    data = bank_data(count, compact=True)
    data["bank"]["questions_per_exam"] = min(75, count)
    return validate_bank(data)


def one_run(bank: Bank, asked: int, saves: int, folder: Path, run: int) -> dict[str, float]:
    """Seconds of the first save and of each later save, and the files' sizes (MB)."""
    session = ExamSession.start(bank, AttemptPlan(mode="practice", questions=asked, seed=run))
    path = folder / f"history-{asked}-{run}.sqlite3"
    later: list[float] = []
    gc.collect()
    with History(path) as history:
        session.choose(0)
        start = time.perf_counter()
        attempt = history.start_attempt(session)
        history.autosave(attempt, session)
        first = time.perf_counter() - start
        for _ in range(saves):
            session.next()
            session.choose(1)
            start = time.perf_counter()
            history.autosave(attempt, session)
            later.append(time.perf_counter() - start)
        size = sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal"))
                   if p.exists())
    return {"first": first, "later": median(later), "size": size / 1e6}


def main(argv: list[str] | None = None) -> list[Result]:
    parser = arguments(__doc__.splitlines()[0], runs=3)
    parser.add_argument("--questions", type=int, default=100_000,
                        help="questions in the big attempt (default 100,000)")
    parser.add_argument("--saves", type=int, default=20, help="later saves per run")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    big = 300 if args.quick else args.questions
    saves = 5 if args.quick else args.saves
    small = 75
    bank = make_bank(big)
    gc.freeze()  # as the app does once the bank is loaded (commands/app.py, run_app)
    work = workdir("scale")
    ours: dict[str, list[float]] = {"first": [], "later": [], "size": []}
    base: dict[str, list[float]] = {"first": [], "later": [], "size": []}
    try:
        one_run(bank, small, 2, work, 0)  # warm-up (imports, the snapshot models)
        for run in range(1, runs + 1):
            for key, value in one_run(bank, small, saves, work, run).items():
                base[key].append(value)
            for key, value in one_run(bank, big, saves, work, run).items():
                ours[key].append(value)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    label = f"{big:,}-question attempt"
    against = f"the same, {small} questions"
    results = [
        Result(f"first save (record + autosave), {label}", median(ours["first"]) * 1000,
               median(base["first"]) * 1000, "ms", against, "", runs,
               samples={"ours": ours["first"], "baseline": base["first"]}),
        Result(f"later save, {label}", median(ours["later"]) * 1000,
               median(base["later"]) * 1000, "ms", against, "<= 2x", runs,
               samples={"ours": ours["later"], "baseline": base["later"]}),
        Result(f"DB + WAL after {saves} saves, {label}", median(ours["size"]),
               median(base["size"]), "MB", against, "", runs,
               samples={"ours": ours["size"], "baseline": base["size"]}),
    ]
    report("Scale of one attempt", results, args.json)
    return results


if __name__ == "__main__":
    main()
