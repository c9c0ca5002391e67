"""`examsim resume [ATTEMPT]` and `examsim review --attempt ID` (an alias of ATTEMPT)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from examsim import cli
from examsim.commands import app as app_module
from examsim.commands.app import AppServices
from examsim.core.assemble import AttemptPlan
from examsim.core.formats.native import load_bank
from examsim.storage.history import History

SAMPLE = Path(__file__).resolve().parents[2] / "banks" / "sample.toml"


@pytest.fixture
def two_open(tmp_path: Path) -> tuple[Path, list[int]]:
    services = AppServices(History(tmp_path / "history.sqlite3"), tmp_path)
    bank = load_bank(SAMPLE)
    for seed in (1, 2):
        services.start(bank, AttemptPlan(seed=seed))
    ids = sorted(a.id for a in services.history.unfinished())
    services.history.close()
    return tmp_path, ids


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The attempt ids the app would have shown; the app itself never runs."""
    shown: list[int] = []

    def fake_run_app(app: Any, services: AppServices) -> int:
        shown.extend(attempt_id for _, attempt_id in services.open_sessions())
        services.history.close()
        return 0

    monkeypatch.setattr(app_module, "run_app", fake_run_app)
    monkeypatch.setattr(app_module, "has_terminal", lambda: True)
    return shown


def test_resume_takes_an_attempt_id(two_open: tuple[Path, list[int]], opened: list[int]) -> None:
    data, (older, newer) = two_open
    assert cli.main(["--data-dir", str(data), "resume", str(older)]) == 0
    assert opened == [older]
    assert cli.main(["--data-dir", str(data), "resume"]) == 0
    assert opened == [older, newer]


def test_resume_of_an_unknown_or_finished_attempt(
    two_open: tuple[Path, list[int]], opened: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    data, (older, _) = two_open
    assert cli.main(["--data-dir", str(data), "resume", "99"]) == 2
    assert "there is no attempt 99" in capsys.readouterr().err
    history = History(data / "history.sqlite3")
    history.abandon(older, "test")
    history.close()
    assert cli.main(["--data-dir", str(data), "resume", str(older)]) == 2
    err = capsys.readouterr().err
    assert f"attempt {older} is abandoned, not in progress" in err
    assert f"examsim review {older}" in err
    assert opened == []


def test_review_hint_names_the_attempt_to_resume(
    two_open: tuple[Path, list[int]], opened: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    data, (older, _) = two_open
    assert cli.main(["--data-dir", str(data), "review", "--attempt", str(older)]) == 2
    assert f"`examsim resume {older}`" in capsys.readouterr().err


def test_review_attempt_option_is_an_alias() -> None:
    parser = cli.build_parser()
    assert parser.parse_args(["review", "--attempt", "6"]).attempt_option == 6
    assert parser.parse_args(["review", "6"]).attempt == 6


def test_review_attempt_given_twice_differently(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["review", "5", "--attempt", "6"])
    assert info.value.code == 2
    assert "give the attempt once" in capsys.readouterr().err


@pytest.mark.parametrize("command", [[], ["run", "sample"], ["resume"], ["review"]])
def test_the_app_needs_a_terminal(
    two_open: tuple[Path, list[int]], command: list[str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data, ids = two_open
    monkeypatch.chdir(data)
    monkeypatch.setattr(app_module, "has_terminal", lambda: False)
    history = History(data / "history.sqlite3")
    reviewing = command == ["review"]
    if reviewing:  # review wants an attempt that has ended
        history.abandon(ids[0], "test")
        command = ["review", str(ids[0])]
    history.close()
    assert cli.main(["--data-dir", str(data), *command]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == f"examsim: {app_module.NEEDS_TERMINAL}\n"
    history = History(data / "history.sqlite3")
    try:  # nothing was recorded, and a resumed attempt is not left claimed
        unfinished = history.unfinished()
        assert len(unfinished) == (1 if reviewing else 2)
        assert all(history.holder(a.id) is None for a in unfinished)
    finally:
        history.close()


def test_bad_input_is_reported_before_the_terminal_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(app_module, "has_terminal", lambda: False)
    assert cli.main(["--data-dir", str(tmp_path), "run", "nosuchbank"]) == 2
    assert "no bank file or bank id 'nosuchbank'" in capsys.readouterr().err


def test_has_terminal_is_false_under_pytest_capture() -> None:
    assert app_module.has_terminal() is False
