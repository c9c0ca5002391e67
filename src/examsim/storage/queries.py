"""Read queries for the stats and review screens: the store fetches, core/insights ranks.

Every stats query counts scored attempts only (finished or timed out); abandoned attempts
keep their answers so far for review and export but do not count. ``bank_id=None`` means
every bank; ``last=N`` keeps the newest N scored attempts of that scope. Time order is
attempt id order (attempts are numbered as they start), then position.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ..core.insights import Accuracy, QuestionStat
from .records import SCORED

_SCORED_SQL = ", ".join(f"'{status}'" for status in SCORED)


def scope(bank_id: str | None, last: int | None = None) -> tuple[str, list[Any]]:
    """A subquery selecting the ids of the attempts in scope, and its parameters."""
    sql = f"SELECT id FROM attempts WHERE status IN ({_SCORED_SQL})"
    params: list[Any] = []
    if bank_id is not None:
        sql += " AND bank_id = ?"
        params.append(bank_id)
    if last is not None:
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(last)
    return sql, params


def accuracy_by_domain(
    conn: sqlite3.Connection, bank_id: str | None, last: int | None = None
) -> list[Accuracy]:
    ids, params = scope(bank_id, last)
    rows = conn.execute(
        f"SELECT domain, count(*), total(credit) FROM answers "
        f"WHERE attempt_id IN ({ids}) GROUP BY domain ORDER BY domain",
        params,
    )
    return [Accuracy(key, count, correct) for key, count, correct in rows]


def accuracy_by_topic(
    conn: sqlite3.Connection, bank_id: str | None, last: int | None = None
) -> list[Accuracy]:
    ids, params = scope(bank_id, last)
    rows = conn.execute(
        f"SELECT t.topic, count(*), total(a.credit) FROM answer_topics t "
        f"JOIN answers a ON a.attempt_id = t.attempt_id AND a.position = t.position "
        f"WHERE t.attempt_id IN ({ids}) GROUP BY t.topic ORDER BY t.topic",
        params,
    )
    return [Accuracy(key, count, correct) for key, count, correct in rows]


def accuracy_by_confidence(conn: sqlite3.Connection, bank_id: str | None) -> list[Accuracy]:
    ids, params = scope(bank_id)
    rows = conn.execute(
        f"SELECT confidence, count(*), total(credit) FROM answers "
        f"WHERE attempt_id IN ({ids}) AND confidence IS NOT NULL "
        f"GROUP BY confidence ORDER BY confidence",
        params,
    )
    return [Accuracy(str(key), count, correct) for key, count, correct in rows]


def question_history(conn: sqlite3.Connection, bank_id: str | None) -> list[QuestionStat]:
    """Per question: times seen, times wrong, and the last result (SQLite's max() rule
    takes the bare columns from the row of the newest attempt)."""
    ids, params = scope(bank_id)
    rows = conn.execute(
        f"SELECT question_id, count(*), total(NOT correct), max(attempt_id), correct, "
        f"flagged, question_hash FROM answers WHERE attempt_id IN ({ids}) "
        f"GROUP BY question_id ORDER BY question_id",
        params,
    )
    return [
        QuestionStat(qid, seen, int(wrong), bool(correct), bool(flagged), last, qhash)
        for qid, seen, wrong, last, correct, flagged, qhash in rows
    ]


def strike_rows(
    conn: sqlite3.Connection, bank_id: str | None
) -> list[tuple[str | None, str, str]]:
    ids, params = scope(bank_id)
    return conn.execute(
        f"SELECT domain, struck, answer FROM answers "
        f"WHERE attempt_id IN ({ids}) AND struck != ''",
        params,
    ).fetchall()


def pacing_rows(
    conn: sqlite3.Connection, bank_id: str | None
) -> list[tuple[str | None, int, float]]:
    ids, params = scope(bank_id)
    return conn.execute(
        f"SELECT domain, count(*), total(seconds) FROM answers "
        f"WHERE attempt_id IN ({ids}) GROUP BY domain",
        params,
    ).fetchall()


def pacing_budget(conn: sqlite3.Connection, bank_id: str | None) -> float | None:
    """Mean seconds per question that the time limits of timed attempts allowed."""
    ids, params = scope(bank_id)
    (budget,) = conn.execute(
        f"SELECT avg(time_limit / total) FROM attempts WHERE id IN ({ids}) "
        f"AND time_limit IS NOT NULL AND total > 0",
        params,
    ).fetchone()
    return budget


def miss_streaks(conn: sqlite3.Connection, bank_id: str | None) -> dict[str, int]:
    """Per topic, the wrong answers since its last right one (topics with a run only)."""
    ids, params = scope(bank_id)
    rows = conn.execute(
        f"""
        WITH seq AS (
            SELECT t.topic, a.attempt_id * 1000000 + a.position AS n, a.correct
            FROM answer_topics t
            JOIN answers a ON a.attempt_id = t.attempt_id AND a.position = t.position
            WHERE t.attempt_id IN ({ids})
        ),
        last_right AS (SELECT topic, max(n) AS n FROM seq WHERE correct GROUP BY topic)
        SELECT seq.topic, count(*) FROM seq LEFT JOIN last_right USING (topic)
        WHERE NOT seq.correct AND seq.n > coalesce(last_right.n, -1)
        GROUP BY seq.topic
        """,
        params,
    )
    return dict(rows.fetchall())


def score_series(
    conn: sqlite3.Connection, bank_id: str | None
) -> list[tuple[int, str, float, int | None, bool]]:
    """(attempt id, finished, percent, scaled, passed) of scored attempts, oldest first."""
    ids, params = scope(bank_id)
    rows = conn.execute(
        f"SELECT id, finished, percent, scaled, passed FROM attempts "
        f"WHERE id IN ({ids}) ORDER BY id",
        params,
    )
    return [(i, f, p, s, bool(ok)) for i, f, p, s, ok in rows]


def banks(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    """(bank id, latest title, scored attempts) of every bank in history."""
    rows = conn.execute(
        f"SELECT bank_id, bank_title, count(*), max(id) FROM attempts "
        f"WHERE status IN ({_SCORED_SQL}) GROUP BY bank_id ORDER BY bank_id"
    )
    return [(bank_id, title, count) for bank_id, title, count, _ in rows]
