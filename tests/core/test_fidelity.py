"""Real-exam fidelity (issue: unscored questions, score report, strict timing, extra time)."""

from __future__ import annotations

from collections import Counter

import pytest

from examsim.core import score_report
from examsim.core.assemble import AttemptPlan, assemble, is_full_exam
from examsim.core.bank import Bank
from examsim.core.bank_model import validate_bank
from examsim.core.session import ExamSession

from .helpers import FakeClock


def aws_like(unscored: int = 10) -> Bank:
    """75 of 100 questions over four domains weighted 26/29/25/20, 180 min, 750/1000."""
    domains = [("org", 26, 26), ("new", 29, 29), ("imp", 25, 25), ("mig", 20, 20)]
    questions = []
    for domain, _, count in domains:
        for i in range(count):
            questions.append({"id": f"{domain}-{i:02d}", "domain": domain, "stem": f"{domain} {i}?",
                              "options": ["a", "b", "c", "d"], "answer": ["A"]})
    return validate_bank({
        "bank": {"id": "aws", "title": "AWS-like", "time_limit": 180, "questions_per_exam": 75,
                 "scaled_score": {"min": 100, "max": 1000, "pass": 750},
                 "unscored": unscored},
        "domains": [{"id": d, "name": d.upper(), "weight": w} for d, w, _ in domains],
        "questions": questions,
    })


def test_a_full_exam_draws_the_banks_unscored_questions_keeping_the_weights() -> None:
    bank = aws_like()
    for seed in range(25):
        got = assemble(bank, AttemptPlan(seed=seed))
        assert len(got.question_ids) == 75 and len(got.unscored) == 10
        assert set(got.unscored) <= set(got.question_ids)
        scored = Counter(bank.question(q).domain for q in got.question_ids
                         if q not in got.unscored)
        # 65 scored by weight, largest remainder: 26/29/25/20 -> 16.9/18.85/16.25/13
        assert scored == {"org": 17, "new": 19, "imp": 16, "mig": 13}
    again = assemble(bank, AttemptPlan(seed=3))
    assert again.unscored == assemble(bank, AttemptPlan(seed=3)).unscored  # per seed


def test_only_full_exams_draw_unscored_unless_asked() -> None:
    bank = aws_like()
    assert assemble(bank, AttemptPlan(seed=1, questions=20)).unscored == ()
    assert assemble(bank, AttemptPlan(mode="practice", seed=1)).unscored == ()
    assert assemble(bank, AttemptPlan(seed=1, unscored=0)).unscored == ()
    assert len(assemble(bank, AttemptPlan(seed=1, questions=20, unscored=4)).unscored) == 4


def test_unscored_questions_are_hidden_during_the_exam_and_left_out_of_the_score() -> None:
    bank = aws_like()
    session = ExamSession.start(bank, AttemptPlan(seed=5), FakeClock())
    hidden = session.unscored
    assert len(hidden) == 10
    assert not any(hasattr(session.view(p), "scored") for p in range(session.count))
    for position in range(session.count):  # every unscored question right, the rest wrong
        session.go(position)
        choice = 0 if session.view().question.id in hidden else 1
        key = next(o.display for o in session.view().options if o.in_key)
        session.choose(key if choice == 0 else (key + 1) % 4)
    session.submit()
    result = session.result()
    assert (result.total, result.correct, result.unscored, result.unscored_correct) == (
        65, 0.0, 10, 10.0)
    assert result.scaled == 100 and result.passed is False
    assert sum(d.attempted for d in result.per_domain) == 65
    snap = session.snapshot()
    assert set(ExamSession.restore(bank, snap.model_dump(mode="json")).unscored) == hidden


def test_extra_time_is_an_accommodation_a_full_exam_stays_full() -> None:
    bank = aws_like(0)
    plan = AttemptPlan(seed=1, extra_minutes=30)
    got = assemble(bank, plan)
    assert got.time_limit == pytest.approx(210 * 60)
    assert is_full_exam(bank, plan, 75, got.time_limit)
    assert not is_full_exam(bank, AttemptPlan(time_minutes=210), 75, 210 * 60)
    assert ExamSession.start(bank, plan).full


class Wall:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_strict_timing_counts_the_time_while_closed() -> None:
    bank = aws_like(0)
    clock, wall = FakeClock(), Wall()
    session = ExamSession.start(bank, AttemptPlan(seed=1, strict=True), clock, wall=wall)
    clock.advance(600)
    wall.now += 600
    session.choose(0)
    data = session.snapshot().model_dump(mode="json")
    wall.now += 3600  # an hour closed
    resumed = ExamSession.restore(bank, data, FakeClock(), wall=wall)
    assert resumed.elapsed() == pytest.approx(4200)
    assert resumed.remaining() == pytest.approx(180 * 60 - 4200)
    assert not resumed.finished
    wall.now += 3 * 3600  # time ran out while closed: ends at once, as it stood
    ended = ExamSession.restore(bank, data, FakeClock(), wall=wall)
    assert ended.finished and ended.end_reason == "time_up"
    assert ended.result().questions[0].chosen  # the answer given stands


def test_default_timing_pauses_while_closed() -> None:
    bank = aws_like(0)
    clock, wall = FakeClock(), Wall()
    session = ExamSession.start(bank, AttemptPlan(seed=1), clock, wall=wall)
    clock.advance(600)
    data = session.snapshot().model_dump(mode="json")
    wall.now += 3600
    assert ExamSession.restore(bank, data, FakeClock(), wall=wall).elapsed() == \
        pytest.approx(600)


def test_the_score_report_with_known_inputs() -> None:
    Line = score_report.Line
    lines = ([Line("a", True, 1.0, True, False, 60.0, True, False)] * 8
             + [Line("a", True, 0.0, False, True, 30.0, True, False)] * 2
             + [Line("b", True, 1.0, True, False, 120.0, True, True)] * 3
             + [Line("b", True, 0.0, True, False, 120.0, True, False)] * 7
             + [Line("b", False, 1.0, True, False, 90.0, True, False)] * 2)
    report = score_report.build(
        lines, title="T", passed=False, scaled=550, pass_label="750/1000", pass_percent=72.2,
        labels={"a": "Alpha", "b": "Beta"}, weights={"a": 60, "b": 40}, elapsed=3000,
        time_limit=7200)
    assert [(r.label, r.weight, r.questions, r.right, r.percent, r.level)
            for r in report.domains] == [
        ("Alpha", 60.0, 10, 8.0, 80.0, "meets the standard"),
        ("Beta", 40.0, 10, 3.0, 30.0, "needs improvement")]
    assert (report.total, report.right, report.unanswered, report.flagged, report.changed) == (
        20, 11.0, 2, 2, 3)
    assert report.slowest == "Beta" and (report.unscored, report.unscored_right) == (2, 2.0)
    text = score_report.markdown(report, "Attempt 4")
    assert "| Alpha | 60% | 10 | 8 | 80% | meets the standard |" in text
    assert "**NOT PASSED** · scaled score 550 (pass 750/1000)" in text
    assert "compensatory" in text
    assert "2 unscored questions" in text and "50:00 of 2:00:00" in text
    pipe = score_report.build([Line("x", True, 1.0, True, False, 1.0, True, False)],
                              title="A|B", passed=True, scaled=None, pass_label="70%",
                              pass_percent=70, labels={"x": "X|Y"}, weights={}, elapsed=1,
                              time_limit=None)
    assert "| X\\|Y |" in score_report.markdown(pipe)
