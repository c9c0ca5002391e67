"""Time every stats query on a big history: 1,000 finished attempts of 75 questions.

    python bench/bench_stats.py [ATTEMPTS] [QUESTIONS] [--quick] [--json]

Builds the history in a temp dir (rows written straight into the schema, like finished
attempts), then prints each query's median time beside a plain
``SELECT count(*) FROM answers`` and the ratio between them. The goal: every stats query
well under 100 ms.

Then, as every benchmark here does, each stats query against one baseline measured in
the same run: one raw aggregate query over every answer, through sqlite3 alone
(``SELECT domain, count(*), total(credit) FROM answers GROUP BY domain``: no scope, no
Python objects). Target: each stats query at most 3x that. The whole stats report (about
a dozen queries) is shown beside it for information.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import Result, arguments, report

from examsim.storage import history_stats
from examsim.storage.history import SUM_TOPICS, History
from examsim.storage.report import bank_report

BANK_QUESTIONS = 400
DOMAINS = ("org", "new", "imp", "mig")
TOPICS = [f"Topic {i:02d}" for i in range(60)]
REPEAT = 15


def generate(path: Path, attempts: int, per_attempt: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    bank = []
    for i in range(BANK_QUESTIONS):
        key = "".join(sorted(rnd.sample("ABCDE", rnd.choice((1, 1, 1, 2)))))
        bank.append((f"q-{i:04d}", DOMAINS[i % 4], rnd.sample(TOPICS, 2), key))
    with History(path) as history:
        conn = history._conn
        conn.execute("BEGIN")
        shown: set[str] = set()  # questions seen already: later answers are repeats
        for n in range(attempts):
            skill = rnd.uniform(0.4, 0.9)
            asked = rnd.sample(bank, per_attempt)
            answers, topics, correct_count = [], [], 0
            for position, (qid, domain, tags, key) in enumerate(asked):
                right = rnd.random() < skill
                chosen = key if right else rnd.choice([c for c in "ABCDE" if c != key])
                struck = "".join(sorted(rnd.sample([c for c in "ABCDE" if c not in chosen],
                                                   rnd.choice((0, 0, 1, 2)))))
                correct_count += right
                answers.append((n + 1, position, qid, f"h{qid}", domain, json.dumps(tags),
                                chosen, key, struck, int(right), float(right),
                                int(rnd.random() < 0.1), rnd.choice((None, 1, 2, 3)),
                                round(rnd.uniform(10, 240), 1), rnd.randint(0, 2),
                                len(struck), sum(c in key for c in struck), None, 1, chosen,
                                int(qid not in shown), 120, 1, ""))
                shown.add(qid)
                topics.extend((n + 1, position, tag, int(right), float(right)) for tag in tags)
            percent = 100.0 * correct_count / per_attempt
            conn.execute(
                "INSERT INTO attempts (id, bank_id, bank_title, mode, seed, started, finished, "
                "time_limit, elapsed, status, total, correct, percent, scaled, passed, full, "
                "planned, seen, unanswered) VALUES (?, 'big', 'Big bank', 'exam', ?, ?, ?, "
                "10800, 9000, 'finished', ?, ?, ?, ?, ?, 1, ?, ?, 0)",
                (n + 1, n, f"2025-01-01T00:00:{n % 60:02d}Z", f"2025-01-01T03:00:{n % 60:02d}Z",
                 per_attempt, correct_count, percent, int(100 + 9 * percent), percent >= 75,
                 per_attempt, per_attempt),
            )
            conn.executemany(f"INSERT INTO answers VALUES ({', '.join('?' * 24)})", answers)
            conn.executemany("INSERT INTO answer_topics VALUES (?, ?, ?, ?, ?, 1)", topics)
            conn.execute(SUM_TOPICS, (n + 1,))  # as History writes them with the answers
        conn.execute("COMMIT")
        conn.execute("ANALYZE")


def median_ms(func: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


RAW_AGGREGATE = "SELECT domain, count(*), total(credit) FROM answers GROUP BY domain"
TARGET = "<= 3x"
INFORMATION = ("whole stats report", "open history (quick_check)", "one attempt's answers")


def main(attempts: int = 1000, per_attempt: int = 75, as_json: bool = False) -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.sqlite3"
        start = time.perf_counter()
        generate(path, attempts, per_attempt)
        built = time.perf_counter() - start
        size = path.stat().st_size / 1e6
        with History(path) as h:
            (rows,) = h._conn.execute("SELECT count(*) FROM answers").fetchone()
            print(f"{attempts} attempts x {per_attempt} = {rows} answers, {size:.1f} MB, "
                  f"built in {built:.1f} s; median of {REPEAT} runs\n")
            base = median_ms(lambda: h._conn.execute("SELECT count(*) FROM answers").fetchone())
            scan = median_ms(
                lambda: h._conn.execute("SELECT total(seconds) FROM answers").fetchone())
            cases: list[tuple[str, Callable[[], object]]] = [
                ("accuracy by domain", lambda: history_stats.accuracy(h, "big", "domain")),
                ("accuracy by domain, last 10",
                 lambda: history_stats.accuracy(h, "big", "domain", 10)),
                ("accuracy by topic", lambda: history_stats.accuracy(h, "big", "topic")),
                ("accuracy by topic, last 10",
                 lambda: history_stats.accuracy(h, "big", "topic", 10)),
                ("weakest topics", lambda: history_stats.weakest_topics(h, "big")),
                ("question history", lambda: history_stats.question_history(h, "big")),
                ("missed ids", lambda: h.missed_ids("big")),
                ("flagged ids", lambda: h.flagged_ids("big")),
                ("strike accuracy", lambda: history_stats.strike_accuracy(h, "big")),
                ("pacing", lambda: history_stats.pacing(h, "big")),
                ("miss streaks", lambda: h.miss_streaks("big")),
                ("confidence calibration", lambda: history_stats.calibration(h, "big")),
                ("scores and trend", lambda: history_stats.trend(h, "big")),
                ("attempts list", lambda: h.attempts("big")),
                ("one attempt's answers", lambda: h.answers(attempts // 2)),
                ("whole stats report", lambda: bank_report(h, "big")),
                # another connection is open (h): a -wal, so every open runs quick_check
                ("open history (quick_check)", lambda: History(path).close()),
            ]
            raw = median_ms(lambda: h._conn.execute(RAW_AGGREGATE).fetchall())
            print(f"{'query':36} {'median ms':>10} {'x count(*)':>11}")
            print(f"{'SELECT count(*) FROM answers':36} {base:10.2f} {1:11.1f}")
            print(f"{'(reading every row: total(seconds))':36} {scan:10.2f} {scan / base:11.1f}")
            print(f"{'(raw aggregate: GROUP BY domain)':36} {raw:10.2f} {raw / base:11.1f}")
            for name, func in cases:
                ms = median_ms(func)
                print(f"{name:36} {ms:10.2f} {ms / base:11.1f}")
                results.append(Result(
                    f"stats: {name}", ms, raw, "ms", "raw GROUP BY over all answers",
                    "" if name in INFORMATION else TARGET, REPEAT))
        # closed as examsim closes it (storage/db.py): the next opens skip quick_check;
        # the open only (closing as the last connection checkpoints the WAL: fsync)
        times = []
        for _ in range(REPEAT):
            begin = time.perf_counter()
            again = History(path)
            times.append((time.perf_counter() - begin) * 1000)
            again.close()
        ms = statistics.median(times)
        print(f"{'open history (as examsim closed it)':36} {ms:10.2f} {ms / base:11.1f}")
        results.append(Result("stats: open history (as examsim closed it)", ms, raw, "ms",
                              "raw GROUP BY over all answers", "", REPEAT))
    report(f"Stats queries, {attempts:,} attempts x {per_attempt} answers", results, as_json)
    return results


if __name__ == "__main__":
    parser = arguments("Stats queries against one raw aggregate query", runs=REPEAT)
    parser.add_argument("sizes", nargs="*", type=int, metavar="ATTEMPTS QUESTIONS")
    args = parser.parse_args()
    if args.quick:
        REPEAT = 2
        main(20, 10, args.json)
    else:
        REPEAT = args.runs
        main(*args.sizes[:2], as_json=args.json)
