"""End-to-end: two attempts of the sample bank by keys in the real ``examsim`` (in tmux),
then the stats screen, reached from the results screen (s), shows the per-domain figures;
the review (r) of the second attempt shows its wrong answers with the whys.

The second attempt runs with NO_COLOR set: the app must be usable without colour. Every
wait polls ``tmux capture-pane`` for what should show, with a generous timeout; nothing
sleeps a fixed time.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

EXAMSIM = Path(sys.executable).with_name("examsim")
TIMEOUT = 30.0
POLL = 0.05
SIZE = (100, 32)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(not EXAMSIM.exists(), reason="examsim is not installed"),
]

# The sample bank in file order (--no-shuffle): the letters to press for each question.
# Keys: basics B, AD, D, A · net C, BE, B, CE · sec D, BC, A, C.
BASICS_RIGHT = ["b", "ad", "d", "a"]
FIRST = [*BASICS_RIGHT, "c", "be", "a", "ab", "d", "ad", "b", "a"]   # net 2/4, sec 1/4
SECOND = [*BASICS_RIGHT, "c", "be", "b", "ce", "d", "ad", "b", "a"]  # net 4/4, sec 1/4
# Overall: Cloud concepts 8/8 = 100 %, Networking 6/8 = 75 %, Security 2/8 = 25 %.


class Terminal:
    """One tmux session running one command; killed when the block ends."""

    def __init__(self, command: Sequence[str | Path], env: Mapping[str, str], cwd: Path):
        self.name = f"examsim-stats-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        self.shell = (f"cd {shlex.quote(str(cwd))} && env {exports} "
                      f"{shlex.join(map(str, command))}; echo '[exited]'; sleep 600")

    def __enter__(self) -> Terminal:
        width, height = SIZE
        subprocess.run(["tmux", "new-session", "-d", "-x", str(width), "-y", str(height),
                        "-s", self.name, self.shell], check=True)
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True,
                       check=False)

    def send(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=False).stdout

    def wait_for(self, expected: str | re.Pattern[str], timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            found = (expected.search(screen) if isinstance(expected, re.Pattern)
                     else expected in screen)
            if found:
                return screen
            time.sleep(POLL)
        raise AssertionError(f"{expected!r} did not show within {timeout:g} s:\n{screen}")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "EXAMSIM_DATA_DIR": str(tmp_path / "data"),
        "EXAMSIM_CACHE_DIR": str(tmp_path / "cache"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
    }


def take_attempt(term: Terminal, presses: list[str]) -> None:
    """Answer every question of a 12-question exam in order, end it, wait for results."""
    for number, letters in enumerate(presses, 1):
        term.wait_for(f"Question {number}/12")
        for letter in letters:
            term.send(letter)
        term.wait_for(re.compile(r"Your answer: " + re.escape(", ".join(letters.upper()))))
        if number < len(presses):
            term.send("n")
    term.send("C-s")
    term.wait_for("End the exam?")
    term.send("y")
    term.wait_for("Results:")


def domain_percent(screen: str, label: str) -> str:
    """The first percent on the bar line of a domain on the stats screen."""
    for line in screen.splitlines():
        if line.strip().startswith(label) and "answers" in line:
            found = re.search(r"(\d+)%", line)
            assert found, line
            return found.group(1)
    raise AssertionError(f"no line for {label!r}:\n{screen}")


def test_two_attempts_then_stats_show_the_per_domain_percentages(
    tmp_path: Path, env: dict[str, str]
) -> None:
    run = [EXAMSIM, "run", "sample", "--no-shuffle"]
    with Terminal([*run, "--seed", "1"], env, tmp_path) as term:
        take_attempt(term, FIRST)
        term.wait_for("Networking")
        term.send("s")
        screen = term.wait_for(re.compile(r"Security .*answers"))
        assert "1 scored attempt" in screen
        assert domain_percent(screen, "Networking") == "50"

    no_color = {**env, "NO_COLOR": "1"}
    with Terminal([*run, "--seed", "2"], no_color, tmp_path) as term:
        take_attempt(term, SECOND)
        term.send("s")
        screen = term.wait_for(re.compile(r"Security .*answers"))
        assert "2 scored attempts" in screen
        assert domain_percent(screen, "Cloud concepts") == "100"
        assert domain_percent(screen, "Networking") == "75"
        assert domain_percent(screen, "Security") == "25"
        assert "Study next: Cryptography (0% of 4), Identity and access (50% of 4)" in screen
        assert "⚠ 4 wrong in a row on Cryptography" in screen  # a symbol, not colour alone
        term.send("escape")
        term.wait_for("Results:")
        term.send("r")                      # the review of this attempt, wrong ones only
        term.wait_for("Review · attempt 2")
        term.send("2")
        screen = term.wait_for("[2 Wrong 3]")
        assert "✗ Wrong · your answer A, D · the answer B, C" in screen
        assert "Incorrect:" in screen       # each option's why
        term.send("escape")
        term.wait_for("Results:")
        term.send("escape")
        term.wait_for("[exited]")
