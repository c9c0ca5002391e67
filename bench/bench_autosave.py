"""Autosave: History.autosave after each answer of a 75-question exam, against a plain
sqlite3 insert of the same number of bytes.

    python bench/bench_autosave.py [--runs N] [--quick] [--json]

Ours: a real ExamSession on banks/aws-sap-practice-1.toml (75 questions); for each
question, choose an option, then time ``History.autosave`` (score the session, the
snapshot and progress rows as JSON, one UPDATE in a BEGIN IMMEDIATE transaction).

Baseline, in the same run: a plain ``sqlite3`` connection to a database in the same
folder with the same durability settings (WAL, synchronous=NORMAL), inserting one row
holding the same bytes that autosave wrote for that answer, committed at once. Each
answer is one sample; the figures are medians over every answer of every run.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import REPO, SAMPLE, Result, arguments, median, report, workdir

from examsim.core.assemble import AttemptPlan
from examsim.core.formats.native import load_bank
from examsim.core.session import ExamSession
from examsim.storage.history import History, _snapshot_json
from examsim.storage.records import progress_rows

BANK = REPO / "banks" / "aws-sap-practice-1.toml"


def one_run(bank_path: Path, folder: Path, seed: int) -> tuple[list[float], list[float], int]:
    bank = load_bank(bank_path)
    session = ExamSession.start(bank, AttemptPlan(seed=seed))
    ours: list[float] = []
    plain: list[float] = []
    sizes: list[int] = []
    with History(folder / f"history-{seed}.sqlite3") as history:
        attempt = history.start_attempt(session)
        conn = sqlite3.connect(folder / f"plain-{seed}.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("CREATE TABLE saves (id INTEGER PRIMARY KEY, data TEXT NOT NULL)")
        try:
            for _ in range(session.count):
                session.choose(0)
                start = time.perf_counter()
                history.autosave(attempt, session)
                ours.append((time.perf_counter() - start) * 1000)
                # the same bytes autosave wrote (computed outside the clock)
                data = _snapshot_json(session) + json.dumps(
                    progress_rows(session.bank, session.result().questions), ensure_ascii=False)
                sizes.append(len(data.encode()))
                start = time.perf_counter()
                conn.execute("INSERT INTO saves (data) VALUES (?)", (data,))
                plain.append((time.perf_counter() - start) * 1000)
                session.next()
        finally:
            conn.close()
    return ours, plain, int(median(sizes))


def main(argv: list[str] | None = None) -> list[Result]:
    args = arguments(__doc__.splitlines()[0], runs=5).parse_args(argv)
    runs = 1 if args.quick else args.runs
    bank = SAMPLE if args.quick else BANK
    work = workdir("autosave")
    ours: list[float] = []
    plain: list[float] = []
    try:
        one_run(bank, work, seed=0)  # warm-up
        for run in range(1, runs + 1):
            o, p, size = one_run(bank, work, seed=run)
            ours += o
            plain += p
    finally:
        shutil.rmtree(work, ignore_errors=True)
    count = load_bank(bank).settings.questions_per_exam or len(load_bank(bank).questions)
    results = [Result(f"autosave per answer, {count}-question exam", median(ours),
                      median(plain), "ms", f"sqlite3 insert, {size / 1000:.0f} kB",
                      "<= 2x", runs, samples={"ours": ours, "baseline": plain})]
    report("Autosave per answer", results, args.json)
    return results


if __name__ == "__main__":
    main()
