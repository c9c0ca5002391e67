"""A damaged or unusable store is a clear message and a non-zero exit, never a
traceback, and never an exam that cannot be saved (issue 20, part 5); the read-only
commands work on a read-only data dir (issue 13)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from examsim.cli import main
from examsim.core.assemble import AttemptPlan
from examsim.core.formats.native import load_bank
from examsim.core.session import ExamSession
from examsim.storage import history_stats
from examsim.storage.history import History
from examsim.storage.locations import history_db
from examsim.storage.schema import SCHEMA_VERSION, user_version

SAMPLE = Path(__file__).resolve().parents[2] / "banks" / "sample.toml"


def history_with_attempts(data: Path, *, unfinished: bool = False) -> int:
    """One finished attempt (and one in progress when asked); returns the finished id."""
    bank = load_bank(SAMPLE)
    with History(history_db(data)) as history:
        session = ExamSession.start(bank, AttemptPlan(seed=1, shuffle=False))
        attempt_id = history.start_attempt(session)
        session.choose(0)
        session.submit()
        history.finish(attempt_id, session)
        if unfinished:
            other = ExamSession.start(bank, AttemptPlan(seed=2))
            history.autosave(history.start_attempt(other), other)
    return attempt_id


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("EXAMSIM_DATA_DIR", str(folder))
    monkeypatch.setenv("EXAMSIM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return folder


@pytest.mark.parametrize("lowered_to", [5, 3, 2, 1])
def test_migrations_run_again_on_a_version_set_back(data: Path, lowered_to: int) -> None:
    attempt_id = history_with_attempts(data)
    with History(history_db(data)) as history:
        before = history_stats.accuracy(history, "sample", "topic")
    conn = sqlite3.connect(history_db(data))
    conn.execute(f"PRAGMA user_version = {lowered_to}")
    conn.commit()
    conn.close()
    with History(history_db(data)) as history:
        assert history.notice is None
        assert user_version(history._conn) == SCHEMA_VERSION
        row = history.attempt(attempt_id)
        assert row is not None and row.status == "finished"
        assert len(history.answers(attempt_id)) == 12
        assert history_stats.accuracy(history, "sample", "topic") == before  # rebuilt, not doubled


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0], err
    return err[0]


@pytest.mark.parametrize("command", [["stats"], ["stats", "--json"], ["export"], ["run", "sample"],
                                     ["resume"]])
def test_the_database_path_a_folder_is_exit_2(data: Path, capsys, command: list[str]) -> None:
    history_db(data).mkdir(parents=True)
    assert main(command) == 2
    assert one_error_line(capsys) == (f"examsim: history database {history_db(data)} is a "
                                      "folder, not a file")


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
@pytest.mark.parametrize("command", [["stats"], ["export", "-o", "-"], ["run", "sample"]])
def test_a_database_linked_to_dev_null_is_refused(data: Path, capsys, command) -> None:
    data.mkdir()
    history_db(data).symlink_to("/dev/null")
    assert main(command) == 2
    assert "is not a regular file (a link to /dev/null): nothing could be saved there" in \
        one_error_line(capsys)


def test_an_unreadable_database_is_exit_2(data: Path, capsys, monkeypatch) -> None:
    history_with_attempts(data)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("examsim.storage.history.open_database", denied)
    monkeypatch.setattr("examsim.storage.history.open_read_only", denied)
    assert main(["stats"]) == 2
    assert one_error_line(capsys) == (f"examsim: cannot open the history database "
                                      f"{history_db(data)}: Permission denied")


def test_disk_full_at_resume_is_a_message_and_exit_2(data: Path, capsys, monkeypatch) -> None:
    history_with_attempts(data, unfinished=True)

    def full(self, attempt_id):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(History, "claim", full)
    assert main(["resume"]) == 2
    line = one_error_line(capsys)
    assert "cannot resume: the history database" in line
    assert "could not be written (database or disk is full); nothing was changed" in line


def test_answers_not_saved_on_the_way_out_make_a_non_zero_exit(monkeypatch, capsys) -> None:
    from examsim.commands import app as app_module

    class Services:
        class history:  # stands in for the History attribute
            @staticmethod
            def close() -> None:
                pass

        @staticmethod
        def save_open() -> None:
            raise sqlite3.OperationalError("database or disk is full")

    class App:
        return_code = None

        def run(self) -> None:
            pass

    monkeypatch.setattr(app_module, "has_terminal", lambda: True)
    assert app_module.run_app(App(), Services()) == 1  # type: ignore[arg-type] # stand-ins
    assert "could not save the attempt on the way out: database or disk is full" in \
        capsys.readouterr().err


# -- a read-only data dir, a read-only database file --------------------------------------


def _unshare_works() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c",
                            "mount --bind /tmp /tmp && mount -o remount,bind,ro /tmp"],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


UNSHARE = _unshare_works()


@contextmanager
def read_only(path: Path):
    """A command prefix that runs with ``path`` read only: a read-only bind mount in a
    mount namespace of its own when root, else the write bits taken away."""
    if UNSHARE:
        yield ["unshare", "-m", "sh", "-c",
               'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"',
               str(path)]
        return
    if os.geteuid() == 0:
        pytest.skip("root without mount namespaces: no way to make a folder read only")
    mode = path.stat().st_mode
    path.chmod(mode & ~0o222)
    try:
        yield []
    finally:
        path.chmod(mode)


def examsim(prefix: list[str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-m", "examsim", *args], cwd=cwd,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=120, env=dict(os.environ))


def test_reading_commands_work_on_a_read_only_data_dir(data: Path, tmp_path: Path) -> None:
    attempt_id = history_with_attempts(data)
    before = history_db(data).read_bytes()
    names = sorted(p.name for p in data.iterdir())  # the history, and the attempt locks' folder
    with read_only(data) as prefix:
        stats = examsim(prefix, "stats", "--json", cwd=tmp_path)
        assert stats.returncode == 0, stats.stderr
        assert f'"attempt_id": {attempt_id}' in stats.stdout
        out = tmp_path / "out.csv"
        export = examsim(prefix, "export", "-o", str(out), cwd=tmp_path)
        assert export.returncode == 0, export.stderr
        assert len(out.read_text().splitlines()) == 13
        validate = examsim(prefix, "validate", cwd=tmp_path)
        assert validate.returncode == 0, validate.stderr
        run = examsim(prefix, "run", "sample", cwd=tmp_path)
        assert run.returncode == 2
        assert run.stderr.startswith(f"examsim: cannot write to {data}: ")
    assert history_db(data).read_bytes() == before
    assert sorted(p.name for p in data.iterdir()) == names  # nothing new written


def test_an_exam_is_refused_on_a_read_only_database(data: Path, tmp_path: Path) -> None:
    history_with_attempts(data, unfinished=True)
    with read_only(history_db(data)) as prefix:
        for args in (("run", "sample"), ("resume",)):
            refused = examsim(prefix, *args, cwd=tmp_path)
            assert refused.returncode == 2, (args, refused.stderr)
            assert refused.stderr == (f"examsim: the history database {history_db(data)} cannot "
                                      "be written (a read-only file or folder): an exam there "
                                      "could not be saved; use another --data-dir, or make it "
                                      "writable\n")
        stats = examsim(prefix, "stats", cwd=tmp_path)
        assert stats.returncode == 0, stats.stderr
