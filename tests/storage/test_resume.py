"""The store with the real engine: autosave, resume, a bank that no longer fits, finish."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomli_w

from examsim.core.assemble import AttemptPlan
from examsim.core.bank import LETTERS
from examsim.core.formats.native import load_bank
from examsim.core.session import ExamSession, question_fingerprint
from examsim.storage.history import History, ResumeError
from examsim.storage.resume import find_bank

from .helpers import make_bank


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def write_bank(path: Path, drop: str | None = None, **settings: object) -> Path:
    data = make_bank().model_dump(by_alias=True, exclude_none=True)
    data["bank"].update(settings)
    if drop:
        data["questions"] = [q for q in data["questions"] if q["id"] != drop]
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def setup(tmp_path: Path):
    bank_file = write_bank(tmp_path / "demo.toml")
    clock = Clock()
    session = ExamSession.start(load_bank(bank_file), AttemptPlan(seed=11), clock)
    with History(tmp_path / "data" / "history.sqlite3") as history:
        yield history, session, clock, bank_file


def play_some(session: ExamSession, clock: Clock) -> None:
    session.choose(0)
    clock.now += 30
    session.next()
    session.toggle_strike(1)
    session.toggle_flag()
    session.set_confidence(2)
    clock.now += 12


def test_resume_restores_the_saved_state(setup) -> None:
    history, session, clock, bank_file = setup
    attempt_id = history.start_attempt(session)
    play_some(session, clock)
    history.autosave(attempt_id, session)
    saved = session.snapshot().model_dump(mode="json")
    row = history.attempt(attempt_id)
    assert row.bank_source == str(bank_file.resolve()) and row.bank_hash
    assert row.time_limit == session.time_limit and row.seed == 11 and row.mode == "exam"

    later = Clock()
    later.now = 99999.0
    restored = history.resume(attempt_id, load_bank(bank_file), later)
    assert restored.snapshot().model_dump(mode="json") == saved
    assert restored.elapsed() == pytest.approx(42.0)  # time away does not count
    stored = history.snapshot(attempt_id)
    assert [q["fingerprint"] for q in stored["questions"]] == [
        question_fingerprint(restored.bank.question(q["id"])) for q in stored["questions"]
    ]


def test_finish_stores_bank_letters(setup) -> None:
    history, session, clock, _ = setup
    attempt_id = history.start_attempt(session)
    play_some(session, clock)
    session.submit()
    row = history.finish(attempt_id, session)
    result = session.result()
    assert row.status == "finished" and row.total == session.count
    assert row.percent == result.percent and row.passed == result.passed
    answers = history.answers(attempt_id)
    first_view, second_view = session.view(0), session.view(1)
    assert answers[0].chosen == first_view.options[0].bank_letter
    assert answers[1].struck == second_view.options[1].bank_letter
    assert answers[1].flagged and answers[1].confidence == 2
    assert answers[0].seconds == pytest.approx(30) and answers[1].seconds == pytest.approx(12)
    assert [a.question_id for a in answers] == list(session.question_ids)
    assert all(set(a.answer) <= set(LETTERS) for a in answers)


def test_time_up_while_saved_is_finished_on_resume(setup) -> None:
    history, session, clock, bank_file = setup
    attempt_id = history.start_attempt(session)
    session.choose(0)
    clock.now += session.time_limit + 5
    assert session.tick()
    history.autosave(attempt_id, session)  # the process died before finish
    restored = history.resume(attempt_id, load_bank(bank_file), Clock())
    assert restored.finished and restored.end_reason == "time_up"
    assert history.attempt(attempt_id).status == "timed_out"
    assert len(history.answers(attempt_id)) == session.count


def test_bank_that_no_longer_fits_leaves_the_attempt_as_it_was(setup, tmp_path: Path) -> None:
    """A bank edit that removes a question: the attempt stays in progress, untouched and
    released; putting the bank back resumes it; abandoning it keeps its answers."""
    history, session, clock, bank_file = setup
    attempt_id = history.start_attempt(session)
    play_some(session, clock)
    history.autosave(attempt_id, session)
    saved = history.snapshot(attempt_id)
    original = bank_file.read_text()
    gone = session.question_ids[-1]
    write_bank(bank_file, drop=gone)
    with pytest.raises(ResumeError) as caught:
        history.resume(attempt_id, load_bank(bank_file), Clock())
    message = str(caught.value)
    assert f"question {gone!r} is no longer in the bank" in message
    # one answer; the second question was only struck, flagged and rated
    assert "It stays in progress: put the bank back as it was" in message
    assert "to keep its 1 answer so far" in message
    row = history.attempt(attempt_id)
    assert row.status == "in_progress" and row.note is None
    assert history.snapshot(attempt_id) == saved
    assert history.holder(attempt_id) is None and history.unfinished()
    bank_file.write_text(original)  # the bank back as it was: it resumes
    restored = history.resume(attempt_id, load_bank(bank_file), Clock())
    assert restored.question_ids == session.question_ids
    assert [restored.view(p).answered for p in range(restored.count)] == [
        session.view(p).answered for p in range(session.count)]
    history.abandon(attempt_id, "test", restored)
    kept = history.answers(attempt_id)
    assert [a.position for a in kept if a.answered] == [0]
    assert kept[1].flagged and kept[1].struck
    assert len(kept) == session.count  # unanswered ones too, for the review
    assert history.unfinished() == []


def test_damaged_snapshot_abandons(setup) -> None:
    history, session, _, bank_file = setup
    attempt_id = history.start_attempt(session)
    history._conn.execute("UPDATE attempts SET outline = ? WHERE id = ?",
                          (json.dumps({"version": 1}), attempt_id))
    with pytest.raises(ResumeError, match="saved state is damaged"):
        history.resume(attempt_id, load_bank(bank_file))
    assert history.attempt(attempt_id).status == "abandoned"


def test_wrong_bank_or_status_changes_nothing(setup) -> None:
    history, session, _, bank_file = setup
    attempt_id = history.start_attempt(session)
    with pytest.raises(ResumeError, match="is on bank 'demo', not 'other'"):
        history.resume(attempt_id, make_bank(bank_id="other"))
    assert history.attempt(attempt_id).status == "in_progress"
    session.submit()
    history.finish(attempt_id, session)
    with pytest.raises(ResumeError, match="only an attempt in progress"):
        history.resume(attempt_id, load_bank(bank_file))
    with pytest.raises(ResumeError, match="there is no attempt 42"):
        history.resume(42, load_bank(bank_file))


def test_resume_through_the_services_finds_the_bank(setup, tmp_path: Path) -> None:
    """The one resume path (AppServices.resume: the home screen, the palette, `examsim
    resume`): the attempt's file, else a bank of its id in the data dir."""
    from examsim.tui.app_services import AppServices
    from examsim.tui.services import ServiceError

    history, session, clock, bank_file = setup
    data = tmp_path / "data"
    services = AppServices(history, data, Clock(), cwd=tmp_path)
    assert history.unfinished() == []
    older = history.start_attempt(session)
    newer_session = ExamSession.start(session.bank, AttemptPlan(seed=5), clock)
    newer = history.start_attempt(newer_session)
    assert history.unfinished()[0].id == newer
    assert services.resume(newer).seed == 5

    moved = data / "banks" / "renamed.toml"  # the file moved into the data dir's banks/
    moved.parent.mkdir(parents=True)
    bank_file.rename(moved)
    assert find_bank(history.attempt(older), data, tmp_path).source == str(moved)
    moved.unlink()
    with pytest.raises(ServiceError, match="which is not found"):
        services.resume(older)
    assert history.attempt(older).status == "in_progress"


