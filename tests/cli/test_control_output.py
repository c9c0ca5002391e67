"""No command prints a raw control character (issue 20, part 1): bank ids, titles,
unknown keys, file names and messages show placeholders (␛); CSV and JSON keep the data
with the controls escaped; validate reports them, located; importers drop them, noted."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from examsim.core.assemble import AttemptPlan
from examsim.core.formats.native import load_bank
from examsim.core.session import ExamSession
from examsim.storage.history import History
from examsim.storage.locations import history_db

ESC = "\x1b"
SEQUENCE = "\x1b]2;PWNTITLE\x1b\\ \x1b]52;c;UFdORUQ=\x1b\\ \x1b[2J\x1bc\x1b[6n\x9b2J\x7f\x07\x00"
# what must never reach a terminal stream, as bytes (C1 CSI in UTF-8 is C2 9B)
RAW_BYTES = (b"\x1b", b"\xc2\x9b", b"\x7f", b"\x07", b"\x00")


def toml_escape(text: str) -> str:
    return json.dumps(text)  # a JSON string is a TOML basic string here (\u escapes)


BANK = f"""
[bank]
id = "evil"
title = {toml_escape("Title " + SEQUENCE)}
description = {toml_escape("Desc " + SEQUENCE)}

[[domains]]
id = "net"
name = {toml_escape("Net " + SEQUENCE)}
weight = 100

