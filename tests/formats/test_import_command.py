"""`examsim import` as a user runs it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from examsim.cli import main
from examsim.core.formats.native import load_bank


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["import", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_stdout_when_no_output(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(fixtures / "sample.gift"))
    assert code == 0
    assert out.startswith("# Imported from sample.gift (gift) by examsim import.\n[bank]\n")
    assert "reading as gift (from the extension .gift" in err
    assert f"{fixtures / 'sample.gift'}:35: question 7 (Essay): skipped: GIFT essay questions " \
           "have no options" in err
    assert err.rstrip().endswith("imported 6, skipped 6")


@pytest.mark.parametrize("name", ["sample.gift", "sample.aiken.txt", "sample.md", "sample.csv",
                                  "sample.xml"])
def test_each_format_writes_a_bank_that_loads(
    name: str, fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bank.toml"
    code, _, err = run(capsys, str(fixtures / name), "-o", str(out))
    assert code == 0, err
    assert f"wrote {out}" in err
    bank = load_bank(out)
    assert bank.id == "bank" and bank.questions


def test_bank_fields_and_json(fixtures: Path, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.json"
    code, _, _ = run(capsys, str(fixtures / "sample.aiken.txt"), "--from", "aiken", "-o",
                     str(out), "--title", "My title", "--id", "my-id", "--domain", "maths")
    assert code == 0
    bank = load_bank(out)
    assert (bank.id, bank.title) == ("my-id", "My title")
    assert {q.domain for q in bank.questions} == {"maths"}


def test_refuses_to_overwrite_without_force(fixtures: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bank.toml"
    out.write_text("keep me")
    code, _, err = run(capsys, str(fixtures / "sample.gift"), "-o", str(out))
    assert code == 2 and "exists; add --force" in err and out.read_text() == "keep me"
    code, _, _ = run(capsys, str(fixtures / "sample.gift"), "-o", str(out), "--force")
    assert code == 0 and load_bank(out).questions


def test_several_files_make_one_bank(fixtures: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "all.toml"
    files = [str(fixtures / n) for n in ("sample.gift", "sample.aiken.txt", "sample.csv")]
    code, _, err = run(capsys, *files, "-o", str(out))
    assert code == 0
    assert f"{files[1]}: imported 2, skipped 3" in err
    assert "imported 11, skipped 12" in err
    assert len(load_bank(out).questions) == 11


def test_nothing_imported_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "essays.gift"
    path.write_text("Write.{}\n\nMore.{}\n")
    out = tmp_path / "out.toml"
    code, stdout, err = run(capsys, str(path), "-o", str(out))
    assert code == 2 and not out.exists() and not stdout
    assert "imported 0, skipped 2" in err and "nothing could be imported" in err


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad.xml", b"<quiz><oops></quiz>", "bad.xml:1: cannot import as moodle-xml: XML syntax"),
    ("bad.csv", b"just,a,header\n", "cannot import as csv: the header row names no question"),
    ("bin.gift", b"\x00\x01", "is binary"),
    ("what.txt", b"plain words only\n", "cannot tell the format; say it with --from"),
])
def test_unreadable_file_exits_2(name: str, content: bytes, message: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, _, err = run(capsys, str(path))
    assert code == 2 and message in err


def test_usage_errors(fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, str(tmp_path / "missing.gift"))[0] == 2
    code, _, err = run(capsys, str(fixtures / "sample.gift"), "-o", str(tmp_path / "x.txt"))
    assert code == 2 and "must end in .toml or .json" in err
    copy = tmp_path / "same.toml"
    shutil.copy(fixtures / "sample.gift", copy)
    code, _, err = run(capsys, str(copy), "--from", "gift", "-o", str(copy), "--force")
    assert code == 2 and "is also an input file" in err


def test_content_guess_and_cp1252(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Caf\u00e9 au lait?\nA) oui\nB) non\nANSWER: A\n".encode("cp1252"))
    code, out, err = run(capsys, str(path))
    assert code == 0 and "Café au lait?" in out
    assert "reading as aiken (from the content" in err
    assert "note: not UTF-8 (line 1); read as Windows-1252" in err


@pytest.mark.parametrize("bank_id", ["bad id!!", "tab\there", "new\nline", "", "a/b"])
def test_an_id_with_spaces_or_odd_characters_is_refused(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], bank_id: str
) -> None:
    out = tmp_path / "bank.toml"
    code, stdout, err = run(capsys, str(fixtures / "sample.gift"), "-o", str(out), "--id", bank_id)
    assert code == 2 and not out.exists() and not stdout
    assert f"--id {bank_id!r} cannot be a bank id" in err
    if bank_id == "bad id!!":
        assert "for example 'bad-id'" in err


@pytest.mark.parametrize("bank_id", ["aws-sap_1.2", "größe"])
def test_a_plain_id_is_kept_as_given(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], bank_id: str
) -> None:
    out = tmp_path / "bank.toml"
    code, _, _ = run(capsys, str(fixtures / "sample.gift"), "-o", str(out), "--id", bank_id)
    assert code == 0 and load_bank(out).id == bank_id


def test_a_blank_title_is_left_out(fixtures: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bank.toml"
    code, _, _ = run(capsys, str(fixtures / "sample.gift"), "-o", str(out), "--title", "   ")
    assert code == 0 and load_bank(out).title == load_bank(out).id


def test_a_taken_id_gets_a_free_one_and_says_so(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """quiz.gift then quiz.md, both into the data dir's banks/: the second is quiz-2."""
    import os

    banks = Path(os.environ["EXAMSIM_DATA_DIR"]) / "banks"
    banks.mkdir(parents=True)
    first, second = banks / "quiz.gift.toml", banks / "quiz.md.toml"
    code, _, err = run(capsys, str(fixtures / "sample.gift"), "-o", str(first))
    assert code == 0 and load_bank(first).id == "quiz" and "taken" not in err
    code, _, err = run(capsys, str(fixtures / "sample.md"), "-o", str(second))
    assert code == 0, err
    assert load_bank(second).id == "quiz-2"
    assert f"bank id 'quiz' is taken by {first}; this bank gets the id 'quiz-2'" in err
    code, _, err = run(capsys, str(fixtures / "sample.gift"), "-o", str(first), "--force")
    assert code == 0 and load_bank(first).id == "quiz"  # overwriting itself: no clash
    code, _, err = run(capsys, str(fixtures / "sample.gift"), "-o", str(tmp_path / "x.toml"),
                       "--id", "sample")
    assert code == 2 and "--id 'sample' is taken by" in err and "sample.toml" in err
    assert not (tmp_path / "x.toml").exists()


def test_an_import_file_over_50_mb_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.gift"
    with path.open("wb") as out:
        out.truncate(50 * 1024 * 1024 + 1)  # sparse: nothing to read, were it read
    code, out, err = run(capsys, str(path))
    assert code == 2 and not out
    assert (f"{path}: is 50.0 MB; files over 50 MB are refused before reading (split it "
            "into several banks)") in err


def test_a_named_pipe_is_refused_without_blocking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    path = tmp_path / "pipe.gift"
    os.mkfifo(path)
    code, _, err = run(capsys, str(path))
    assert code == 2 and "is not a regular file" in err
