"""The writer: ids, validation per question, readable TOML that loads."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from examsim.core.formats import writer
from examsim.core.formats.common import Imported, ImportResult, Where
from examsim.core.formats.native import load_bank


def result_of(*questions: tuple[dict, str | None]) -> ImportResult:
    result = ImportResult()
    for number, (data, hint) in enumerate(questions, 1):
        result.questions.append(Imported(Where(number * 10, number), data, id_hint=hint))
    return result


GOOD = {"stem": "Line one\nline two", "options": ["a", {"text": "b", "why": "because"}],
        "answer": ["B"]}


def test_ids_are_slugs_or_positions_and_unique() -> None:
    result = result_of((GOOD, "Jesus' hometown"), (GOOD, "Jesus' hometown"), (GOOD, None),
                       (GOOD, "!!!"))
    built = writer.build([("f.gift", result)], "bank")
    assert [q["id"] for q in built.data["questions"]] == \
        ["jesus-hometown", "jesus-hometown-2", "q-003", "q-004"]


def test_invalid_questions_are_skipped_with_the_models_reason() -> None:
    nine = {"stem": "Q?", "options": [str(i) for i in range(9)], "answer": ["A"]}
    same = {"stem": "Q?", "options": ["x", "y", "x "], "answer": ["A"]}
    empty = {"stem": "Q?", "options": ["x", ""], "answer": ["A"]}
    built = writer.build([("f", result_of((nine, None), (same, None), (empty, None),
                                          (GOOD, None)))], "bank")
    reasons = [s.reason for _, s in built.skipped]
    assert reasons == ["options: has 9 options; examsim allows at most 8",
                       "options A and C are identical",
                       "option B: must not be empty"]
    assert [s.where.line for _, s in built.skipped] == [10, 20, 30]
    assert len(built.data["questions"]) == 1


def test_domain_fills_only_questions_without_one() -> None:
    other = {**GOOD, "domain": "kept"}
    built = writer.build([("f", result_of((GOOD, None), (other, None)))], "b", domain="set")
    assert [q["domain"] for q in built.data["questions"]] == ["set", "kept"]


def test_toml_is_readable_and_loads(tmp_path: Path) -> None:
    tricky = {"stem": 'Quotes """ and \\ and \t tab\nand a second line',
              "options": ["```sh\nls\n```", {"text": "b", "why": "two\nlines"}],
              "answer": ["A", "B"], "explanation": "ends with a newline\n",
              "topics": ["x"], "references": ["https://x.org"]}
    built = writer.build([("f", result_of((tricky, "t"), (GOOD, "g")))], "bank", "Title")
    text = writer.dumps(built.data, header="Imported from f")
    assert text.startswith("# Imported from f\n[bank]\n")
    assert 'answer = ["A", "B"]' in text and 'answer = "B"' in text
    assert 'stem = """\nLine one\nline two"""' in text
    path = tmp_path / "out.toml"
    path.write_text(text, encoding="utf-8")
    bank = load_bank(path)
    assert bank.questions[0].stem == tricky["stem"]
    assert bank.questions[0].options[1].why == "two\nlines"
    assert tomllib.loads(text) == built.data


def test_json_output_loads(tmp_path: Path) -> None:
    built = writer.build([("f", result_of((GOOD, None)))], "bank")
    path = tmp_path / "out.json"
    path.write_text(writer.dumps(built.data, "json"), encoding="utf-8")
    assert load_bank(path).questions[0].answer == ("B",)
    assert json.loads(path.read_text())["bank"]["id"] == "bank"
