"""Notes and comments in the history (schema v9): a note goes from the session to
``answers.note`` at finish and abandon, to the review and the CSV; comments are kept
across attempts; a v8 history migrates (and migrates again when set back)."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from examsim.core.assemble import AttemptPlan
from examsim.core.session import ExamSession
from examsim.storage.export import QUESTION_COLUMNS, write_questions
from examsim.storage.history import History
from examsim.storage.review import review_items
from examsim.storage.schema import migrate

from .helpers import FakeNow
from .test_counting import BANK, Clock

NOTE = 'NAT gw: $0.045/h "per AZ"\n=SUM(A1) \x1b[31m red'


@pytest.fixture
def history(tmp_path: Path):
    with History(tmp_path / "history.sqlite3", FakeNow()) as opened:
        yield opened


def started(history: History, mode: str = "exam") -> tuple[ExamSession, int]:
    session = ExamSession.start(BANK, AttemptPlan(mode=mode, seed=8), Clock())
    return session, history.start_attempt(session)


def test_a_note_is_stored_at_finish_and_shown_in_review_and_csv(history: History) -> None:
    session, attempt_id = started(history)
    session.set_note(NOTE)
    history.autosave(attempt_id, session)
    session.next()
    session.set_note("second")
    session.submit()
    history.finish(attempt_id, session)
    answers = history.answers(attempt_id)
    assert [a.note for a in answers[:3]] == [NOTE, "second", ""]
    _, items = review_items(history, attempt_id, BANK)
    assert items[0].row.note == NOTE
    out = io.StringIO()
    attempt = history.attempt(attempt_id)
    assert attempt is not None
    write_questions(out, attempt, answers)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert QUESTION_COLUMNS[-1] == "note"
    # the data is kept, the escape spelled out, the formula start inside is not at the start
    assert rows[0]["note"] == 'NAT gw: $0.045/h "per AZ"\n=SUM(A1) \\x1b[31m red'
    assert rows[1]["note"] == "second" and rows[2]["note"] == ""


def test_a_note_starting_like_a_formula_is_neutralised_in_csv(history: History) -> None:
    session, attempt_id = started(history)
    session.set_note("=HYPERLINK(\"x\")")
    session.submit()
    history.finish(attempt_id, session)
    out = io.StringIO()
    attempt = history.attempt(attempt_id)
    assert attempt is not None
    write_questions(out, attempt, history.answers(attempt_id))
    first = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert first["note"] == "'=HYPERLINK(\"x\")"


def test_a_note_is_kept_when_the_attempt_is_abandoned_from_its_last_save(
    history: History,
) -> None:
    session, attempt_id = started(history, "practice")
    session.set_note(NOTE)
    history.autosave(attempt_id, session)
    history.abandon(attempt_id, "test")  # no session: from the saved progress rows
    assert history.answers(attempt_id)[0].note == NOTE


def test_a_note_alone_keeps_the_attempt_from_being_discarded(history: History) -> None:
    session, attempt_id = started(history)
    session.set_note("only a note")
    history.autosave(attempt_id, session)
    assert not history.discard_untouched(attempt_id)
    assert history.attempt(attempt_id) is not None


def test_a_note_comes_back_on_resume(history: History) -> None:
    session, attempt_id = started(history)
    session.set_note(NOTE)
    history.autosave(attempt_id, session)
    history.release(attempt_id)
    restored = history.resume(attempt_id, BANK, Clock())
    assert restored.view(0).note == NOTE


def test_comments_are_kept_across_attempts_in_order(history: History) -> None:
    question = BANK.questions[2]
    first = history.add_comment(BANK.id, question.id, question.fingerprint, None,
                                "  the key looks wrong\n(B fits too) ")
    session, attempt_id = started(history)
    session.submit()
    history.finish(attempt_id, session)
    second = history.add_comment(BANK.id, question.id, question.fingerprint, attempt_id,
                                 "ambiguous")
    history.add_comment("other-bank", "x1", "h", None, "elsewhere")
    history.delete_attempt(attempt_id)  # a comment outlives its attempt
    found = history.comments(BANK.id)
    assert [c.text for c in found] == ["the key looks wrong (B fits too)", "ambiguous"]
    assert found[0] == first and found[1] == second
    assert found[1].attempt_id == attempt_id and found[0].attempt_id is None
    assert found[0].created < found[1].created and found[0].created.endswith("Z")
    assert found[0].question_hash == question.fingerprint
    assert history.comment_banks() == [BANK.id, "other-bank"]
    with pytest.raises(ValueError, match="empty"):
        history.add_comment(BANK.id, question.id, question.fingerprint, None, " \n ")


def _v8_history(path: Path) -> None:
    """A v8 database with one finished attempt and its answers, as examsim 8 left it."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=8)
    conn.execute(
        "INSERT INTO attempts (id, bank_id, bank_title, mode, seed, started, finished, "
        "status, total, correct, percent, passed, full, planned, seen, unanswered) VALUES "
        "(1, 'demo', 'Demo', 'exam', 3, '2025-01-01T10:00:00Z', '2025-01-01T11:00:00Z', "
        "'finished', 1, 1, 100, 1, 1, 1, 1, 0)")
    conn.execute(
        "INSERT INTO answers (attempt_id, position, question_id, question_hash, domain, "
        "topics, chosen, answer, correct, credit) VALUES (1, 0, 'q1', 'h', 'd', '[]', 'A', "
        "'A', 1, 1.0)")
    conn.close()


def test_a_v8_history_migrates_to_v9(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    _v8_history(path)
    with History(path, FakeNow()) as history:
        assert history.notice is None
        assert history._conn.execute("PRAGMA user_version").fetchone()[0] == 10
        (answer,) = history.answers(1)
        assert answer.note == "" and answer.chosen == "A"
        history.add_comment("demo", "q1", "h", 1, "ambiguous")
        assert [c.text for c in history.comments("demo")] == ["ambiguous"]
        history._conn.execute("PRAGMA user_version = 8")  # set back (by a tool)
    with History(path, FakeNow()) as again:  # migrates again: column and table are there
        assert again._conn.execute("PRAGMA user_version").fetchone()[0] == 10
        assert [c.text for c in again.comments("demo")] == ["ambiguous"]
        assert again.answers(1)[0].note == ""
