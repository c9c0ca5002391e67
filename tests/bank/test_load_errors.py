"""Malformed bank files: each gives located, one-line problems and never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from examsim.core.errors import BankError
from examsim.core.formats.native import load_bank

from .helpers import GOOD_QUESTION, HEADER, question

DOMAINS = """
[[domains]]
id = "a"
name = "Alpha"
weight = 60

[[domains]]
id = "b"
weight = 40
"""

# (name, file text, [fragments every expected problem line must contain], expected line)
CASES: list[tuple[str, str, list[str], int | None]] = [
    ("toml_syntax", HEADER + 'stem = "unclosed\n', ["TOML syntax error"], 3),
    ("toml_duplicate_key", HEADER + GOOD_QUESTION + 'id = "again"\n', ["TOML syntax error"], 9),
    ("no_questions", HEADER, ["no questions"], None),
    ("empty_questions_list", "questions = []\n" + HEADER, ["no questions"], 1),
    ("unknown_top_key", HEADER + "[extra]\nx = 1\n" + GOOD_QUESTION, ["extra", "unknown key"], 3),
    ("unknown_bank_key", "[bank]\ntitel = 'x'\n" + GOOD_QUESTION,
     ["bank.titel", "did you mean 'title'"], 2),
    ("unknown_question_key_typo", HEADER + question(anwser='"A"'),
     ["q1", "anwser", "did you mean 'answer'"], 9),
    ("missing_answer", HEADER + question(answer=None), ["q1", "answer", "missing"], 4),
    ("missing_stem", HEADER + question(stem=None), ["q1", "stem", "missing"], 4),
    ("missing_id_uses_number", HEADER + question(id=None), ["question #1", "id", "missing"], 4),
    ("empty_stem", HEADER + question(stem='"   "'), ["stem", "must not be empty"], 6),
    ("empty_title", '[bank]\ntitle = ""\n' + GOOD_QUESTION, ["bank.title", "must not be empty"], 2),
    ("blank_title", '[bank]\ntitle = "  "\n' + GOOD_QUESTION, ["bank.title", "must not be empty"],
     2),
    ("one_option", HEADER + question(options='["Only"]'), ["options", "needs 2 to 8"], 7),
    ("nine_options", HEADER + question(options=json.dumps([f"o{i}" for i in range(9)])),
     ["options", "at most 8"], 7),
    ("duplicate_options", HEADER + question(options='["Same", "Other", "Same"]'),
     ["options A and C are identical"], 7),
    ("duplicate_options_spacing", HEADER + question(options='["Same  text", "Same text"]'),
     ["identical"], 7),
    ("answer_out_of_range", HEADER + question(answer='"D"'), ["answer", "'D' names no option"], 8),
    ("answer_not_letter", HEADER + question(answer='"1"'), ["answer", "not an option letter"], 8),
    ("answer_as_string_of_letters", HEADER + question(answer='"AB"'), ["write ['A', 'B']"], 8),
    ("answer_repeats", HEADER + question(answer='["A", "a"]'), ["answer", "letters repeat"], 8),
    ("answer_empty_list", HEADER + question(answer="[]"), ["answer", "is empty"], 8),
    ("answer_wrong_type", HEADER + question(answer="3"), ["answer", "should be"], 8),
    ("options_wrong_type", HEADER + question(options='"A, B"'), ["options", "should be a list"], 7),
    ("option_bad_table_key", HEADER + question(options='[{ text = "x", wy = "y" }, "z"]'),
     ["option A.wy", "unknown key"], 7),
    ("option_empty_text", HEADER + question(options='[{ text = "" }, "z"]'),
     ["option A.text", "must not be empty"], 7),
    ("topics_wrong_type", HEADER + question(topics='"SCP"'), ["topics", "should be a list"], 9),
    ("duplicate_ids", HEADER + question("q1") + question("q1"),
     ["question q1 (#2)", "duplicate id 'q1'"], 11),
    ("unknown_domain", HEADER + DOMAINS + question(domain='"c"'),
     ["domain", "unknown domain 'c'", "a, b"], 18),
    ("missing_domain_when_domains", HEADER + DOMAINS + question(),
     ["domain", "missing; the bank's domains are a, b"], 13),
    ("weights_not_100", HEADER + DOMAINS.replace("40", "30") + question(domain='"a"'),
     ["weights add up to 90"], 4),
    ("weight_negative", HEADER + DOMAINS.replace("40", "-40") + question(domain='"a"'),
     ["domain #2", "weight", "greater than 0"], 11),
    ("duplicate_domain", HEADER + DOMAINS.replace('"b"', '"a"') + question(domain='"a"'),
     ["duplicate domain id 'a'"], 10),
    ("questions_per_exam_too_many", "[bank]\nquestions_per_exam = 5\n" + question(),
     ["bank.questions_per_exam", "more than the 1 questions"], 2),
    ("time_limit_zero", "[bank]\ntime_limit = 0\n" + question(),
     ["time_limit", "greater than or equal to 1"], 2),
    ("pass_percent_over", "[bank]\npass_percent = 120\n" + question(),
     ["pass_percent", "less than or equal to 100"], 2),
    ("scaled_pass_above_max",
     "[bank]\nscaled_score = { min = 100, max = 1000, pass = 1200 }\n" + question(),
     ["scaled_score", "at most max"], 2),
    ("scaled_and_percent", "[bank]\npass_percent = 70\n"
     "scaled_score = { min = 100, max = 1000, pass = 750 }\n" + question(),
     ["pass_percent or scaled_score, not both"], 1),
    ("bank_not_table", 'bank = "x"\n' + question(), ["bank", "must be a table"], 1),
    ("question_not_table", 'questions = ["just text"]\n' + HEADER,
     ["question #1", "should be a table"], 1),
]


@pytest.mark.parametrize(("name", "text", "fragments", "line"), CASES, ids=[c[0] for c in CASES])
def test_malformed_toml(tmp_path: Path, name: str, text: str, fragments: list[str],
                        line: int | None) -> None:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BankError) as info:
        load_bank(path)
    lines = [str(p) for p in info.value.problems]
    matching = [ln for ln in lines if all(f in ln for f in fragments)]
    assert matching, f"no problem line has {fragments}: {lines}"
    assert all(ln.startswith(str(path)) for ln in lines)
    assert all("\n" not in ln for ln in lines)
    if line is not None:
        assert any(ln.startswith(f"{path}:{line}:") for ln in matching), lines


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path) -> None:
    text = HEADER + question("q1", answer='"Z"') + question("q2", stem='""') + question(
        "q3", options='["x", "x"]')
    path = tmp_path / "many.toml"
    path.write_text(text)
    with pytest.raises(BankError) as info:
        load_bank(path)
    joined = "\n".join(map(str, info.value.problems))
    assert "question q1 (#1)" in joined
    assert "question q2 (#2)" in joined
    assert "question q3 (#3)" in joined
    assert [p.line for p in info.value.problems] == sorted(p.line for p in info.value.problems)


def test_an_unknown_domain_is_reported_with_the_other_problems(tmp_path: Path) -> None:
    """A question with a bad answer *and* an unknown domain: both at once (the domain
    used to appear only once the answer was fixed)."""
    text = (HEADER + DOMAINS + question("q1", domain='"c"', answer='"Z"')
            + question("q2", domain='"a"', stem='""') + question("q3", domain='"b"')
            + question("q4", answer='"Z"'))
    path = tmp_path / "domains.toml"
    path.write_text(text)
    with pytest.raises(BankError) as info:
        load_bank(path)
    lines = [str(p) for p in info.value.problems]
    assert any("q1 (#1): domain: unknown domain 'c'" in line for line in lines), lines
    assert any("q1 (#1): answer" in line for line in lines), lines
    assert any("q2 (#2): stem" in line for line in lines), lines
    assert any("q4 (#4): domain: missing" in line for line in lines), lines
    assert not any("q3" in line or "q2 (#2): domain" in line for line in lines), lines


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("[bank]\ntitle = 'caf\u00e9'\n".encode("latin-1"), "not UTF-8"),
        (b'[[questions]]\nid = "q"\nstem = "\xff\xfe"\n', "not UTF-8"),
    ],
    ids=["empty", "blank", "binary", "latin1", "bad_bytes"],
)
def test_unreadable_files(tmp_path: Path, raw: bytes, fragment: str) -> None:
    path = tmp_path / "bank.toml"
    path.write_bytes(raw)
    with pytest.raises(BankError, match=fragment):
        load_bank(path)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + question()).encode())
    assert load_bank(path).title == "Test bank"


def test_latin1_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "l1.toml"
    path.write_bytes(b'[bank]\ntitle = "ok"\ndescription = "caf\xe9"\n')
    with pytest.raises(BankError) as info:
        load_bank(path)
    assert str(info.value).startswith(f"{path}:3:")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(BankError, match="no such file"):
        load_bank(tmp_path / "nope.toml")
    with pytest.raises(BankError, match="is a folder"):
        load_bank(tmp_path)


def test_other_extension_points_to_import(tmp_path: Path) -> None:
    path = tmp_path / "quiz.gift"
    path.write_text("::q:: what {=a ~b}")
    with pytest.raises(BankError, match="examsim import"):
        load_bank(path)


def test_huge_file_is_refused_without_reading(tmp_path: Path, monkeypatch) -> None:
    from examsim.core.formats import native

    path = tmp_path / "big.toml"
    path.write_text(HEADER + question())
    monkeypatch.setattr(native, "MAX_BYTES", 10)
    with pytest.raises(BankError, match="are refused"):
        load_bank(path)


def test_a_bank_over_50_mb_is_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    """The documented limit (README): a sparse 50 MB + 1 byte file, refused at once with
    its size and the limit, and never read."""
    from examsim.core.formats import native

    path = tmp_path / "huge.toml"
    with path.open("wb") as out:
        out.truncate(50 * 1024 * 1024 + 1)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr(native.tomllib, "loads", no_reading)
    with pytest.raises(BankError) as info:
        load_bank(path)
    assert str(info.value) == (f"{path}: is 50.0 MB; files over 50 MB are refused before "
                               "reading (split it into several banks)")


def test_fifty_megabytes_of_junk_is_one_located_line(tmp_path: Path) -> None:
    from examsim.core.formats.native import MAX_BYTES

    path = tmp_path / "junk.toml"
    with path.open("w") as out:  # as large as a bank may be: 50 MB
        out.write(HEADER)
        out.write("this is = = not toml\n" * ((MAX_BYTES - len(HEADER)) // 21))
    with pytest.raises(BankError) as info:
        load_bank(path)
    assert len(info.value.problems) == 1
    assert str(info.value).startswith(f"{path}:3: TOML syntax error")


# JSON: the same keys, with JSON's own line numbers
def _json_bank(questions: list[dict]) -> str:
    return json.dumps({"bank": {"title": "J"}, "questions": questions}, indent=2)


def test_json_bank_loads(tmp_path: Path) -> None:
    path = tmp_path / "j.json"
    path.write_text(_json_bank([{"id": "q1", "stem": "s", "options": ["a", "b"],
                                 "answer": ["A", "B"]}]))
    bank = load_bank(path)
    assert bank.id == "j" and bank.questions[0].choose == 2


def test_json_syntax_error_has_line(tmp_path: Path) -> None:
    path = tmp_path / "j.json"
    path.write_text('{\n  "bank": {"title": "x",}\n}\n')
    with pytest.raises(BankError) as info:
        load_bank(path)
    assert str(info.value).startswith(f"{path}:2: JSON syntax error")


def test_json_duplicate_key(tmp_path: Path) -> None:
    path = tmp_path / "j.json"
    path.write_text('{"questions": [], "questions": []}')
    with pytest.raises(BankError, match="appears twice"):
        load_bank(path)


def test_json_not_object(tmp_path: Path) -> None:
    path = tmp_path / "j.json"
    path.write_text("[1, 2]")
    with pytest.raises(BankError, match="must be an object"):
        load_bank(path)


def test_json_question_error_located_by_id(tmp_path: Path) -> None:
    path = tmp_path / "j.json"
    path.write_text(_json_bank([
        {"id": "ok", "stem": "s", "options": ["a", "b"], "answer": "A"},
        {"id": "bad", "stem": "s", "options": ["a", "b"], "answer": "C"},
    ]))
    with pytest.raises(BankError) as info:
        load_bank(path)
    (problem,) = info.value.problems
    text = path.read_text().splitlines()
    assert problem.question == "bad" and problem.field == "answer"
    assert problem.line is not None and '"answer"' in text[problem.line - 1]


# -- pathological files: one line for that file, never a RecursionError or a hang -------


@pytest.mark.parametrize("name, text", [
    ("deep.json", "[" * 100_000 + "]" * 100_000),
    ("deep.toml", "a = " + "[" * 100_000 + "]" * 100_000 + "\n"),
    ("deep2.toml", "a = " + "[" * 900 + "]" * 900 + "\n"),
    ("deep3.json", '{"questions": ' + "[" * 5000 + "]" * 5000 + "}"),
])
def test_nested_too_deeply(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(BankError) as info:
        load_bank(path)
    assert [str(p) for p in info.value.problems] == [f"{path}: nested too deeply"]


def test_a_named_pipe_is_refused_without_reading(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    with pytest.raises(BankError, match="is not a regular file"):
        load_bank(fifo)
