"""`examsim comments BANK`: the comments kept on a bank's questions, with the line of each
question in the bank file, when, and the text made safe."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from examsim.cli import main
from examsim.core.formats.native import load_bank
from examsim.storage.history import History
from examsim.storage.locations import history_db

SAMPLE = Path(__file__).resolve().parents[2] / "banks" / "sample.toml"


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def id_line(path: Path, qid: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines.index(f'id = "{qid}"') + 1


def comment(data: Path, bank_id: str, qid: str, text: str, digest: str | None = None) -> None:
    with History(history_db(data)) as history:
        if digest is None:
            digest = load_bank(SAMPLE).question(qid).fingerprint
        history.add_comment(bank_id, qid, digest, None, text)


def test_lists_each_comment_with_its_bank_line_time_and_safe_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    comment(data, "sample", "basics-02", "the key looks wrong \x1b[2J\x9b")
    comment(data, "sample", "basics-01", "ambiguous", digest="an older version")
    comment(data, "sample", "gone-01", "about a removed question", digest="h")
    comment(data, "other", "x", "not this bank", digest="h")
    assert main(["comments", str(SAMPLE), "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3
    first, second, third = out
    assert first.startswith(f"{SAMPLE}:{id_line(SAMPLE, 'basics-02')} ")
    assert "  basics-02  20" in first and first.endswith("the key looks wrong ␛[2J\\x9b")
    assert "\x1b" not in "".join(out)
    assert second.startswith(f"{SAMPLE}:{id_line(SAMPLE, 'basics-01')} ")
    assert "(changed since)  ambiguous" in second
    assert third.startswith(f"{SAMPLE} ") and "gone-01" in third
    assert "(no longer in the bank)" in third


def test_the_bank_by_id_and_a_line_in_a_copy_of_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    (data / "banks").mkdir(parents=True)
    copy = data / "banks" / "mine.toml"
    text = SAMPLE.read_text(encoding="utf-8").replace('id = "sample"', 'id = "mine"', 1)
    copy.write_text("# a comment line first\n" + text, encoding="utf-8")
    comment(data, "mine", "basics-02", "ambiguous")
    assert main(["comments", "mine", "--data-dir", str(data)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"{copy}:{id_line(copy, 'basics-02')} ")
    assert id_line(copy, "basics-02") == id_line(SAMPLE, "basics-02") + 1


def test_an_id_no_bank_has_still_lists_its_comments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    comment(data, "retired", "q9", "ambiguous", digest="h")
    assert main(["comments", "retired", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("-  q9  ") and out.rstrip().endswith("ambiguous")


def test_no_comments_yet_and_an_unknown_bank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    assert main(["comments", str(SAMPLE), "--data-dir", str(data)]) == 0
    assert "No comments on bank sample yet" in capsys.readouterr().out
    assert not data.exists()  # reading creates nothing
    comment(data, "sample", "basics-01", "x")
    assert main(["comments", "nope", "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert "no bank file or bank id 'nope'" in err and "banks with comments: sample" in err


def test_a_broken_bank_file_is_reported_like_other_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    broken = tmp_path / "broken.toml"
    shutil.copy(SAMPLE, broken)
    broken.write_text(broken.read_text(encoding="utf-8") + "\n[[questions]]\n",
                      encoding="utf-8")
    assert main(["comments", str(broken), "--data-dir", str(tmp_path / "d")]) == 2
    assert str(broken) in capsys.readouterr().err
