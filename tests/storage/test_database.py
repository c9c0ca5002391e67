"""Schema versions, the v1 -> ... -> v5 migrations, and damaged or foreign files moved aside."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from examsim.core import insights
from examsim.storage import db, history_stats
from examsim.storage.history import History
from examsim.storage.schema import SCHEMA_VERSION

from .helpers import FakeNow, FakeSession, make_bank

NOW = datetime(2025, 3, 1, 9, 0, 30, tzinfo=UTC)

# The version 1 schema as it shipped, frozen here so the migration is tested against it
# and not against whatever schema.V1 says today.
V1_SCHEMA = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY, bank_id TEXT NOT NULL, bank_title TEXT NOT NULL, bank_hash TEXT,
    domains TEXT NOT NULL DEFAULT '{}', mode TEXT NOT NULL, seed INTEGER NOT NULL,
    started TEXT NOT NULL, finished TEXT, saved TEXT, time_limit REAL,
    elapsed REAL NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'in_progress'
    CHECK (status IN ('in_progress', 'finished', 'timed_out', 'abandoned')), note TEXT,
    total INTEGER, correct REAL, percent REAL, scaled INTEGER, passed INTEGER,
    snapshot TEXT, progress TEXT);
CREATE INDEX attempts_bank ON attempts (bank_id, status, id);
CREATE INDEX attempts_status ON attempts (status, id);
CREATE TABLE questions (hash TEXT PRIMARY KEY, question_id TEXT NOT NULL,
    stem TEXT NOT NULL, options TEXT NOT NULL, answer TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE answers (
    attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL, question_id TEXT NOT NULL, question_hash TEXT NOT NULL,
    domain TEXT, topics TEXT NOT NULL DEFAULT '[]', chosen TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL, struck TEXT NOT NULL DEFAULT '', correct INTEGER NOT NULL,
    credit REAL NOT NULL, flagged INTEGER NOT NULL DEFAULT 0, confidence INTEGER,
    seconds REAL NOT NULL DEFAULT 0, changes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (attempt_id, position)) WITHOUT ROWID;
CREATE INDEX answers_question ON answers (question_id, attempt_id);
PRAGMA user_version = 1;
"""


def make_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.execute(
        "INSERT INTO attempts (id, bank_id, bank_title, mode, seed, started, finished, "
        "status, total, correct, percent, passed) VALUES (1, 'b', 'B', 'exam', 3, "
        "'2024-01-01T10:00:00Z', '2024-01-01T11:00:00Z', 'finished', 2, 1, 50, 0)"
    )
    conn.executemany(
        "INSERT INTO answers (attempt_id, position, question_id, question_hash, domain, "
        "topics, chosen, answer, correct, credit) VALUES (1, ?, ?, 'h', 'd', ?, ?, 'A', ?, ?)",
        [(0, "q1", '["IAM", "KMS"]', "A", 1, 1.0), (1, "q2", '["IAM"]', "B", 0, 0.0)],
    )
    conn.commit()
    conn.close()


