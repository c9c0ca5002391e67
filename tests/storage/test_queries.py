"""Stats queries agree with the same numbers computed in Python from the stored rows."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import pytest

from examsim.core import insights
from examsim.storage import history_stats, queries
from examsim.storage.history import History
from examsim.storage.records import AnswerRow

from .helpers import FakeNow, FakeSession, make_bank


def play(history: History, bank_id: str, rnd: random.Random, end: str = "submitted") -> int:
    session = FakeSession(make_bank(12, bank_id=bank_id), seed=rnd.randint(1, 99))
    rnd.shuffle(session.ids)
    session.answer_all(rnd, right=rnd.uniform(0.3, 0.9))
    attempt_id = history.start_attempt(session)
    if end == "abandon":
        history.abandon(attempt_id, "test", session)
    elif end != "open":
        session.submit(end)
        history.finish(attempt_id, session)
    return attempt_id


@pytest.fixture
def filled(tmp_path: Path):
    rnd = random.Random(5)
    with History(tmp_path / "history.sqlite3", now=FakeNow()) as history:
        for i in range(15):
            play(history, "a" if i % 3 else "b", rnd, "time_up" if i % 4 == 0 else "submitted")
        play(history, "a", rnd, "abandon")
        play(history, "a", rnd, "open")
        yield history


def scored_answers(history: History, bank_id: str, last: int | None = None) -> list[AnswerRow]:
    attempts = history.attempts(bank_id, limit=last, scored_only=True)
    rows: list[AnswerRow] = []
    for attempt in sorted(attempts, key=lambda a: a.id):
        rows.extend(history.answers(attempt.id))
    return rows


def tally(pairs) -> dict:
    out: dict = defaultdict(lambda: [0, 0.0])
    for key, credit in pairs:
        out[key][0] += 1
        out[key][1] += credit
    return {k: (n, c) for k, (n, c) in out.items()}


@pytest.mark.parametrize("last", [None, 1, 4])
def test_accuracy_by_domain_and_topic(filled: History, last: int | None) -> None:
    rows = scored_answers(filled, "a", last)
    by_domain = {r.key: (r.attempted, r.correct)
                 for r in history_stats.accuracy(filled, "a", "domain", last)}
    assert by_domain == tally((r.domain, r.credit) for r in rows)
    by_topic = {r.key: (r.attempted, r.correct)
                for r in history_stats.accuracy(filled, "a", "topic", last)}
    assert by_topic == tally((t, r.credit) for r in rows for t in r.topics)
    with pytest.raises(ValueError):
        history_stats.accuracy(filled, "a", "colour")


def test_all_banks_scope(filled: History) -> None:
    total = sum(r.attempted for r in history_stats.accuracy(filled, None))
    assert total == len(scored_answers(filled, "a")) + len(scored_answers(filled, "b"))
    assert [(b, n) for b, _, n in filled.banks()] == [("a", 10), ("b", 5)]


def test_miss_streaks_match_pure_function(filled: History) -> None:
    seq = [(t, r.correct) for r in scored_answers(filled, "a") for t in r.topics]
    assert filled.miss_streaks("a") == insights.miss_streaks(seq)


def test_question_history_missed_and_flagged(filled: History) -> None:
    rows = scored_answers(filled, "b")
    last: dict[str, AnswerRow] = {}
    seen: dict[str, int] = defaultdict(int)
    wrong: dict[str, int] = defaultdict(int)
    for r in rows:
        last[r.question_id] = r
        seen[r.question_id] += 1
        wrong[r.question_id] += not r.correct
    stats = history_stats.question_history(filled, "b")
    assert set(stats) == set(last)
    for qid, stat in stats.items():
        assert (stat.seen, stat.wrong) == (seen[qid], wrong[qid])
        assert stat.last_correct == last[qid].correct
        assert stat.last_attempt == last[qid].attempt_id
    assert filled.missed_ids("b") == sorted(q for q, r in last.items() if not r.correct)
    assert filled.flagged_ids("b") == sorted(q for q, r in last.items() if r.flagged)


def test_strikes_pacing_calibration_trend(filled: History) -> None:
    rows = scored_answers(filled, "a")
    strikes = history_stats.strike_accuracy(filled, "a")
    assert strikes == insights.strike_accuracy((r.domain, r.struck, r.answer) for r in rows)
    assert strikes.overall.struck > 0
    pace = history_stats.pacing(filled, "a")
    assert pace.overall.questions == len(rows)
    assert pace.overall.seconds == pytest.approx(sum(r.seconds for r in rows))
    assert pace.budget == pytest.approx(600.0 / 12)
    levels = {c.level: c.answered for c in history_stats.calibration(filled, "a")}
    assert levels == {k: sum(r.confidence == k for r in rows) for k in (1, 2, 3)}
    scores = filled.scores("a")
    assert len(scores) == 10
    assert [s.attempt_id for s in scores] == sorted(s.attempt_id for s in scores)
    assert history_stats.trend(filled, "a").latest == scores[-1].percent


def test_abandoned_and_open_attempts_do_not_count(tmp_path: Path) -> None:
    rnd = random.Random(1)
    with History(tmp_path / "history.sqlite3") as history:
        play(history, "a", rnd, "abandon")
        play(history, "a", rnd, "open")
        assert history_stats.accuracy(history, "a") == []
        assert history_stats.question_history(history, "a") == {}
        assert history_stats.strike_accuracy(history, "a").overall.struck == 0
        assert history_stats.pacing(history, "a").budget is None
        assert history_stats.trend(history, "a").attempts == 0
        assert history.banks() == []


def test_new_query_shapes_match_the_plain_group_by(filled: History) -> None:
    """The loose index scan (newest answers, missed and flagged ids, question history),
    the partial index (calibration) and the NOT IN scope of scans give what the plain
    GROUP BY shapes over ``attempt_id IN scope`` gave, also where the newest answer to a
    question is out of scope (the other bank's attempts, and the abandoned and open ones,
    share question ids)."""
    conn = filled._conn
    for bank_id in ("a", "b", None):
        ids, params = queries.scope(bank_id)
        newest = conn.execute(
            f"SELECT question_id, count(*), total(NOT correct), max(attempt_id), correct, "
            f"flagged FROM answers WHERE attempt_id IN ({ids}) "
            f"GROUP BY question_id ORDER BY question_id", params).fetchall()
        assert [(s.question_id, s.seen, s.wrong, s.last_attempt, s.last_correct,
                 s.last_flagged) for s in history_stats.question_stats(conn, bank_id)] == [
            (q, n, int(w), a, bool(c), bool(f)) for q, n, w, a, c, f in newest]
        assert queries.newest_answers(conn, bank_id) == [
            (q, a, c, f) for q, _, _, a, c, f in newest]
        assert queries.last_ids(conn, bank_id, "missed") == [
            q for q, *_, c, _ in newest if not c]
        assert queries.last_ids(conn, bank_id, "flagged") == [
            q for q, *_, f in newest if f]
        topics = conn.execute(
            f"SELECT topic, count(*), total(credit), total(answered) FROM answer_topics "
            f"WHERE attempt_id IN ({ids}) GROUP BY topic ORDER BY topic", params).fetchall()
        assert [(a.key, a.attempted, a.correct, a.answered)
                for a in history_stats.accuracy_by_topic(conn, bank_id)] == [
            (t, n, c, int(ans)) for t, n, c, ans in topics]
        plain = conn.execute(
            f"SELECT confidence, count(*), total(credit) FROM answers NOT INDEXED "
            f"WHERE attempt_id IN ({ids}) AND confidence IS NOT NULL "
            f"GROUP BY confidence ORDER BY confidence", params).fetchall()
        assert [(int(a.key), a.attempted, a.correct)
                for a in history_stats.accuracy_by_confidence(conn, bank_id)] == plain
    out_of_scope = conn.execute(
        "SELECT count(*) FROM answers a JOIN attempts t ON t.id = a.attempt_id "
        "WHERE t.status = 'abandoned' AND t.id > (SELECT max(id) FROM attempts "
        "WHERE bank_id = 'b')").fetchone()[0]
    assert out_of_scope > 0  # newer than any of bank b's, and in no scope
    plan = " ".join(row[-1] for row in conn.execute(
        "EXPLAIN QUERY PLAN SELECT confidence FROM answers INDEXED BY answers_confidence "
        "WHERE confidence IS NOT NULL"))
    assert "answers_confidence" in plan
