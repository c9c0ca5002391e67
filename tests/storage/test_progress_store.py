"""Schema v10: an attempt in progress saved in parts (storage/progress.py), and the
migration of attempts in progress saved by v9 (the whole snapshot and every answer row
rewritten on each save) into them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from examsim.core.assemble import AttemptPlan
from examsim.core.session import ExamSession, QuestionProgress
from examsim.core.snapshot import QuestionState, SessionSnapshot
from examsim.storage.history import History, ResumeError
from examsim.storage.progress import PROGRESS_KEYS, STATE_KEYS, STATIC_KEYS, read_rows
from examsim.storage.records import progress_rows, with_display
from examsim.storage.schema import migrate

from .helpers import make_bank

BANK = make_bank(12)


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def played(seed: int = 3, mode: str = "exam") -> tuple[ExamSession, Clock]:
    """A session with answers, strikes, flags, confidence, a note and time on several
    questions, the fourth one on screen."""
    clock = Clock()
    session = ExamSession.start(BANK, AttemptPlan(mode=mode, seed=seed), clock)  # type: ignore[arg-type]  # a Mode
    for step in (lambda: session.choose(1), lambda: session.toggle_strike(2), session.next,
                 lambda: session.choose(0), session.toggle_flag, session.next,
                 lambda: session.set_confidence(2), lambda: session.set_note("ünï \"x\"\n"),
                 lambda: session.choose(3), lambda: session.choose(2), session.next):
        clock.now += 3.3
        step()
    return session, clock


def v9_history(path: Path) -> sqlite3.Connection:
    """A database at schema v9, as examsim 9 left it."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=9)
    return conn


def save_v9(conn: sqlite3.Connection, session: ExamSession, status: str = "in_progress",
            snapshot: str | None = None, progress: str | None = None) -> int:
    """An attempt row as v9 wrote it: the whole snapshot and every answer row, as JSON."""
    snapshot = snapshot if snapshot is not None else json.dumps(
        session.snapshot().model_dump(mode="json"), ensure_ascii=False)
    progress = progress if progress is not None else json.dumps(
        progress_rows(session.bank, session.result().questions), ensure_ascii=False)
    cursor = conn.execute(
        "INSERT INTO attempts (bank_id, bank_title, mode, seed, started, saved, time_limit, "
        "elapsed, status, total, snapshot, progress, full, planned) "
        "VALUES (?, ?, ?, ?, '2026-01-01T10:00:00Z', '2026-01-01T10:05:00Z', ?, ?, ?, ?, ?, "
        "?, ?, ?)",
        (BANK.id, BANK.title, session.mode, session.seed, session.time_limit,
         session.elapsed(), status, session.count, snapshot, progress, int(session.full),
         session.count))
    return int(cursor.lastrowid or 0)


def test_the_parts_cover_every_field_of_the_snapshot() -> None:
    """A field added to the snapshot must be given a place in the store."""
    assert set(QuestionState.model_fields) == {*STATIC_KEYS, *PROGRESS_KEYS}
    assert set(STATE_KEYS) <= set(SessionSnapshot.model_fields)
    outline = set(SessionSnapshot.model_fields) - set(STATE_KEYS) - {"questions"}
    session, _ = played()
    assert set(session.outline()) == outline
    assert set(session.unsaved().state) == set(STATE_KEYS)
    assert set(PROGRESS_KEYS) < set(QuestionProgress.__dataclass_fields__)


def test_a_save_writes_the_changed_rows_only(tmp_path: Path) -> None:
    session, clock = played()
    with History(tmp_path / "history.sqlite3") as history:
        attempt_id = history.start_attempt(session)
        conn = history._conn
        assert conn.execute("SELECT count(*) FROM attempt_questions").fetchone()[0] == 12
        # shown or touched: the first four questions
        assert [p for (p,) in conn.execute("SELECT position FROM attempt_progress")] == [
            0, 1, 2, 3]
        conn.execute("UPDATE attempt_progress SET note = 'marker'")
        clock.now += 1
        session.choose(0)  # question 3 only
        history.autosave(attempt_id, session)
        notes = dict(conn.execute("SELECT position, note FROM attempt_progress"))
        assert notes == {0: "marker", 1: "marker", 2: "marker", 3: ""}
        session.go(7)  # 3 left, 7 reached
        history.autosave(attempt_id, session)
        assert [p for (p,) in conn.execute("SELECT position FROM attempt_progress")] == [
            0, 1, 2, 3, 7]


