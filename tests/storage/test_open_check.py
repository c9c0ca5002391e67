"""The history's check at open (storage/db.py): ``quick_check`` is skipped only for a file
exactly as examsim closed it; any other write, a crash or a day's wait brings it back, and
damage is still found and moved aside."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from examsim.storage import db
from examsim.storage.history import History

from .helpers import FakeSession, make_bank

NOW = datetime(2025, 3, 1, 9, 0, 30, tzinfo=UTC)


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each open's ``quick`` argument, in order."""
    seen: list[bool] = []
    real = db.check

    def check(conn: sqlite3.Connection, quick: bool = True) -> None:
        seen.append(quick)
        real(conn, quick)

    monkeypatch.setattr(db, "check", check)
    return seen


def filled(path: Path, attempts: int = 30) -> None:
    with History(path) as history:
        session = FakeSession(make_bank(40))
        for _ in range(attempts):
            history.abandon(history.start_attempt(session), "filler", session)


def scribble(path: Path) -> None:
    """Damage the last page only, keeping the file's size: the file opens, its version
    and tables read, and only ``quick_check`` finds it."""
    data = bytearray(path.read_bytes())
    offset = len(data) - 4096
    data[offset:offset + 300] = b"\xa5" * 300
    path.write_bytes(bytes(data))


def test_a_file_as_examsim_closed_it_opens_without_quick_check(tmp_path, checks) -> None:
    path = tmp_path / "history.sqlite3"
    filled(path)
    assert Path(f"{path}.checked").is_file()
    with History(path) as history:
        assert len(history.attempts()) == 30
    History(path).close()
    assert checks == [False, False]


def test_damage_written_after_a_clean_close_is_found(tmp_path, checks) -> None:
    path = tmp_path / "history.sqlite3"
    filled(path)
    size = path.stat().st_size
    scribble(path)
    assert path.stat().st_size == size
    with History(path, now=lambda: NOW) as history:
        assert history.notice is not None and history.notice.startswith(
            "history database was damaged")
        assert history.attempts() == []
    assert checks == [True]
    assert (tmp_path / "history.sqlite3.damaged-20250301T090030").is_file()


def test_damage_with_size_and_mtime_set_back_is_found(tmp_path, checks) -> None:
    """Only the ctime (which no os.utime sets back) tells this edit: it is in the mark."""
    path = tmp_path / "history.sqlite3"
    filled(path)
    before = path.stat()
    scribble(path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    while path.stat().st_ctime_ns == before.st_ctime_ns:  # a filesystem of coarse times
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size,
                                                              before.st_mtime_ns)
    with History(path, now=lambda: NOW) as history:
        assert history.notice is not None and "damaged" in history.notice
    assert checks == [True]


def test_a_history_left_open_by_a_crash_is_checked(tmp_path, checks) -> None:
    path = tmp_path / "history.sqlite3"
    filled(path)
    crashed = History(path)  # never closed: a -wal stays beside the file
    crashed.start_attempt(FakeSession(make_bank(5)))
    assert Path(f"{path}-wal").exists()
    with History(path) as history:
        assert len(history.attempts()) == 31
    crashed._conn.close()
    assert checks == [False, True]


def test_a_second_examsim_open_leaves_no_mark(tmp_path, checks) -> None:
    """Closed while another connection still has the file (its -wal): no mark, so the
    next open checks, whatever the other one writes afterwards."""
    path = tmp_path / "history.sqlite3"
    filled(path)
    first, second = History(path), History(path)
    first.close()
    assert not Path(f"{path}.checked").exists()
    second.start_attempt(FakeSession(make_bank(5)))
    second._conn.close()  # as if killed: the mark is not written
    History(path).close()
    assert checks == [False, True, True]


def test_the_mark_lasts_a_day(tmp_path, checks) -> None:
    path = tmp_path / "history.sqlite3"
    filled(path)
    mark = Path(f"{path}.checked")
    stamp, _, when = mark.read_text().strip().rpartition(" ")
    day_after = int(when) + db.CHECKED_FOR_NS
    assert db.unchanged_since_closed(path, now_ns=lambda: day_after - 1)
    assert not db.unchanged_since_closed(path, now_ns=lambda: day_after)
    mark.write_text(f"{stamp} {time.time_ns() - db.CHECKED_FOR_NS}\n")  # closed a day ago
    History(path).close()
    assert checks == [True]


def test_a_damaged_or_foreign_mark_means_a_check(tmp_path, checks) -> None:
    path = tmp_path / "history.sqlite3"
    filled(path)
    mark = Path(f"{path}.checked")
    for text in ("", "garbage", "1 2 3 4 5 x", mark.read_text().replace(" ", "  ", 1)):
        mark.write_text(text)
        assert not db.unchanged_since_closed(path)
    History(path).close()
    assert checks == [True]
