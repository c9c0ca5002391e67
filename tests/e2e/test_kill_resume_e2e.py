"""End-to-end: ``kill -9``, the terminal closed, and ``examsim resume`` at once: it resumes
every time, with the answer made before the kill (issue #19 §1: a killed examsim left as
a zombie once held its attempt for 5 minutes; now the attempt's OS lock decides)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from .tmux import Tmux, examsim_command, have_tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed"),
    pytest.mark.skipif(not examsim_command().exists(), reason="examsim is not installed"),
]

ROUNDS = 31  # the first starts the attempt; 30 resumes follow


def question_1_drawn(screen: str) -> bool:
    """Question 1 down to its answer line (drawn below the stem and the options: a capture
    can catch a frame half written, the stem shown and the options not yet, as CI did
    once under load), or the program gone."""
    if "[exited" in screen:
        return True
    return "Question 1/12" in screen and ("Your answer:" in screen or "Not answered" in screen)


def test_kill_9_then_resume_at_once_resumes_every_time(
    tmp_path: Path, env: dict[str, str]
) -> None:
    command = [examsim_command(), "run", "sample", "--seed", "1", "--no-shuffle"]
    resumed = 0
    previous = None
    for round_ in range(ROUNDS):
        term = Tmux(command, env=env, cwd=tmp_path, size=(100, 30)).start()
        try:
            screen = term.wait_for(question_1_drawn)
            assert "[exited" not in screen, screen  # e.g. "open in another examsim"
            if previous is not None:
                assert f"Your answer: {previous}" in screen
                resumed += 1
            letter = "ABCD"[round_ % 4]
            term.send(letter.lower())
            term.wait_for(f"Your answer: {letter}")  # shown after the save
            os.kill(term.program_pid(), signal.SIGKILL)
        finally:
            term.kill()  # at once: the shell may not have reaped it yet
        previous = letter
        command = [examsim_command(), "resume"]
    assert resumed == ROUNDS - 1 == 30
