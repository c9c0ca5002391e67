"""End-to-end: two attempts of the sample bank by keys in the real ``examsim`` (in tmux),
then the stats screen, reached from the results screen (s), shows the per-domain figures;
the review (r) of the second attempt shows its wrong answers with the whys.

The second attempt runs with NO_COLOR set: the app must be usable without colour. Every
wait polls ``tmux capture-pane`` for what should show, with a generous timeout; nothing
sleeps a fixed time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .tmux import Tmux, examsim_command, have_tmux

TIMEOUT = 30.0
SIZE = (100, 32)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed"),
    pytest.mark.skipif(not examsim_command().exists(), reason="examsim is not installed"),
]

# The sample bank in file order (--no-shuffle): the letters to press for each question.
# Keys: basics B, AD, D, A · net C, BE, B, CE · sec D, BC, A, C.
BASICS_RIGHT = ["b", "ad", "d", "a"]
FIRST = [*BASICS_RIGHT, "c", "be", "a", "ab", "d", "ad", "b", "a"]   # net 2/4, sec 1/4
SECOND = [*BASICS_RIGHT, "c", "be", "b", "ce", "d", "ad", "b", "a"]  # net 4/4, sec 1/4
# Overall: Cloud concepts 8/8 = 100 %, Networking 6/8 = 75 %, Security 2/8 = 25 %.


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "TERM": "xterm-256color"}


def terminal(command: list[str | Path], env: dict[str, str], cwd: Path) -> Tmux:
    return Tmux(command, env=env, cwd=cwd, size=SIZE, prefix="examsim-stats-e2e")


def wait_for(term: Tmux, expected: str | re.Pattern[str]) -> str:
    """Poll the screen for text, or for a match of a pattern."""
    if isinstance(expected, re.Pattern):
        pattern = expected

        def matches(screen: str) -> bool:
            return pattern.search(screen) is not None

        matches.__name__ = pattern.pattern
        return term.wait_for(matches, TIMEOUT)
    return term.wait_for(expected, TIMEOUT)


def take_attempt(term: Tmux, presses: list[str]) -> None:
    """Answer every question of a 12-question exam in order, end it, wait for results."""
    for number, letters in enumerate(presses, 1):
        wait_for(term, f"Question {number}/12")
        for letter in letters:
            term.send(letter)
        wait_for(term, re.compile(r"Your answer: " + re.escape(", ".join(letters.upper()))))
        if number < len(presses):
            term.send("n")
    term.send("C-s")
    wait_for(term, "End the exam?")
    term.send("y")
    wait_for(term, "Results:")


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
    run: list[str | Path] = [examsim_command(), "run", "sample", "--no-shuffle"]
    with terminal([*run, "--seed", "1"], env, tmp_path) as term:
        take_attempt(term, FIRST)
        wait_for(term, "Networking")
        term.send("s")
        screen = wait_for(term, re.compile(r"Security .*answers"))
        assert "1 full exam" in screen
        assert domain_percent(screen, "Networking") == "50"

    no_color = {**env, "NO_COLOR": "1"}
    with terminal([*run, "--seed", "2"], no_color, tmp_path) as term:
        take_attempt(term, SECOND)
        term.send("s")
        screen = wait_for(term, re.compile(r"Security .*answers"))
        assert "2 full exams" in screen
        assert domain_percent(screen, "Cloud concepts") == "100"
        assert domain_percent(screen, "Networking") == "75"
        assert domain_percent(screen, "Security") == "25"
        assert "Study next: Cryptography (0% of 4 asked), Identity and access (50% of 4" in screen
        assert "⚠ 4 wrong in a row on Cryptography" in screen  # a symbol, not colour alone
        term.send("escape")
        wait_for(term, "Results:")
        term.send("r")                      # the review of this attempt, wrong ones only
        wait_for(term, "Review · attempt 2")
        term.send("2")
        screen = wait_for(term, "[2 Wrong 3]")
        assert "✗ Wrong · your answer A, D · the answer B, C" in screen
        assert "Incorrect:" in screen       # each option's why
        term.send("escape")
        wait_for(term, "Results:")
        term.send("escape")                 # started by run: escape opens the home screen
        wait_for(term, re.compile(r"Banks \(\d+\)"))
        term.send("C-q")
        wait_for(term, "[exited 0]")
