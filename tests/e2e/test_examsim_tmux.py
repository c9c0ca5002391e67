"""End-to-end: the real ``examsim`` command in tmux, driven by keys, read from the screen.

Each test gets its own data dir (EXAMSIM_DATA_DIR in tmp_path), runs in tmp_path (so no
./banks of the checkout is found twice) and kills its tmux sessions at the end. Every wait
polls the screen for what should show, with a generous timeout; nothing sleeps a fixed
time except where time passing is the point (the SIGHUP test).
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from examsim.core.formats.native import load_bank
from examsim.storage.history import History
from examsim.storage.locations import bundled_banks_dir, history_db

from .tmux import TIMEOUT, Tmux, examsim_command, have_tmux, plain, struck_letters

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed"),
    pytest.mark.skipif(not examsim_command().exists(), reason="examsim is not installed"),
]

SIZE = (100, 30)


def sample():
    folder = bundled_banks_dir()
    assert folder is not None
    return load_bank(folder / "sample.toml")


def examsim(tmp_path: Path, env: dict[str, str], *args: str) -> Tmux:
    return Tmux([examsim_command(), *args], env=env, cwd=tmp_path, size=SIZE)


def run_cli(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(examsim_command()), *args], cwd=tmp_path, capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=60)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def answer_line(letters: str) -> str:
    return "Your answer: " + ", ".join(letters)


def unfinished_snapshot(env: dict[str, str]) -> dict[str, Any] | None:
    """The saved snapshot of the one attempt in progress in the data dir of ``env``."""
    history = History(history_db(Path(env["EXAMSIM_DATA_DIR"])))
    try:
        (attempt,) = history.unfinished()
        return history.snapshot(attempt.id)
    finally:
        history.close()


# -- (a) a whole exam by keys, then the CSV --------------------------------------------------


def test_whole_exam_by_keys_then_export(tmp_path: Path, env: dict[str, str]) -> None:
    bank = sample()
    typed: dict[str, str] = {}
    with examsim(tmp_path, env, "run", "sample", "--seed", "1", "--no-shuffle") as term:
        term.wait_for("Question 1/12")
        for position, question in enumerate(bank.questions):
            term.wait_for(f"Question {position + 1}/12")
            key = "".join(question.answer)
            # every third question answered wrong with as many letters as the key has
            wrong = "".join(letter for letter in "ABCDEFGH"[: len(question.options)]
                            if letter not in key)[: len(key)]
            letters = wrong if position % 3 == 0 else key
            typed[question.id] = letters
            for letter in letters:
                term.send(letter.lower())
            term.wait_for(answer_line(letters))
            if position == 4:
                term.send("m")
                term.wait_for("⚑ Flagged")
            if position < len(bank.questions) - 1:
                term.send("n")
        term.wait_for("12/12 answered")
        term.send("C-s")
        term.wait_for("End the exam?")
        term.send("y")
        screen = term.wait_for("Results: Cloud fundamentals")
        right = sum(typed[q.id] == "".join(q.answer) for q in bank.questions)
        assert f"{right} of 12 correct" in screen
        term.send("Escape")  # started by run: escape on the results opens the home screen
        term.wait_for("Banks (")
        term.send("C-q")
        term.wait_for("[exited 0]")

    out = tmp_path / "out.csv"
    result = run_cli(tmp_path, env, "export", "--last", "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows = read_csv(out)
    assert [row["question_id"] for row in rows] == [q.id for q in bank.questions]
    for row, question in zip(rows, bank.questions, strict=True):
        assert row["bank_id"] == "sample"
        assert row["chosen"] == typed[question.id]
        assert row["answer"] == "".join(question.answer)
        assert row["correct"] == ("1" if typed[question.id] == row["answer"] else "0")
        assert row["flagged"] == ("1" if row["position"] == "5" else "0")


# -- (b) SIGKILL in the middle, then resume --------------------------------------------------


def test_kill_9_loses_no_answer_strike_or_flag(tmp_path: Path, env: dict[str, str]) -> None:
    # position: (chosen, struck, flagged); sample in file order: q2 takes two answers
    plan = {1: ("B", "A", False), 2: ("AD", "", True), 3: ("", "BC", False),
            4: ("C", "D", True)}
    with examsim(tmp_path, env, "run", "sample", "--seed", "2", "--no-shuffle") as term:
        for number, (chosen, struck, flagged) in plan.items():
            term.wait_for(f"Question {number}/12")
            for letter in struck:
                term.send(letter)
            for letter in chosen:
                term.send(letter.lower())
            if flagged:
                term.send("m")
            # the screen redraws after the autosave: once it shows the change, it is saved
            term.wait_for(lambda s, c=chosen, f=flagged:
                          (answer_line(c) if c else "Not answered") in s
                          and (("⚑ Flagged" in s) == f))
            term.wait_for(lambda s, k=struck: struck_letters(s) == k,
                          escapes=True)
            if number < len(plan):
                term.send("n")
        pid = term.program_pid()
        os.kill(pid, signal.SIGKILL)
        term.wait_for("[exited 137]")

    saved = unfinished_snapshot(env)
    assert saved is not None and saved["index"] == 3
    for number, (chosen, struck, flagged) in plan.items():
        state = saved["questions"][number - 1]
        assert (state["chosen"], state["struck"], state["flagged"]) == (chosen, struck, flagged)

    with examsim(tmp_path, env, "resume") as term:
        for number in (4, 3, 2, 1):
            chosen, struck, flagged = plan[number]
            screen = term.wait_for(f"Question {number}/12", escapes=True)
            text = plain(screen)
            assert (answer_line(chosen) if chosen else "Not answered") in text
            assert ("⚑ Flagged" in text) == flagged
            assert struck_letters(screen) == struck
            term.send("p")
        term.wait_for("This is the first question")
        term.send("C-s")
        term.wait_for("End the exam?")
        term.send("y")
        term.wait_for("Results: Cloud fundamentals")
        term.send("Escape")  # started by run: escape on the results opens the home screen
        term.wait_for("Banks (")
        term.send("C-q")
        term.wait_for("[exited 0]")

    out = tmp_path / "after.csv"
    result = run_cli(tmp_path, env, "export", "--last", "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows = read_csv(out)
    assert len(rows) == 12
    for number, (chosen, struck, flagged) in plan.items():
        row = rows[number - 1]
        assert (row["chosen"], row["struck"], row["flagged"]) == \
            (chosen, struck, "1" if flagged else "0")
    assert all(row["chosen"] == "" for row in rows[4:])


def test_keys_typed_before_the_question_shows_are_answered_and_saved(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """Typeahead: keys sent as examsim starts (before its first frame, while Python still
    imports; read once Textual sets the terminal up) reach question 1 and are saved. The
    first screen opens after Textual's startup (tui/app.py ``_open_first``); a key that
    comes first opens it."""
    with examsim(tmp_path, env, "run", "sample", "--seed", "2", "--no-shuffle") as term:
        term.burst("b", "m")  # at once, in one tmux command
        term.wait_for(lambda s: "Question 1/12" in s and answer_line("B") in s
                      and "⚑ Flagged" in s)
        term.send("C-q")
        term.wait_for("[exited 0]")
    saved = unfinished_snapshot(env)
    assert saved is not None
    state = saved["questions"][0]
    assert (state["chosen"], state["flagged"]) == ("B", True)


# -- (c) the home screen ------------------------------------------------------------------


def test_home_shows_banks_and_offers_the_attempt_in_progress(
    tmp_path: Path, env: dict[str, str]
) -> None:
    with examsim(tmp_path, env, "run", "sample", "--seed", "3", "--no-shuffle") as term:
        term.wait_for("Question 1/12")
        term.send("c")
        term.wait_for("Your answer: C")
        term.send("C-q")
        term.wait_for("[exited 0]")

    with examsim(tmp_path, env) as term:
        wanted = ("Continue where you left off", "Cloud fundamentals: starter bank",
                  "AWS Solutions Architect", "Banks (4)", "1/12 · at 1", " left", "⏎ Resume")
        screen = term.wait_for(lambda s: all(w in s for w in wanted))
        assert screen.index("Continue where") < screen.index("Banks (4)")
        term.send("Enter")
        term.wait_for("Your answer: C")
        term.send("C-q")
        term.wait_for("[exited 0]")


def test_home_start_form_starts_an_exam(tmp_path: Path, env: dict[str, str]) -> None:
    with examsim(tmp_path, env) as term:
        term.wait_for("Banks (4)")
        for _ in range(3):  # the sample bank, last of the four (ordered by title)
            term.send("Down")
        term.wait_for("Twelve original questions")
        term.send("Enter")
        term.wait_for("Start: Cloud fundamentals")
        term.send("Down")  # practice
        term.wait_for("12 questions · untimed · practice")
        term.send("Tab")
        term.type("3")
        term.wait_for("3 questions · untimed · practice")
        term.send("Enter")
        term.wait_for("Question 1/3")
        term.send("C-q")
        term.wait_for("[exited 0]")
    result = run_cli(tmp_path, env, "resume", "--help")
    assert result.returncode == 0


# -- the terminal closing -----------------------------------------------------------------


def test_terminal_closing_saves_the_time_too(tmp_path: Path, env: dict[str, str]) -> None:
    term = examsim(tmp_path, env, "run", "sample", "--seed", "4", "--no-shuffle").start()
    try:
        term.wait_for("Question 1/12")
        term.send("b")
        term.wait_for("Your answer: B")
        pid = term.program_pid()
        history = History(history_db(Path(env["EXAMSIM_DATA_DIR"])))
        (attempt,) = history.unfinished()
        at_answer = history.snapshot(attempt.id)["elapsed"]
        time.sleep(1.5)  # time passing is the point: it must be saved at the hang-up
    finally:
        term.kill()  # closes the terminal: SIGHUP
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        time.sleep(0.05)
    try:
        saved = history.snapshot(attempt.id)
        assert history.attempt(attempt.id).status == "in_progress"
    finally:
        history.close()
    assert saved["elapsed"] >= at_answer + 1.0
    assert saved["questions"][0]["chosen"] == "B"


# -- messages on the command line -----------------------------------------------------------


def test_resume_with_nothing_to_resume_says_so(tmp_path: Path, env: dict[str, str]) -> None:
    result = run_cli(tmp_path, env, "resume")
    assert result.returncode == 2
    assert "nothing to resume" in result.stderr and "examsim run BANK" in result.stderr


def test_run_with_an_unknown_bank_or_no_missed_questions(
    tmp_path: Path, env: dict[str, str]
) -> None:
    result = run_cli(tmp_path, env, "run", "nosuchbank")
    assert result.returncode == 2
    assert "no bank file or bank id 'nosuchbank'" in result.stderr
    assert "sample" in result.stderr
    result = run_cli(tmp_path, env, "run", "sample", "--mode", "missed")
    assert result.returncode == 2
    assert "no missed questions" in result.stderr
    result = run_cli(tmp_path, env, "run", "sample", "--domain", "nope")
    assert result.returncode == 2
    assert "no question has domain 'nope'" in result.stderr


# -- a bank full of markup-like text ------------------------------------------------------

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "markup.toml"


def test_markup_like_bank_text_shows_literally(tmp_path: Path, env: dict[str, str]) -> None:
    with examsim(tmp_path, env, "run", str(FIXTURE), "--no-shuffle", "--seed", "1") as term:
        screen = term.wait_for("Question 1/4")
        assert "[bold]Brackets[/bold] & [/] closers" in screen
        assert "[link=https://evil.example]click[/link]" in screen
        assert "[@click=app.quit]quit[/]?" in screen
        for text in ("[b]not bold[/b] [/]", "[link=x]not a link[/link]",
                     "$var and ${HOME} and $(rm -rf /)", "back\\slash \\\\ double \\n"):
            assert text in screen, text
        term.send("a", "n")
        screen = term.wait_for("Question 2/4 · Choose two")
        assert "日本語の質問です" in screen and "東京 🗼" in screen
        term.send("a", "c", "n")
        screen = term.wait_for("Question 3/4")
        assert "Supercalifragilisticexpialidocious" in screen
        assert "C:\\Users\\[b]name[/b]\\AppData" in screen
        term.send("b", "n")
        screen = term.wait_for("Question 4/4")
        assert 'print("[b]%s[/b]" % "[/]")  # [link=x]' in screen
        term.send("a", "C-s")
        term.wait_for("End the exam?")
        term.send("y")
        screen = term.wait_for("4 of 4 correct")
        assert "[b]Markup[/b] torture [/] [link=https://x.example]bank[/link]" in screen
        term.send("Escape")  # started by run: escape on the results opens the home screen
        term.wait_for("Banks (")
        term.send("C-q")
        term.wait_for("[exited 0]")


def test_export_from_the_history_screen_says_all_of_it_at_78_columns(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """The toast says all of it: with max-width 50%, a message 3 cells shorter than that
    (here "Wrote 1 row to examsim-attempt-1.csv" at 78 columns) showed only its first
    line, the file name hidden under the footer. And the file is there: in the data
    dir's exports/ folder, the name the dialog suggests."""
    term = Tmux([examsim_command(), "run", "sample", "--questions", "1", "--seed", "1"],
                env=env, cwd=tmp_path, size=(78, 24))
    with term:
        term.wait_for("Question 1/1")
        term.send("a", "C-s")
        term.wait_for("End the exam?")
        term.send("y")
        term.wait_for("Results: Cloud fundamentals")
        term.send("Escape")
        term.wait_for("Banks (")
        term.send("h")
        term.wait_for("History · 1 attempt")
        term.send("e")
        term.wait_for("Export attempt 1")
        term.send("Enter")  # the name suggested
        screen = term.wait_for(lambda s: "Wrote 1 row to" in s and "Export attempt" not in s)
        toast = "".join(line.split("▌", 1)[1].strip() for line in screen.splitlines()
                        if "▌" in line)
        target = Path(env["EXAMSIM_DATA_DIR"]) / "exports" / "examsim-attempt-1.csv"
        assert "Wrote1rowto" + str(target) in "".join(toast.split())  # lines wrap anywhere
        term.send("C-q")
        term.wait_for("[exited 0]")
    assert len(read_csv(target)) == 1
