"""Read queries over the answers of scored attempts: the scopes, the newest answer per
question (missed, flagged), strikes, pacing, miss streaks and the score series. The
queries that build core/insights' figures (accuracy, per-question stats) are in
storage/stats.py, which a start does not import.

Every stats query counts scored attempts only (finished or timed out); abandoned attempts
keep their answers so far for review and export but do not count. Within them, only
questions *seen* (shown on screen) count: a question never reached is neither asked,
missed nor paced (schema v7: ``answers.seen``; ``answer_topics`` holds seen answers
only). The score series counts full exams only. ``bank_id=None`` means
every bank; ``last=N`` keeps the newest N scored attempts of that scope. Time order is
attempt id order (attempts are numbered as they start), then position.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ..core.frozen import Frozen, _set
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


def in_scope(
    column: str, bank_id: str | None, last: int | None = None, seek: bool | None = None
) -> tuple[str, list[Any]]:
    """``column`` is the id of an attempt in scope: SQL and its parameters.

    For the last few attempts SQLite should seek each one; for all of them, scanning a
    covering index in order is faster, so a unary ``+`` keeps the planner from seeking a
    thousand times (see bench/bench_stats.py). ``seek`` overrides the choice.

    A scan tests every row, so it tests against the smaller set: ``NOT IN`` the attempts
    out of scope (abandoned, open, other banks), usually few, and none at all costs
    nothing. Exact since every answer's attempt exists (foreign keys, ON DELETE CASCADE).
    """
    if seek is None:
        seek = last is not None
    if seek or last is not None:
        ids, params = scope(bank_id, last)
        return f"{'' if seek else '+'}{column} IN ({ids})", params
    ids, params = out_of_scope(bank_id)
    return f"+{column} NOT IN ({ids})", params


def out_of_scope(bank_id: str | None) -> tuple[str, list[Any]]:
    """A subquery selecting the ids of every attempt not in ``scope(bank_id)``."""
    if bank_id is None:
        return f"SELECT id FROM attempts WHERE status NOT IN ({_SCORED_SQL})", []
    return (f"SELECT id FROM attempts WHERE status NOT IN ({_SCORED_SQL}) "
            f"OR bank_id != ?", [bank_id])


def _newest_sql(where: str, test: str = "1") -> str:
    """(question id, attempt id, correct, flagged) of each question's newest answer in
    scope, in question id order, keeping those that pass ``test``.

    Rather than grouping every answer by question, a loose index scan: a recursive query
    steps from one question id to the next in ``answers_question`` (one seek each), and
    for each reads its answers newest first until one is in scope (almost always the
    first), then seeks that answer. A question is asked at most once per attempt (the
    assembler keeps ids unique), so the newest attempt names one answer: the row the old
    ``max(attempt_id)`` GROUP BY took its bare columns from. ``LIMIT -1`` keeps SQLite
    from flattening ``newest`` into the join, which re-ran its subquery per row (ten
    times slower; ``AS MATERIALIZED`` would say so too, but needs SQLite 3.35).
    """
    return (
        f"WITH RECURSIVE question (id) AS ("
        f"SELECT min(question_id) FROM answers INDEXED BY answers_question "
        f"UNION ALL SELECT (SELECT min(question_id) FROM answers INDEXED BY answers_question "
        f"WHERE question_id > question.id) FROM question WHERE question.id IS NOT NULL), "
        f"newest (id, attempt) AS (SELECT id, (SELECT attempt_id FROM answers "
        f"INDEXED BY answers_question WHERE question_id = question.id AND {where} AND seen "
        f"ORDER BY attempt_id DESC LIMIT 1) FROM question WHERE id IS NOT NULL LIMIT -1) "
        f"SELECT n.id, n.attempt, a.correct, a.flagged FROM newest n "
        f"JOIN answers a INDEXED BY answers_question "
        f"ON a.question_id = n.id AND a.attempt_id = n.attempt WHERE {test} ORDER BY n.id"
    )


def newest_answers(
    conn: sqlite3.Connection, bank_id: str | None
) -> list[tuple[str, int, int, int]]:
    """(question id, attempt id, correct, flagged) of each question's newest answer in
    scope, in question id order."""
    where, params = in_scope("attempt_id", bank_id)  # +attempt_id: walk, never seek
    return conn.execute(_newest_sql(where), params).fetchall()


def last_ids(conn: sqlite3.Connection, bank_id: str | None, column: str) -> list[str]:
    """Question ids whose newest answer in scope has ``column`` ("missed" or "flagged")
    set, in id order: the same answer question_history takes as the last result."""
    test = {"missed": "NOT a.correct", "flagged": "a.flagged"}[column]
    where, params = in_scope("attempt_id", bank_id)  # +attempt_id: walk, never seek
    return [qid for qid, *_ in conn.execute(_newest_sql(where, test), params)]


def strike_totals(
    conn: sqlite3.Connection, bank_id: str | None
) -> list[tuple[str | None, int, int]]:
    """(domain, options struck, of those in the key) over the answers with strikes."""
    where, params = in_scope("attempt_id", bank_id, seek=True)
    return conn.execute(
        f"SELECT domain, total(strikes), total(strikes_in_key) FROM answers "
        f"INDEXED BY answers_strikes WHERE strikes > 0 AND {where} GROUP BY domain",
        params,
    ).fetchall()


def pacing_rows(
    conn: sqlite3.Connection, bank_id: str | None
) -> list[tuple[str | None, int, float]]:
    where, params = in_scope("attempt_id", bank_id)
    return conn.execute(
        f"SELECT domain, count(*), total(seconds) FROM answers INDEXED BY answers_domain "
        f"WHERE {where} AND seen GROUP BY domain",
        params,
    ).fetchall()


def pacing_budget(conn: sqlite3.Connection, bank_id: str | None) -> float | None:
    """Mean seconds per question that the time limits of timed attempts allowed (the
    limit over the questions in the attempt, seen or not)."""
    ids, params = scope(bank_id)
    budget: float | None
    (budget,) = conn.execute(
        f"SELECT avg(time_limit / planned) FROM attempts WHERE id IN ({ids}) "
        f"AND time_limit IS NOT NULL AND planned > 0",
        params,
    ).fetchone()
    return budget


def miss_streaks(conn: sqlite3.Connection, bank_id: str | None) -> dict[str, int]:
    """Per topic, the wrong answers since its last right one (topics with a run only).

    Questions left unanswered neither extend nor end a run (see insights.miss_streaks).

    Two index seeks per topic: its newest right answer in scope, then the wrong ones
    after it; far cheaper than ordering every answer of every topic.
    """
    where, params = in_scope("attempt_id", bank_id)
    last_right = (
        f"SELECT attempt_id, position FROM answer_topics WHERE topic = ? AND correct = 1 "
        f"AND {where} ORDER BY attempt_id DESC, position DESC LIMIT 1"
    )
    wrong_after = (
        f"SELECT count(*) FROM answer_topics WHERE topic = ? AND correct = 0 "
        f"AND answered = 1 AND (attempt_id, position) > (?, ?) AND {where}"
    )
    runs: dict[str, int] = {}
    for (topic,) in conn.execute("SELECT DISTINCT topic FROM answer_topics").fetchall():
        found = conn.execute(last_right, [topic, *params]).fetchone() or (-1, -1)
        (run,) = conn.execute(wrong_after, [topic, *found, *params]).fetchone()
        if run:
            runs[topic] = run
    return runs


class AttemptScore(Frozen):
    """One scored full exam's score, as the trend reads it."""

    __slots__ = __match_args__ = ("attempt_id", "finished", "percent", "scaled", "passed")
    attempt_id: int
    finished: str          # ISO 8601 UTC, as stored
    percent: float
    scaled: int | None     # None: the bank has no scaled score
    passed: bool

    def __init__(self, attempt_id: int, finished: str, percent: float, scaled: int | None,
                 passed: bool) -> None:
        _set(self, "attempt_id", attempt_id)
        _set(self, "finished", finished)
        _set(self, "percent", percent)
        _set(self, "scaled", scaled)
        _set(self, "passed", passed)


def score_series(conn: sqlite3.Connection, bank_id: str | None) -> list[AttemptScore]:
    """The scores of scored full exams, oldest first."""
    ids, params = scope(bank_id)
    rows = conn.execute(
        f"SELECT id, finished, percent, scaled, passed FROM attempts "
        f"WHERE id IN ({ids}) AND full ORDER BY id",
        params,
    )
    return [AttemptScore(i, f, p, s, bool(ok)) for i, f, p, s, ok in rows]


def banks(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    """(bank id, latest title, scored attempts) of every bank in history."""
    rows = conn.execute(
        f"SELECT bank_id, bank_title, count(*), max(id) FROM attempts "
        f"WHERE status IN ({_SCORED_SQL}) GROUP BY bank_id ORDER BY bank_id"
    )
    return [(bank_id, title, count) for bank_id, title, count, _ in rows]
