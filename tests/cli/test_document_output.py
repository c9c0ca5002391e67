"""What a command writes to stdout as a file's content (``export -o -``, ``export
--report -o -``, ``import`` without ``-o``) against the rule for bank text on CLI streams
(docs/architecture.md, "Safe text"; newcomer run 6, finding 14): piped or redirected it is
the file's bytes, bidi controls kept as data; on a terminal (a pty here) the bidi controls
are spelled out (``\\u202e``) like on every other command output; control characters
reach neither. Messages (stats, validate, import's notes...) never carry a raw bidi
control, piped or not."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from examsim.commands import output
from examsim.core.assemble import AttemptPlan
from examsim.core.formats.native import load_bank
from examsim.core.session import ExamSession
from examsim.storage.history import History
from examsim.storage.locations import history_db

RLO, PDF, RLI, PDI, LRE, ESC = "\u202e", "\u202c", "\u2067", "\u2069", "\u202a", "\x1b"
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
RAW_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # CR: CSV's line ends


def toml_escape(text: str) -> str:
    return json.dumps(text)  # a JSON string is a TOML basic string here (\u escapes)


BANK = f"""
[bank]
id = "bidi"
title = {toml_escape("Bidi " + RLO + "evil" + PDF)}

[[domains]]
id = "net"
name = "Net"
weight = 100

[[questions]]
id = "q1"
domain = "net"
stem = {toml_escape("Pay " + RLO + "01$" + PDF + " to " + RLI + "x" + PDI + " now " + ESC + "[2J")}
options = [{toml_escape("A " + LRE + "right" + PDF)}, "B"]
answer = "A"
"""
GIFT = f"::T{RLO}:: Stem {RLI}here{PDI} {{=right{RLO} ~wrong}}\n"


def examsim_command() -> list[str]:
    return [sys.executable, "-m", "examsim"]


def environment(data: Path) -> dict[str, str]:
    return {**os.environ, "EXAMSIM_DATA_DIR": str(data),
            "EXAMSIM_CACHE_DIR": str(data.parent / "cache")}


def piped(*args: str, data: Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*examsim_command(), *args], cwd=cwd, env=environment(data),
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=120)


def on_a_terminal(*args: str, data: Path, cwd: Path) -> bytes:
    """What the command writes to stdout when stdout is a terminal (a pty); stderr apart."""
    master, slave = pty.openpty()
    try:
        child = subprocess.Popen([*examsim_command(), *args], cwd=cwd, env=environment(data),
                                 stdin=subprocess.DEVNULL, stdout=slave,
                                 stderr=subprocess.DEVNULL)
    finally:
        os.close(slave)
    received = b""
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                if child.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            received += chunk
    finally:
        os.close(master)
        child.wait(timeout=60)
    assert child.returncode == 0, received[-300:]
    return received


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    (data / "banks").mkdir(parents=True)
    bank_file = data / "banks" / "bidi.toml"
    bank_file.write_text(BANK, encoding="utf-8")
    (tmp_path / "q.gift").write_text(GIFT, encoding="utf-8")
    bank = load_bank(bank_file)
    with History(history_db(data)) as history:
        session = ExamSession.start(bank, AttemptPlan(seed=1, shuffle=False))
        attempt = history.start_attempt(session)
        session.choose(0)
        session.submit()
        history.finish(attempt, session)
    return tmp_path, data


DOCUMENTS = {  # the command to stdout, the same to a file
    "csv": (("export", "-o", "-"), ("export", "-o", "out.csv")),
    "report": (("export", "--report", "-o", "-"), ("export", "--report", "-o", "out.md")),
    "import": (("import", "q.gift"), ("import", "q.gift", "-o", "q.toml")),
}


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_piped_the_document_is_the_file_byte_for_byte_bidi_kept(world, kind: str) -> None:
    cwd, data = world
    to_stdout, to_file = DOCUMENTS[kind]
    result = piped(*to_stdout, data=data, cwd=cwd)
    assert result.returncode == 0, result.stderr
    written = piped(*to_file, data=data, cwd=cwd)
    assert written.returncode == 0, written.stderr
    assert result.stdout == (cwd / to_file[-1]).read_bytes()
    text = result.stdout.decode()
    assert RLO in text and not RAW_CONTROLS.search(text), text
    assert not BIDI.search(result.stderr.decode())  # the messages beside it: spelled out


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_on_a_terminal_the_document_spells_bidi_controls_out(world, kind: str) -> None:
    cwd, data = world
    shown = on_a_terminal(*DOCUMENTS[kind][0], data=data, cwd=cwd).decode()
    assert not BIDI.search(shown) and not RAW_CONTROLS.search(shown.replace("\r", "")), shown
    assert "\\u202e" in shown
    if kind == "csv":  # the row itself, as piped but for the bidi controls
        assert "Pay \\u202e01$\\u202c to \\u2067x\\u2069 now \\x1b[2J" in shown
        assert "A \\u202aright\\u202c" in shown


@pytest.mark.parametrize(("args", "bank_text"), [
    (("stats",), True), (("stats", "--json"), True), (("stats", "--bank", "bidi"), True),
    (("validate",), True), (("validate", "data/banks/bidi.toml"), True),
    (("run", "nope" + RLO), True), (("export", "-o", "out.csv"), False),
    (("import", "q.gift"), False), (("comments", "bidi"), False),
    (("completion", "--list-banks"), False),
])
def test_messages_never_carry_a_raw_bidi_control(world, args: tuple[str, ...],
                                                 bank_text: bool) -> None:
    cwd, data = world
    result = piped(*args, data=data, cwd=cwd)
    stdout = "" if args[0] == "import" else result.stdout.decode()  # import's is the bank
    for stream in (stdout, result.stderr.decode()):
        assert not BIDI.search(stream) and not RAW_CONTROLS.search(stream), (args, stream)
    assert ("\\u202e" in stdout + result.stderr.decode()) == bank_text  # spelled out


class _Stream(io.TextIOWrapper):
    def __init__(self, terminal: bool) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8", newline="")
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


@pytest.mark.parametrize("terminal", [False, True])
def test_write_document_keeps_crlf_and_shows_bidi_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    stream = _Stream(terminal)
    monkeypatch.setattr(sys, "stdout", stream)
    output.write_document(f"a,b\r\n{RLO}x,\\x1b\r\n")
    written = stream.buffer.getvalue().decode()  # type: ignore[attr-defined]  # BytesIO
    assert written == ("a,b\r\n\\u202ex,\\x1b\r\n" if terminal else f"a,b\r\n{RLO}x,\\x1b\r\n")
