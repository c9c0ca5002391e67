"""`examsim validate` and `examsim schema` as a user runs them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from examsim.cli import main

GOOD = """[bank]
title = "Good"
[[domains]]
id = "a"
weight = 100
[[questions]]
id = "q1"
domain = "a"
stem = "Pick A"
options = ["A", "B"]
answer = "A"
"""


def test_validate_good_and_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.toml"
    good.write_text(GOOD)
    bad = tmp_path / "sub" / "bad.json"
    bad.parent.mkdir()
    bad.write_text('{"questions": [{"id": "x"}]}')
    (tmp_path / "notes.txt").write_text("ignored: not a bank extension")
    assert main(["validate", str(good)]) == 0
    out = capsys.readouterr().out
    assert f"{good}: ok: good, 1 question, 1 domain" in out
    assert main(["validate", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert f"{good}: ok" in captured.out
    err = captured.err.splitlines()
    assert f"{bad}:1: error: question x (#1): stem: missing (required)" in err
    assert err[-1] == "1 invalid bank file"


def test_validate_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["validate", str(tmp_path / "nope.toml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_validate_empty_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["validate", str(tmp_path)]) == 2
    assert "no .toml or .json files" in capsys.readouterr().err


def test_validate_without_paths_checks_bundled_banks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./banks
    assert main(["validate"]) == 0
    out = capsys.readouterr().out.splitlines()
    data_banks = Path(os.environ["EXAMSIM_DATA_DIR"]) / "banks"
    assert out[0].startswith("checking ") and "bundled " in out[0]
    assert out[0].endswith(f"data dir {data_banks} (0)")  # looked there too: no folder
    assert any(line.endswith("sample.toml: ok: sample, 12 questions, 3 domains")
               for line in out)


@pytest.mark.parametrize("how", ["option", "env"])
def test_validate_without_paths_checks_the_data_dir_banks_too(
    how: str, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every bank examsim would offer: the bundled ones and the data dir's banks/."""
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    banks = data / "banks"
    (banks / "mine").mkdir(parents=True)
    good = banks / "good.toml"
    good.write_text(GOOD)
    bad = banks / "mine" / "bad.json"
    bad.write_text('{"questions": [{"id": "x"}]}')
    if how == "env":
        monkeypatch.setenv("EXAMSIM_DATA_DIR", str(data))
        argv = ["validate"]
    else:
        argv = ["validate", "--data-dir", str(data)]
    assert main(argv) == 2
    captured = capsys.readouterr()
    out = captured.out.splitlines()
    bundled = len(list((Path(__file__).resolve().parents[2] / "banks").glob("*.toml")))
    assert out[0].startswith(f"checking {bundled + 2} bank files: bundled ")  # + 2 of mine
    assert out[0].endswith(f", data dir {banks} (2)")
    assert f"{good}: ok: good, 1 question, 1 domain" in out
    assert any(line.endswith("sample.toml: ok: sample, 12 questions, 3 domains")
               for line in out)
    err = captured.err.splitlines()
    assert err == [f"{bad}:1: error: question x (#1): {field}: missing (required)"
                   for field in ("stem", "options", "answer")] + ["1 invalid bank file"]
    # the same files, named: the same verdict
    assert main(["validate", str(banks)]) == 2
    assert capsys.readouterr().err.splitlines() == err


