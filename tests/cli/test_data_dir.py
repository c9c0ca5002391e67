"""A broken data dir is one clear line and exit 2 for every command that uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsim.cli import main
from examsim.storage.locations import DataDirError, check_data_dir


def test_a_folder_or_a_creatable_path_is_fine_and_nothing_is_left(tmp_path: Path) -> None:
    assert check_data_dir(tmp_path) == tmp_path
    assert list(tmp_path.iterdir()) == []
    new = tmp_path / "a" / "b"
    assert check_data_dir(new) == new
    assert not (tmp_path / "a").exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name, message", [
    ("afile", "--data-dir {tmp}/afile is a file, not a folder"),
    ("afile/sub", "cannot create --data-dir {tmp}/afile/sub: {tmp}/afile is a file, not a folder"),
])
def test_a_file_is_not_a_folder(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "afile").write_text("x")
    with pytest.raises(DataDirError) as info:
        check_data_dir(str(tmp_path / name))
    assert str(info.value) == message.format(tmp=tmp_path)


def test_empty_data_dir_is_refused() -> None:
    with pytest.raises(DataDirError, match="--data-dir is empty"):
        check_data_dir("")


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc")
def test_a_folder_that_cannot_be_created() -> None:
    with pytest.raises(DataDirError, match="cannot create /proc/examsim-qa"):
        check_data_dir("/proc/examsim-qa")


@pytest.mark.parametrize("command", [["stats"], ["export", "--last"], ["review"],
                                     ["run", "sample"], ["resume"], []])
def test_every_command_that_uses_it_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    (tmp_path / "afile").write_text("x")
    assert main(["--data-dir", str(tmp_path / "afile"), *command]) == 2
    out = capsys.readouterr()
    assert out.err == f"examsim: --data-dir {tmp_path / 'afile'} is a file, not a folder\n"
    assert out.out == ""


def test_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "afile").write_text("x")
    monkeypatch.setenv("EXAMSIM_DATA_DIR", str(tmp_path / "afile"))
    assert main(["stats"]) == 2
    assert "$EXAMSIM_DATA_DIR" in capsys.readouterr().err


def test_commands_without_a_data_dir_do_not_check_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "afile").write_text("x")
    assert main(["--data-dir", str(tmp_path / "afile"), "schema"]) == 0
    assert main(["--data-dir", str(tmp_path / "afile"), "validate"]) == 0
