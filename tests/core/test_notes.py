"""Scratchpad notes in the session (key w): kept per question, in the snapshot and the
autosave JSON, bounded, fixed at the end; comment text bounds (core/notes.py)."""

from __future__ import annotations

import json

import pytest

from examsim.core.assemble import AttemptPlan
from examsim.core.notes import MAX_COMMENT, MAX_NOTE, bounded, comment_text
from examsim.core.session import ExamSession, RestoreError

from .helpers import FakeClock, make_bank, question

HOSTILE = 'line 1 "quoted" \\ back\nline 2 \x1b[2J \x9b31m \u2028 ünï 🙂 \t tab'


def session_of(mode: str = "exam") -> tuple[ExamSession, FakeClock]:
    clock = FakeClock()
    bank = make_bank([question("q1"), question("q2", answer="B"), question("q3")])
    return ExamSession.start(bank, AttemptPlan(mode=mode, seed=4), clock), clock


def test_a_note_belongs_to_the_question_on_screen() -> None:
    session, _ = session_of()
    assert session.view().note == ""
    assert session.set_note("first thoughts").ok
    session.next()
    assert session.view().note == ""
    assert session.set_note("second").ok
    assert session.view(0).note == "first thoughts" and session.view(1).note == "second"
    notes = [record.note for record in session.records()]
    assert notes == ["first thoughts", "second", ""]
    assert [q.note for q in session.result().questions] == notes


def test_a_note_survives_snapshot_and_restore() -> None:
    session, clock = session_of("practice")
    session.set_note(HOSTILE)
    snapshot = session.snapshot()
    assert snapshot.questions[0].note == HOSTILE
    data = json.loads(json.dumps(snapshot.model_dump(mode="json")))
    restored = ExamSession.restore(session.bank, data, clock)
    assert restored.view(0).note == HOSTILE


def test_a_note_is_cut_at_the_bound_and_a_longer_stored_one_is_refused() -> None:
    session, clock = session_of()
    assert session.set_note("x" * (MAX_NOTE + 50)).ok
    assert session.view().note == "x" * MAX_NOTE
    data = session.snapshot().model_dump(mode="json")
    data["questions"][0]["note"] = "y" * (MAX_NOTE + 1)  # an edited database
    with pytest.raises(RestoreError, match="damaged"):
        ExamSession.restore(session.bank, data, clock)


def test_a_note_cannot_change_after_the_end() -> None:
    session, _ = session_of()
    session.set_note("kept")
    session.submit()
    refused = session.set_note("later")
    assert not refused.ok and refused.reason == "The exam has ended"
    assert session.view().note == "kept"


def test_a_note_alone_makes_the_attempt_worth_resuming() -> None:
    session, _ = session_of()
    assert not session.touched
    session.set_note("   \n")
    assert not session.touched  # blank: nothing written
    session.set_note("check NAT pricing")
    assert session.touched


def test_an_old_snapshot_without_notes_restores_with_none() -> None:
    session, clock = session_of()
    data = session.snapshot().model_dump(mode="json")
    for state in data["questions"]:
        del state["note"]
    restored = ExamSession.restore(session.bank, data, clock)
    assert all(restored.view(p).note == "" for p in range(restored.count))


def test_a_saved_note_comes_back_as_it_was_written(tmp_path) -> None:
    """Saves write the note as it is (a column, no hand-built JSON): quotes, backslashes,
    newlines, control characters, C1, line separators, emoji come back the same."""
    from examsim.storage.history import History

    session, clock = session_of("practice")
    steps = [lambda: session.set_note(HOSTILE), lambda: session.choose(1), session.next,
             lambda: session.set_note('"'), lambda: session.set_note(""), session.previous,
             lambda: session.set_note(HOSTILE + "!")]
    with History(tmp_path / "history.sqlite3") as history:
        attempt_id = history.start_attempt(session)
        for step in steps:
            clock.advance(0.7)
            step()
            history.autosave(attempt_id, session)
            assert history.snapshot(attempt_id) == session.snapshot().model_dump(mode="json")
        assert history.snapshot(attempt_id)["questions"][0]["note"] == HOSTILE + "!"
        restored = history.resume(attempt_id, session.bank, clock)
    assert restored.view(0).note == HOSTILE + "!"


@pytest.mark.parametrize(("text", "kept"), [
    ("the key looks wrong", "the key looks wrong"),
    ("  ambiguous\n(two answers fit)  ", "ambiguous (two answers fit)"),
    ("\n \t ", ""),
    ("z" * (MAX_COMMENT + 9), "z" * MAX_COMMENT),
])
def test_comment_text_is_one_bounded_line(text: str, kept: str) -> None:
    assert comment_text(text) == kept


def test_bounded_says_when_it_cut() -> None:
    assert bounded("abc", 3) == ("abc", False)
    assert bounded("abcd", 3) == ("abc", True)
