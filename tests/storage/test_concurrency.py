"""Crash safety and two writers: SIGKILL in a loop, and two processes finishing at once."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from examsim.storage.history import History

WORKER = Path(__file__).with_name("workers.py")
ROUNDS = 12

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def kill_after(proc: subprocess.Popen[str], lines_wanted: int, delay: float) -> list[str]:
    """Collect the worker's lines; SIGKILL it `delay` seconds after it has printed enough."""
    lines: list[str] = []
    enough = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.split("\n")[0])
            if len(lines) >= lines_wanted:
                enough.set()
        enough.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert enough.wait(30), "worker printed nothing"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    reader.join(10)
    assert proc.stderr is not None
    errors = proc.stderr.read()
    assert proc.returncode == -signal.SIGKILL, f"worker ended before it was killed: {errors}"
    return lines


def test_sigkill_during_autosave_loses_at_most_the_action_being_saved(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    rnd = random.Random(20250301)
    for _ in range(ROUNDS):
        lines = kill_after(spawn("autosave", str(path)), rnd.randint(1, 40),
                           rnd.uniform(0.0, 0.15))
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.close()
        with History(path) as history:
            assert history.notice is None
            for attempt in history.attempts():
                if attempt.status == "finished":  # finish is all or nothing
                    assert len(history.answers(attempt.id)) == attempt.planned == 20
                    assert attempt.total == attempt.seen  # a practice session: seen
                else:
                    assert attempt.status == "in_progress"
                    assert history.snapshot(attempt.id) is not None
                    assert history.answers(attempt.id) == []
            kind, attempt_id, *rest = lines[-1].split()
            last = history.attempt(int(attempt_id))
            assert last is not None
            if kind == "save":  # committed: N; maybe also the one being saved: N + 1
                n = int(rest[0])
                if last.status == "in_progress":
                    assert last.elapsed in (n, n + 1)
                    assert history.snapshot(last.id)["elapsed"] == last.elapsed
                else:
                    assert last.status == "finished"
            else:
                assert last.status == "finished"
    with History(path) as history:
        assert len(history.attempts()) >= ROUNDS


def test_two_processes_finish_attempts_at_once(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "history.sqlite3"  # both create it: migration races too
    go = tmp_path / "go"
    count = 60
    procs = [spawn("finish", str(path), str(count), str(go)) for _ in range(2)]
    time.sleep(0.5)  # both are up and polling
    go.touch()
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    outputs = [out for out, _ in outputs]
    spans = [tuple(map(float, out.split()[1:])) for out in outputs]
    assert max(s for s, _ in spans) < min(e for _, e in spans), f"no overlap: {spans}"
    with History(path) as history:
        attempts = history.attempts()
        assert len(attempts) == 2 * count
        assert all(a.status == "finished" for a in attempts)
        assert sum(len(history.answers(a.id)) for a in attempts) == 2 * count * 20


def test_switching_to_wal_is_retried_while_the_file_is_locked() -> None:
    """SQLite may refuse the journal mode switch at once ("database is locked", no busy
    wait) while another examsim creates the schema: connect retries it."""
    from examsim.storage.db import set_wal

    calls: list[str] = []

    def execute(sql: str) -> None:
        calls.append(sql)
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")

    set_wal(execute)
    assert calls == ["PRAGMA journal_mode = WAL"] * 3

    def never(sql: str) -> None:
        raise sqlite3.OperationalError("database is locked")

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        set_wal(never, wait=0.05)  # gives up when the busy timeout would have

    def other(sql: str) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        set_wal(other)  # anything else is not retried
