"""The stats a history holds: accuracy by domain, topic and confidence, per-question
history, weakest topics, strikes, pacing, calibration, the score trend and the seen
answers the learning figures read (storage/report.py, the stats screen, ``examsim
stats``). The store fetches (SQL here and in storage/queries.py), core/insights and
core/learning rank and compute.

Kept apart from storage/history.py (attempts, saves, cards) so that a start, which needs
none of these, imports neither core/insights nor core/learning (docs/performance.md).
Every query takes the history's lock (``History.reading``); the rules of what counts are
in storage/queries.py's docstring.
"""

from __future__ import annotations

import sqlite3

from ..core import insights, learning
from ..core.insights import Accuracy, QuestionStat
from . import queries
from .history import History


def accuracy_by_domain(
    conn: sqlite3.Connection, bank_id: str | None, last: int | None = None
) -> list[Accuracy]:
    """Per domain: questions asked, credit earned, and how many were answered."""
    where, params = queries.in_scope("attempt_id", bank_id, last)
    rows = conn.execute(
        f"SELECT domain, count(*), total(credit), total(chosen != '') FROM answers "
        f"INDEXED BY answers_domain WHERE {where} AND seen GROUP BY domain ORDER BY domain",
        params,
    )
    return [Accuracy(key, count, correct, int(answered))
            for key, count, correct, answered in rows]


def accuracy_by_topic(
    conn: sqlite3.Connection, bank_id: str | None, last: int | None = None
) -> list[Accuracy]:
    """Per topic: answers, credit and how many were answered, from each attempt's totals
    per topic (schema v6: about a third of the rows of one per answer and topic)."""
    where, params = queries.in_scope("attempt_id", bank_id, last)
    rows = conn.execute(
        f"SELECT topic, sum(asked), total(credit), sum(answered) FROM attempt_topics "
        f"INDEXED BY attempt_topics_topic WHERE {where} GROUP BY topic ORDER BY topic",
        params,
    )
    return [Accuracy(key, count, correct, int(answered))
            for key, count, correct, answered in rows]


def accuracy_by_confidence(conn: sqlite3.Connection, bank_id: str | None) -> list[Accuracy]:
    """Per confidence level: answers and credit. Reads the partial index of the answers
    with a confidence (schema v5), seeking each attempt in scope per level."""
    where, params = queries.in_scope("attempt_id", bank_id, seek=True)
    rows = conn.execute(
        f"SELECT confidence, count(*), total(credit) FROM answers "
        f"INDEXED BY answers_confidence WHERE {where} AND confidence IS NOT NULL "
        f"GROUP BY confidence ORDER BY confidence",
        params,
    )
    return [Accuracy(str(key), count, correct) for key, count, correct in rows]


def question_stats(conn: sqlite3.Connection, bank_id: str | None) -> list[QuestionStat]:
    """Per question: times seen, times wrong, and the last result (its newest answer in
    scope, from :func:`storage.queries.newest_answers`)."""
    where, params = queries.in_scope("attempt_id", bank_id)
    counts = conn.execute(
        f"SELECT question_id, count(*), total(NOT correct) FROM answers "
        f"INDEXED BY answers_question WHERE {where} AND seen GROUP BY question_id",
        params,
    ).fetchall()
    newest = {qid: (last, correct, flagged)
              for qid, last, correct, flagged in queries.newest_answers(conn, bank_id)
              if last is not None}
    stats = []
    for qid, seen, wrong in counts:
        last, correct, flagged = newest[qid]
        stats.append(QuestionStat(qid, seen, int(wrong), bool(correct), bool(flagged), last))
    stats.sort(key=lambda stat: stat.question_id)
    return stats


def question_history(history: History, bank_id: str) -> dict[str, QuestionStat]:
    with history.reading() as conn:
        return {s.question_id: s for s in question_stats(conn, bank_id)}


def accuracy(
    history: History, bank_id: str | None = None, by: str = "domain", last: int | None = None
) -> list[Accuracy]:
    """Accuracy per domain or per topic, over the last N scored attempts or all."""
    fetch = {"domain": accuracy_by_domain, "topic": accuracy_by_topic}
    if by not in fetch:
        raise ValueError(f"accuracy by {by!r}: expected 'domain' or 'topic'")
    with history.reading() as conn:
        return fetch[by](conn, bank_id, last)


def weakest_topics(
    history: History, bank_id: str | None = None, n: int = 5, last: int | None = None
) -> list[Accuracy]:
    return insights.weakest(accuracy(history, bank_id, "topic", last), n)


def strike_accuracy(history: History, bank_id: str | None = None) -> insights.StrikeReport:
    with history.reading() as conn:
        totals = queries.strike_totals(conn, bank_id)
    per_domain = {domain: insights.StrikeStats(int(struck), int(in_key))
                  for domain, struck, in_key in totals}
    overall = insights.StrikeStats(sum(s.struck for s in per_domain.values()),
                                   sum(s.in_key for s in per_domain.values()))
    return insights.StrikeReport(overall, per_domain)


def pacing(history: History, bank_id: str | None = None) -> insights.PacingReport:
    with history.reading() as conn:
        rows = queries.pacing_rows(conn, bank_id)
        budget = queries.pacing_budget(conn, bank_id)
    return insights.pacing(rows, budget)


def calibration(history: History, bank_id: str | None = None) -> list[insights.Calibration]:
    with history.reading() as conn:
        return insights.calibration(accuracy_by_confidence(conn, bank_id))


def trend(history: History, bank_id: str | None = None) -> insights.Trend:
    return insights.trend([score.percent for score in history.scores(bank_id)])


SEEN_FILTERS = {  # subsets of the seen answers that the learning figures need
    "all": "",
    "fresh answered": " AND a.fresh AND a.chosen != '' AND a.words > 0",
    "changed": " AND a.trail LIKE '%>%'",
}


def seen_answers(history: History, bank_id: str, which: str = "all") -> list[learning.Seen]:
    """The seen answers of the bank's scored attempts, oldest first (core/learning);
    ``which``: "all", "fresh answered" (of known length) or "changed" (a trail with
    a change): the figures read only the rows they need."""
    with history.reading() as conn:
        rows = conn.execute(
            "SELECT a.domain, a.fresh, a.credit, a.correct, a.chosen != '', a.seconds, "
            "a.words, a.trail, a.answer FROM answers a JOIN attempts t ON t.id = a.attempt_id "
            "WHERE t.bank_id = ? AND t.status IN ('finished', 'timed_out') AND a.seen"
            f"{SEEN_FILTERS[which]} ORDER BY a.attempt_id, a.position", (bank_id,)).fetchall()
    return [learning.Seen(domain, bool(fresh), float(credit), bool(correct),
                          bool(answered), float(seconds), int(words), trail or "", key)
            for domain, fresh, credit, correct, answered, seconds, words, trail, key
            in rows]
