"""Which examsim has an attempt open: an OS lock per attempt, dropped by the kernel when
the process ends, however it ends (issue #19 §1).

The history's lease columns (pid, host, heartbeat) only say *who*; they cannot say
whether that process still runs: a killed examsim left as a zombie (a container whose
PID 1 does not reap) still answers ``kill(pid, 0)``, and after a reboot the pid may
belong to another program. So the lease is held with ``flock(LOCK_EX | LOCK_NB)`` on
``<data dir>/locks/attempt-<id>.lock`` (``msvcrt.locking`` on Windows), kept open while
the attempt is on screen:

- held by us: ours; free (or no file): nobody has it open, whatever the columns say (a
  file left by a dead process never blocks); held by another open file: another examsim
  has it, refused.
- When locking does not work (a network filesystem without locks, a read-only or odd
  locks folder), :attr:`AttemptLocks.notice` says so in one line and the history falls
  back to the heartbeat rule of the columns.

Lock files are created safely: never through a symlink (``O_NOFOLLOW``, and the locks
folder must be a real folder), mode 0600, and only regular files owned by this user are
locked. A lock file is deleted when released (while still locked; a locker checks that
the file it locked is still the one at the path, so nobody locks a deleted file).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import time
from enum import Enum
from pathlib import Path

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

BUSY_RETRY = 0.2  # seconds: a lock taken for a probe (holder()) is free again at once
BUSY_ERRNOS = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES}


class Lock(Enum):
    MINE = "mine"  # this object holds it
    FREE = "free"  # nobody does
    BUSY = "busy"  # another open file (another examsim) does
    UNKNOWN = "unknown"  # locking does not work here: use the heartbeat rule


class LockUnsupported(OSError):
    """Locking does not work in this folder (the message says why)."""


def _lock(fd: int) -> None:
    """Lock ``fd`` without waiting; BlockingIOError / PermissionError when taken."""
    if sys.platform == "win32":
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)


class AttemptLocks:
    """The lock files of one data dir's attempts, as held by this object."""

    def __init__(self, folder: Path, retry: float = BUSY_RETRY) -> None:
        self.folder = folder
        self.retry = retry
        self._held: dict[int, int] = {}  # attempt id -> open fd holding its lock
        self.notice: str | None = None  # set once locking is found not to work

    @property
    def works(self) -> bool:
        return self.notice is None

    def path(self, attempt_id: int) -> Path:
        return self.folder / f"attempt-{int(attempt_id)}.lock"

    def holds(self, attempt_id: int) -> bool:
        return attempt_id in self._held

    # -- taking, looking, giving back ------------------------------------------------

    def acquire(self, attempt_id: int) -> Lock:
        """Take the lock of an attempt: MINE, BUSY, or UNKNOWN (locking does not work)."""
        if attempt_id in self._held:
            return Lock.MINE
        if not self.works:
            return Lock.UNKNOWN
        deadline = time.monotonic() + self.retry
        while True:
            try:
                fd = self._open(self.path(attempt_id), create=True)
                assert fd is not None
            except LockUnsupported as exc:
                return self._unsupported(exc)
            try:
                _lock(fd)
            except OSError as exc:
                os.close(fd)
                if exc.errno not in BUSY_ERRNOS:
                    return self._unsupported(exc)
                if time.monotonic() >= deadline:
                    return Lock.BUSY
                time.sleep(0.02)
                continue
            if self._same_file(fd, self.path(attempt_id)):
                self._held[attempt_id] = fd
                return Lock.MINE
            os.close(fd)  # deleted or replaced while we waited: lock the one there now

    def probe(self, attempt_id: int) -> Lock:
        """Whether anybody holds the lock, without keeping it (no file: FREE)."""
        if attempt_id in self._held:
            return Lock.MINE
        if not self.works:
            return Lock.UNKNOWN
        try:
            fd = self._open(self.path(attempt_id), create=False)
        except LockUnsupported as exc:
            return self._unsupported(exc)
        if fd is None:
            return Lock.FREE
        try:
            _lock(fd)
        except OSError as exc:
            return Lock.BUSY if exc.errno in BUSY_ERRNOS else self._unsupported(exc)
        else:
            _unlock(fd)
            return Lock.FREE
        finally:
            os.close(fd)

    def release(self, attempt_id: int) -> None:
        """Give the lock back and delete its file (nothing when not held)."""
        fd = self._held.pop(attempt_id, None)
        if fd is None:
            return
        with contextlib.suppress(OSError):  # Windows: an open file cannot be deleted
            if self._same_file(fd, self.path(attempt_id)):
                os.unlink(self.path(attempt_id))
        _unlock(fd)
        os.close(fd)

    def close(self) -> None:
        for attempt_id in list(self._held):
            self.release(attempt_id)

    def drop(self) -> None:
        """Close every lock without deleting or unlocking anything first: what the kernel
        does when the process dies (tests use it to play a killed examsim)."""
        for fd in self._held.values():
            os.close(fd)
        self._held.clear()

    # -- files ------------------------------------------------------------------------

    def _folder_ready(self, create: bool) -> bool:
        """The locks folder is a real folder of ours (made 0700 when ``create``)."""
        try:
            info = os.lstat(self.folder)
        except FileNotFoundError:
            if not create:
                return False
            try:
                os.mkdir(self.folder, 0o700)
            except FileExistsError:
                pass
            except OSError as exc:
                raise LockUnsupported(exc.errno, f"cannot make {self.folder}: "
                                      f"{exc.strerror}") from None
            info = os.lstat(self.folder)
        except OSError as exc:
            raise LockUnsupported(exc.errno, f"{self.folder}: {exc.strerror}") from None
        if not stat.S_ISDIR(info.st_mode):
            raise LockUnsupported(errno.ENOTDIR, f"{self.folder} is not a folder "
                                  "(a symlink or a file)")
        return True

    def _open(self, path: Path, create: bool) -> int | None:
        """An fd on the lock file (None: no such file and not ``create``)."""
        if not self._folder_ready(create):
            return None
        flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        flags |= getattr(os, "O_NOINHERIT", 0) | (os.O_CREAT if create else 0)
        try:
            fd = os.open(path, flags, 0o600)
        except FileNotFoundError:
            if create:
                raise LockUnsupported(errno.ENOENT, f"cannot make {path}") from None
            return None
        except OSError as exc:  # ELOOP: a symlink planted there; EACCES, EROFS...
            raise LockUnsupported(exc.errno, f"cannot open {path}: {exc.strerror}") from None
        info = os.fstat(fd)
        mine = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
        if not stat.S_ISREG(info.st_mode) or not mine:
            os.close(fd)
            raise LockUnsupported(errno.EPERM, f"{path} is not a file of this user")
        return fd

    @staticmethod
    def _same_file(fd: int, path: Path) -> bool:
        try:
            there = os.lstat(path)
        except OSError:
            return False
        here = os.fstat(fd)
        return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)

    def _unsupported(self, exc: OSError) -> Lock:
        if self.notice is None:
            self.notice = (f"attempt locks do not work in {self.folder} ({exc.strerror or exc}):"
                           " an attempt counts as in use until 5 minutes after its last save")
        return Lock.UNKNOWN
