"""Writing attempts: start, autosave, finish, abandon, delete; reading them back."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from examsim.core.bank_model import validate_bank
from examsim.storage.history import History, HistoryError, open_history
from examsim.storage.locations import history_path
from examsim.storage.records import question_hash

from .helpers import FakeNow, FakeSession, make_bank


@pytest.fixture
def history(tmp_path: Path):
    with History(tmp_path / "h" / "history.sqlite3", now=FakeNow()) as opened:
        yield opened


def test_fresh_database_settings(history: History) -> None:
    conn = sqlite3.connect(history.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 10
    assert history._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert history._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert history.notice is None


def test_start_autosave_finish(history: History) -> None:
    session = FakeSession(make_bank(), time_limit=600.0)
    attempt_id = history.start_attempt(session)
    row = history.attempt(attempt_id)
    assert row is not None and row.status == "in_progress"
    assert row.started == "2025-03-01T09:01:00Z"
    assert row.bank_id == "demo" and row.bank_title == "Bank demo" and row.total == 8
    assert row.domains == {"net": "Networking", "sec": "Security"}
    assert history.unfinished() == [row]

    session.mark(0, chosen="A", struck="D", confidence=1, seconds=12.5)
    session.clock = 30.0
    history.autosave(attempt_id, session)
    assert history.snapshot(attempt_id)["questions"][0]["chosen"] == "A"
    assert history.attempt(attempt_id).elapsed == 30.0
    assert history.answers(attempt_id) == []  # answers are written when it ends

    session.mark(1, chosen="B", flagged=True)
    session.submit()
    done = history.finish(attempt_id, session)
    assert done.status == "finished" and done.finished is not None and done.scored
    assert done.total == 8 and done.correct == 1.0 and done.percent == 12.5
    assert done.passed is False
    assert history.snapshot(attempt_id) is None
    assert history.unfinished() == []
    answers = history.answers(attempt_id)
    assert [a.position for a in answers] == list(range(8))
    first = answers[0]
    assert (first.chosen, first.answer, first.struck, first.correct) == ("A", "AC", "D", False)
    assert first.confidence == 1 and first.seconds == 12.5
    assert first.stem == "Question 0: which one?"
    assert first.question_hash == question_hash(session.bank.question("q0"))
    assert answers[1].correct and answers[1].flagged
    assert answers[2].chosen == "" and not answers[2].correct


def test_time_up_is_timed_out(history: History) -> None:
    session = FakeSession(make_bank())
    attempt_id = history.start_attempt(session)
    session.submit("time_up")
    assert history.finish(attempt_id, session).status == "timed_out"
    assert history.last_finished().id == attempt_id


def test_finish_refuses_unsubmitted_and_twice(history: History) -> None:
    session = FakeSession(make_bank())
    attempt_id = history.start_attempt(session)
    with pytest.raises(HistoryError, match="not submitted"):
        history.finish(attempt_id, session)
    session.submit()
    history.finish(attempt_id, session)
    with pytest.raises(HistoryError, match="is finished, not in progress"):
        history.finish(attempt_id, session)
    with pytest.raises(HistoryError, match="not in progress"):
        history.autosave(attempt_id, session)
    with pytest.raises(HistoryError, match="there is no attempt 99"):
        history.autosave(99, session)


def test_abandon_from_progress_keeps_every_question(history: History) -> None:
    session = FakeSession(make_bank())
    attempt_id = history.start_attempt(session)
    session.mark(2, chosen="B").mark(5, flagged=True).mark(6, struck="A")
    history.autosave(attempt_id, session)
    session.mark(7, chosen="D")  # never saved: not kept
    row = history.abandon(attempt_id, "bank changed")
    assert row.status == "abandoned" and row.note == "bank changed" and not row.scored
    kept = history.answers(attempt_id)
    assert [a.position for a in kept] == list(range(8))  # the review counts them all
    assert [a.position for a in kept if a.answered] == [2]
    assert kept[5].flagged and kept[6].struck == "A" and not kept[7].answered
    assert history.unfinished() == [] and history.last_finished() is None


def test_abandon_with_session(history: History) -> None:
    session = FakeSession(make_bank())
    attempt_id = history.start_attempt(session)
    session.mark(7, chosen="D")
    session.clock = 99.0
    row = history.abandon(attempt_id, "user quit", session)
    assert row.elapsed == 99.0
    assert [a.position for a in history.answers(attempt_id) if a.answered] == [7]


def test_unfinished_newest_first_and_by_bank(history: History) -> None:
    ids = [history.start_attempt(FakeSession(make_bank(bank_id=b))) for b in "xyx"]
    assert [a.id for a in history.unfinished()] == ids[::-1]
    assert [a.id for a in history.unfinished("x")] == [ids[2], ids[0]]


def test_attempts_listing_and_delete(history: History) -> None:
    rnd = random.Random(1)
    ids = []
    for _ in range(3):
        session = FakeSession(make_bank()).answer_all(rnd)
        ids.append(history.start_attempt(session))
        session.submit()
        history.finish(ids[-1], session)
    history.start_attempt(FakeSession(make_bank()))
    assert len(history.attempts()) == 4
    assert [a.id for a in history.attempts(scored_only=True, limit=2)] == ids[:0:-1]
    assert history.attempts(bank_id="other") == []
    assert history.delete_attempt(ids[0]) is True
    assert history.delete_attempt(ids[0]) is False
    assert history.answers(ids[0]) == []
    count = history._conn.execute(
        "SELECT count(*) FROM answer_topics WHERE attempt_id = ?", (ids[0],)).fetchone()[0]
    assert count == 0


def test_question_text_stored_once_per_version(history: History) -> None:
    bank = make_bank()
    for _ in range(2):
        history.start_attempt(FakeSession(bank))
    assert history._conn.execute("SELECT count(*) FROM questions").fetchone()[0] == 8
    edited = bank.model_dump(by_alias=True)
    edited["questions"][0]["stem"] = "Question 0, reworded?"
    history.start_attempt(FakeSession(validate_bank(edited)))
    assert history._conn.execute("SELECT count(*) FROM questions").fetchone()[0] == 9


def test_an_attempt_in_progress_is_kept_in_parts(history: History) -> None:
    """Schema v10 (storage/progress.py): the outline and the question list once, one
    row per question not blank, and the state; a save rewrites the rows it is given."""
    session = FakeSession(make_bank()).mark(0, chosen="A")
    attempt_id = history.start_attempt(session)
    conn = history._conn
    outline, state, snapshot, progress = conn.execute(
        "SELECT outline, state, snapshot, progress FROM attempts WHERE id = ?",
        (attempt_id,)).fetchone()
    assert json.loads(outline) == session.outline() and snapshot is None and progress is None
    assert json.loads(state)["elapsed"] == 0.0
    questions = conn.execute("SELECT position, question_id, display, topics, answer "
                             "FROM attempt_questions WHERE attempt_id = ?", (attempt_id,))
    assert [(p, q, d, a) for p, q, d, _, a in questions] == [
        (i, f"q{i}", "ABCD", "AC" if i % 5 == 0 else "ABCD"[i % 4]) for i in range(8)]
    rows = conn.execute("SELECT position, chosen, credit FROM attempt_progress").fetchall()
    assert rows == [(0, "A", 0.0)]
    session.mark(0, chosen="AC").mark(3, flagged=True)
    session.clock = 12.5
    history.autosave(attempt_id, session)
    rows = conn.execute("SELECT position, chosen, flagged, credit FROM attempt_progress "
                        "ORDER BY position").fetchall()
    assert rows == [(0, "AC", 0, 1.0), (3, "", 1, 0.0)]
    assert json.loads(conn.execute("SELECT state FROM attempts").fetchone()[0])[
        "elapsed"] == 12.5
    session.submit()
    history.finish(attempt_id, session)
    assert conn.execute("SELECT count(*) FROM attempt_questions").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM attempt_progress").fetchone()[0] == 0
    assert conn.execute("SELECT outline, state FROM attempts").fetchone() == (None, None)


def test_history_path_and_lazy_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXAMSIM_DATA_DIR", str(tmp_path / "data"))
    assert history_path() == tmp_path / "data" / "history.sqlite3"
    assert history_path(tmp_path / "other") == tmp_path / "other" / "history.sqlite3"
    assert not (tmp_path / "data").exists()
    with open_history() as history:
        assert history.path.exists()


def test_import_touches_no_disk(tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    code = "import examsim.storage.history, examsim.storage.export, examsim.core.insights"
    env = {"EXAMSIM_DATA_DIR": str(data), "PATH": ""}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    assert not data.exists()


def test_the_attempt_being_taken_is_not_deleted(tmp_path: Path) -> None:
    """Newcomer run 7: ctrl+p, History, d on the attempt being taken deleted it while its
    exam went on: every save failed ("there is no attempt 5"), and once the id was handed
    out again the leftover exam saved into another attempt and held its lock. The attempt
    open here is refused with a message; once it is closed, it can be deleted."""
    path = tmp_path / "history.sqlite3"
    history = History(path, now=FakeNow())
    session = FakeSession(make_bank())
    attempt_id = history.start_attempt(session)
    history.autosave(attempt_id, session)
    with pytest.raises(HistoryError, match=f"attempt {attempt_id} is the one open here"):
        history.delete_attempt(attempt_id)
    assert [a.id for a in history.unfinished()] == [attempt_id]  # still there, still saving
    history.autosave(attempt_id, session)
    history.close()
    later = History(path, now=FakeNow())  # examsim quit: the attempt is nobody's now
    try:
        assert later.delete_attempt(attempt_id) is True
        assert later.unfinished() == []
    finally:
        later.close()
