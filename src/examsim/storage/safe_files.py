"""Writing files safely, and keeping the history private.

Every file examsim writes (a bank from ``import -o``, a CSV export, the settings, a bank
cache entry) goes through :func:`write_file`: the bytes go to a new temporary file made
with ``tempfile.mkstemp`` in the target's own folder (``O_EXCL``, mode 0600: it never
opens a file or symlink someone planted there), then take the target's place in one step
(``os.replace``, which replaces a symlink at the target rather than write through it).
Whatever fails, the temporary file is removed: nothing is left behind.

On POSIX the data dir is private: :func:`private_dir` creates it 0700 and tightens an
existing one that others can read (with a notice saying so); :func:`private_file` makes
the history database (and its -wal and -shm, which SQLite creates with the database's
mode) 0600.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
POSIX = os.name == "posix"


class WriteError(OSError):
    """A file could not be written; ``str()`` is one line for the user."""

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"


def write_file(path: Path, data: bytes | str | Sequence[bytes], *, replace: bool = False
               ) -> None:
    """Write ``data`` (str as UTF-8, no newline translation; a sequence of byte strings
    one after the other) to ``path`` through a temporary
    file in the same folder. ``replace`` False: an existing ``path`` (even a dangling
    symlink) raises FileExistsError and is left alone. Other failures raise WriteError
    with a message naming the path."""
    chunks = [data.encode("utf-8")] if isinstance(data, str) else (
        [data] if isinstance(data, bytes) else data)
    folder = path.parent
    try:
        if path.is_dir():
            raise WriteError(errno.EISDIR, "it is a folder; name a file", str(path))
        if not replace and os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, f"{path} exists", str(path))
        fd, temp = tempfile.mkstemp(prefix=f".{path.name[:60]}.", suffix=".tmp",
                                    dir=folder)
    except (FileExistsError, WriteError):
        raise
    except OSError as exc:
        raise WriteError(exc.errno or 0, _reason(exc), str(path)) from None
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        if replace:
            os.replace(temp, path)
        else:
            _place_new(temp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        raise WriteError(exc.errno or 0, _reason(exc), str(path)) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _place_new(temp: str, path: Path) -> None:
    """Give ``temp`` the name ``path`` unless something has that name by now."""
    try:
        os.link(temp, path)  # fails if path exists, and never follows a link there
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, f"{path} exists", str(path)) from None
    except OSError:  # a file system without hard links: check, then replace
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, f"{path} exists", str(path)) from None
        os.replace(temp, path)


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno == errno.ENOENT:
        return "cannot create a file in that folder"
    if exc.errno == errno.EISDIR:
        return "is a folder"
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


def private_dir(path: Path) -> str | None:
    """Create ``path`` (and its parents) with mode 0700, or tighten it to 0700 when group
    or others may read it. Returns a notice when an existing folder was tightened (None
    otherwise, and always on Windows). A folder that cannot be changed (not ours,
    read-only) is left as it is."""
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        with contextlib.suppress(OSError):  # the mode of mkdir is masked by the umask
            os.chmod(path, PRIVATE_DIR)
        return None
    if not POSIX:
        return None
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077 == 0:
            return None
        os.chmod(path, PRIVATE_DIR)
    except OSError:
        return None
    return (f"{path} could be read by other users (mode {mode:04o}); it is now private "
            f"(0700): your history is yours alone")


def private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 when it does not exist, else take group and
    others' access away (also from its -wal and -shm). Errors are ignored: a file we
    cannot change is not ours to fix."""
    if not POSIX:
        return
    with contextlib.suppress(FileExistsError, OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                         PRIVATE_FILE))
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            info = file.lstat()
            if stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077:
                os.chmod(file, stat.S_IMODE(info.st_mode) & 0o700)