def test_a_failed_save_is_written_by_the_next_one(tmp_path: Path) -> None:
    session, _ = played()
    with History(tmp_path / "history.sqlite3") as history:
        attempt_id = history.start_attempt(session)
        session.choose(1)
        history._conn.execute("CREATE TRIGGER refuse BEFORE UPDATE ON attempts "
                              "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        with pytest.raises(sqlite3.IntegrityError, match="disk full"):
            history.autosave(attempt_id, session)
        history._conn.execute("DROP TRIGGER refuse")
        session.next()
        history.autosave(attempt_id, session)
        assert history.snapshot(attempt_id) == session.snapshot().model_dump(mode="json")


def test_resume_writes_only_what_changes_after_it(tmp_path: Path) -> None:
    session, clock = played()
    with History(tmp_path / "history.sqlite3") as history:
        attempt_id = history.start_attempt(session)
        history.release(attempt_id)
        restored = history.resume(attempt_id, BANK, clock)
        assert restored.snapshot() == session.snapshot()
        assert restored.unsaved().questions == ()
        clock.now += 2
        restored.toggle_flag()
        assert [q.position for q in restored.unsaved().questions] == [3]


# -- the v9 migration -----------------------------------------------------------------


def test_a_v9_attempt_in_progress_is_converted_and_resumes_exactly(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    conn = v9_history(path)
    session, clock = played()
    original = session.snapshot().model_dump(mode="json")
    rows = with_display(progress_rows(BANK, session.result().questions), session.option_orders)
    attempt_id = save_v9(conn, session)
    conn.close()
    with History(path) as history:
        conn = history._conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 10
        snapshot, progress, outline, state = conn.execute(
            "SELECT snapshot, progress, outline, state FROM attempts").fetchone()
        assert snapshot is None and progress is None
        assert json.loads(outline) == session.outline()
        assert json.loads(state) == {k: original[k] for k in STATE_KEYS}
        assert history.snapshot(attempt_id) == original
        assert read_rows(conn, attempt_id) == rows  # what an abandon keeps
        restored = history.resume(attempt_id, BANK, clock)
        assert restored.snapshot() == session.snapshot()
        assert restored.view().position == 3 and restored.view(2).note == "ünï \"x\"\n"
        restored.choose(1)
        history.autosave(attempt_id, restored)
        assert history.snapshot(attempt_id) == restored.snapshot().model_dump(mode="json")
        restored.submit()
        done = history.finish(attempt_id, restored)
        assert done.status == "finished"
        assert [a.chosen for a in history.answers(attempt_id)] == [
            r.chosen for r in restored.result().questions]


def test_the_conversion_runs_once_and_again_when_the_version_is_set_back(
        tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    conn = v9_history(path)
    session, _ = played()
    attempt_id = save_v9(conn, session)
    conn.close()
    with History(path) as history:
        before = history.snapshot(attempt_id)
        tables = [history._conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                  for t in ("attempt_questions", "attempt_progress")]
        history._conn.execute("PRAGMA user_version = 9")  # set back (by a tool)
    with History(path) as again:
        assert again._conn.execute("PRAGMA user_version").fetchone()[0] == 10
        assert again.snapshot(attempt_id) == before
        assert tables == [again._conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                          for t in ("attempt_questions", "attempt_progress")]


def test_finished_and_abandoned_attempts_are_left_as_they_are(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    conn = v9_history(path)
    session, _ = played()
    finished = save_v9(conn, session, "finished")
    abandoned = save_v9(conn, session, "abandoned")
    conn.execute("UPDATE attempts SET snapshot = NULL, progress = NULL WHERE id = ?",
                 (finished,))
    conn.execute("UPDATE attempts SET progress = NULL WHERE id = ?", (abandoned,))
    before = conn.execute("SELECT * FROM attempts ORDER BY id").fetchall()
    conn.close()
    with History(path) as history:
        after = history._conn.execute("SELECT * FROM attempts ORDER BY id").fetchall()
        assert [row[:len(before[0])] for row in after] == before
        assert history._conn.execute("SELECT count(*) FROM attempt_questions").fetchone() == (0,)


def test_an_older_v9_save_without_seen_trail_or_note_converts(tmp_path: Path) -> None:
    """A save from before examsim kept seen, trail and notes (still in progress at v9)."""
    path = tmp_path / "history.sqlite3"
    conn = v9_history(path)
    session, clock = played()
    data = session.snapshot().model_dump(mode="json")
    for state in data["questions"]:
        del state["seen"], state["trail"], state["note"]
    rows = progress_rows(BANK, session.result().questions)
    for row in rows:
        del row["seen"], row["trail"], row["words"], row["scored"], row["note"]
    attempt_id = save_v9(conn, session, snapshot=json.dumps(data), progress=json.dumps(rows))
    conn.close()
    with History(path) as history:
        stored = history.snapshot(attempt_id)
        assert SessionSnapshot.model_validate(stored) == SessionSnapshot.model_validate(data)
        restored = history.resume(attempt_id, BANK, clock)
        old = ExamSession.restore(BANK, data, clock)
        assert restored.snapshot() == old.snapshot()
        assert restored.seen == 4  # what was done or timed counts as seen (v7's rule)


def test_a_v9_save_with_a_bad_time_limit_is_abandoned_on_resume(tmp_path: Path) -> None:
    """Converted as it is, it is judged as before: moved to abandoned, answers kept."""
    path = tmp_path / "history.sqlite3"
    conn = v9_history(path)
    session, clock = played()
    text = json.dumps(session.snapshot().model_dump(mode="json"))
    assert '"time_limit": 600.0' in text
    attempt_id = save_v9(conn, session, snapshot=text.replace('"time_limit": 600.0',
                                                              '"time_limit": Infinity'))
    conn.close()
    with History(path) as history:
        assert history._conn.execute("SELECT progress FROM attempts").fetchone() == (None,)
        with pytest.raises(ResumeError, match=r"saved state is damaged.*kept as abandoned"):
            history.resume(attempt_id, BANK, clock)
        assert [a.chosen for a in history.answers(attempt_id)] == [
            r.chosen for r in session.result().questions]


@pytest.mark.parametrize("damage", [
    lambda data: data["questions"][1].update(chosen=7),
    lambda data: data["questions"][1].update(extra=True),
    lambda data: data["questions"][0].update(order=["a", 1, 2, 3]),
    lambda data: data.update(questions="none"),
])
def test_a_damaged_v9_save_stays_and_is_abandoned_on_resume(tmp_path: Path, damage) -> None:
    """A save that does not fit the columns keeps its v9 columns; resuming it fails as
    it did in v9 and keeps its answers from the v9 rows."""
    path = tmp_path / "history.sqlite3"
    conn = v9_history(path)
    session, clock = played()
    data = session.snapshot().model_dump(mode="json")
    damage(data)
    attempt_id = save_v9(conn, session, snapshot=json.dumps(data))
    conn.close()
    with History(path) as history:
        assert history._conn.execute("SELECT outline FROM attempts").fetchone() == (None,)
        assert history.snapshot(attempt_id) == data
        assert history._answered_so_far(attempt_id) == 3
        with pytest.raises(ResumeError, match="kept as abandoned with its 3 answers"):
            history.resume(attempt_id, BANK, clock)
        kept = history.answers(attempt_id)
        assert [a.chosen for a in kept] == [r.chosen for r in session.result().questions]


def test_a_v9_save_whose_rows_do_not_match_resumes_from_its_snapshot(tmp_path: Path) -> None:
    """v9 restored from the snapshot alone: so does v10, and keeps it in parts then."""
    path = tmp_path / "history.sqlite3"
    conn = v9_history(path)
    session, clock = played()
    rows = progress_rows(BANK, session.result().questions)[:-1]
    attempt_id = save_v9(conn, session, progress=json.dumps(rows))
    conn.close()
    with History(path) as history:
        assert history._conn.execute("SELECT outline FROM attempts").fetchone() == (None,)
        restored = history.resume(attempt_id, BANK, clock)
        assert restored.snapshot() == session.snapshot()
        assert history._conn.execute("SELECT snapshot, progress FROM attempts").fetchone() == (
            None, None)
        restored.choose(2)
        history.autosave(attempt_id, restored)
        assert history.snapshot(attempt_id) == restored.snapshot().model_dump(mode="json")


def test_a_save_changes_as_many_rows_whatever_the_size_of_the_attempt(
        tmp_path: Path) -> None:
    """Issue #20: a save costs in proportion to what changed, not to the bank. Counted in
    rows written (SQLite's total_changes), which no machine speed moves."""
    written = []
    for count in (12, 3000):
        bank = make_bank(count)
        session = ExamSession.start(bank, AttemptPlan(mode="practice", seed=1), Clock())
        with History(tmp_path / f"history-{count}.sqlite3") as history:
            attempt_id = history.start_attempt(session)
            changes = []
            for _ in range(5):
                session.choose(1)
                session.next()
                before = history._conn.total_changes
                history.autosave(attempt_id, session)
                changes.append(history._conn.total_changes - before)
            written.append(changes)
            sizes = history._conn.execute(
                "SELECT length(state), length(outline) FROM attempts").fetchone()
            assert sizes[0] < 200 and sizes[1] < 1000
    assert written[0] == written[1] == [3] * 5  # the attempt's row, the two questions'


def test_resume_on_an_edited_bank_rewrites_the_rows_an_abandon_keeps(tmp_path: Path) -> None:
    """Domain, topics and credit as the bank now has them (as v9's first save after a
    resume rewrote every answer row)."""
    from examsim.core.bank_model import validate_bank

    session, clock = played()
    first = session.question_ids[0]
    with History(tmp_path / "history.sqlite3") as history:
        attempt_id = history.start_attempt(session)
        history.release(attempt_id)
        data = BANK.model_dump(by_alias=True, exclude_none=True)
        data["bank"]["partial_credit"] = True
        for item in data["questions"]:
            if item["id"] == first:
                item["domain"], item["topics"] = "sec", ["KMS"]
        edited = validate_bank(data)
        restored = history.resume(attempt_id, edited, clock)
        history.release(attempt_id)
        history.abandon(attempt_id, "test")  # from the saved rows: no session at hand
        kept = history.answers(attempt_id)
        expected = restored.result().questions
        assert [(a.domain, a.topics, a.credit) for a in kept] == [
            (r.domain, r.topics, r.credit) for r in expected]
        assert kept[0].domain == "sec" and kept[0].topics == ("KMS",)