def test_validate_without_paths_when_the_data_dir_banks_are_all_good(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    banks = tmp_path / "data" / "banks"
    banks.mkdir(parents=True)
    (banks / "good.toml").write_text(GOOD)
    assert main(["validate", "--data-dir", str(tmp_path / "data")]) == 0
    captured = capsys.readouterr()
    assert f"{banks / 'good.toml'}: ok: good" in captured.out
    assert captured.err == ""


def test_validate_without_paths_and_no_banks_anywhere(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("examsim.storage.locations.bundled_banks_dir", lambda: None)
    assert main(["validate", "--data-dir", str(tmp_path / "data")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"examsim: no bank files found (bundled, ./banks or "
                   f"{tmp_path / 'data' / 'banks'}); name a file or folder to validate"]


def test_schema_is_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "examsim bank"


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["run", "x", "--questions", "0"])
    assert info.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("minutes", ["10001", "1e9"])
def test_time_has_an_upper_limit(minutes: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["run", "x", "--time", minutes])
    assert info.value.code == 2
    assert "must be at most 10000 minutes" in capsys.readouterr().err


def test_console_script_and_module(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[questions]]\nid = 'x'\nstem = 'y'\noptions = ['a']\nanswer = 'A'\n")
    for cmd in (["examsim"], [sys.executable, "-m", "examsim"]):
        exe = cmd if cmd[0] != "examsim" else [str(Path(sys.executable).with_name("examsim"))]
        proc = subprocess.run([*exe, "validate", str(bad)], capture_output=True, text=True)
        assert proc.returncode == 2
        assert proc.stderr.splitlines()[0] == (
            f"{bad}:4: error: question x (#1): options: has 1 option; a question needs 2 to 8")
        assert "Traceback" not in proc.stderr


def test_validate_goes_on_after_a_pathological_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("[bank]\nanwser = 1\n")
    assert main(["validate", str(deep), str(fifo), str(unknown)]) == 2
    err = capsys.readouterr().err
    assert f"{deep}: error: nested too deeply" in err
    assert f"{fifo}: error: is not a regular file" in err
    assert f"{unknown}:2: error: bank.anwser: unknown key" in err
    assert "3 invalid bank files" in err


LINT_TOML = """[bank]
id = "lintme"

[[questions]]
id = "q1"
stem = "Which two are right?"
options = ["one", "two", "three", "four"]
answer = ["A", "B"]
explanation = "x"
topics = ["T"]

[[questions]]
id = "q2"
stem = "Which is right?"
options = ["one", "two", "three", "four"]
answer = "C"
topics = ["T"]
"""


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_lint_findings_name_the_line_of_their_question(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    import tomllib

    path = tmp_path / f"lintme{suffix}"
    if suffix == ".toml":
        path.write_text(LINT_TOML)
        lines = {"q1": 5, "q2": 13}
    else:
        path.write_text(json.dumps(tomllib.loads(LINT_TOML), indent=2))
        text = path.read_text().splitlines()
        lines = {q: next(n for n, line in enumerate(text, 1) if f'"id": "{q}"' in line)
                 for q in ("q1", "q2")}
    assert main(["validate", "--lint", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert (f'{path}:{lines["q1"]}: error: question q1 (#1): the key has 2 letters but the stem '
            'does not say "(Choose 2.)"') in err
    assert f"{path}:{lines['q2']}: error: question q2 (#2): no explanation" in err
    assert err[-1] == "1 invalid bank file"


BIDI = """[bank]
title = "Bidi \\u202eeltit"
[[domains]]
id = "a"
weight = 100
[[questions]]
id = "q1"
domain = "a"
stem = "Pick \\u202eA\\u202c"
options = ["A", {{ text = "B", why = "it \\u2067is\\u2069" }}]
answer = "A"
explanation = "plain"
[[questions]]
id = "q2"
domain = "a"
stem = "Pick B"
options = ["A", "B"]
answer = "B"
explanation = "embedded \\u202a{rtl}\\u202c"
"""


def test_validate_warns_of_bidi_controls_located_and_stays_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Explicit bidi controls (U+202A-202E, U+2066-2069) are valid text that the screens
    spell out (core/safe_text.shown); validate warns of each field that holds some, at
    its line, and the bank stays valid (exit 0). Right-to-left marks are not reported."""
    bank = tmp_path / "bidi.toml"
    bank.write_text(BIDI.format(rtl="\u200f"), encoding="utf-8")
    assert main(["validate", str(bank)]) == 0
    captured = capsys.readouterr()
    assert f"{bank}: ok: bidi, 2 questions, 1 domain" in captured.out
    err = captured.err.splitlines()
    assert f"{bank}:2: warning: bank.title: bidi control RLO (U+202E) (shown spelled out " \
           "as \\u202e); remove it" in err
    assert f"{bank}:9: warning: question q1 (#1): stem: bidi controls RLO (U+202E), PDF " \
           "(U+202C) (shown spelled out as \\u202e\\u202c); remove them" in err
    assert f"{bank}:10: warning: question q1 (#1): option B.why: bidi controls RLI (U+2067), " \
           "PDI (U+2069) (shown spelled out as \\u2067\\u2069); remove them" in err
    assert f"{bank}:19: warning: question q2 (#2): explanation: bidi controls LRE (U+202A), " \
           "PDF (U+202C) (shown spelled out as \\u202a\\u202c); remove them" in err
    assert len(err) == 4  # nothing about the right-to-left mark, no "invalid" line


def test_validate_reports_bidi_beside_errors_and_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = tmp_path / "both.toml"
    bank.write_text(BIDI.format(rtl="").replace('stem = "Pick B"', 'stem = "Pick\\u001b B"'),
                    encoding="utf-8")
    assert main(["validate", str(bank)]) == 2
    err = capsys.readouterr().err
    assert f"{bank}:16: error: question q2 (#2): stem: control character ESC (U+001B)" in err
    assert f"{bank}:9: warning: question q1 (#1): stem: bidi controls" in err
    assert err.splitlines()[-1] == "1 invalid bank file"


FINDING = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+))?: (?P<kind>error|warning|note): "
                     r"(?:question (?P<id>[\w-]+) \(#(?P<number>\d+)\): )?")


def _hostile_bank() -> str:
    """20 questions: h1's stem holds ESC and an option RLO, h2 is choose-2 without
    saying so, h20 has a topic used once (a lint note: a bank of 20 or more)."""
    parts = ['[bank]\nid = "hostile"\ntitle = "Hostile"\n']
    for n in range(1, 21):
        stem = {1: "Pick\\u001b one", 2: "Pick two"}.get(n, f"Question {n}")
        answer = '["A", "B"]' if n == 2 else '"A"'
        topic = "lonely" if n == 20 else "common"
        rlo = "\\u202e" if n == 1 else ""
        parts.append(f'[[questions]]\nid = "h{n}"\ntopics = ["{topic}"]\nstem = "{stem}"\n'
                     f'options = ["a{rlo}", "b", "c"]\n'
                     f'answer = {answer}\nexplanation = "because"\n'
                     'references = ["https://example.com"]\n')
    return "\n".join(parts)


def test_every_validate_finding_reads_file_line_kind_question_field_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Newcomer run 6, finding 13: format errors, control characters, bidi warnings,
    lint errors and lint notes, each FILE:LINE: KIND: question ID (#N): FIELD: MESSAGE,
    in line order per file; `run` prints a format error as validate does."""
    broken = tmp_path / "broken.toml"
    broken.write_text('[[questions]]\nid = "q1"\nstem = "s"\noptions = ["a", "b"]\n'
                      'answer = "E"\n', encoding="utf-8")
    hostile = tmp_path / "hostile.toml"
    hostile.write_text(_hostile_bank(), encoding="utf-8")
    assert main(["validate", "--lint", str(broken), str(hostile)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == "2 invalid bank files"
    matches = [FINDING.match(line) for line in err[:-1]]
    assert all(matches), [line for line, m in zip(err, matches, strict=False) if not m]
    assert {m["kind"] for m in matches if m} == {"error", "warning", "note"}
    assert f"{broken}:5: error: question q1 (#1): answer: 'E' names no option (options " \
           "are A-B)" in err
    assert f"{hostile}:8: error: question h1 (#1): stem: control character ESC (U+001B) " \
           "(shown as ␛); remove it" in err
    assert f"{hostile}:9: warning: question h1 (#1): option A: bidi control RLO (U+202E) " \
           "(shown spelled out as \\u202e); remove it" in err
    assert f"{hostile}:15: error: question h2 (#2): the key has 2 letters but the stem does " \
           'not say "(Choose 2.)"' in err
    assert f"{hostile}:177: note: question h20 (#20): topic 'lonely' is used only once" in err
    lines = [int(m["line"]) for m in matches if m and m["file"] == str(hostile)]
    assert lines == sorted(lines)
    # the same line from `run` (exit 2 as before)
    assert main(["run", str(broken)]) == 2
    assert capsys.readouterr().err.splitlines() == [err[0]]
