"""Fresh vs repeat, answer trails and readiness through the real engine and store."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsim.core.assemble import AttemptPlan
from examsim.core.session import ExamSession
from examsim.storage.history import History
from examsim.storage.report import bank_report

from .helpers import FakeNow
from .test_counting import BANK, Clock, key, take, wrong


@pytest.fixture
def history(tmp_path: Path):
    with History(tmp_path / "history.sqlite3", FakeNow()) as opened:
        yield opened


def test_the_second_pass_is_repeats_and_the_first_is_fresh(history: History) -> None:
    first = take(history, AttemptPlan(seed=31), ["right", "next", "wrong"])
    second = take(history, AttemptPlan(seed=31), ["right", "next", "right", "next", "right"])
    assert [a.fresh for a in history.answers(first) if a.seen] == [True, True]
    again = [a.fresh for a in history.answers(second) if a.seen]
    assert again == [False, False, True]  # the third was never shown the first time
    report = bank_report(history, BANK.id, BANK)
    assert (report.fresh.answers, report.fresh.percent) == (3, pytest.approx(66.7))
    assert (report.repeat.answers, report.repeat.percent) == (2, 100.0)
    assert report.readiness is not None
    assert report.readiness.verdict == "not enough fresh answers yet"
    assert report.readiness.estimate is None


def test_every_change_of_answer_is_kept(history: History) -> None:
    session = ExamSession.start(BANK, AttemptPlan(seed=32, shuffle=False), Clock())
    attempt = history.start_attempt(session)
    session.next()  # q1: a single-answer question (q0 takes two)
    right, bad = key(session), wrong(session)
    for display in bad:
        session.choose(display)      # first a wrong answer
    for display in right:
        session.choose(display)      # then the key: wrong -> right
    session.submit()
    history.finish(attempt, session)
    (row,) = [a for a in history.answers(attempt) if a.trail]
    assert row.first != row.chosen and row.chosen == row.answer
    assert row.trail == f"{row.first}>{row.chosen}"
    changes = bank_report(history, BANK.id, BANK).answer_changes
    assert (changes.wrong_to_right, changes.right_to_wrong,
            changes.wrong_to_wrong) == (1, 0, 0)
    assert changes.reading == "too few changes to tell"


def test_the_review_shows_the_first_answer_and_marks_fast_repeats(history: History) -> None:
    """Five fresh questions at 60 s each, then the same exam again, each answered right in
    2 s: every repeat is "possibly remembered"; a changed answer shows its first answer."""
    from examsim.storage.review import review_items
    from examsim.tui.widgets.review_detail import meta_line, verdict_line

    class Slow:
        def __init__(self, step: float) -> None:
            self.now, self.step = 0.0, step

        def __call__(self) -> float:
            self.now += self.step
            return self.now

    def exam(step: float, change_first: bool) -> int:
        session = ExamSession.start(BANK, AttemptPlan(seed=33, shuffle=False), Slow(step))
        attempt = history.start_attempt(session)
        for position in range(5):
            if change_first and position == 1:
                for display in wrong(session):
                    session.choose(display)
            for display in key(session):
                session.choose(display)
            session.next()
        session.submit()
        history.finish(attempt, session)
        return attempt

    exam(20.0, change_first=False)
    second = exam(1.0, change_first=True)
    _, items = review_items(history, second, BANK)
    repeats = [item for item in items[:5]]
    assert all(item.remembered for item in repeats)
    assert bank_report(history, BANK.id, BANK).remembered == 5  # the same rule in stats
    assert "possibly remembered" in meta_line(repeats[0])
    assert "first answer" in verdict_line(repeats[1])
    assert "first answer" not in verdict_line(repeats[0])


def test_prefer_fresh_takes_unseen_questions_first_keeping_the_weights() -> None:
    from examsim.core.assemble import assemble

    seen = {"q0": 1, "q1": 1, "q2": 1, "q3": 1, "q4": 2}  # q5-q7 never shown
    plan = AttemptPlan(questions=4, prefer_fresh=True, seed=9)
    for seed in range(20):
        got = assemble(BANK, AttemptPlan(questions=4, prefer_fresh=True, seed=seed), seen)
        domains = [BANK.question(q).domain for q in got.question_ids]
        assert sorted(domains) == ["net", "net", "sec", "sec"]  # weights 50/50 kept
        assert {"q5", "q6", "q7"} <= set(got.question_ids)  # every unseen one
        least = {"q0", "q1", "q2", "q3"} & set(got.question_ids)
        assert len(least) == 1  # then one of the least recently seen (attempt 1, not 2)
    plain = {assemble(BANK, AttemptPlan(questions=4, seed=s), seen).question_ids
             for s in range(20)}
    assert any("q0" in ids and "q1" in ids for ids in plain)  # without it: at random
    assert assemble(BANK, plan, None).question_ids  # no history: as usual


def test_run_prefer_fresh_through_the_services(history: History, tmp_path: Path) -> None:
    from examsim.commands.app import AppServices

    first = take(history, AttemptPlan(questions=4, seed=1), ["right"])
    shown = {a.question_id for a in history.answers(first) if a.seen}
    services = AppServices(history, tmp_path)
    session = services.start(BANK, AttemptPlan(questions=4, seed=2, prefer_fresh=True))
    assert not shown & set(session.question_ids)
