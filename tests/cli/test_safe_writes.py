"""Writes never follow a planted symlink and leave nothing behind (issue 20, part 4)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from examsim.cli import main
from examsim.core.assemble import AttemptPlan
from examsim.core.formats.native import load_bank
from examsim.core.session import ExamSession
from examsim.storage.history import History
from examsim.storage.locations import history_db
from examsim.storage.safe_files import WriteError, write_file

GIFT = Path(__file__).resolve().parents[1] / "formats" / "fixtures" / "sample.gift"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EXAMSIM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EXAMSIM_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "in.gift").write_bytes(GIFT.read_bytes())
    (tmp_path / "victim").write_text("precious\n")
    return tmp_path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_import_never_writes_through_a_planted_temporary(folder: Path) -> None:
    (folder / "new.toml.tmp").symlink_to(folder / "victim")
    assert main(["import", "in.gift", "-o", "new.toml"]) == 0
    assert (folder / "victim").read_text() == "precious\n"
    assert not (folder / "new.toml").is_symlink()
    assert load_bank(folder / "new.toml").questions
    assert leftovers(folder) == ["new.toml.tmp"]  # the planted one, untouched


def test_import_force_replaces_a_symlink_target_instead_of_following_it(folder: Path,
                                                                        capsys) -> None:
    (folder / "out.toml").symlink_to(folder / "victim")
    assert main(["import", "in.gift", "-o", "out.toml"]) == 2
    assert "out.toml exists; add --force" in capsys.readouterr().err
    assert main(["import", "in.gift", "-o", "out.toml", "--force"]) == 0
    assert (folder / "victim").read_text() == "precious\n"
    assert not (folder / "out.toml").is_symlink()


def test_import_to_a_folder_or_an_unwritable_place_is_exit_2(folder: Path, capsys) -> None:
    (folder / "DIR.toml").mkdir()
    assert main(["import", "in.gift", "-o", "DIR.toml", "--force"]) == 2
    assert "examsim: DIR.toml is a folder; name a file" in capsys.readouterr().err
    assert leftovers(folder) == [] and list((folder / "DIR.toml").iterdir()) == []
    if Path("/proc/self").exists():
        assert main(["import", "in.gift", "-o", "/proc/x.toml"]) == 2
        assert "examsim: cannot write /proc/x.toml: " in capsys.readouterr().err


def finished_attempt(data: Path) -> None:
    bank = load_bank(Path(__file__).resolve().parents[2] / "banks" / "sample.toml")
    with History(history_db(data)) as history:
        session = ExamSession.start(bank, AttemptPlan(seed=1))
        attempt_id = history.start_attempt(session)
        session.submit()
        history.finish(attempt_id, session)


def test_export_never_follows_a_symlink_and_writes_privately(folder: Path, capsys) -> None:
    finished_attempt(folder / "data")
    (folder / "out.csv").symlink_to(folder / "victim")
    assert main(["export", "-o", "out.csv"]) == 2
    assert "out.csv exists; use --force" in capsys.readouterr().err
    assert main(["export", "-o", "out.csv", "--force"]) == 0
    assert (folder / "victim").read_text() == "precious\n"
    assert not (folder / "out.csv").is_symlink()
    assert (folder / "out.csv").read_text().startswith("attempt_id,")
    if os.name == "posix":
        assert (folder / "out.csv").stat().st_mode & 0o777 == 0o600
    if Path("/proc/self").exists():
        assert main(["export", "-o", "/proc/x.csv"]) == 2
        assert "examsim: cannot write /proc/x.csv: " in capsys.readouterr().err
    assert leftovers(folder) == []


def test_write_file_replaces_a_symlink_and_cleans_up_on_failure(tmp_path: Path) -> None:
    (tmp_path / "victim").write_text("precious\n")
    (tmp_path / "entry").symlink_to(tmp_path / "victim")
    write_file(tmp_path / "entry", [b"a", b"b"], replace=True)
    assert (tmp_path / "entry").read_bytes() == b"ab" and not (tmp_path / "entry").is_symlink()
    assert (tmp_path / "victim").read_text() == "precious\n"
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError):
        write_file(tmp_path / "dangling", "x")
    assert not (tmp_path / "nowhere").exists()
    with pytest.raises(WriteError, match="it is a folder"):
        write_file(tmp_path, "x", replace=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling", "entry", "victim"]
