"""Resuming without making the bank's questions: an attempt whose question rows were
written against this very bank file (attempts.bank_hash holds progress.fit_mark of the
file's sha256, written at start and by each resume that refreshed the rows) is restored
with ``fits``; any other bank file, a plain sha256 written before the mark, or a mark of
another examsim is checked question by question as before, then marked."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from examsim.core.assemble import AttemptPlan
from examsim.core.bank import LETTERS, LazyQuestions
from examsim.core.bank_model import validate_bank
from examsim.core.formats.native import load_bank
from examsim.core.session import ExamSession
from examsim.storage import progress
from examsim.storage.bank_cache import load_cached
from examsim.storage.history import History, ResumeError
from examsim.storage.progress import fit_mark, rows_fit

QUESTIONS = [{"id": f"q{i:03d}", "stem": f"Question {i}?",
              "options": [f"option {k} of {i}" for k in range(4 + i % 2)],
              "answer": ["A", "C"] if i % 7 == 0 else "B", "topics": [f"t{i % 3}"]}
             for i in range(300)]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def write(path: Path, questions: list[dict]) -> Path:
    path.write_text(json.dumps({"bank": {"id": "big", "title": "Big"},
                                "questions": questions}), encoding="utf-8")
    return path


def started(tmp_path: Path) -> tuple[History, int, ExamSession, Path]:
    """A practice attempt over the whole bank file: two answers, a strike and a flag."""
    bank_file = write(tmp_path / "big.json", QUESTIONS)
    clock = Clock()
    session = ExamSession.start(load_bank(bank_file), AttemptPlan(mode="practice", seed=3),
                                clock)
    history = History(tmp_path / "history.sqlite3")
    attempt_id = history.start_attempt(session)
    session.choose(1)
    clock.now += 10
    session.next()
    session.toggle_strike(0)
    session.toggle_flag()
    session.next()
    session.choose(1)
    history.autosave(attempt_id, session)
    return history, attempt_id, session, bank_file


def hashes(history: History, attempt_id: int) -> list[str]:
    return [h for (h,) in history._conn.execute(
        "SELECT question_hash FROM attempt_questions WHERE attempt_id = ? ORDER BY position",
        (attempt_id,))]


def test_the_mark() -> None:
    assert rows_fit(fit_mark("abc"), "abc")
    assert not rows_fit(fit_mark("abc"), "abd")
    assert not rows_fit("abc", "abc")  # a plain sha256, as written before the mark
    assert not rows_fit(None, "abc") and not rows_fit(fit_mark("abc"), None)
    assert fit_mark(None) is None
    other = fit_mark("abc").replace(progress.__version__, "0.0.0-other")  # type: ignore[union-attr]  # a str
    assert not rows_fit(other, "abc")


def test_an_unchanged_bank_file_resumes_without_making_its_questions(tmp_path: Path) -> None:
    history, attempt_id, session, bank_file = started(tmp_path)
    row = history.attempt(attempt_id)
    assert row is not None and row.bank_hash == fit_mark(session.bank.source_hash)
    before = (history.snapshot(attempt_id), hashes(history, attempt_id))
    history.close()
    cached = load_cached(bank_file, tmp_path / "cache")
    load_cached(bank_file, tmp_path / "cache")  # written, then read from the entry
    fresh = load_cached(bank_file, tmp_path / "cache")
    assert isinstance(fresh.questions, LazyQuestions) and fresh.questions.made() == 0
    with History(tmp_path / "history.sqlite3") as again:
        restored = again.resume(attempt_id, fresh, Clock())
        # the three questions with letters saved (a full check makes all 300)
        assert fresh.questions.made() == 3
        full = ExamSession.restore(cached, again.snapshot(attempt_id) or {}, Clock())
        assert restored.snapshot() == full.snapshot()
        assert (restored.answered, restored.index, restored.flagged_count) == (2, 2, 1)
        assert (again.snapshot(attempt_id), hashes(again, attempt_id)) == before


def test_a_bank_edited_under_the_attempt_is_caught_as_before(tmp_path: Path) -> None:
    """An option removed: the same message as a question by question check gives (the
    hash of the file differs, so every question is checked); nothing is written."""
    history, attempt_id, session, bank_file = started(tmp_path)
    target = session.question_ids[5]
    edited = [dict(q) for q in QUESTIONS]
    index = next(i for i, q in enumerate(edited) if q["id"] == target)
    count = len(edited[index]["options"])
    edited[index]["options"] = edited[index]["options"][:-1]
    write(bank_file, edited)
    mark = history.attempt(attempt_id).bank_hash  # type: ignore[union-attr]  # it exists
    with pytest.raises(ResumeError) as caught:
        history.resume(attempt_id, load_bank(bank_file), Clock())
    assert str(caught.value) == (
        f"attempt {attempt_id} on 'Big' cannot be resumed: question {target!r} now has "
        f"{count - 1} options, not {count}. It stays in progress: put the bank back as it "
        "was to go on, or abandon it (x on the home screen) to keep its 2 answers so far "
        "in the history.")
    row = history.attempt(attempt_id)
    assert row is not None and row.status == "in_progress" and row.bank_hash == mark
    write(bank_file, QUESTIONS)  # put back as it was: resumes, without a full check
    assert history.resume(attempt_id, load_bank(bank_file), Clock()).answered == 2
    history.close()


def test_an_edit_that_fits_refreshes_the_rows_then_marks_them(tmp_path: Path) -> None:
    history, attempt_id, session, bank_file = started(tmp_path)
    first = session.question_ids[0]
    edited = [dict(q, stem=q["stem"] + " (reworded)") if q["id"] == first else q
              for q in QUESTIONS]
    write(bank_file, edited)
    now = load_bank(bank_file)
    history.resume(attempt_id, now, Clock())
    assert hashes(history, attempt_id)[0] == now.question(first).fingerprint
    assert history.attempt(attempt_id).bank_hash == fit_mark(now.source_hash)  # type: ignore[union-attr]  # it exists
    history.close()
    lazy = load_cached(bank_file, tmp_path / "cache")
    lazy = load_cached(bank_file, tmp_path / "cache")
    with History(tmp_path / "history.sqlite3") as again:
        again.resume(attempt_id, lazy, Clock())
        assert lazy.questions.made() == 3  # type: ignore[attr-defined]  # a LazyQuestions


def test_a_plain_hash_from_before_the_mark_is_checked_in_full(tmp_path: Path) -> None:
    """What an older examsim may have left: bank_hash the sha256 of the file at start,
    the rows refreshed since against an edited bank (another fingerprint), the file put
    back as it was. The rows are refreshed to the bank's, then marked."""
    history, attempt_id, session, bank_file = started(tmp_path)
    right = hashes(history, attempt_id)
    history._conn.execute("UPDATE attempt_questions SET question_hash = 'stale' "
                          "WHERE attempt_id = ? AND position = 4", (attempt_id,))
    history._conn.execute("UPDATE attempts SET bank_hash = ? WHERE id = ?",
                          (session.bank.source_hash, attempt_id))
    history.resume(attempt_id, load_bank(bank_file), Clock())
    assert hashes(history, attempt_id) == right
    assert history.attempt(attempt_id).bank_hash == fit_mark(session.bank.source_hash)  # type: ignore[union-attr]  # it exists
    history.close()


