"""A small settings file in the data dir (settings.json): what the app remembers between runs.

Today that is the theme. Reading never fails: a missing, unreadable or damaged file gives
the defaults (a damaged one is moved aside to ``settings.json.damaged`` the next time the
settings are saved, so nothing the user wrote is lost silently). Writing goes to a temp
file first and replaces the old one in one step.

    settings = Settings.open(args.data_dir)     # nothing is read or created yet
    settings.theme                              # None until one was chosen
    settings.theme = "nord"                     # written at once
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .locations import data_dir, settings_file
from .safe_files import private_dir

DAMAGED_SUFFIX = ".damaged"


class Settings:
    """The settings file at ``path``; values are read once, lazily, and written at once."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._data: dict[str, Any] | None = None
        self._damaged = False
        self.notice: str | None = None  # e.g. "settings.json was damaged: ..."

    @classmethod
    def open(cls, override: str | Path | None = None) -> Settings:
        """The settings of the data dir (--data-dir, $EXAMSIM_DATA_DIR or the default)."""
        return cls(settings_file(data_dir(override)))

    # -- reading ----------------------------------------------------------------------

    def load(self) -> dict[str, Any]:
        """Everything in the file as a dict; {} when missing or damaged."""
        if self._data is None:
            self._data = self._read()
        return self._data

    def _read(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            self._damaged = isinstance(exc, UnicodeDecodeError)
            self.notice = f"{self.path} could not be read ({exc}); using the defaults"
            return {}
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            self._damaged = True
            self.notice = f"{self.path} is damaged; using the defaults"
            return {}
        return data

    def get(self, key: str, default: Any = None) -> Any:
        return self.load().get(key, default)

    @property
    def theme(self) -> str | None:
        value = self.get("theme")
        return value if isinstance(value, str) and value else None

    @theme.setter
    def theme(self, name: str | None) -> None:
        self.set("theme", name)

    # -- writing ----------------------------------------------------------------------

    def set(self, key: str, value: Any) -> None:
        """Set one value (None removes it) and write the file; unchanged values write nothing."""
        data = dict(self.load())
        if data.get(key) == value and (value is not None or key not in data):
            return
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
        self.save(data)

    def save(self, data: dict[str, Any]) -> None:
        """Replace the file's contents with ``data`` (atomically)."""
        private_dir(self.path.parent)
        if self._damaged and self.path.exists():
            os.replace(self.path, self.path.with_name(self.path.name + DAMAGED_SUFFIX))
            self._damaged = False
        text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        fd, temp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self._data = data