[[questions]]
id = {toml_escape("q1 " + SEQUENCE)}
domain = "net"
topics = [{toml_escape("topic " + SEQUENCE)}]
stem = {toml_escape("Stem " + SEQUENCE)}
options = [{{ text = {toml_escape("A " + SEQUENCE)}, why = {toml_escape("why " + SEQUENCE)} }}, "B"]
answer = "A"
explanation = {toml_escape("Expl " + SEQUENCE)}
references = [{toml_escape("ref " + SEQUENCE)}]
"""


def examsim(*args: str, data: Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "EXAMSIM_DATA_DIR": str(data), "EXAMSIM_CACHE_DIR": str(cwd / "cache")}
    return subprocess.run([sys.executable, "-m", "examsim", *args], cwd=cwd, env=env,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=120)


def assert_no_raw(result: subprocess.CompletedProcess[bytes], what: str) -> str:
    for raw in RAW_BYTES:
        assert raw not in result.stdout, (what, "stdout", raw, result.stdout[:300])
        assert raw not in result.stderr, (what, "stderr", raw, result.stderr[:300])
    return result.stdout.decode() + result.stderr.decode()


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    (data / "banks").mkdir(parents=True)
    bank_file = data / "banks" / "evil.toml"
    bank_file.write_text(BANK, encoding="utf-8")
    bank = load_bank(bank_file)
    with History(history_db(data)) as history:
        session = ExamSession.start(bank, AttemptPlan(seed=1, shuffle=False))
        attempt = history.start_attempt(session)
        session.choose(0)
        session.toggle_flag()
        session.submit()
        history.finish(attempt, session)
    return tmp_path, data


def test_validate_reports_each_field_located_and_prints_no_raw_control(world) -> None:
    cwd, data = world
    result = examsim("validate", str(data / "banks" / "evil.toml"), data=data, cwd=cwd)
    text = assert_no_raw(result, "validate")
    assert result.returncode == 2
    for field in ("bank.title", "bank.description", "domain #1: name", "id", "topics", "stem",
                  "option A", "option A.why", "explanation", "references"):
        assert f": {field}: control characters ESC (U+001B)" in text, field
    assert "CSI (U+009B), DEL (U+007F), BEL (U+0007), NUL (U+0000) (shown as ␛\\x9b␡␇␀)" in text
    assert f"{data}/banks/evil.toml:13: error: question q1 ␛]2;PWNTITLE␛\\" in text
    # each at the line of its key
    assert f"{data}/banks/evil.toml:4: error: bank.title: control characters" in text
    assert f"{data}/banks/evil.toml:9: error: domain #1: name: control characters" in text
    assert "evil.toml:16: error: question q1" in text and ": stem: control" in text
    # with no path: the banks found, the same report
    found = examsim("validate", data=data, cwd=cwd)
    assert_no_raw(found, "validate (found)")
    assert found.returncode == 2


@pytest.mark.parametrize("args", [
    ("stats",), ("stats", "--json"), ("stats", "--bank", "evil"),
    ("export", "-o", "-"), ("export", "--all", "-o", "-"), ("export", "--last"),
    ("run", "evil"), ("run", "evil", "--topic", "nope"), ("run", "no\x1b]2;x\x07such"),
    ("resume",), ("review",), ("stats", "--bank", "\x1b[2Jother"),
    ("import", "missing\x1b[2J.gift"), ("validate", "no\x1b]2;such\x07file.toml"),
    ("schema",), ("run", "evil", "--mode", "\x1b]2;x\x07"),
])
def test_no_command_prints_a_raw_control_character(world, args: tuple[str, ...]) -> None:
    cwd, data = world
    result = examsim(*args, data=data, cwd=cwd)
    assert_no_raw(result, args)


def test_csv_and_json_keep_the_data_with_controls_escaped(world) -> None:
    cwd, data = world
    rows = list(csv.DictReader(io.StringIO(examsim("export", "-o", "-", data=data,
                                                   cwd=cwd).stdout.decode())))
    assert rows[0]["stem"] == "Stem \\x1b]2;PWNTITLE\\x1b\\ \\x1b]52;c;UFdORUQ=\\x1b\\ " \
                              "\\x1b[2J\\x1bc\\x1b[6n\\x9b2J\\x7f\\x07\\x00"
    report = json.loads(examsim("stats", "--json", data=data, cwd=cwd).stdout)
    assert report["banks"][0]["title"] == "Title " + SEQUENCE  # the data, unchanged


IMPORTS = {
    "gift": ("q.gift", "::T\x1b]2;x\x07::Stem \x1b[2J here{{=right\x7f ~wrong\x9b2J}}\n"),
    "markdown": ("q.md", "# Bank\n\n### Stem \x1b]52;c;UFdORUQ=\x07 here\n\n- [x] right\x1b[6n\n"
                         "- [ ] wrong\x1bc\n"),
    "csv": ("q.csv", "id,question,A,B,answer\nq1,Stem \x1b[2J\x07 here,right\x9b2J,wrong,A\n"),
    "aiken": ("q.aiken", "Stem \x1b]2;x\x07 here\nA) right\x7f\nB) wrong\nANSWER: A\n"),
    "moodle-xml": ("q.xml", "<quiz><question type=\"multichoice\"><name><text>N</text></name>"
                            "<questiontext><text>Stem &#x9b;2J &#x7f; here</text></questiontext>"
                            "<single>true</single>"
                            "<answer fraction=\"100\"><text>right&#x85;</text></answer>"
                            "<answer fraction=\"0\"><text>wrong</text></answer>"
                            "</question></quiz>\n"),
}


@pytest.mark.parametrize("fmt", list(IMPORTS))
def test_importers_drop_control_characters_with_a_note(tmp_path: Path, fmt: str) -> None:
    name, text = IMPORTS[fmt]
    (tmp_path / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out.toml"
    result = examsim("import", name, "--from", fmt, "-o", "out.toml", data=tmp_path / "d",
                     cwd=tmp_path)
    messages = assert_no_raw(result, fmt)
    assert result.returncode == 0, messages
    assert "note: control characters dropped:" in messages
    bank = load_bank(out)
    question = bank.questions[0]
    for value in (question.stem, *(o.text for o in question.options), bank.title):
        assert not any((ord(c) < 32 and c not in "\t\n") or 0x7f <= ord(c) <= 0x9f
                       for c in value), value
    assert "here" in question.stem and ESC not in out.read_text(encoding="utf-8")
    to_stdout = examsim("import", name, "--from", fmt, data=tmp_path / "d", cwd=tmp_path)
    assert_no_raw(to_stdout, f"{fmt} to stdout")
