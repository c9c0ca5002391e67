"""Every number of a bank has a bound; UTF-16 banks are read; invisible text is empty
(issue 20, part 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from examsim.core.errors import BankError
from examsim.core.formats.native import load_bank

QUESTION = '[[questions]]\nid = "a"\nstem = "s"\noptions = ["a", "b"]\nanswer = "A"\n'


def problems(path: Path) -> list[str]:
    with pytest.raises(BankError) as info:
        load_bank(path)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("setting, message", [
    ("time_limit = inf", "bank.time_limit: should be a finite number, got inf"),
    ("time_limit = nan", "bank.time_limit: should be a finite number, got nan"),
    ("time_limit = 1e308", "bank.time_limit: should be less than or equal to 10000, got 1e+308"),
    ("time_limit = 10001", "bank.time_limit: should be less than or equal to 10000"),
    ("time_limit = 0.5", "bank.time_limit: should be greater than or equal to 1"),
    ("questions_per_exam = 1000001", "bank.questions_per_exam: should be less than or equal "
                                     "to 1000000"),
    ("pass_percent = inf", "bank.pass_percent: should be a finite number"),
    ("scaled_score = { min = 0, max = 1e400, pass = 5 }", "bank.scaled_score.max: should be"),
    ("scaled_score = { min = -1, max = 10, pass = 5 }", "bank.scaled_score.min: should be "
                                                        "greater than or equal to 0"),
    ("scaled_score = { min = 0, max = 2000000, pass = 5 }", "bank.scaled_score.max: should be "
                                                            "less than or equal to 1000000"),
])
def test_bank_numbers_have_bounds(tmp_path: Path, setting: str, message: str) -> None:
    path = tmp_path / "b.toml"
    path.write_text(f"[bank]\n{setting}\n{QUESTION}", encoding="utf-8")
    found = problems(path)
    assert any(f"b.toml:2: {message}" in line for line in found), found


def test_weights_refuse_inf_and_nan_in_json(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text('{"bank": {"time_limit": Infinity}, "domains": [{"id": "d", "weight": NaN}],'
                    ' "questions": [{"id": "a", "domain": "d", "stem": "s", "options": ["a", "b"],'
                    ' "answer": "A"}]}', encoding="utf-8")
    found = problems(path)
    assert any("bank.time_limit: should be a finite number, got inf" in p for p in found)
    assert any("domain #1: weight: should be a finite number" in p for p in found)


def test_a_huge_number_in_a_message_is_cut(tmp_path: Path) -> None:
    path = tmp_path / "b.toml"
    path.write_text(f"[bank]\nquestions_per_exam = {'9' * 4000}\n{QUESTION}", encoding="utf-8")
    (line,) = problems(path)
    assert line.endswith("got 999999999999999999999999999999999999999… (4000 characters)")


def examsim(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EXAMSIM_DATA_DIR": str(cwd / "data"),
           "EXAMSIM_CACHE_DIR": str(cwd / "cache")}
    return subprocess.run([sys.executable, "-m", "examsim", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)


@pytest.mark.parametrize("name, text", [
    ("big.toml", f"[bank]\nquestions_per_exam = {'9' * 5000}\n{QUESTION}"),
    ("big.json", '{"bank": {"time_limit": ' + "9" * 5000 + '}, "questions": [{"id": "a", '
                 '"stem": "s", "options": ["a", "b"], "answer": "A"}]}'),
])
def test_run_and_validate_report_a_5000_digit_number_alike(tmp_path: Path, name: str,
                                                           text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    validated = examsim("validate", name, cwd=tmp_path)
    ran = examsim("run", name, cwd=tmp_path)
    assert validated.returncode == ran.returncode == 2
    line = (f"{name}:{1 if name.endswith('json') else 2}: error: a number has more than 4300 "
            "digits")
    assert validated.stderr.splitlines()[0] == line
    assert ran.stderr.splitlines() == [line]


def test_utf16_banks_with_a_bom_are_read(tmp_path: Path) -> None:
    text = f'[bank]\ntitle = "Café"\n{QUESTION}'
    for name, encoding in (("le.toml", "utf-16"), ("be.toml", "utf-16-be")):
        raw = text.encode(encoding)
        if encoding == "utf-16-be":
            raw = b"\xfe\xff" + raw
        (tmp_path / name).write_bytes(raw)
        assert load_bank(tmp_path / name).title == "Café"
    (tmp_path / "j.json").write_bytes(json.dumps(
        {"questions": [{"id": "a", "stem": "s", "options": ["a", "b"], "answer": "A"}]}
    ).encode("utf-16"))
    assert load_bank(tmp_path / "j.json").questions[0].id == "a"


def test_utf16_without_a_bom_says_save_as_utf8(tmp_path: Path) -> None:
    (tmp_path / "b.toml").write_bytes(QUESTION.encode("utf-16-le"))
    assert problems(tmp_path / "b.toml") == [
        f"{tmp_path / 'b.toml'}: is UTF-16 without a byte order mark: save it as UTF-8"]
    (tmp_path / "c.toml").write_bytes(b"\xff\xfe" + QUESTION.encode("utf-16-le") + b"\x00")
    assert "not valid UTF-16; save it as UTF-8" in problems(tmp_path / "c.toml")[0]


@pytest.mark.parametrize("invisible", ["\u200b", "\u200b \u200d\ufeff", "\u2060", "\u3164",
                                       "\u00ad", "\u2028"])
def test_a_stem_of_invisible_characters_is_empty(tmp_path: Path, invisible: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"questions": [
        {"id": "a", "stem": invisible, "options": ["a", invisible], "answer": "A"}]}),
        encoding="utf-8")
    found = problems(path)
    assert any("question a (#1): stem: must not be empty" in p for p in found), found
    assert any("option B" in p and "must not be empty" in p for p in found), found


def test_visible_text_with_invisible_characters_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"questions": [
        {"id": "a", "stem": "\u200bword\u200d", "options": ["日本", "é"], "answer": "A"}]}),
        encoding="utf-8")
    assert load_bank(path).questions[0].stem == "\u200bword\u200d"
