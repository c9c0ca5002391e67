"""End-to-end: a strict exam of the real ``examsim`` (tmux) whose time ran out while it
was closed ends at once on resume, scored as it stood, and its results are the score
report; the home screen counts the time away too. The time away is made by moving the
saved wall-clock start back (no sleeping)."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from .test_stats_e2e import env, terminal, wait_for  # noqa: F401  (env is a fixture)
from .tmux import examsim_command, have_tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed"),
    pytest.mark.skipif(not examsim_command().exists(), reason="examsim is not installed"),
]


def move_start_back(data: Path, seconds: float) -> None:
    conn = sqlite3.connect(data / "history.sqlite3")
    (attempt_id, text) = conn.execute(
        "SELECT id, outline FROM attempts WHERE status = 'in_progress'").fetchone()
    snapshot = json.loads(text)
    assert snapshot["plan"]["strict"] is True and snapshot["wall_start"] is not None
    snapshot["wall_start"] -= seconds
    conn.execute("UPDATE attempts SET outline = ? WHERE id = ?",
                 (json.dumps(snapshot), attempt_id))
    conn.commit()
    conn.close()


def test_strict_time_runs_while_closed_and_ends_the_exam_on_resume(
    tmp_path: Path, env: dict[str, str]  # noqa: F811
) -> None:
    data = Path(env["EXAMSIM_DATA_DIR"])
    run = [examsim_command(), "run", "sample", "--strict", "--no-shuffle", "--seed", "1"]
    with terminal(run, env, tmp_path) as term:
        screen = wait_for(term, "Question 1/12")
        assert "Cloud concepts" not in screen.splitlines()[1]  # strict: no domain label
        term.send("b")
        wait_for(term, "Your answer: B")
        term.send("C-q")
        wait_for(term, "[exited 0]")
    move_start_back(data, 10 * 60)  # ten minutes away of the exam's twenty
    with terminal([examsim_command()], env, tmp_path) as term:
        screen = wait_for(term, re.compile(r"\b(9|10):\d\d left"))
        term.send("C-q")
        wait_for(term, "[exited 0]")
    move_start_back(data, 60 * 60)  # an hour more: time ran out while closed
    with terminal([examsim_command(), "resume"], env, tmp_path) as term:
        # the results down to the score report (a capture can catch a frame half drawn)
        screen = wait_for(term, re.compile(r"(?s)Results:.*compensatory"))
        assert "1 of 12 correct" in " ".join(screen.split())
        assert "Strict timing" in screen
        # the score report of a full exam: per domain, its weight and classification
        assert "Score report by domain" in screen
        assert "Cloud concepts · weight" in screen
        assert "needs improvement" in screen and "compensatory" in screen
        term.send("C-q")
        wait_for(term, "[exited 0]")
