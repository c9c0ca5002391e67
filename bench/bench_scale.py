"""Scale of one attempt: saving, listing and resuming an attempt of 100,000 questions,
against one of 75.

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
- **size**: the database and its WAL file after those saves (MB);
- **home screen**: with the attempt in progress (the database closed and opened again,
  as a new examsim would), what the home screen asks of the storage:
  ``overview.in_progress`` and ``overview.bank_overviews`` for the bank;
- **resume**: ``History.resume`` of the attempt (read the save, restore the session,
  check it against the bank, refresh the rows of edited questions).

The home screen and the resume use the bank as a new examsim loads it: from the bank
cache (``load_cached`` of the bank written to a file; a warm entry, its questions made
when first used), loaded again for each (the load itself is not timed: it is the same
for both attempts).

Baseline, in the same run: the same steps on a 75-question attempt of the same
generated bank. The ratio is what the issue asks for: 1x means the size of the bank
does not matter. The first save of 100,000 questions has to write the attempt's question
list once, so it grows with the attempt (info); later saves and the size of each save
must not (target: later saves <= 2x).
"""

from __future__ import annotations

import gc
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import Result, arguments, median, report, workdir
from genbank import bank_data

from examsim.core.assemble import AttemptPlan
from examsim.core.bank import Bank
from examsim.core.formats.native import load_bank
from examsim.core.session import ExamSession
from examsim.storage.bank_cache import load_cached
from examsim.storage.catalog import BankEntry
from examsim.storage.history import History
from examsim.storage.overview import bank_overviews, in_progress


def make_bank(count: int, folder: Path) -> tuple[Bank, Path]:
    """The bank written to a JSON file, and loaded from it (validated, as `run` does)."""
    data = bank_data(count, compact=True)
    data["bank"]["questions_per_exam"] = min(75, count)
    path = folder / "bank.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return load_bank(path), path


def one_run(bank: Bank, asked: int, saves: int, folder: Path, run: int,
            bank_file: Path) -> dict[str, float]:
    """Seconds of the first save and of each later save, the files' sizes (MB), then
    seconds of the home screen's overview and of the resume, each in a new History."""
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
    cache = folder / "cache"
    fresh = load_cached(bank_file, cache)  # as a new examsim: a bank just loaded
    gc.collect()
    with History(path) as history:
        start = time.perf_counter()
        found = in_progress(history, [fresh], [])
        bank_overviews([BankEntry("data", bank_file, fresh)], history)
        home = time.perf_counter() - start
    assert len(found) == 1 and found[0].answered >= 1, found
    fresh = load_cached(bank_file, cache)
    gc.collect()
    with History(path) as history:
        start = time.perf_counter()
        resumed = history.resume(attempt, fresh)
        resume = time.perf_counter() - start
    assert resumed.answered == found[0].answered and resumed.index == saves, resumed.index
    return {"first": first, "later": median(later), "size": size / 1e6, "home": home,
            "resume": resume}


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
    work = workdir("scale")
    bank, bank_file = make_bank(big, work)
    load_cached(bank_file, work / "cache")  # writes the cache entry
    gc.freeze()  # as the app does once the bank is loaded (commands/app.py, run_app)
    keys = ("first", "later", "size", "home", "resume")
    ours: dict[str, list[float]] = {key: [] for key in keys}
    base: dict[str, list[float]] = {key: [] for key in keys}
    try:
        one_run(bank, small, 2, work, 0, bank_file)  # warm-up (imports, the models)
        for run in range(1, runs + 1):
            for key, value in one_run(bank, small, saves, work, run, bank_file).items():
                base[key].append(value)
            for key, value in one_run(bank, big, saves, work, run, bank_file).items():
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
        Result(f"home screen (attempts in progress + bank line), {label} in progress",
               median(ours["home"]) * 1000, median(base["home"]) * 1000, "ms", against, "",
               runs, samples={"ours": ours["home"], "baseline": base["home"]}),
        Result(f"resume, {label}", median(ours["resume"]) * 1000,
               median(base["resume"]) * 1000, "ms", against, "", runs,
               samples={"ours": ours["resume"], "baseline": base["resume"]}),
    ]
    report("Scale of one attempt", results, args.json)
    return results


if __name__ == "__main__":
    main()
