"""Opening the history database: pragmas, migrations, and damaged files moved aside.

A file that is not a SQLite database, fails ``PRAGMA quick_check`` (integrity_check
without the O(N log N) index cross-check: a quarter of the time on a big history, and it
still reads every page), holds tables that are not ours, or has a schema newer than this
examsim knows is never written to: it is renamed to ``<name>.damaged-YYYYmmddTHHMMSS``
(with its ``-wal`` and ``-shm``), a notice says where it went, and a fresh database
takes its place.

``quick_check`` reads every page (~20 ms at 200 attempts, ~90 ms at 1,000), so it is
skipped when the file is exactly as examsim left it (docs/architecture.md, "The history's
check at open"): closing the history as the last connection (no ``-wal`` left) writes
``<name>.checked``, the file's device, inode, size, mtime and ctime (ns) and when; an open
within :data:`CHECKED_FOR_NS` of that whose file still has that identity and no ``-wal``
skips ``quick_check`` (the version and table checks still run). Any write to the file by
anything (a crash leaves a ``-wal``; another program, a copy, a restore, ``os.utime``
change the ctime or inode) makes the identity differ, and the check runs.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from .safe_files import private_dir, private_file, write_file
from .schema import SCHEMA_VERSION, TABLES, migrate, table_names, user_version

BUSY_TIMEOUT_MS = 5000
CHECKED = ".checked"  # beside the database: its identity when examsim last closed it
CHECKED_FOR_NS = 24 * 3600 * 10**9  # a day: then quick_check runs again whatever the file
SIDE_FILES = ("-wal", "-shm")
SQLITE_HEADER = b"SQLite format 3\x00"
# SQLITE_CORRUPT and SQLITE_NOTADB: the file itself is bad. Anything else (locked, busy,
# read-only, disk full) is a problem of the moment and must not move the file aside.
DAMAGE_CODES = frozenset({11, 26})


class StoreError(OSError):
    """The database cannot be opened or written at all (not a file, a read-only place);
    ``str()`` is one line for the user. Nothing is moved or changed."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "history database unavailable"


