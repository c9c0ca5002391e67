"""Autosave: History.autosave after each answer of a 75-question exam, against a plain
sqlite3 insert of the same bytes.

    python bench/bench_autosave.py [--runs N] [--quick] [--json]

Ours: a real ExamSession on banks/aws-sap-practice-1.toml (75 questions); for each
question, choose an option, go to the next one, then time ``History.autosave`` (the
session's unsaved changes: the state and the rows of the questions left and reached;
one UPDATE of the attempt and one UPSERT of those rows in a BEGIN IMMEDIATE
transaction; storage/progress.py).

Baseline, in the same run: a plain ``sqlite3`` connection to a database in the same
folder with the same durability settings (WAL, synchronous=NORMAL), inserting one row
holding the same bytes that autosave wrote for that answer (the state's JSON and the
changed rows' values), committed at once. Each answer is one sample; the figures are
medians over every answer of every run. For information, the same run also times a
plain insert of what a save wrote before schema v10: the whole snapshot and every
answer row as JSON (json.dumps), about 45 kB here; and the part of a save that is Python
alone (the session's unsaved changes, their row values and the state's JSON, no SQL):
the floor of any save that works out what changed, against the same insert.
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
from examsim.storage.history import History
from examsim.storage.progress import progress_params
from examsim.storage.records import progress_rows

BANK = REPO / "banks" / "aws-sap-practice-1.toml"


def written(session: ExamSession) -> str:
    """The bytes the next save writes: the state as JSON and the changed rows' values."""
    unsaved = session.unsaved()
    rows = [progress_params(0, item) for item in unsaved.questions]
    return json.dumps(unsaved.state) + "".join(map(str, rows))


def whole(session: ExamSession) -> str:
    """What a save wrote before schema v10: the snapshot and every answer row."""
    return json.dumps(session.snapshot().model_dump(mode="json"), ensure_ascii=False) + \
        json.dumps(progress_rows(session.bank, session.result().questions), ensure_ascii=False)


SAME_SQL = (
    "CREATE TABLE attempts (id INTEGER PRIMARY KEY, state TEXT, elapsed REAL, saved TEXT);"
    "INSERT INTO attempts VALUES (1, '{}', 0, '');"
    "CREATE TABLE progress (attempt_id INTEGER, position INTEGER, chosen TEXT, struck TEXT, "
    "flagged INTEGER, confidence INTEGER, seconds REAL, changes INTEGER, checked INTEGER, "
    "seen INTEGER, trail TEXT, note TEXT, credit REAL, PRIMARY KEY (attempt_id, position)) "
    "WITHOUT ROWID;"
)


def plain_save(conn: sqlite3.Connection, state: str, rows: list[tuple[object, ...]]) -> None:
    """The same save written plainly: the attempt's state and the changed rows."""
    conn.execute("BEGIN")
    conn.execute("UPDATE attempts SET state = ?, elapsed = 1, saved = 'now' WHERE id = 1",
                 (state,))
    conn.executemany(f"INSERT OR REPLACE INTO progress VALUES ({', '.join('?' * 13)})", rows)
    conn.execute("COMMIT")


def one_run(
    bank_path: Path, folder: Path, seed: int
) -> tuple[list[float], list[float], list[float], list[float], list[float], int, int]:
    bank = load_bank(bank_path)
    session = ExamSession.start(bank, AttemptPlan(seed=seed))
    ours: list[float] = []
    plain: list[float] = []
    old: list[float] = []
    same: list[float] = []
    python: list[float] = []
    sizes: list[int] = []
    old_sizes: list[int] = []
    with History(folder / f"history-{seed}.sqlite3") as history:
        attempt = history.start_attempt(session)
        conn = sqlite3.connect(folder / f"plain-{seed}.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("CREATE TABLE saves (id INTEGER PRIMARY KEY, data TEXT NOT NULL)")
        conn.executescript(SAME_SQL)
        try:
            for _ in range(session.count):
                session.choose(0)
                session.next()
                # the same bytes autosave writes (computed outside the clock)
                data = written(session)
                start = time.perf_counter()  # the Python part of a save alone
                unsaved = session.unsaved()
                rows = [progress_params(1, item) for item in unsaved.questions]
                state = json.dumps(unsaved.state)
                python.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                history.autosave(attempt, session)
                ours.append((time.perf_counter() - start) * 1000)
                sizes.append(len(data.encode()))
                start = time.perf_counter()
                conn.execute("INSERT INTO saves (data) VALUES (?)", (data,))
                plain.append((time.perf_counter() - start) * 1000)
                data = whole(session)
                old_sizes.append(len(data.encode()))
                start = time.perf_counter()
                conn.execute("INSERT INTO saves (data) VALUES (?)", (data,))
                old.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                plain_save(conn, state, rows)
                same.append((time.perf_counter() - start) * 1000)
        finally:
            conn.close()
    return ours, plain, old, same, python, int(median(sizes)), int(median(old_sizes))


def main(argv: list[str] | None = None) -> list[Result]:
    args = arguments(__doc__.splitlines()[0], runs=5).parse_args(argv)
    runs = 1 if args.quick else args.runs
    bank = SAMPLE if args.quick else BANK
    work = workdir("autosave")
    ours: list[float] = []
    plain: list[float] = []
    old: list[float] = []
    same: list[float] = []
    python: list[float] = []
    try:
        one_run(bank, work, seed=0)  # warm-up
        for run in range(1, runs + 1):
            o, p, w, q, y, size, old_size = one_run(bank, work, seed=run)
            ours += o
            plain += p
            old += w
            same += q
            python += y
    finally:
        shutil.rmtree(work, ignore_errors=True)
    count = load_bank(bank).settings.questions_per_exam or len(load_bank(bank).questions)
    results = [
        Result(f"autosave per answer, {count}-question exam", median(ours),
               median(plain), "ms", f"sqlite3 insert, same {size} B", "<= 2x", runs,
               samples={"ours": ours, "baseline": plain}),
        Result(f"autosave per answer, {count}-question exam", median(ours),
               median(same), "ms", "the same UPDATE + UPSERT, plain", "", runs,
               samples={"ours": ours, "baseline": same}),
        Result(f"autosave per answer, {count}-question exam", median(ours),
               median(old), "ms", f"insert of a whole save, {old_size / 1000:.0f} kB",
               "", runs, samples={"ours": ours, "baseline": old}),
        Result("autosave, its Python part alone (what changed, rows, state JSON)",
               median(python), median(plain), "ms", f"sqlite3 insert, same {size} B", "",
               runs, samples={"ours": python, "baseline": plain}),
    ]
    report("Autosave per answer", results, args.json)
    return results


if __name__ == "__main__":
    main()
