"""What the review screen shows, as data: storage/review.py."""

from __future__ import annotations

from pathlib import Path

from examsim.storage.history import History
from examsim.storage.review import counts, review_items

from .helpers import FakeNow, FakeSession, make_bank


def test_abandoned_attempt_counts_every_question(tmp_path: Path) -> None:
    """QA #12: an abandoned attempt with 12 unanswered questions shows 12, not 0."""
    with History(tmp_path / "history.sqlite3", now=FakeNow()) as history:
        session = FakeSession(make_bank(12)).mark(3, flagged=True)
        attempt_id = history.start_attempt(session)
        history.autosave(attempt_id, session)
        history.abandon(attempt_id, "abandoned from the home screen")
        _, items = review_items(history, attempt_id)
    assert counts(items) == {"all": 12, "wrong": 0, "flagged": 1, "unanswered": 12}


def test_review_shows_the_order_and_letters_the_user_saw(tmp_path: Path) -> None:
    """QA #6: shuffled options are reviewed as shown ("your answer A"); CSV keeps bank
    letters."""
    from examsim.core.assemble import AttemptPlan
    from examsim.core.bank import LETTERS
    from examsim.core.session import ExamSession
    from examsim.tui.widgets.review_detail import verdict_line

    bank = make_bank(6)
    with History(tmp_path / "history.sqlite3", now=FakeNow()) as history:
        for seed in range(1, 50):  # a seed whose first question is shown shuffled
            session = ExamSession.start(bank, AttemptPlan(seed=seed), clock=lambda: 0.0)
            if session.option_orders[0][0] != 0:
                break
        order = session.option_orders[0]
        attempt_id = history.start_attempt(session)
        session.go(0)
        assert session.choose(0).ok  # key "a": the first option on the screen
        session.submit()
        history.finish(attempt_id, session)
        (row, *_) = history.answers(attempt_id)
        _, items = review_items(history, attempt_id, bank)
    bank_letter = LETTERS[order[0]]
    assert row.chosen == bank_letter != "A"  # stored (and exported) in bank letters
    assert row.display == "".join(LETTERS[i] for i in order)
    first = items[0]
    question = bank.question(row.question_id)
    assert [o.text for o in first.options] == [question.options[i].text for i in order]
    assert [o.letter for o in first.options] == list(LETTERS[: len(order)])
    assert first.options[0].chosen and first.options[0].bank_letter == bank_letter
    assert first.shown(row.chosen) == "A" and first.shuffled
    assert "your answer A" in verdict_line(first)
    key_shown = "".join(o.letter for o in first.options if o.in_key)
    assert first.shown(row.answer) == key_shown


def test_answers_stored_before_v4_review_in_bank_order(tmp_path: Path) -> None:
    with History(tmp_path / "history.sqlite3", now=FakeNow()) as history:
        session = FakeSession(make_bank(3)).mark(0, chosen="B")  # no option orders known
        attempt_id = history.start_attempt(session)
        session.submit()
        history.finish(attempt_id, session)
        _, items = review_items(history, attempt_id)
    assert items[0].row.display is None and not items[0].shuffled
    assert [o.letter for o in items[0].options] == ["A", "B", "C", "D"]
    assert items[0].shown("B") == "B"


def test_abandoned_from_the_last_save_keeps_the_display_order(tmp_path: Path) -> None:
    from examsim.core.assemble import AttemptPlan
    from examsim.core.bank import LETTERS
    from examsim.core.session import ExamSession

    with History(tmp_path / "history.sqlite3", now=FakeNow()) as history:
        session = ExamSession.start(make_bank(6), AttemptPlan(seed=7), clock=lambda: 0.0)
        attempt_id = history.start_attempt(session)
        session.choose(1)
        history.autosave(attempt_id, session)
        history.abandon(attempt_id, "the bank changed")  # no session: from the last save
        rows = history.answers(attempt_id)
    assert [row.display for row in rows] == [
        "".join(LETTERS[i] for i in order) for order in session.option_orders]
