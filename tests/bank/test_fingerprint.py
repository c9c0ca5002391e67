"""Question.fingerprint: computed once, the same as the history's and the snapshot's hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsim.core.formats.native import load_bank
from examsim.core.session import question_fingerprint
from examsim.storage.records import question_hash

BANKS = sorted((Path(__file__).resolve().parents[2] / "banks").glob("*.toml"))


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.name)
def test_fingerprint_is_the_hash_history_and_snapshots_use(path: Path) -> None:
    for question in load_bank(path).questions:
        assert question.fingerprint == question_hash(question) == question_fingerprint(question)


def test_fingerprint_is_computed_once_and_is_not_a_field() -> None:
    bank = load_bank(BANKS[0])
    question = bank.questions[0]
    first = question.fingerprint
    assert question.fingerprint is first
    assert "fingerprint" not in question.model_dump()
    assert "fingerprint" not in type(question).model_fields
    again = load_bank(BANKS[0])
    assert again.questions[0] == question  # a cached value does not change equality
    assert hash(again.questions[0]) == hash(question)
