"""Finding banks and resolving BANK arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsim.core.errors import BankError
from examsim.storage.catalog import UnknownBank, discover, resolve

GOOD = (
    '[bank]\nid = "{id}"\n[[questions]]\nid = "q"\nstem = "s"\n'
    'options = ["a", "b"]\nanswer = "A"\n'
)


def test_discover_lists_bundled_cwd_and_data_dir(tmp_path: Path) -> None:
    cwd, data = tmp_path / "cwd", tmp_path / "data"
    (cwd / "banks").mkdir(parents=True)
    (data / "banks").mkdir(parents=True)
    (cwd / "banks" / "mine.toml").write_text(GOOD.format(id="mine"))
    (data / "banks" / "broken.toml").write_text("[[questions]]\n")
    entries = discover(data, cwd)
    origins = {e.path.name: e.origin for e in entries}
    assert origins["mine.toml"] == "./banks"
    assert origins["broken.toml"] == "data dir"
    assert "sample.toml" in origins and origins["sample.toml"] == "bundled"
    broken = next(e for e in entries if e.path.name == "broken.toml")
    assert not broken.ok and broken.problems


def test_resolve_by_path_id_and_stem(tmp_path: Path) -> None:
    cwd, data = tmp_path / "cwd", tmp_path / "data"
    (cwd / "banks").mkdir(parents=True)
    (cwd / "banks" / "file-name.toml").write_text(GOOD.format(id="the-id"))
    assert resolve(str(cwd / "banks" / "file-name.toml"), data, cwd).id == "the-id"
    assert resolve("the-id", data, cwd).id == "the-id"
    assert resolve("file-name", data, cwd).id == "the-id"
    assert resolve("sample", data, cwd).id == "sample"


def test_resolve_unknown_names_the_banks_found(tmp_path: Path) -> None:
    with pytest.raises(UnknownBank, match=r"banks found: .*sample"):
        resolve("nope", tmp_path, tmp_path)
    with pytest.raises(BankError, match="no such file"):
        resolve(str(tmp_path / "missing.toml"), tmp_path, tmp_path)


def test_a_pathological_file_does_not_hide_the_other_banks(tmp_path: Path) -> None:
    cwd, data = tmp_path / "cwd", tmp_path / "data"
    (cwd / "banks").mkdir(parents=True)
    (cwd / "banks" / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (cwd / "banks" / "mine.toml").write_text(GOOD.format(id="mine"))
    entries = {e.path.name: e for e in discover(data, cwd)}
    assert entries["deep.json"].problems == (f"{cwd / 'banks' / 'deep.json'}: nested too deeply",)
    assert entries["mine.toml"].ok and entries["sample.toml"].ok
    assert resolve("sample", data, cwd).id == "sample"


def test_an_unexpected_error_in_one_file_is_listed_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from examsim.storage import catalog

    cwd, data = tmp_path / "cwd", tmp_path / "data"
    (cwd / "banks").mkdir(parents=True)
    (cwd / "banks" / "odd.toml").write_text(GOOD.format(id="odd"))
    real = catalog.load_cached

    def load(path: Path):  # type: ignore[no-untyped-def]
        if path.name == "odd.toml":
            raise RuntimeError("boom")
        return real(path)

    monkeypatch.setattr(catalog, "load_cached", load)
    entries = {e.path.name: e for e in discover(data, cwd)}
    assert not entries["odd.toml"].ok
    assert "RuntimeError: boom" in entries["odd.toml"].problems[0]
    assert entries["sample.toml"].ok


# -- two banks with one id ---------------------------------------------------------------


def two_quizzes(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """quiz.gift.toml and quiz.md.toml, both imported as id "quiz", in the data dir."""
    cwd, data = tmp_path / "cwd", tmp_path / "data"
    cwd.mkdir()
    (data / "banks").mkdir(parents=True)
    first, second = data / "banks" / "quiz.gift.toml", data / "banks" / "quiz.md.toml"
    first.write_text(GOOD.format(id="quiz"))
    second.write_text(GOOD.format(id="quiz"))
    return cwd, data, first, second


def test_two_banks_with_one_id_are_both_refused_naming_each_other(tmp_path: Path) -> None:
    cwd, data, first, second = two_quizzes(tmp_path)
    entries = {e.path: e for e in discover(data, cwd)}
    for path, other in ((first, second), (second, first)):
        entry = entries[path]
        assert not entry.ok and entry.clash_id == "quiz"
        assert str(other) in entry.problems[0] and "bank id 'quiz'" in entry.problems[0]
    assert entries[next(p for p in entries if p.name == "sample.toml")].ok


def test_run_refuses_a_shared_id_by_id_and_by_path(tmp_path: Path) -> None:
    cwd, data, first, second = two_quizzes(tmp_path)
    with pytest.raises(BankError) as by_id:
        resolve("quiz", data, cwd)
    text = str(by_id.value.problems[0])
    assert str(first) in text and str(second) in text
    with pytest.raises(BankError) as by_path:
        resolve(str(first), data, cwd)
    text = str(by_path.value.problems[0])
    assert str(first) in text and str(second) in text
    outside = tmp_path / "copy.toml"  # a file elsewhere with the id of a bundled bank
    outside.write_text(GOOD.format(id="sample"))
    with pytest.raises(BankError, match=r"bank id 'sample' is also the id of .*sample\.toml"):
        resolve(str(outside), data, cwd)


def test_validate_reports_a_shared_id_naming_both_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from examsim.cli import main

    cwd, data, first, second = two_quizzes(tmp_path)
    monkeypatch.chdir(cwd)
    assert main(["validate", "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert f"{first}: error: bank id 'quiz' is also the id of {second}" in err
    assert f"{second}: error: bank id 'quiz' is also the id of {first}" in err
    assert main(["validate", "--data-dir", str(data), str(first)]) == 2
    assert f"{first}: error: bank id 'quiz' is also the id of {second}" in \
        capsys.readouterr().err
    second.write_text(GOOD.format(id="quiz-md"))
    assert main(["validate", "--data-dir", str(data)]) == 0
    assert main(["validate", "--data-dir", str(data), str(first)]) == 0


def test_run_by_name_of_a_broken_bank_prints_its_problems_located_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`run NAME` of a bank found that does not load: the lines `run PATH` and validate
    print, not the path twice (`PATH: PATH:5: ...`)."""
    from examsim.cli import main

    data = tmp_path / "data"
    (data / "banks").mkdir(parents=True)
    broken = data / "banks" / "broken.toml"
    broken.write_text('[[questions]]\nid = "q1"\nstem = "s"\noptions = ["a", "b"]\n'
                      'answer = "E"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    line = f"{broken}:5: error: question q1 (#1): answer: 'E' names no option (options are A-B)"
    assert main(["run", "broken", "--data-dir", str(data)]) == 2
    assert capsys.readouterr().err.splitlines() == [line]
    assert main(["run", str(broken), "--data-dir", str(data)]) == 2
    assert capsys.readouterr().err.splitlines() == [line]
