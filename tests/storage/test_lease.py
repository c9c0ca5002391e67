"""One examsim per attempt in progress: the lease (schema v4) and the v3 -> v4 migration.

Another examsim is played by a second History in this process with another owner: it
holds the attempt's OS lock like another process would (an flock belongs to an open
file). ``history.locks.drop()`` plays its death (the kernel closes its files); the
heartbeat rule is tested with locks that do not work (a locks "folder" that is a file).
The OS lock itself, with real processes: tests/storage/test_attempt_locks.py.
"""

from __future__ import annotations

import re
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from examsim.storage.history import LEASE_SECONDS, AttemptBusy, History, HistoryError
from examsim.storage.lease import AttemptLocks

from .helpers import FakeSession, make_bank

HOST = socket.gethostname()


class Now:
    """A UTC clock that stands still until moved."""

    def __init__(self) -> None:
        self.moment = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def live_pid() -> Iterator[int]:
    """The pid of another process that is alive while the test runs."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc.pid
    proc.kill()
    proc.wait()


@pytest.fixture
def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def two(path: Path, now: Now, other_pid: int) -> tuple[History, History]:
    """This process's history, and another examsim's (pid ``other_pid``) on the same file."""
    return History(path, now), History(path, now, owner=(other_pid, HOST))


def test_second_examsim_is_refused_while_the_first_is_alive(
    tmp_path: Path, live_pid: int
) -> None:
    now = Now()
    mine, theirs = two(tmp_path / "history.sqlite3", now, live_pid)
    session = FakeSession(make_bank())
    attempt_id = theirs.start_attempt(session)
    session.mark(0, chosen="A")
    theirs.autosave(attempt_id, session)
    other = FakeSession(make_bank()).mark(1, chosen="B")
    message = re.escape(f"attempt {attempt_id} is open in another examsim (pid {live_pid})")
    with pytest.raises(AttemptBusy, match=message):
        mine.claim(attempt_id)
    with pytest.raises(AttemptBusy, match=message):
        mine.autosave(attempt_id, other)  # the last save must not win
    other.submit()
    with pytest.raises(AttemptBusy):
        mine.finish(attempt_id, other)
    with pytest.raises(AttemptBusy):
        mine.abandon(attempt_id, "from the home screen")
    assert mine.snapshot(attempt_id)["questions"][0]["chosen"] == "A"  # theirs is intact
    assert mine.holder(attempt_id) == (live_pid, HOST)
    # the owner keeps saving and finishes; the lease goes with it
    now.moment += timedelta(seconds=LEASE_SECONDS * 2)
    theirs.autosave(attempt_id, session)  # refreshes the heartbeat
    session.submit()
    assert theirs.finish(attempt_id, session).status == "finished"
    assert mine.holder(attempt_id) is None
    mine.close()
    theirs.close()


def test_quitting_releases_the_attempt(tmp_path: Path, live_pid: int) -> None:
    now = Now()
    mine, theirs = two(tmp_path / "history.sqlite3", now, live_pid)
    session = FakeSession(make_bank())
    attempt_id = theirs.start_attempt(session)
    theirs.close()  # ctrl+q: the app saves, then closes the history
    mine.claim(attempt_id)
    session.mark(2, chosen="C")
    mine.autosave(attempt_id, session)
    assert mine.holder(attempt_id) is None
    mine.close()


def test_dead_owner_on_this_host_is_taken_over(tmp_path: Path, dead_pid: int) -> None:
    now = Now()
    mine, theirs = two(tmp_path / "history.sqlite3", now, dead_pid)
    session = FakeSession(make_bank())
    attempt_id = theirs.start_attempt(session)  # then kill -9: no release
    theirs.locks.drop()
    mine.autosave(attempt_id, session.mark(0, chosen="A"))
    row = mine._read("SELECT owner_pid, owner_host FROM attempts WHERE id = ?", (attempt_id,))
    assert tuple(row[0]) == mine.owner
    mine.close()


def no_locks(tmp_path: Path) -> AttemptLocks:
    """Locks that do not work: their folder is a file."""
    (tmp_path / "not-a-folder").write_text("")
    return AttemptLocks(tmp_path / "not-a-folder")


def test_a_live_holder_is_refused_even_with_an_old_heartbeat(
    tmp_path: Path, live_pid: int
) -> None:
    """With locks, the heartbeat no longer decides: a laptop asleep for an hour with the
    attempt open still has it."""
    now = Now()
    path = tmp_path / "history.sqlite3"
    mine = History(path, now)
    elsewhere = History(path, now, owner=(live_pid, "another-host"))
    attempt_id = elsewhere.start_attempt(FakeSession(make_bank()))
    now.moment += timedelta(seconds=LEASE_SECONDS * 10)
    with pytest.raises(AttemptBusy, match=f"pid {live_pid} on another-host"):
        mine.claim(attempt_id)
    assert mine.locks.notice is None
    mine.close()
    elsewhere.close()


def test_stale_heartbeat_is_taken_over_and_the_old_owner_is_told(
    tmp_path: Path, live_pid: int
) -> None:
    """Where locks do not work, the heartbeat rule of the columns decides."""
    now = Now()
    path = tmp_path / "history.sqlite3"
    mine = History(path, now, locks=no_locks(tmp_path))
    elsewhere = History(path, now, owner=(live_pid, "another-host"), locks=no_locks(tmp_path))
    session = FakeSession(make_bank())
    attempt_id = elsewhere.start_attempt(session)
    with pytest.raises(AttemptBusy, match=f"pid {live_pid} on another-host"):
        mine.claim(attempt_id)
    now.moment += timedelta(seconds=LEASE_SECONDS + 1)
    mine.claim(attempt_id)
    with pytest.raises(AttemptBusy, match=f"another examsim \\(pid {mine.owner[0]} on {HOST}"):
        elsewhere.autosave(attempt_id, session)
    assert mine.locks.notice is not None and "do not work" in mine.locks.notice
    mine.close()
    elsewhere.close()


def test_not_in_progress_is_still_said_so(tmp_path: Path) -> None:
    with (History(tmp_path / "history.sqlite3", Now()) as history,
          pytest.raises(HistoryError, match="there is no attempt 7")):
        history.claim(7)


def test_migrates_v3_database(tmp_path: Path) -> None:
    from examsim.storage.db import connect
    from examsim.storage.schema import migrate

    path = tmp_path / "history.sqlite3"
    conn = connect(path)
    migrate(conn, target=3)
    conn.execute(
        "INSERT INTO attempts (bank_id, bank_title, mode, seed, started, status, total) "
        "VALUES ('b', 'B', 'exam', 1, '2025-01-01T00:00:00Z', 'timed_out', 2)"
    )
    conn.execute(
        "INSERT INTO attempts (bank_id, bank_title, mode, seed, started, status, snapshot) "
        "VALUES ('b', 'B', 'exam', 1, '2025-01-02T00:00:00Z', 'in_progress', '{}')"
    )
    conn.executemany(
        "INSERT INTO answers (attempt_id, position, question_id, question_hash, domain, "
        "topics, chosen, answer, correct, credit, seconds) "
        "VALUES (1, ?, ?, 'h', 'd', ?, ?, 'A', ?, ?, 5)",  # seconds: shown (v7's seen)
        [(0, "q1", '["IAM"]', "B", 0, 0.0), (1, "q2", '["IAM"]', "", 0, 0.0)],
    )
    conn.executemany(
        "INSERT INTO answer_topics VALUES (1, ?, 'IAM', 0, 0.0)", [(0,), (1,)]
    )
    conn.close()
    with History(path, Now()) as history:
        assert history._conn.execute("PRAGMA user_version").fetchone()[0] == 10
        rows = history._conn.execute(
            "SELECT position, answered FROM answer_topics ORDER BY position").fetchall()
        assert rows == [(0, 1), (1, 0)]
        # v6 backfills each attempt's totals per topic from those rows
        totals = history._conn.execute("SELECT * FROM attempt_topics").fetchall()
        assert totals == [(1, "IAM", 2, 0.0, 1)]
        assert [a.display for a in history.answers(1)] == [None, None]
        assert [a.answered for a in history.answers(1)] == [True, False]
        assert history.holder(2) is None
        history.claim(2)  # an attempt left in progress by v3 has no owner: free to take
    check = sqlite3.connect(path)
    assert check.execute("SELECT owner_pid FROM attempts WHERE id = 2").fetchone() == (None,)
    check.close()


def test_home_overview_says_which_attempt_is_open_elsewhere(
    tmp_path: Path, live_pid: int, dead_pid: int
) -> None:
    from examsim.storage.overview import in_progress
    from examsim.tui.screens.home import attempt_detail, progress_text

    now = Now()
    path = tmp_path / "history.sqlite3"
    mine, theirs = two(path, now, live_pid)
    gone = History(path, now, owner=(dead_pid, HOST))
    held = theirs.start_attempt(FakeSession(make_bank()))
    free = gone.start_attempt(FakeSession(make_bank()))  # its examsim died: not held
    gone.locks.drop()
    items = {item.attempt.id: item for item in in_progress(mine)}
    assert items[held].held_by == (live_pid, HOST)
    assert items[free].held_by is None
    assert progress_text(items[held]).endswith(" · in use")
    assert "in use" not in progress_text(items[free])
    assert f"Open in another examsim (pid {live_pid} on {HOST})" in attempt_detail(items[held])
    assert "enter resumes it" in attempt_detail(items[free])
    for history in (mine, theirs, gone):
        history.close()
