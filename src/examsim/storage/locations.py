"""Every path examsim uses comes from here. Nothing touches the disk at import time."""

from __future__ import annotations

import os
from pathlib import Path

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
    import platformdirs

    return platformdirs.user_data_path(APP_NAME)


def cache_dir() -> Path:
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs

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
