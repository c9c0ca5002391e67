"""The attempt's OS lock (storage/lease.py) with real processes: a dead examsim never holds
an attempt (killed, left a zombie, its pid reused), a live one always does; lock files
are made safely; where locks do not work the heartbeat rule decides, said in one line."""

from __future__ import annotations

import errno
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from examsim.storage import lease
from examsim.storage.history import AttemptBusy, History
from examsim.storage.lease import AttemptLocks, Lock

from .helpers import FakeSession, make_bank

unix_only = pytest.mark.skipif(sys.platform == "win32", reason="flock, /proc and zombies")

HOLDER = """
import sys, time
from examsim.storage.history import History
history = History(sys.argv[1])
history.claim(int(sys.argv[2]))
print("holding", flush=True)
time.sleep(120)
"""


def started(path: Path) -> int:
    """An attempt in progress recorded by an examsim that quit (nobody holds it)."""
    with History(path) as history:
        return history.start_attempt(FakeSession(make_bank()))


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, int, Path]]:
    """Another process (an examsim, as far as the history can tell) holding an attempt."""
    path = tmp_path / "history.sqlite3"
    attempt_id = started(path)
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(attempt_id)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    yield proc, attempt_id, path
    proc.kill()
    proc.wait()


def state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


@unix_only
def test_a_live_examsim_is_refused_and_a_killed_one_never_blocks(holder) -> None:
    proc, attempt_id, path = holder
    with History(path) as mine:
        with pytest.raises(AttemptBusy, match=f"open in another examsim \\(pid {proc.pid}\\)"):
            mine.claim(attempt_id)
        assert mine.holder(attempt_id) == (proc.pid, socket.gethostname())
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # its lock file is still there, its columns still name it: neither blocks
        assert mine.locks.path(attempt_id).exists()
        assert mine.holder(attempt_id) is None
        mine.claim(attempt_id)
        assert mine.locks.holds(attempt_id)


@unix_only
def test_a_zombie_in_the_lease_columns_does_not_hold_the_attempt(holder) -> None:
    """kill -9 and nobody reaps it (a container whose PID 1 does not): ``kill(pid, 0)``
    still succeeds on the zombie, which once refused the resume for 5 minutes."""
    proc, attempt_id, path = holder
    proc.send_signal(signal.SIGKILL)  # not waited for: a zombie until the fixture reaps it
    deadline = time.monotonic() + 10
    while state(proc.pid) != "Z" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert state(proc.pid) == "Z"
    os.kill(proc.pid, 0)  # what the old rule asked: "alive"
    with History(path) as mine:
        assert mine.holder(attempt_id) is None
        mine.claim(attempt_id)


def test_a_foreign_live_pid_in_the_lease_columns_does_not_hold_the_attempt(
    tmp_path: Path,
) -> None:
    """After a reboot (within the heartbeat window) the pid belongs to another program."""
    path = tmp_path / "history.sqlite3"
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with History(path, owner=(other.pid, socket.gethostname())) as before_reboot:
            attempt_id = before_reboot.start_attempt(FakeSession(make_bank()))
            before_reboot.locks.drop()  # the machine went down with it
            before_reboot._claimed.clear()  # nothing released: the columns stay
        with History(path) as mine:
            row = mine._read("SELECT owner_pid FROM attempts WHERE id = ?", (attempt_id,))
            assert row[0][0] == other.pid
            assert mine.holder(attempt_id) is None
            mine.claim(attempt_id)
    finally:
        other.kill()
        other.wait()


def test_the_lock_is_kept_while_open_and_given_back(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    attempt_id = started(path)
    with History(path) as mine, History(path) as second:
        mine.claim(attempt_id)
        with pytest.raises(AttemptBusy):
            second.claim(attempt_id)
        with pytest.raises(AttemptBusy):
            second.autosave(attempt_id, FakeSession(make_bank()).mark(0, chosen="B"))
        mine.release(attempt_id)  # e.g. back to the home screen
        assert not mine.locks.path(attempt_id).exists()
        second.claim(attempt_id)


def test_finishing_gives_the_lock_back(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with History(path) as mine:
        session = FakeSession(make_bank())
        attempt_id = mine.start_attempt(session)
        assert mine.locks.holds(attempt_id)
        session.submit()
        mine.finish(attempt_id, session)
        assert not mine.locks.holds(attempt_id)
        assert not mine.locks.path(attempt_id).exists()


# -- lock files are made safely ------------------------------------------------------------


@unix_only
def test_lock_files_are_private_and_never_follow_a_symlink(tmp_path: Path) -> None:
    locks = AttemptLocks(tmp_path / "locks")
    assert locks.acquire(1) is Lock.MINE
    assert stat.S_IMODE(os.stat(locks.path(1)).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "locks").st_mode) == 0o700
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    os.symlink(target, locks.path(2))  # planted
    assert locks.acquire(2) is Lock.UNKNOWN
    assert target.read_text() == "keep me" and stat.S_IMODE(target.stat().st_mode) != 0o600
    assert locks.notice is not None and "attempt-2.lock" in locks.notice
    locks.close()


@unix_only
def test_a_symlinked_locks_folder_is_not_used(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, tmp_path / "locks")
    locks = AttemptLocks(tmp_path / "locks")
    assert locks.acquire(1) is Lock.UNKNOWN
    assert list(elsewhere.iterdir()) == []
    assert locks.notice is not None and "not a folder" in locks.notice


def test_reading_needs_no_lock_file(tmp_path: Path) -> None:
    """holder() on the home screen, stats and export make no file (read-only data dirs)."""
    path = tmp_path / "history.sqlite3"
    attempt_id = started(path)
    with History(path) as history:
        assert history.holder(attempt_id) is None
    assert not (tmp_path / "locks" / f"attempt-{attempt_id}.lock").exists()


# -- where locks do not work ---------------------------------------------------------------


@unix_only
def test_a_filesystem_without_locks_falls_back_to_the_heartbeat_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    path = tmp_path / "history.sqlite3"
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with History(path, owner=(other.pid, socket.gethostname())) as theirs:
            attempt_id = theirs.start_attempt(FakeSession(make_bank()))
            with History(path) as mine:  # the heartbeat is fresh and the pid lives
                with pytest.raises(AttemptBusy, match=f"pid {other.pid}"):
                    mine.claim(attempt_id)
                assert mine.locks.notice is not None
                assert "No locks available" in mine.locks.notice
                assert "\n" not in mine.locks.notice
    finally:
        other.kill()
        other.wait()
    assert lease.Lock.UNKNOWN is AttemptLocks(tmp_path / "locks").acquire(9)


def test_the_app_says_once_that_locks_do_not_work(tmp_path: Path) -> None:
    from examsim.commands.app import AppServices

    (tmp_path / "file").write_text("")
    history = History(tmp_path / "history.sqlite3", locks=AttemptLocks(tmp_path / "file"))
    services = AppServices(history, tmp_path)
    assert services.lock_notice() is None
    history.start_attempt(FakeSession(make_bank()))
    notice = services.lock_notice()
    assert notice is not None and "until 5 minutes after its last save" in notice
    assert services.lock_notice() is None
    history.close()
