"""End-to-end: an exam of the sample bank by keys in the real ``examsim`` (tmux), ended
early with wrong, unanswered and never-shown questions; then ``examsim run sample --mode
due`` serves exactly the wrong and unanswered seen ones, interleaved across domains."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from .test_stats_e2e import env, terminal, wait_for  # noqa: F401  (env is a fixture)
from .tmux import examsim_command, have_tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed"),
    pytest.mark.skipif(not examsim_command().exists(), reason="examsim is not installed"),
]

SAMPLE = Path(__file__).resolve().parents[2] / "banks" / "sample.toml"
# File order (--no-shuffle): basics 1-4 right, net-01 C right, net-02 BE right, net-03 A
# wrong (key B), net-04 AB wrong (key CE), sec-01 D right, sec-02 AD wrong (key BC);
# sec-03 shown and left unanswered; sec-04 never shown (the exam ends on sec-03).
PRESSES = ["b", "ad", "d", "a", "c", "be", "a", "ab", "d", "ad"]
# due: the 4 wrong or unanswered seen questions, all due at the exam's end: by id, then
# interleaved so that no two of one domain follow each other
DUE = ["net-03", "sec-02", "net-04", "sec-03"]


def stems() -> dict[str, str]:
    bank = tomllib.loads(SAMPLE.read_text(encoding="utf-8"))
    return {q["id"]: " ".join(q["stem"].split()) for q in bank["questions"]}


def test_due_after_an_exam_is_its_wrong_and_unanswered_seen_questions(
    tmp_path: Path, env: dict[str, str]  # noqa: F811
) -> None:
    run = [examsim_command(), "run", "sample", "--no-shuffle", "--seed", "1"]
    with terminal(run, env, tmp_path) as term:
        for number, letters in enumerate(PRESSES, 1):
            wait_for(term, f"Question {number}/12")
            for letter in letters:
                term.send(letter)
            wait_for(term, re.compile(r"Your answer: " + re.escape(", ".join(letters.upper()))))
            term.send("n")
        wait_for(term, "Question 11/12")   # shown, left unanswered
        term.send("C-s")
        wait_for(term, "End the exam?")
        term.send("y")
        wait_for(term, "Results:")
        term.send("C-q")
        wait_for(term, "[exited 0]")
    text = stems()
    due = [examsim_command(), "run", "sample", "--mode", "due", "--seed", "2"]
    with terminal(due, env, tmp_path) as term:
        for number, qid in enumerate(DUE, 1):
            screen = wait_for(term, f"Question {number}/{len(DUE)}")
            start = " ".join(text[qid].split()[:6])
            assert start in " ".join(screen.split()), f"{qid} expected:\n{screen}"
            term.send("n")
        term.send("C-q")
        wait_for(term, "[exited 0]")
