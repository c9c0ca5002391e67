"""The bank model accepts what the format allows and normalises it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from examsim.core.bank_model import bank_json_schema, validate_bank
from examsim.core.formats.native import load_bank

from .helpers import HEADER, question


def write(tmp_path: Path, text: str, name: str = "bank.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_bank_defaults(tmp_path: Path) -> None:
    bank = load_bank(write(tmp_path, question(), "my-bank.toml"))
    assert bank.id == "my-bank"
    assert bank.title == "my-bank"
    assert bank.settings.time_limit is None
    assert bank.domains == ()
    q = bank.questions[0]
    assert q.choose == 1 and q.answer == ("A",)
    assert [o.text for o in q.options] == ["Right", "Wrong", "Also wrong"]
    assert bank.source == str(tmp_path / "my-bank.toml")
    assert bank.source_hash and len(bank.source_hash) == 64


def test_choose_n_letters_sorted_and_uppercased(tmp_path: Path) -> None:
    bank = load_bank(write(tmp_path, HEADER + question(answer='["c", "A"]')))
    q = bank.questions[0]
    assert q.answer == ("A", "C") and q.choose == 2
    assert q.key_indexes == frozenset({0, 2})


def test_option_tables_with_why(tmp_path: Path) -> None:
    opts = '[{ text = "One", why = "Because" }, "Two"]'
    q = load_bank(write(tmp_path, HEADER + question(options=opts))).questions[0]
    assert q.options[0].why == "Because" and q.options[1].why is None


def test_explicit_id_wins_over_file_name(tmp_path: Path) -> None:
    bank = load_bank(write(tmp_path, '[bank]\nid = "x-1"\n' + question()))
    assert bank.id == "x-1"


def test_domains_and_free_labels(tmp_path: Path) -> None:
    text = (HEADER + '[[domains]]\nid = "a"\nweight = 50.5\n[[domains]]\nid = "b"\nweight = 49.5\n'
            + question("q1", domain='"a"') + question("q2", domain='"b"'))
    bank = load_bank(write(tmp_path, text))
    assert bank.domain_ids == ["a", "b"]
    assert bank.domain_label("a") == "a"
    free = load_bank(write(tmp_path, question(domain='"anything"'), "free.toml"))
    assert free.questions[0].domain == "anything"


def test_question_lookup(tmp_path: Path) -> None:
    bank = load_bank(write(tmp_path, question("a") + question("b")))
    assert bank.question("b").id == "b"
    assert bank.has_question("a") and not bank.has_question("c")


def test_scaled_score(tmp_path: Path) -> None:
    text = "[bank]\nscaled_score = { min = 100, max = 1000, pass = 750 }\n" + question()
    assert load_bank(write(tmp_path, text)).settings.scaled_score.pass_mark == 750


def test_model_validate_runs_cross_checks() -> None:
    q = {"id": "x", "stem": "s", "options": ["a", "b"], "answer": "A"}
    with pytest.raises(ValueError, match="duplicate id"):
        validate_bank({"questions": [q, q]})


def test_bank_is_immutable(tmp_path: Path) -> None:
    bank = load_bank(write(tmp_path, question()))
    with pytest.raises(ValueError):
        bank.questions[0].stem = "changed"  # type: ignore[misc]


def test_schema_describes_the_file_format() -> None:
    schema = bank_json_schema()
    assert set(schema["properties"]) == {"bank", "domains", "questions"}
    question_schema = schema["$defs"]["Question"]
    assert question_schema["additionalProperties"] is False
    assert "answer" in question_schema["required"]
    json.dumps(schema)
