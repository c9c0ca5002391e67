"""The home screen's line about an attempt in progress (storage/overview.py
``in_progress``) reads its counts from the progress rows (progress.read_summary), not
from a snapshot built whole: the figures are those the snapshot gives (the rule in
docs/architecture.md: "answered" is a choice as long as the bank's key, exact for
choose-N questions with the bank, any choice without it)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from examsim.core.assemble import AttemptPlan
from examsim.core.bank import Bank
from examsim.core.bank_model import validate_bank
from examsim.core.session import ExamSession
from examsim.storage.history import History
from examsim.storage.overview import in_progress

from .test_progress_store import save_v9, v9_history


def _as(kind: type[Bank], bank: Bank) -> Bank:
    """The same bank as an instance of ``kind`` (a subclass that watches it)."""
    return kind(settings=bank.settings, domains=bank.domains, questions=bank.questions)


QUESTIONS = [
    {"id": "one", "stem": "One?", "options": ["a", "b", "c"], "answer": "A"},
    {"id": "two", "stem": "Two?", "options": ["a", "b", "c", "d"], "answer": ["A", "C"]},
    {"id": "three", "stem": "Three?", "options": ["a", "b", "c", "d"], "answer": ["B", "D"]},
    {"id": "four", "stem": "Four?", "options": ["a", "b"], "answer": "B"},
    {"id": "five", "stem": "Five?", "options": ["a", "b"], "answer": "A"},
]
BANK = validate_bank({"bank": {"id": "b"}, "questions": QUESTIONS})


def played(clock: list[float]) -> ExamSession:
    """In bank order: one answered, two complete (2 of 2), three half (1 of 2) and
    flagged, four flagged only, five on screen and blank; 40 s used."""
    session = ExamSession.start(BANK, AttemptPlan(mode="practice", seed=1, shuffle=False),
                                lambda: clock[0])
    for step in (lambda: session.choose(0), session.next,
                 lambda: session.choose(0), lambda: session.choose(2), session.next,
                 lambda: session.choose(1), session.toggle_flag, session.next,
                 session.toggle_flag, session.next):
        clock[0] += 4.0
        step()
    return session


def by_snapshot(snapshot: dict[str, Any], bank: Bank | None) -> tuple[int, int, int, int]:
    """The figures as the home screen computed them from the whole snapshot (before)."""
    answered = flagged = 0
    for state in snapshot["questions"]:
        chosen = str(state.get("chosen") or "")
        need = 1
        if bank is not None and bank.has_question(str(state.get("id"))):
            need = bank.question(str(state.get("id"))).choose
        answered += len(chosen) >= need and bool(chosen)
        flagged += bool(state.get("flagged"))
    return answered, flagged, len(snapshot["questions"]), snapshot["index"]


def test_the_figures_with_known_inputs(tmp_path: Path) -> None:
    clock = [100.0]
    with History(tmp_path / "h.sqlite3") as history:
        session = played(clock)
        attempt_id = history.start_attempt(session)
        history.autosave(attempt_id, session)
        (item,) = in_progress(history, [BANK])
        assert (item.attempt.id, item.answered, item.flagged, item.total, item.position,
                item.remaining) == (attempt_id, 2, 2, 5, 4, None)
        assert by_snapshot(history.snapshot(attempt_id) or {}, BANK) == (2, 2, 5, 4)
        # without the bank, any choice counts: the half-answered choose-2 too
        (item,) = in_progress(history, [])
        assert (item.answered, item.flagged, item.total) == (3, 2, 5)
        assert by_snapshot(history.snapshot(attempt_id) or {}, None)[0] == 3


def test_the_bank_as_it_is_now_decides(tmp_path: Path) -> None:
    """A question whose key changed since the save, and one no longer in the bank."""
    clock = [100.0]
    with History(tmp_path / "h.sqlite3") as history:
        session = played(clock)
        attempt_id = history.start_attempt(session)
        history.autosave(attempt_id, session)
        edited = [dict(q) for q in QUESTIONS if q["id"] != "one"]  # "one" removed
        edited[1]["answer"] = "B"  # "three" now takes one answer: its half is complete
        now = validate_bank({"bank": {"id": "b"}, "questions": edited})
        (item,) = in_progress(history, [now])
        assert (item.answered, item.flagged, item.total) == (3, 2, 5)
        assert by_snapshot(history.snapshot(attempt_id) or {}, now)[:3] == (3, 2, 5)


def test_a_timed_attempt_shows_the_time_left(tmp_path: Path) -> None:
    clock = [100.0]
    session = ExamSession.start(BANK, AttemptPlan(mode="exam", seed=2, time_minutes=2),
                                lambda: clock[0])
    with History(tmp_path / "h.sqlite3") as history:
        attempt_id = history.start_attempt(session)
        clock[0] += 30.5
        session.choose(1)
        session.next()
        history.autosave(attempt_id, session)
        (item,) = in_progress(history, [BANK])
        assert (item.answered, item.position, item.remaining) == (1, 1, 89.5)


def test_a_v9_save_left_unconverted_is_read_whole(tmp_path: Path) -> None:
    """A v9 save the migration could not convert keeps its snapshot; the line still
    reads it (entries that are not question dicts count in the total only)."""
    clock = [100.0]
    session = played(clock)
    path = tmp_path / "h.sqlite3"
    conn = v9_history(path)
    snapshot = session.snapshot().model_dump(mode="json")
    snapshot["questions"].append("not a question")  # does not fit the v10 columns
    attempt_id = save_v9(conn, session, snapshot=json.dumps(snapshot))
    conn.execute("UPDATE attempts SET bank_id = ? WHERE id = ?", (BANK.id, attempt_id))
    conn.close()
    with History(path) as history:
        raw = sqlite3.connect(path).execute(
            "SELECT outline FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        assert raw == (None,)  # left as it was
        (item,) = in_progress(history, [BANK])
        assert (item.answered, item.flagged, item.total, item.position) == (2, 2, 6, 4)


def test_a_big_attempt_asks_the_bank_only_about_the_questions_with_a_choice(tmp_path: Path) -> None:
    """The line does not make the bank's questions (a cached bank makes each on first
    use): only those with a choice are asked for their key."""
    questions = [{"id": f"q{i}", "stem": f"Q{i}?", "options": ["a", "b"], "answer": "A"}
                 for i in range(3000)]
    bank = validate_bank({"bank": {"id": "big"}, "questions": questions})
    session = ExamSession.start(bank, AttemptPlan(mode="practice", seed=1, shuffle=False))
    session.choose(0)
    session.next()
    session.toggle_flag()
    asked: list[str] = []

    class Watched(Bank):
        def question(self, question_id: str) -> Any:
            asked.append(question_id)
            return super().question(question_id)

    watched = _as(Watched, validate_bank({"bank": {"id": "big"}, "questions": questions}))
    with History(tmp_path / "h.sqlite3") as history:
        attempt_id = history.start_attempt(session)
        history.autosave(attempt_id, session)
        (item,) = in_progress(history, [watched])
    assert (item.answered, item.flagged, item.total, item.position) == (1, 1, 3000, 1)
    assert asked == ["q0"]