def test_damaged_letters_are_still_caught_with_the_mark(tmp_path: Path) -> None:
    history, attempt_id, _, bank_file = started(tmp_path)
    history._conn.execute("UPDATE attempt_progress SET struck = 'H' WHERE attempt_id = ? "
                          "AND position = 1", (attempt_id,))
    with pytest.raises(ResumeError, match=r"saved state is damaged \(letters H on question"):
        history.resume(attempt_id, load_bank(bank_file), Clock())
    assert history.attempt(attempt_id).status == "abandoned"  # type: ignore[union-attr]  # it exists
    history.close()


def test_a_damaged_order_is_still_caught_with_the_mark(tmp_path: Path) -> None:
    history, attempt_id, session, bank_file = started(tmp_path)
    qid = session.question_ids[40]
    count = len(session.bank.question(qid).options)
    history._conn.execute("UPDATE attempt_questions SET display = ? WHERE attempt_id = ? "
                          "AND position = 40", (LETTERS[0] * count, attempt_id))
    with pytest.raises(ResumeError, match=f"question {qid!r} now has {count} options, "
                                          f"not {count}. It stays in progress"):
        history.resume(attempt_id, load_bank(bank_file), Clock())
    history.close()


def test_a_bank_not_read_from_a_file_is_checked_in_full(tmp_path: Path) -> None:
    history, attempt_id, _, bank_file = started(tmp_path)
    memory = validate_bank(json.loads(bank_file.read_text(encoding="utf-8")))
    assert memory.source_hash is None
    assert history.resume(attempt_id, memory, Clock()).answered == 2
    assert history.attempt(attempt_id).bank_hash is None  # type: ignore[union-attr]  # it exists
    history.close()
    conn = sqlite3.connect(tmp_path / "history.sqlite3")
    assert conn.execute("SELECT COUNT(*) FROM attempt_questions").fetchone() == (300,)
    conn.close()
