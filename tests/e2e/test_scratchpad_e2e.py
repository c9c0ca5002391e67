"""End-to-end: w and a note typed at once in a real terminal (typed ahead across the
screen change): every character goes into the note, none reaches the exam's letter
keys, and the note is in the attempt's saved state after ctrl+q."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from examsim.storage.progress import read_snapshot

from .tmux import Tmux, examsim_command, have_tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed"),
    pytest.mark.skipif(not examsim_command().exists(), reason="examsim is not installed"),
]

TYPED = "abc def gh nm 123"


def test_a_note_typed_right_after_w_goes_into_the_note(
    tmp_path: Path, env: dict[str, str]
) -> None:
    command = [examsim_command(), "run", "sample", "--seed", "1", "--no-shuffle"]
    with Tmux(command, env=env, cwd=tmp_path, size=(100, 30)) as term:
        term.wait_for("Question 1/12")
        term.burst("w", *TYPED.replace(" ", "\x00 \x00").split("\x00"))
        term.wait_for(TYPED)
        term.send("Escape")
        screen = term.wait_for("✎ note (w)")
        assert "Not answered" in screen and "Question 1/12" in screen
        assert "0 flagged" in screen
        term.send("C-q")
        term.wait_for("[exited")
    conn = sqlite3.connect(Path(env["EXAMSIM_DATA_DIR"]) / "history.sqlite3")
    try:
        (attempt,) = conn.execute(
            "SELECT id FROM attempts WHERE status = 'in_progress'").fetchone()
        snapshot = read_snapshot(conn, attempt)
    finally:
        conn.close()
    assert snapshot is not None
    state = snapshot["questions"][0]
    assert state["note"] == TYPED and state["chosen"] == "" and not state["flagged"]
