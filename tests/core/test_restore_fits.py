"""ExamSession.restore(fits=True): the caller (storage) knows the save was written
against this very bank, so the bank's questions are not made to count their options;
the session is the same as a full restore, and a damaged save is caught as before."""

from __future__ import annotations

from typing import Any

import pytest

from examsim.core.assemble import AttemptPlan
from examsim.core.bank import Bank, Question
from examsim.core.bank_model import validate_bank
from examsim.core.session import BankChanged, ExamSession, RestoreError

from .helpers import FakeClock, question


def _as(kind: type[Bank], bank: Bank) -> Bank:
    """The same bank as an instance of ``kind`` (a subclass that watches it)."""
    return kind(settings=bank.settings, domains=bank.domains, questions=bank.questions)


QUESTIONS = [question(f"q{i}", answer=["A", "C"] if i % 3 == 0 else "B", options=4 + i % 2)
             for i in range(40)]


class Watched(Bank):
    """A bank that counts the questions asked of it."""

    def question(self, question_id: str) -> Question:
        asked.append(question_id)
        return super().question(question_id)


asked: list[str] = []
BANK = _as(Watched, validate_bank({"bank": {"id": "test"}, "questions": QUESTIONS}))


def played() -> dict[str, Any]:
    clock = FakeClock()
    session = ExamSession.start(BANK, AttemptPlan(mode="practice", seed=4), clock)
    session.choose(0)
    session.choose(2)
    clock.advance(5)
    session.next()
    session.toggle_strike(1)
    session.toggle_flag()
    session.next()
    session.set_note("later")
    session.go(7)
    return session.snapshot().model_dump(mode="json")


def test_the_same_session_as_a_full_restore() -> None:
    data = played()
    full = ExamSession.restore(BANK, data, FakeClock(2000.0))
    asked.clear()
    fitted = ExamSession.restore(BANK, data, FakeClock(2000.0), fits=True)
    # only the questions with letters saved are asked for (to check the letters, and
    # the credit of a choice); the 40-question bank is not walked
    assert sorted(set(asked)) == sorted({data["questions"][p]["id"] for p in (0, 1)})
    assert fitted.snapshot() == full.snapshot()
    assert fitted.unsaved(everything=True) == full.unsaved(everything=True)
    assert (fitted.answered, fitted.partly_answered, fitted.flagged_count, fitted.seen) == (
        full.answered, full.partly_answered, full.flagged_count, full.seen)
    assert [fitted.view(p) for p in range(fitted.count)] == [
        full.view(p) for p in range(full.count)]


def test_the_first_question_keeps_its_saved_seen() -> None:
    """A blank first question is not skipped: the session starts with it seen."""
    data = played()
    data["index"] = 5
    data["questions"][0] = {**data["questions"][0], "chosen": "", "struck": "",
                            "seconds": 0.0, "changes": 0, "trail": [], "seen": False}
    for fits in (False, True):
        restored = ExamSession.restore(BANK, data, FakeClock(), fits=fits)
        assert restored.unsaved(everything=True).questions[0].position != 0


@pytest.mark.parametrize("fits", [False, True])
def test_letters_beyond_the_options_are_damage(fits: bool) -> None:
    data = played()
    data["questions"][3]["struck"] = "H"
    with pytest.raises(RestoreError, match=r"saved state is damaged \(letters H on question"):
        ExamSession.restore(BANK, data, fits=fits)


@pytest.mark.parametrize("fits", [False, True])
def test_an_order_that_is_not_one_is_caught_as_before(fits: bool) -> None:
    data = played()
    qid = data["questions"][9]["id"]
    count = len(BANK.question(qid).options)
    data["questions"][9]["order"] = [0] * count
    with pytest.raises(BankChanged) as caught:
        ExamSession.restore(BANK, data, fits=fits)
    assert str(caught.value) == f"question {qid!r} now has {count} options, not {count}"


def test_without_fits_every_question_is_checked() -> None:
    data = played()
    gone = data["questions"][20]["id"]
    smaller = validate_bank({"bank": {"id": "test"},
                                   "questions": [q for q in QUESTIONS if q["id"] != gone]})
    with pytest.raises(BankChanged, match=f"question {gone!r} is no longer in the bank"):
        ExamSession.restore(smaller, data)


def test_with_fits_an_id_the_bank_lacks_is_still_caught() -> None:
    data = played()
    data["questions"][30]["id"] = "not-there"
    with pytest.raises(BankChanged, match="question 'not-there' is no longer in the bank"):
        ExamSession.restore(BANK, data, fits=True)
