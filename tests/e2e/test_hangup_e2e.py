"""End-to-end: the terminal closing (or SIGTERM) at any moment ends examsim in time, with
the attempt kept and resumable (issue #13 §2).

A process left alive after ``tmux kill-session`` waited for ever on Textual's output queue
(the terminal gone, the writer thread dead, the queue full): most often right after a
burst of keys or a screen change. Each case below closes the terminal at one moment
around a screen change (after ``a``, ctrl+s, ``y``, ``s`` on the results, a burst of 20
keys), waiting a few milliseconds first: the moment is the point, so these tests sleep.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from examsim.core.formats.native import load_bank
from examsim.storage.history import History
from examsim.storage.locations import bundled_banks_dir, history_db

from .tmux import Tmux, examsim_command, have_tmux, wait_gone

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed"),
    pytest.mark.skipif(not examsim_command().exists(), reason="examsim is not installed"),
]

ENDS_WITHIN = 5.0  # examsim ends < 2 s after the signal; the rest is for a loaded machine
DELAYS = (0.0, 0.02, 0.05, 0.1)
BURST = ("n", "p") * 10  # 20 keys that redraw the whole question


def sample():
    folder = bundled_banks_dir()
    assert folder is not None
    return load_bank(folder / "sample.toml")


def to_answer(term: Tmux) -> None:
    term.wait_for("Question 1/12")
    term.send("a")


def to_end_dialog(term: Tmux) -> None:
    to_answer(term)
    term.wait_for("Your answer: A")
    term.send("C-s")


def to_results(term: Tmux) -> None:
    to_end_dialog(term)
    term.wait_for("End the exam?")
    term.send("y")


def to_stats(term: Tmux) -> None:
    to_results(term)
    term.wait_for("Results: Cloud fundamentals")
    term.send("s")


def to_burst(term: Tmux) -> None:
    to_answer(term)
    term.wait_for("Your answer: A")
    term.burst(*BURST)


MOMENTS = {"a": to_answer, "ctrl+s": to_end_dialog, "y": to_results, "s": to_stats,
           "burst": to_burst}
CASES = [(moment, delay) for moment in MOMENTS for delay in DELAYS] + [
    ("y", 0.2), ("s", 0.2)]


def check_kept(data: Path, answered: bool = True) -> str:
    """The answer A to question 1 is in the history (when the screen showed it: a key
    the terminal took with it never reached examsim), and an attempt in progress can be
    resumed (no lease of the dead process stands in the way). Returns its status."""
    history = History(history_db(data))
    try:
        attempts = history.attempts("sample")
        if not attempts:  # closed before the answer arrived: nothing done, nothing to
            assert not answered  # resume, so the attempt is not kept (architecture.md)
            return "discarded"
        (attempt,) = attempts
        if attempt.status == "in_progress":
            session = history.resume(attempt.id, sample())
            chosen = "".join(o.bank_letter for o in session.view(0).options if o.chosen)
        else:
            assert attempt.status == "finished"
            chosen = history.answers(attempt.id)[0].chosen
        assert chosen == "A" or (not answered and chosen == ""), chosen
        return attempt.status
    finally:
        history.close()


def test_terminal_closing_at_any_moment_ends_examsim_and_keeps_the_attempt(
    tmp_path: Path, env: dict[str, str]
) -> None:
    assert len(CASES) >= 20
    failures = []
    for number, (moment, delay) in enumerate(CASES):
        case = tmp_path / f"case{number}"
        case.mkdir()
        case_env = {**env, "EXAMSIM_DATA_DIR": str(case / "data")}
        term = Tmux([examsim_command(), "run", "sample", "--seed", "1", "--no-shuffle"],
                    env=case_env, cwd=case, size=(100, 30)).start()
        try:
            MOMENTS[moment](term)
            pid = term.program_pid()
            time.sleep(delay)  # the moment is the point
        finally:
            start = time.monotonic()
            killed = term.kill()  # closes the terminal: SIGHUP (then waits for the end)
        took = time.monotonic() - start
        if killed or took > ENDS_WITHIN:
            failures.append(f"{moment} +{delay}s: still running after {took:.1f} s")
            continue
        assert not wait_gone([pid], 0)
        check_kept(case / "data", answered=moment != "a")
    assert not failures, failures


def test_sigterm_ends_examsim_with_the_terminal_still_there(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """SIGTERM (e.g. a shutdown) right after a burst of keys: examsim saves, gives the
    terminal back and exits; the shell behind it sees it end."""
    with Tmux([examsim_command(), "run", "sample", "--seed", "1", "--no-shuffle"],
              env=env, cwd=tmp_path, size=(100, 30)) as term:
        to_burst(term)
        pid = term.program_pid()
        os.kill(pid, signal.SIGTERM)
        assert not wait_gone([pid], ENDS_WITHIN)
        term.wait_for("[exited ")
    assert check_kept(Path(env["EXAMSIM_DATA_DIR"])) == "in_progress"
