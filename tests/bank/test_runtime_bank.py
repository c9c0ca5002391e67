"""The runtime bank (core/bank.py): plain objects that dump, compare, hash and pickle as
the pydantic models they are built from did, and import no pydantic."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from examsim.core import bank_model
from examsim.core.bank import Bank, FrozenError, Option, Question
from examsim.core.formats.native import parse

BANKS = sorted((Path(__file__).resolve().parents[2] / "banks").glob("*.toml"))

RICH = {
    "bank": {"id": "rich", "title": "Rich", "time_limit": 90, "questions_per_exam": 2,
             "scaled_score": {"min": 100, "max": 1000, "pass": 700}, "unscored": 1,
             "partial_credit": True},
    "domains": [{"id": "a", "name": "Alpha", "weight": 60}, {"id": "b", "weight": 40}],
    "questions": [
        {"id": "q1", "domain": "a", "topics": ["t1", "t2"], "stem": "One?",
         "options": ["Yes", {"text": "No", "why": "Because."}, "Maybe"],
         "answer": ["c", "A"], "explanation": "So.", "references": ["https://x"]},
        {"id": "q2", "domain": "b", "stem": "Two?", "options": ["A", "B"], "answer": "B"},
        {"id": "q3", "domain": "a", "stem": "Three?", "options": ["x", "y"], "answer": "a",
         "explanation": ""},
    ],
}

DUMPS: list[dict[str, Any]] = [
    {}, {"by_alias": True}, {"mode": "json"}, {"mode": "json", "by_alias": True},
    {"exclude_none": True}, {"by_alias": True, "exclude_none": True},
    {"mode": "json", "by_alias": True, "exclude_unset": True},
]


def datasets() -> list[dict[str, Any]]:
    found = [RICH, {"questions": RICH["questions"][1:2]}]
    for path in BANKS:
        data = parse(path.read_text(encoding="utf-8"), "toml", str(path))
        found.append({**data, "bank": {"id": path.stem, **data.get("bank", {})}})
    return found


@pytest.mark.parametrize("data", datasets())
@pytest.mark.parametrize("options", DUMPS)
def test_dumps_as_the_model_did(data: dict[str, Any], options: dict[str, Any]) -> None:
    model = bank_model.Bank.model_validate(data)
    bank = bank_model.to_bank(model)
    if options.get("exclude_unset") and data is RICH:  # q3 writes explanation = "" (below)
        again = bank_model.validate_bank(bank.model_dump(**options))
        assert again == bank_model.validate_bank(model.model_dump(**options)) == bank
        return
    assert bank.model_dump(**options) == model.model_dump(**options)
    json_options = {k: v for k, v in options.items() if k != "mode"}
    assert bank.model_dump_json(**json_options) == model.model_dump_json(**json_options)


def test_exclude_unset_leaves_out_what_equals_the_default() -> None:
    """The plain classes do not remember which keys the file had: a field counts as set
    when it differs from its default (required fields always), so a key written with
    its default value is left out where pydantic kept it; the bank is the same."""
    bank = bank_model.validate_bank(RICH)
    assert bank.questions[2].model_fields_set == {"id", "domain", "stem", "options", "answer"}
    dumped = bank.model_dump(by_alias=True, exclude_unset=True)
    assert "explanation" not in dumped["questions"][2]
    assert bank_model.validate_bank(dumped) == bank


def test_immutable_equal_hashable_and_picklable() -> None:
    bank = bank_model.validate_bank(RICH).with_source("rich.toml", "0" * 64)
    question = bank.questions[0]
    with pytest.raises(FrozenError):
        question.stem = "changed"  # type: ignore[misc]  # the point: it is refused
    with pytest.raises(ValueError):  # as pydantic's frozen models raised
        bank.settings.title = "changed"  # type: ignore[misc]  # the point: refused
    with pytest.raises(FrozenError):
        del question.id
    again = pickle.loads(pickle.dumps(bank))
    assert again == bank and again is not bank
    assert (again.source, again.source_hash) == ("rich.toml", "0" * 64)
    assert hash(again) == hash(bank)
    assert again.question("q2") == bank.question("q2")
    assert {question, pickle.loads(pickle.dumps(question))} == {question}
    assert question.fingerprint == pickle.loads(pickle.dumps(question)).fingerprint
    assert bank != bank_model.validate_bank(RICH)  # not the same file: not the same bank
    assert Option(text="x") == Option(text="x", why=None) != Option(text="x", why="y")


def test_with_source_is_a_copy() -> None:
    bank = bank_model.validate_bank(RICH)
    found = bank.with_source("a.toml", "1" * 64)
    assert bank.source is None and found.source == "a.toml"
    assert found.questions is bank.questions


def test_constructors_validate_nothing() -> None:
    """Trusted data only (the bank cache, to_bank): no rule is checked here."""
    question = Question(id="", stem="", options=(), answer=("Z",))
    assert Bank(questions=[question]).questions == (question,)


def test_importing_the_bank_imports_no_pydantic() -> None:
    code = ("import sys, examsim.core.bank, examsim.core.session, examsim.storage.bank_cache;"
            " print(sorted(n for n in sys.modules if n.split('.')[0] == 'pydantic'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
