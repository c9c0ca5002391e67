"""What an attempt counts (docs/architecture.md): seen questions, full exams and sessions.

Each test replays, with known inputs, a path a learner takes: an exam ended early, a
practice session of a few questions, a retry of flagged questions. The engine, the store
and the report are the real ones.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from examsim.core.assemble import AttemptPlan, is_full_exam
from examsim.core.scoring import AnswerRecord, score
from examsim.core.session import ExamSession
from examsim.storage import history_stats
from examsim.storage.history import History
from examsim.storage.overview import bank_overviews
from examsim.storage.report import bank_report

from .helpers import FakeNow, make_bank

BANK = make_bank(8)  # 8 questions, 10 minutes, pass 70%; q0 and q5 take "A" and "C"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0  # every call one second later: each question seen gets time
        return self.now


def key(session: ExamSession) -> list[int]:
    """Display indexes of the key of the question on screen."""
    return [o.display for o in session.view().options if o.in_key]


def wrong(session: ExamSession) -> list[int]:
    """Display indexes of a wrong answer (as many options as the question takes)."""
    view = session.view()
    return [o.display for o in view.options if not o.in_key][: view.choose]


def answer(session: ExamSession, right: bool) -> None:
    for display in (key(session) if right else wrong(session)):
        session.choose(display)


def take(history: History, plan: AttemptPlan, steps: list[str]) -> int:
    """Start an attempt, walk ``steps`` ("right", "wrong", "skip", "flag", "next"), end."""
    session = ExamSession.start(BANK, plan, Clock())
    attempt_id = history.start_attempt(session)
    for step in steps:
        if step == "right":
            answer(session, True)
        elif step == "wrong":
            answer(session, False)
        elif step == "flag":
            session.toggle_flag()
        elif step == "next":
            session.next()
        history.autosave(attempt_id, session)
    session.submit()
    history.finish(attempt_id, session)
    return attempt_id


@pytest.fixture
def history(tmp_path: Path):
    with History(tmp_path / "history.sqlite3", FakeNow()) as opened:
        yield opened


def test_full_exam_is_exam_mode_on_the_whole_blueprint() -> None:
    full = BANK.settings.questions_per_exam or len(BANK.questions)
    limit = BANK.settings.time_limit * 60.0
    assert is_full_exam(BANK, AttemptPlan(), full, limit)
    assert is_full_exam(BANK, AttemptPlan(questions=full, time_minutes=10), full, limit)
    assert not is_full_exam(BANK, AttemptPlan(questions=4), 4, limit / 2)
    assert not is_full_exam(BANK, AttemptPlan(time_minutes=30), full, 1800.0)
    assert not is_full_exam(BANK, AttemptPlan(domains=("net",)), full, limit)
    assert not is_full_exam(BANK, AttemptPlan(mode="practice"), full, None)
    assert not is_full_exam(BANK, AttemptPlan(mode="flagged", question_ids=("q1",)), 1, None)
    assert ExamSession.start(BANK, AttemptPlan(seed=1)).full
    assert not ExamSession.start(BANK, AttemptPlan(seed=1, questions=3)).full


def test_a_full_exam_scores_every_question_a_session_only_the_seen_ones() -> None:
    records = [AnswerRecord("q1", "B", seen=True), AnswerRecord("q2", "A", seen=True),
               AnswerRecord("q3", "", seen=True), AnswerRecord("q4", "", seen=False)]
    exam = score(BANK, records, full=True)  # q1 key B right, q2 key C wrong
    assert (exam.total, exam.correct, exam.unanswered, exam.seen) == (4, 1.0, 2, 3)
    assert exam.percent == 25.0 and exam.passed is False and exam.pass_label == "70%"
    session = score(BANK, records, full=False)
    assert (session.total, session.correct, session.unanswered, session.seen) == (3, 1.0, 1, 3)
    assert session.percent == pytest.approx(100 / 3)
    assert session.passed is None and session.scaled is None and session.pass_label == ""
    assert sum(d.attempted for d in session.per_domain) == 3


def test_the_session_marks_what_was_shown() -> None:
    session = ExamSession.start(BANK, AttemptPlan(seed=2), Clock())
    assert session.seen == 1  # the first question is on screen
    session.next()
    session.next()
    session.go(0)
    assert session.seen == 3
    assert [r.seen for r in session.records()] == [True] * 3 + [False] * 5
    again = ExamSession.restore(BANK, session.snapshot().model_dump(mode="json"), Clock())
    assert again.seen == 3


def test_an_older_snapshot_counts_what_was_done_or_timed_as_seen() -> None:
    session = ExamSession.start(BANK, AttemptPlan(seed=2), Clock())
    session.next()
    session.toggle_flag()
    data = session.snapshot().model_dump(mode="json")
    for state in data["questions"]:
        del state["seen"]  # saved before examsim kept it
        state["seconds"] = 0.0 if state["id"] != data["questions"][0]["id"] else 3.0
    restored = ExamSession.restore(BANK, data, Clock())
    assert [r.seen for r in restored.records()][:3] == [True, True, False]


def test_the_issue_reproduction_counts_only_what_was_seen(history: History) -> None:
    """Exam: 3 right, 2 wrong, 1 flagged and unanswered, then ended with 2 never shown.
    Practice: 2 answered of 8 planned. Flagged retry: all right. What the learner reads."""
    steps = ["right", "next", "right", "next", "wrong", "next", "wrong", "next",
             "right", "next", "flag"]  # positions 0-5 seen, 6 and 7 never shown
    exam = take(history, AttemptPlan(seed=11), steps)
    row = history.attempt(exam)
    assert row.full and row.kind == "exam"
    assert (row.total, row.correct, row.seen, row.unanswered) == (8, 3.0, 6, 3)
    assert row.percent == 37.5 and row.passed is False  # unanswered count as wrong
    missed = history.missed_ids(BANK.id)
    assert len(missed) == 3  # 2 wrong + the flagged unanswered one; never-shown are not
    (flagged,) = history.flagged_ids(BANK.id)
    assert flagged in missed

    practice = take(history, AttemptPlan(mode="practice", seed=12), ["right", "next", "right"])
    row = history.attempt(practice)
    assert not row.full and row.passed is None and row.scaled is None
    assert (row.total, row.correct, row.seen, row.unanswered, row.planned) == (2, 2.0, 2, 0, 8)
    shown = _seen_ids(history, practice)
    assert len(shown) == 2
    # the exam's flag stands unless the practice showed that question again (unflagged)
    assert history.flagged_ids(BANK.id) == ([] if flagged in shown else [flagged])
    # both practice answers were right: a miss is cleared only where it was seen again
    assert history.missed_ids(BANK.id) == sorted(set(missed) - shown)

    retry = take(history, AttemptPlan(mode="flagged", question_ids=(flagged,), seed=13),
                 ["right"])
    row = history.attempt(retry)
    assert row.percent == 100.0 and row.passed is None and not row.full
    # best, latest and the trend count the full exam only
    assert [s.attempt_id for s in history.scores(BANK.id)] == [exam]
    report = bank_report(history, BANK.id)
    assert report.best is not None and report.latest is not None
    assert report.best.attempt_id == report.latest.attempt_id == exam
    assert (report.attempts, report.full_exams, report.sessions) == (3, 1, 2)
    assert report.trend.direction == "not enough attempts"
    # domains and pacing count seen questions only: 6 + 2 + 1
    assert sum(d.questions for d in report.domains) == 9
    assert report.pacing.questions == 9
    assert history.flagged_ids(BANK.id) == []  # the retry saw it unflagged


def _seen_ids(history: History, attempt_id: int) -> set[str]:
    return {a.question_id for a in history.answers(attempt_id) if a.seen}


def test_home_best_and_latest_ignore_sessions(history: History, tmp_path: Path) -> None:
    from examsim.storage.catalog import BankEntry

    take(history, AttemptPlan(seed=1), ["wrong"])
    take(history, AttemptPlan(mode="practice", seed=2), ["right"])  # 100% of 1 seen
    entry = BankEntry(path=tmp_path / "demo.toml", origin="test", bank=BANK, problems=())
    (item,) = bank_overviews([entry], history)
    assert (item.attempts, item.exams) == (2, 1)
    assert item.best is not None and item.best.full and item.best.percent == 0.0
    assert item.latest == item.best


def test_topics_count_seen_questions_only(history: History) -> None:
    attempt = take(history, AttemptPlan(mode="practice", seed=5), ["wrong"])
    (shown,) = _seen_ids(history, attempt)
    topics = history_stats.accuracy(history, BANK.id, "topic")
    assert {t.key for t in topics} == set(BANK.question(shown).topics)  # 2 of 5 topics
    assert all((t.questions, t.answers, t.correct) == (1, 1, 0.0) for t in topics)
    assert history.miss_streaks(BANK.id) == {t.key: 1 for t in topics}


def test_v6_history_is_rescored_by_the_v7_rules(tmp_path: Path) -> None:
    """A practice of 4 planned, 2 shown (one right), stored by v6 as 1 of 4 with a
    verdict; an exam of 4 with one question never touched. v7 backfills seen, rescores
    the session over its seen questions without a verdict, and keeps the exam whole."""
    from examsim.storage.db import connect
    from examsim.storage.schema import migrate

    path = tmp_path / "history.sqlite3"
    conn = connect(path)
    migrate(conn, target=6)
    conn.executemany(
        "INSERT INTO attempts (bank_id, bank_title, mode, seed, started, status, total, "
        "correct, percent, passed, time_limit) VALUES ('b', 'B', ?, 1, "
        "'2025-01-01T00:00:00Z', 'finished', 4, ?, ?, ?, ?)",
        [("practice", 1.0, 25.0, 0, None), ("exam", 2.0, 50.0, 0, 600.0)])
    answers = [  # attempt, position, chosen, correct, seconds, topics
        (1, 0, "A", 1, 10.0, '["IAM"]'), (1, 1, "B", 0, 12.0, '["IAM"]'),
        (1, 2, "", 0, 0.0, '["VPC"]'), (1, 3, "", 0, 0.0, '["VPC"]'),
        (2, 0, "A", 1, 5.0, '["IAM"]'), (2, 1, "A", 1, 5.0, '["VPC"]'),
        (2, 2, "", 0, 5.0, '["VPC"]'), (2, 3, "", 0, 0.0, '["VPC"]'),
    ]
    for attempt, position, chosen, correct, seconds, topics in answers:
        conn.execute(
            "INSERT INTO answers (attempt_id, position, question_id, question_hash, topics, "
            "chosen, answer, correct, credit, seconds) VALUES (?, ?, ?, 'h', ?, ?, 'A', ?, ?, ?)",
            (attempt, position, f"q{position}", topics, chosen, correct, float(correct),
             seconds))
        for topic in ("IAM",) if "IAM" in topics else ("VPC",):
            conn.execute("INSERT INTO answer_topics VALUES (?, ?, ?, ?, ?, ?)",
                         (attempt, position, topic, correct, float(correct), int(bool(chosen))))
    conn.execute("INSERT INTO attempt_topics SELECT attempt_id, topic, count(*), "
                 "total(credit), total(answered) FROM answer_topics GROUP BY 1, 2")
    conn.close()
    with History(path, FakeNow()) as history:
        practice, exam = history.attempt(1), history.attempt(2)
        assert not practice.full and practice.passed is None
        assert (practice.total, practice.correct, practice.percent) == (2, 1.0, 50.0)
        assert (practice.seen, practice.unanswered, practice.planned) == (2, 0, 4)
        assert exam.full and exam.passed is False
        assert (exam.total, exam.percent, exam.seen, exam.unanswered) == (4, 50.0, 3, 2)
        assert [a.seen for a in history.answers(2)] == [True, True, True, False]
        assert [s.attempt_id for s in history.scores("b")] == [2]
        topics = {t.key: (t.questions, t.answers)
                  for t in history_stats.accuracy(history, "b", "topic")}
        assert topics == {"IAM": (3, 3), "VPC": (2, 1)}
        # q1: wrong in the practice, right in the newer exam; q2 seen in the exam only,
        # unanswered; q3 never shown anywhere
        assert history.missed_ids("b") == ["q2"]
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()


def test_the_csv_says_what_was_seen_scored_and_what_kind_of_attempt(history: History) -> None:
    """Known inputs: the issue's exam (8 questions, 6 seen, 3 unanswered of them) and a
    practice of 2 seen: the per-question `seen`/`scored` columns and the per-attempt
    `kind`, `seen` and `unanswered` columns say it."""
    import csv
    import io

    from examsim.storage.export import write_attempts, write_questions

    steps = ["right", "next", "right", "next", "wrong", "next", "wrong", "next",
             "right", "next", "flag"]
    exam = take(history, AttemptPlan(seed=11), steps)
    take(history, AttemptPlan(mode="practice", seed=12), ["right", "next", "right"])
    out = io.StringIO()
    write_questions(out, history.attempt(exam), history.answers(exam))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["seen"] for row in rows] == ["1"] * 6 + ["0"] * 2
    assert {row["scored"] for row in rows} == {"1"}  # no unscored in this bank
    out = io.StringIO()
    write_attempts(out, history.attempts()[::-1])
    attempts = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(a["kind"], a["questions"], a["seen"], a["unanswered"], a["passed"])
            for a in attempts] == [("exam", "8", "6", "3", "0"), ("session", "2", "2", "0", "")]
