"""The history is private (issue 20, part 3): on POSIX the data dir is 0700 and the
database, its WAL, the settings and exports 0600; an existing folder others could read
is tightened on first use, with a notice."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from examsim.core.assemble import AttemptPlan
from examsim.core.bank_model import validate_bank
from examsim.core.session import ExamSession
from examsim.storage.history import History
from examsim.storage.safe_files import private_dir, write_file
from examsim.storage.settings import Settings

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")

BANK = validate_bank({"bank": {"id": "b"}, "questions": [
    {"id": "a", "stem": "s", "options": ["x", "y"], "answer": "A"}]})


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask():
    """A umask that lets everyone read, as many systems have (022)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_data_dir_and_history_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with History(data / "history.sqlite3") as history:
        assert history.notice is None
        session = ExamSession.start(BANK, AttemptPlan(seed=1))
        history.start_attempt(session)
        assert mode(data) == 0o700
        assert mode(data / "history.sqlite3") == 0o600
        assert mode(data / "history.sqlite3-wal") == 0o600
        assert mode(data / "history.sqlite3-shm") == 0o600


def test_an_open_data_dir_is_tightened_with_a_notice(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    with History(data / "history.sqlite3"):
        pass
    os.chmod(data / "history.sqlite3", 0o644)
    os.chmod(data, 0o755)
    with History(data / "history.sqlite3") as history:
        assert history.notice == (f"{data} could be read by other users (mode 0755); it is "
                                  "now private (0700): your history is yours alone")
        assert mode(data) == 0o700 and mode(data / "history.sqlite3") == 0o600
    with History(data / "history.sqlite3") as again:
        assert again.notice is None  # once


def test_settings_and_written_files_are_private(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "data" / "settings.json")
    settings.theme = "nord"
    assert mode(tmp_path / "data") == 0o700
    assert mode(tmp_path / "data" / "settings.json") == 0o600
    write_file(tmp_path / "export.csv", "a,b\r\n")
    assert mode(tmp_path / "export.csv") == 0o600
    assert (tmp_path / "export.csv").read_bytes() == b"a,b\r\n"


def test_a_new_folder_is_made_private_without_a_notice(tmp_path: Path) -> None:
    assert private_dir(tmp_path / "new" / "deeper") is None
    assert mode(tmp_path / "new" / "deeper") == 0o700
