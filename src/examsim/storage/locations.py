"""Every path examsim uses comes from here. Nothing touches the disk at import time."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import platformdirs

APP_NAME = "examsim"
ENV_DATA_DIR = "EXAMSIM_DATA_DIR"
ENV_CACHE_DIR = "EXAMSIM_CACHE_DIR"
BANK_SUFFIXES = (".toml", ".json")


def data_dir(override: str | Path | None = None) -> Path:
    """The data dir: --data-dir, else $EXAMSIM_DATA_DIR, else the platform's user data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path(APP_NAME)


class DataDirError(ValueError):
    """The data dir cannot be used; the message is one line for the user."""


def check_data_dir(override: str | Path | None = None, *, writable: bool = True) -> Path:
    """The data dir, checked once for every command that uses it; raises DataDirError.

    It must be a folder examsim can write in, or a path where one can be created
    (``writable`` False, for commands that only read: a folder, or nothing there). Nothing
    is left behind: a missing folder is not created here (reading commands create
    nothing), only probed for, and the write probe is removed at once.
    """
    if override is not None and not str(override).strip():
        raise DataDirError("--data-dir is empty: name a folder")
    if override:
        source = "--data-dir"
    elif os.environ.get(ENV_DATA_DIR):
        source = f"${ENV_DATA_DIR}"
    else:
        source = "the data dir"
    path = data_dir(override)
    try:
        if path.exists():
            if not path.is_dir():
                kind = "a file" if path.is_file() else "not a regular folder"
                raise DataDirError(f"{source} {path} is {kind}, not a folder")
            if writable:
                _probe(path, "write to", lambda: os.close(_mkstemp(path)))
            return path
        if not writable:  # nothing to read: the command says so itself
            return path
        ancestor = path.parent
        while not ancestor.exists() and ancestor != ancestor.parent:
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise DataDirError(f"cannot create {source} {path}: {ancestor} is a file, not a folder")
        _probe(path, "create", lambda: os.rmdir(tempfile.mkdtemp(prefix=".examsim-", dir=ancestor)))
    except OSError as exc:  # exists()/is_dir() themselves failing (a name too long, a loop)
        raise DataDirError(f"cannot use {source} {path}: {_reason(exc)}") from None
    return path


def _mkstemp(folder: Path) -> int:
    fd, name = tempfile.mkstemp(prefix=".examsim-probe-", dir=folder)
    os.unlink(name)
    return fd


def _probe(path: Path, verb: str, attempt: Callable[[], object]) -> None:
    try:
        attempt()
    except OSError as exc:
        raise DataDirError(f"cannot {verb} {path}: {_reason(exc)}") from None


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


def cache_dir() -> Path:
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_cache_path(APP_NAME)


def ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def history_db(base: Path) -> Path:
    return base / "history.sqlite3"


def settings_file(base: Path) -> Path:
    return base / "settings.json"


def user_banks_dir(base: Path) -> Path:
    return base / "banks"


def exports_dir(base: Path) -> Path:
    """Where CSV exports go when no file is named."""
    return base / "exports"


def bundled_banks_dir() -> Path | None:
    """Banks shipped with examsim: inside the package when installed, banks/ in a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "banks", package.parent.parent / "banks"):
        if candidate.is_dir():
            return candidate
    return None


def bank_dirs(base: Path, cwd: Path | None = None) -> list[tuple[str, Path]]:
    """Where banks are looked for, as (label, folder): bundled, ./banks, the data dir's."""
    found: list[tuple[str, Path]] = []
    seen: set[Path] = set()
    bundled = bundled_banks_dir()
    cwd = cwd if cwd is not None else Path.cwd()
    for label, folder in (
        ("bundled", bundled),
        ("./banks", cwd / "banks"),
        ("data dir", user_banks_dir(base)),
    ):
        if folder is None or not folder.is_dir():
            continue
        resolved = folder.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        found.append((label, folder))
    return found


def bank_files(folder: Path) -> list[Path]:
    """Bank files below a folder, recursively, sorted."""
    return sorted(
        p for p in folder.rglob("*") if p.suffix.lower() in BANK_SUFFIXES and p.is_file()
    )


def history_path(override: str | Path | None = None) -> Path:
    """The history database: history.sqlite3 in the data dir (nothing is created here)."""
    return history_db(data_dir(override))