class Unusable(Exception):
    """The file cannot be used as our history database; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def set_wal(execute: Callable[[str], object], wait: float = BUSY_TIMEOUT_MS / 1000) -> None:
    """``PRAGMA journal_mode = WAL``, retried while the file is locked.

    Two examsims opening a fresh history at once race here: switching the journal mode
    can fail with "database is locked" at once, without the busy timeout (SQLite's
    deadlock rule), while the other one creates the schema. Retrying for as long as the
    busy timeout would have waited lets both open it.
    """
    deadline = time.monotonic() + wait
    while True:
        try:
            execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit) with our pragmas."""
    conn = sqlite3.connect(
        path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        set_wal(conn.execute)
        # In WAL mode NORMAL survives any crash of the process (commits are in the WAL);
        # only a power cut may lose the last commits, and it never corrupts the file.
        conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()
        raise
    return conn


def open_database(
    path: Path, now: Callable[[], datetime]
) -> tuple[sqlite3.Connection, str | None]:
    """Open (creating or migrating) the database; returns it and a notice for the user.

    The data dir is made private (0700) and the database file 0600 on POSIX; a folder
    others could read is tightened, and the notice says so. A path that is not a regular
    file (a folder, or a link to /dev/null) raises StoreError: saving there would lose
    every answer without a word."""
    _check_regular(path)
    notices = [private_dir(path.parent)]
    if path.exists():
        private_file(path)
        try:
            return _open_checked(path), _joined(notices)
        except Unusable as problem:
            moved = move_aside(path, now())
            notices.append(f"{problem.reason}; moved to {moved}; starting a fresh one")
    private_file(path)
    conn = connect(path)
    try:
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn, _joined(notices)


def _check_regular(path: Path) -> None:
    try:
        info = path.stat()  # follows a link: where the data would go
    except FileNotFoundError:
        if path.is_symlink():
            raise StoreError(f"history database {path} is a link to "
                             f"{os.readlink(path)}, which does not exist") from None
        return
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"history database {path} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        target = f" (a link to {os.readlink(path)})" if path.is_symlink() else ""
        raise StoreError(f"history database {path} is not a regular file{target}: "
                         "nothing could be saved there; remove it, or use another "
                         "--data-dir")


def open_read_only(path: Path) -> sqlite3.Connection:
    """The database as it is, read only, for commands that only read (stats, export)
    when its folder or file cannot be written: nothing is created, migrated or moved.
    Raises StoreError when it cannot be read, or needs an upgrade first."""
    _check_regular(path)
    uri = f"{path.resolve().as_uri()}?mode=ro"
    conn = None
    try:
        try:
            conn = _connect_uri(uri)
        except sqlite3.OperationalError:  # WAL without its -shm in a read-only folder
            conn = _connect_uri(uri + "&immutable=1")
        version = user_version(conn)
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise StoreError(f"cannot read the history database {path}: {exc}") from None
    if version != SCHEMA_VERSION:
        conn.close()
        raise StoreError(
            f"history database {path} has schema version {version}, this examsim reads "
            f"{SCHEMA_VERSION}; it cannot be upgraded where it is (read-only): run examsim "
            "once with write access to it")
    return conn


def _connect_uri(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def writable(path: Path) -> bool:
    """The database file and its folder can be written (a read-only file or mount is
    opened by SQLite without a word, and every save would then fail)."""
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _joined(notices: list[str | None]) -> str | None:
    return "; ".join(n for n in notices if n) or None


def _open_checked(path: Path) -> sqlite3.Connection:
    if not _has_sqlite_header(path):
        # Checked before SQLite opens it: closing a connection to a file that is not a
        # database deletes the -wal and -shm beside it, which we want to keep.
        raise Unusable("history database was damaged (file is not a database)")
    as_closed = unchanged_since_closed(path)  # before connecting: that makes a -wal
    try:
        conn = connect(path)
    except sqlite3.DatabaseError as exc:
        _raise_if_damage(exc)
        raise
    try:
        check(conn, quick=not as_closed)
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _has_sqlite_header(path: Path) -> bool:
    with path.open("rb") as file:
        head = file.read(len(SQLITE_HEADER))
    return head in (b"", SQLITE_HEADER)


def identity(path: Path) -> str:
    """What changes when anything writes the file: device, inode, size, mtime, ctime."""
    info = path.stat()
    return (f"{info.st_dev} {info.st_ino} {info.st_size} {info.st_mtime_ns} "
            f"{info.st_ctime_ns}")


def mark_closed(path: Path, now_ns: Callable[[], int] = time.time_ns) -> None:
    """After the history's connection is closed: when no ``-wal`` is left (this was the
    last connection, the file holds everything), record the file's identity and the time
    in ``<name>.checked``. Errors are ignored: without a mark the next open checks."""
    mark = Path(f"{path}{CHECKED}")
    try:
        if Path(f"{path}-wal").exists() or not path.is_file():
            mark.unlink(missing_ok=True)
            return
        write_file(mark, f"{identity(path)} {now_ns()}\n", replace=True)
    except (OSError, ValueError):
        pass


def unchanged_since_closed(path: Path, now_ns: Callable[[], int] = time.time_ns) -> bool:
    """The file is as examsim closed it less than :data:`CHECKED_FOR_NS` ago (see the
    module's docstring): no ``-wal``, the same identity as in ``<name>.checked``."""
    try:
        if Path(f"{path}-wal").exists():
            return False
        text = Path(f"{path}{CHECKED}").read_text("ascii")
        stamp, _, when = text.strip().rpartition(" ")
        return stamp == identity(path) and 0 <= now_ns() - int(when) < CHECKED_FOR_NS
    except (OSError, ValueError):
        return False


def check(conn: sqlite3.Connection, quick: bool = True) -> None:
    """Raise :class:`Unusable` when the open database is damaged, foreign or too new;
    ``quick`` False: without ``quick_check`` (the file is as examsim closed it)."""
    try:
        version = user_version(conn)
        tables = table_names(conn)
        result = [row[0] for row in conn.execute("PRAGMA quick_check(5)")] if quick else ["ok"]
    except sqlite3.DatabaseError as exc:
        _raise_if_damage(exc)
        raise
    if result != ["ok"]:
        raise Unusable(f"history database was damaged ({result[0]})")
    if version > SCHEMA_VERSION:
        raise Unusable(
            f"history database has schema version {version}, newer than this examsim "
            f"knows ({SCHEMA_VERSION}); it was written by a newer examsim"
        )
    if version == 0 and tables:
        raise Unusable("history file is a database examsim did not write")
    if version > 0 and not tables <= TABLES:
        raise Unusable("history database holds tables examsim does not know")


def _raise_if_damage(exc: sqlite3.DatabaseError) -> None:
    if getattr(exc, "sqlite_errorcode", None) in DAMAGE_CODES:
        raise Unusable(f"history database was damaged ({exc})") from exc


def move_aside(path: Path, when: datetime) -> Path:
    """Rename the file (and its -wal and -shm) to a timestamped name nothing else uses."""
    stamp = when.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while any(Path(f"{target}{suffix}").exists() for suffix in ("", *SIDE_FILES)):
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        n += 1
    path.rename(target)
    for suffix in SIDE_FILES:
        side = Path(f"{path}{suffix}")
        if side.exists():
            side.rename(Path(f"{target}{suffix}"))
    return target