def test_resumed_on_edited_bank_keeps_the_new_texts(setup) -> None:
    history, session, clock, bank_file = setup
    attempt_id = history.start_attempt(session)
    first = session.question_ids[0]
    stem = session.bank.question(first).stem
    text = bank_file.read_text(encoding="utf-8")
    bank_file.write_text(text.replace(stem, stem + " (reworded)"), encoding="utf-8")
    restored = history.resume(attempt_id, load_bank(bank_file), clock)
    restored.choose(0)
    history.autosave(attempt_id, restored)
    history.abandon(attempt_id, "test")  # from the saved progress: no session at hand
    (kept,) = [a for a in history.answers(attempt_id) if a.answered]
    assert kept.question_id == first and kept.stem == stem + " (reworded)"


def test_saving_what_changed_stores_what_a_whole_save_would(setup) -> None:
    """Each save writes the rows of the questions that changed only; what is stored
    must still be the whole snapshot, and the answer rows an abandon would keep."""
    from examsim.storage.progress import read_rows
    from examsim.storage.records import progress_rows, with_display

    history, session, clock, _ = setup
    attempt_id = history.start_attempt(session)

    def stored() -> tuple[object, object]:
        return history.snapshot(attempt_id), read_rows(history._conn, attempt_id)

    steps = [lambda: session.set_note("ünï ✎ note"), lambda: session.choose(0),
             lambda: session.toggle_strike(1), session.toggle_flag,
             lambda: session.set_confidence(3), session.next, lambda: session.choose(1),
             session.previous, lambda: session.choose(2),
             lambda: session.go(session.count - 1), session.submit]
    for step in steps:
        clock.now += 7.25
        step()
        history.autosave(attempt_id, session)
        assert stored() == (session.snapshot().model_dump(mode="json"),
                            with_display(progress_rows(session.bank, session.result().questions),
                                         session.option_orders))
