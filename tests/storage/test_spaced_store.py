"""Spaced review in the history: cards after each seen answer, due mode, replay of v7."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsim.commands.app import AppServices
from examsim.core.assemble import AttemptPlan
from examsim.core.bank_model import validate_bank
from examsim.core.due import end_of_day
from examsim.core.session import ExamSession
from examsim.storage.history import History
from examsim.storage.plans import due_ids, with_history_ids

from .helpers import FakeNow, make_bank
from .test_counting import BANK, Clock, answer, take


@pytest.fixture
def history(tmp_path: Path):
    with History(tmp_path / "history.sqlite3", FakeNow()) as opened:
        yield opened


def _interleaved(domains: list[str | None]) -> bool:
    """No two of one domain in a row while another domain remains after them."""
    return all(domains[i] != domains[i + 1] or len(set(domains[i:])) == 1
               for i in range(len(domains) - 1))


def seen_answers(history: History, attempt_id: int) -> dict[str, bool]:
    return {a.question_id: a.correct for a in history.answers(attempt_id) if a.seen}


def test_right_after_an_exam_due_is_its_wrong_and_unanswered_seen_questions(
    history: History,
) -> None:
    steps = ["right", "next", "wrong", "next", "right", "next", "wrong", "next", "flag"]
    attempt = take(history, AttemptPlan(seed=21), steps)  # 5 seen, 3 never shown
    seen = seen_answers(history, attempt)
    assert len(seen) == 5
    expected = {qid for qid, correct in seen.items() if not correct}
    assert len(expected) == 3  # 2 wrong, 1 unanswered
    ids = due_ids(BANK, history)
    assert set(ids) == expected and len(ids) == 3
    domains = [BANK.question(qid).domain for qid in ids]
    # interleaved: no two of one domain in a row while the other domain remains
    assert _interleaved(domains)
    plan = with_history_ids(BANK, history, AttemptPlan(mode="due", seed=1))
    session = ExamSession.start(BANK, plan, Clock())
    assert list(session.question_ids) == ids  # the order is kept: most overdue first
    assert session.feedback and not session.full
    # every seen answer has a card; the right ones are not due before tomorrow
    assert {qid for qid, *_ in history.cards(BANK.id)} == set(seen)
    tomorrow = end_of_day(history.now())
    assert history.due_count(BANK.id, tomorrow) == 3


def test_a_practice_check_reviews_its_card_once(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3", FakeNow())
    services = AppServices(history, tmp_path)
    session = ExamSession.start(BANK, AttemptPlan(mode="practice", seed=3), Clock())
    attempt = history.start_attempt(session)
    services.track(session, attempt)
    answer(session, False)
    session.check()
    services.save(session)  # the check reviews the card now: due at once
    assert [qid for qid, _ in history.due(BANK.id, end_of_day(history.now()))] == [
        session.view().question.id]
    services.save(session)  # saving again reviews nothing more
    session.submit()
    history.finish(attempt, session)
    (count,) = history._conn.execute("SELECT count(*) FROM review_log").fetchone()
    assert count == 1
    history.close()


def test_a_changed_question_starts_a_fresh_card(history: History) -> None:
    take(history, AttemptPlan(mode="drill", seed=4, question_ids=(), shuffle=False),
         ["right"])
    (_, _, card, qhash) = next(c for c in history.cards(BANK.id) if c[0] == "q0")
    edited = make_bank(8)  # same ids; q0's stem differs below
    data = edited.model_dump(by_alias=True, exclude_none=True)
    data["questions"][0]["stem"] = "An edited stem: which one?"
    changed = validate_bank(data)
    session = ExamSession.start(changed, AttemptPlan(mode="drill", shuffle=False, seed=4),
                                Clock())
    attempt = history.start_attempt(session)
    answer(session, True)
    session.submit()
    history.finish(attempt, session)
    (_, _, fresh, new_hash) = next(c for c in history.cards(BANK.id) if c[0] == "q0")
    assert new_hash != qhash
    reviews = history.review_history(BANK.id)["q0"]
    assert len(reviews) == 2
    # a fresh card reviewed Good once has the first-review stability, not a grown one
    assert '"stability": 2.3065' in fresh and fresh != card


def test_a_v7_history_is_replayed_into_cards(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with History(path, FakeNow()) as history:
        take(history, AttemptPlan(seed=5), ["wrong", "next", "right"])
        history._conn.execute("DELETE FROM review_log")
        history._conn.execute("DELETE FROM cards")
    with History(path, FakeNow()) as again:
        assert len(again.cards(BANK.id)) == 2
        assert len(again.due(BANK.id, end_of_day(again.now()))) == 1


def test_the_report_gives_due_counts_and_memory_per_domain(history: History) -> None:
    from examsim.storage.report import bank_report

    steps = ["right", "next", "wrong", "next", "right", "next", "wrong", "next", "flag"]
    attempt = take(history, AttemptPlan(seed=21), steps)
    seen = {a.question_id: a for a in history.answers(attempt) if a.seen}
    report = bank_report(history, BANK.id, BANK)
    assert (report.due.today, report.due.week) == (3, 5)  # right ones: due in 2 days (Good)
    memory = {m.id: m for m in report.memory}
    assert list(memory) == ["net", "sec"]  # the bank's domain order
    for domain in ("net", "sec"):
        count = sum(a.domain == domain for a in seen.values())
        assert memory[domain].seen == count
        assert memory[domain].total == 4 and memory[domain].learned == 0
        assert memory[domain].recall_percent is None  # reviewed minutes ago: no figure yet
    assert bank_report(history, BANK.id).memory[0].total is None  # no bank given


def test_recall_is_reported_a_day_after_the_reviews(tmp_path: Path) -> None:
    """The mean of core/spaced.py's settled recall per domain, x 100, one decimal."""
    from datetime import timedelta

    from examsim.core.spaced import settled_recall
    from examsim.storage.report import bank_report

    clock = FakeNow()
    with History(tmp_path / "history.sqlite3", clock) as history:
        steps = ["right", "next", "wrong", "next", "right", "next", "wrong", "next", "flag"]
        take(history, AttemptPlan(seed=21), steps)
        clock.moment += timedelta(days=1)
        cards = history.cards(BANK.id)
        report = bank_report(history, BANK.id, BANK)
        for m in report.memory:
            values = [settled_recall(card, clock.moment) for _, domain, card, _ in cards
                      if domain == m.id]
            assert values and all(value is not None for value in values)
            mean = sum(value or 0 for value in values) / len(values)
            assert m.recall_percent == round(100 * mean, 1)
            assert 0 < (m.recall_percent or 0) < 100
