"""The command line's help: every option of every command says what it does."""

from __future__ import annotations

import argparse

import pytest

from examsim.cli import MODES, build_parser, main


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_every_option_of_every_command_has_help() -> None:
    parser = build_parser()
    missing = []
    for name, command in {"examsim": parser, **subparsers(parser)}.items():
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            hidden = action.help == argparse.SUPPRESS  # for the completion script only
            if not action.help and not hidden:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert missing == []


def test_mode_help_lists_each_mode_on_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = capsys.readouterr().out
    lines = text.splitlines()
    for mode in MODES:
        assert any(line.split()[:1] == [mode] or f"MODE     {mode} " in line
                   or line.strip().startswith(f"--mode MODE     {mode} ") for line in lines), mode
    assert "practice  untimed" in text and "missed    the questions answered wrong" in text


def test_unknown_topic_suggests_the_nearest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "aws-sap-practice-1", "--topic", "transit gatway"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'Transit Gateway'?" in err