def test_migrates_v1_database(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    make_v1(path)
    with History(path, now=FakeNow()) as history:
        assert history.notice is None
        version = history._conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION == 10
        assert history.attempt(1).bank_source is None
        assert [a.topics for a in history.answers(1)] == [("IAM", "KMS"), ("IAM",)]
        topics = {a.key: (a.attempted, a.correct)
                  for a in history_stats.accuracy(history, "b", by="topic")}
        assert topics == {"IAM": (2, 1.0), "KMS": (1, 1.0)}
        assert history.miss_streaks("b") == {"IAM": 1}
        # the migrated database takes new attempts
        session = FakeSession(make_bank(bank_id="b"))
        attempt_id = history.start_attempt(session)
        session.submit()
        history.finish(attempt_id, session)
        assert len(history.attempts("b")) == 2


def schema_shape(path: Path) -> dict[str, object]:
    """Columns, keys and indexes of every table, whatever the CREATE text looked like."""
    conn = sqlite3.connect(path)
    shape: dict[str, object] = {}
    for (table,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'"):
        indexes = {
            name: conn.execute(f"PRAGMA index_xinfo('{name}')").fetchall()
            for _, name, *_ in conn.execute(f"PRAGMA index_list('{table}')")
        }
        shape[table] = (
            conn.execute(f"PRAGMA table_xinfo('{table}')").fetchall(),
            conn.execute(f"PRAGMA foreign_key_list('{table}')").fetchall(),
            indexes,
        )
    conn.close()
    return shape


def test_migrated_schema_equals_fresh_schema(tmp_path: Path) -> None:
    make_v1(tmp_path / "old.sqlite3")
    History(tmp_path / "old.sqlite3").close()
    History(tmp_path / "new.sqlite3").close()
    fresh = schema_shape(tmp_path / "new.sqlite3")
    assert schema_shape(tmp_path / "old.sqlite3") == fresh
    assert "answers_domain" in fresh["answers"][2]


def test_migration_backfills_topic_scores(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    make_v1(path)
    History(path).close()
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT * FROM answer_topics ORDER BY position, topic").fetchall()
    assert rows == [(1, 0, "IAM", 1, 1.0, 1), (1, 0, "KMS", 1, 1.0, 1),
                    (1, 1, "IAM", 0, 0.0, 1)]



def old_database(tmp_path: Path, version: int) -> tuple[Path, sqlite3.Connection]:
    """A history at schema ``version`` holding one finished attempt (id 1)."""
    from examsim.storage.db import connect
    from examsim.storage.schema import migrate

    path = tmp_path / "history.sqlite3"
    conn = connect(path)
    migrate(conn, target=version)
    conn.execute(
        "INSERT INTO attempts (bank_id, bank_title, mode, seed, started, status) "
        "VALUES ('b', 'B', 'exam', 1, '2025-01-01T00:00:00Z', 'finished')"
    )
    return path, conn

def test_migrates_v2_database_backfilling_strikes(tmp_path: Path) -> None:
    path, conn = old_database(tmp_path, 2)
    conn.executemany(
        "INSERT INTO answers (attempt_id, position, question_id, question_hash, domain, "
        "chosen, answer, struck, correct, credit) VALUES (1, ?, ?, 'h', ?, '', ?, ?, 0, 0)",
        [(0, "q1", "d", "A", "BC"), (1, "q2", "d", "AC", "CD"), (2, "q3", "e", "B", ""),
         (3, "q4", None, "AB", "B")],
    )
    conn.close()
    with History(path, now=FakeNow()) as history:
        assert history._conn.execute("PRAGMA user_version").fetchone()[0] == 10
        rows = history._conn.execute(
            "SELECT strikes, strikes_in_key FROM answers ORDER BY position").fetchall()
        assert rows == [(2, 0), (2, 1), (0, 0), (1, 1)]
        report = history_stats.strike_accuracy(history, "b")
        assert report == insights.strike_accuracy(
            [("d", "BC", "A"), ("d", "CD", "AC"), ("e", "", "B"), (None, "B", "AB")])
        assert report.overall == insights.StrikeStats(5, 2)


def test_open_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    History(path).close()
    with History(path) as again:
        assert again.notice is None


def test_fresh_database_in_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "history.sqlite3"
    with History(path) as history:
        assert path.exists() and history.attempts() == []


def test_empty_file_is_used(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.touch()
    with History(path) as history:
        assert history.notice is None
    assert list(tmp_path.iterdir()) != [] and not list(tmp_path.glob("*.damaged-*"))


def moved(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.glob("history.sqlite3.damaged-*"))


def test_not_a_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not sqlite, just some text the user saved here\n" * 50)
    Path(f"{path}-wal").write_bytes(b"junk")
    Path(f"{path}-shm").write_bytes(b"junk")
    with History(path, now=lambda: NOW) as history:
        target = tmp_path / "history.sqlite3.damaged-20250301T090030"
        assert history.notice == (
            "history database was damaged (file is not a database); "
            f"moved to {target}; starting a fresh one"
        )
        assert history.attempts() == []
    assert target.read_bytes().startswith(b"this is not sqlite")
    assert moved(tmp_path) == [target.name, f"{target.name}-shm", f"{target.name}-wal"]


def test_corrupt_pages_are_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with History(path) as history:
        session = FakeSession(make_bank(40))
        for _ in range(30):
            attempt_id = history.start_attempt(session)
            history.abandon(attempt_id, "filler", session)
    size = path.stat().st_size
    assert size > 4 * 4096
    data = bytearray(path.read_bytes())
    for offset in range(2 * 4096, size, 4096):  # keep the header page, scribble on the rest
        data[offset + 8:offset + 300] = b"\xa5" * 292
    path.write_bytes(bytes(data))
    with History(path, now=lambda: NOW) as history:
        assert history.notice is not None
        assert history.notice.startswith("history database was damaged")
        assert history.attempts() == []
    assert moved(tmp_path) == ["history.sqlite3.damaged-20250301T090030"]


def test_newer_schema_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    History(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with History(path, now=lambda: NOW) as history:
        assert (f"schema version {SCHEMA_VERSION + 1}, newer than this examsim knows "
                f"({SCHEMA_VERSION})") in history.notice
        assert history._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_foreign_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    with History(path, now=lambda: NOW) as history:
        assert history.notice.startswith("history file is a database examsim did not write")


def test_second_damage_in_same_second_gets_new_name(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    for _ in range(2):
        path.write_bytes(b"garbage" * 1000)
        History(path, now=lambda: NOW).close()
    assert moved(tmp_path) == [
        "history.sqlite3.damaged-20250301T090030", "history.sqlite3.damaged-20250301T090030-1",
    ]


def test_locked_database_is_not_moved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "history.sqlite3"
    History(path).close()
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            History(path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert moved(tmp_path) == []


def test_sqlite_header_with_garbage_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 64)
    with History(path, now=lambda: NOW) as history:
        assert history.notice is not None and "damaged" in history.notice
    assert moved(tmp_path) == ["history.sqlite3.damaged-20250301T090030"]


def test_migrates_v4_database_adding_confidence_index(tmp_path: Path) -> None:
    path, conn = old_database(tmp_path, 4)
    conn.executemany(
        "INSERT INTO answers (attempt_id, position, question_id, question_hash, answer, "
        "correct, credit, confidence) VALUES (1, ?, ?, 'h', 'A', ?, ?, ?)",
        [(0, "q1", 1, 1.0, 1), (1, "q2", 0, 0.0, 1), (2, "q3", 1, 0.5, 3),
         (3, "q4", 0, 0.0, None)],
    )
    indexes = {name for (name,) in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'index'")}
    assert "answers_confidence" not in indexes
    conn.close()
    with History(path, now=FakeNow()) as history:
        conn = history._conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 10
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_schema WHERE name = 'answers_confidence'").fetchone()
        assert "WHERE confidence IS NOT NULL" in sql
        levels = history_stats.accuracy_by_confidence(conn, "b")
        assert [(c.key, c.attempted, c.correct) for c in levels] == [
            ("1", 2, 1.0), ("3", 1, 0.5)]


def test_migrates_v5_database_summing_topics_per_attempt(tmp_path: Path) -> None:
    """v6 backfills attempt_topics from answer_topics; accuracy by topic, which now reads
    it, gives what summing the answers gives, partial credit and scope included."""
    path, conn = old_database(tmp_path, 5)
    conn.execute(
        "INSERT INTO attempts (bank_id, bank_title, mode, seed, started, status) "
        "VALUES ('b', 'B', 'exam', 2, '2025-01-02T00:00:00Z', 'abandoned')"
    )
    answers = [  # (attempt, position, topics, credit, answered)
        (1, 0, ["IAM", "VPC"], 1.0, 1), (1, 1, ["IAM"], 1 / 3, 1), (1, 2, ["IAM"], 2 / 3, 1),
        (1, 3, ["VPC"], 0.0, 0), (2, 0, ["IAM"], 1.0, 1),
    ]
    for attempt, position, topics, credit, answered in answers:
        conn.execute(
            "INSERT INTO answers (attempt_id, position, question_id, question_hash, answer, "
            "correct, credit, seconds) VALUES (?, ?, ?, 'h', 'A', ?, ?, 10)",  # seen (v7)
            (attempt, position, f"q{position}", int(credit == 1.0), credit))
        conn.executemany(
            "INSERT INTO answer_topics VALUES (?, ?, ?, ?, ?, ?)",
            [(attempt, position, topic, int(credit == 1.0), credit, answered)
             for topic in topics])
    before = conn.execute(
        "SELECT topic, count(*), total(credit), total(answered) FROM answer_topics "
        "WHERE attempt_id = 1 GROUP BY topic ORDER BY topic").fetchall()
    conn.close()
    with History(path, now=FakeNow()) as history:
        conn = history._conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 10
        assert conn.execute("SELECT count(*) FROM attempt_topics").fetchone()[0] == 3
        after = history_stats.accuracy_by_topic(conn, "b")  # the abandoned attempt 2 is out
        assert [(a.key, a.attempted, a.correct, a.answered) for a in after] == [
            (topic, count, credit, int(answered)) for topic, count, credit, answered in before]
        assert [(a.key, a.attempted, a.answered) for a in after] == [("IAM", 3, 3),
                                                                    ("VPC", 2, 1)]
        assert history_stats.accuracy_by_topic(conn, "b", last=1) == after
        history.delete_attempt(1)
        assert conn.execute("SELECT count(*) FROM attempt_topics").fetchone()[0] == 1
