"""Bank text never drives a real terminal (issue 20, part 1): a bank whose every field
holds OSC 2 (title), OSC 52 (clipboard), CSI 2J, RIS and DSR runs through the exam, the
practice feedback, the results and the home screen in tmux; the pane's title stays, no
tmux buffer is made (tmux accepts OSC 52 here: set-clipboard on), and ␛ shows instead."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .tmux import TMUX, Tmux, examsim_command, have_tmux

pytestmark = pytest.mark.skipif(not have_tmux(), reason="needs tmux")

SEQUENCE = "\x1b]2;PWNTITLE\x1b\\ \x1b]52;c;UFdORUQ=\x1b\\ \x1b[2J\x1bc\x1b[6n\x9b2J\x7f"


def evil(label: str) -> str:
    return f"{label} {SEQUENCE} end"


def write_bank(folder: Path) -> None:
    folder.mkdir(parents=True)
    bank = {
        "bank": {"id": "evil", "title": evil("Title"), "description": evil("Desc")},
        "domains": [{"id": "net", "name": evil("Net"), "weight": 100}],
        "questions": [{
            "id": "q1", "domain": "net", "topics": [evil("topic")], "stem": evil("Stem"),
            "options": [{"text": evil("Right"), "why": evil("Why")}, "Wrong"],
            "answer": "A", "explanation": evil("Expl"), "references": [evil("Ref")],
        }],
    }
    (folder / "evil.json").write_text(json.dumps(bank), encoding="utf-8")


def tmux(*args: str) -> str:
    return subprocess.run([*TMUX, *args], capture_output=True, text=True, check=False).stdout


def guarded(term: Tmux, tmp_path: Path) -> None:
    """The program waits for ``go``; before it starts, tmux takes OSC 52 into buffers."""
    tmux("set-option", "-s", "set-clipboard", "on")
    tmux("set-option", "-t", term.name, "allow-rename", "on")
    for buffer in tmux("list-buffers", "-F", "#{buffer_name}").split():
        tmux("delete-buffer", "-b", buffer)
    (tmp_path / "go").touch()


def title(term: Tmux) -> str:
    return tmux("display-message", "-p", "-t", term.name, "#{pane_title}").strip()


def assert_untouched(term: Tmux) -> None:
    assert "PWN" not in title(term)
    assert tmux("list-buffers") == ""


def waiting(command: list[str]) -> list[str]:
    return ["sh", "-c", 'while [ ! -e go ]; do sleep 0.05; done; exec "$@"', "sh", *command]


def test_the_harness_sees_a_raw_sequence(tmp_path: Path, env: dict[str, str]) -> None:
    """The checks below can fail: printed raw, the same sequences do set the title and
    make a buffer."""
    raw = "\x1b]2;PWNTITLE\x1b\\\x1b]52;c;UFdORUQ=\x1b\\done\n"
    with Tmux(waiting(["printf", raw.replace("\\", "\\\\")]), env=env, cwd=tmp_path) as term:
        guarded(term, tmp_path)
        term.wait_for("[exited 0]")
        assert "PWNTITLE" in title(term)
        assert "PWNED" in tmux("show-buffer")


def test_hostile_bank_text_shows_placeholders_and_moves_nothing(
    tmp_path: Path, env: dict[str, str]
) -> None:
    write_bank(tmp_path / "data" / "banks")
    command = [str(examsim_command()), "run", "evil", "--mode", "practice", "--no-shuffle"]
    with Tmux(waiting(command), env=env, cwd=tmp_path, size=(110, 40)) as term:
        guarded(term, tmp_path)
        screen = term.wait_for("Question 1/1")
        assert "Stem ␛]2;PWNTITLE␛\\ ␛]52;c;UFdORUQ=␛\\ ␛[2J␛c␛[6n\\x9b2J␡ end" in screen
        assert "Right ␛]2;PWNTITLE" in screen and "Net ␛]2;PWNTITLE" in screen
        assert_untouched(term)
        term.send("a", "Enter")  # practice: the answer is checked, why and explanation show
        # all three in one capture (one may catch a frame half written: seen once under
        # load, "Expl" on screen and not yet "Why"); still each with its placeholders
        term.wait_for(lambda s: all(f"{what} ␛]2;PWNTITLE" in s
                                    for what in ("Expl", "Why", "Ref")))
        assert_untouched(term)
        term.send("C-s")
        term.wait_for("End the session?")  # practice: a session, not an exam
        term.send("y")
        screen = term.wait_for("Results: Title ␛]2;PWNTITLE")
        assert_untouched(term)
        term.send("Escape")  # the home screen lists the bank
        screen = term.wait_for("Banks (")
        assert "Title ␛]2;PWNTITLE" in screen
        assert_untouched(term)
        term.send("C-q")
        term.wait_for("[exited 0]")
        assert_untouched(term)
