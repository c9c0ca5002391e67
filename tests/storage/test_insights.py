"""core/insights.py: pure computations over plain rows."""

from __future__ import annotations

import pytest

from examsim.core import insights
from examsim.core.insights import Accuracy


def test_weakest_needs_enough_answers_and_prefers_evidence() -> None:
    rows = [
        Accuracy("rare", 2, 0.0),      # 0% but only 2 answers: never ranked
        Accuracy("IAM", 10, 4.0),      # 40%
        Accuracy("KMS", 5, 2.0),       # 40%, less evidence than IAM
        Accuracy("S3", 3, 3.0),
        Accuracy(None, 50, 0.0),       # no key: not a topic
        Accuracy("VPC", 4, 1.0),       # 25%
    ]
    assert [r.key for r in insights.weakest(rows, n=3)] == ["VPC", "IAM", "KMS"]
    assert [r.key for r in insights.weakest(rows, min_answers=1, n=1)] == ["rare"]
    assert insights.weakest([]) == []


def test_weakest_never_ranks_a_topic_with_no_answer() -> None:
    """Seen 4 times, never answered (time ran out each time): not a topic to study next."""
    rows = [Accuracy("Skipped", 4, 0.0, answered=0), Accuracy("IAM", 4, 1.0, answered=4)]
    assert [r.key for r in insights.weakest(rows)] == ["IAM"]


def test_miss_streaks_and_top() -> None:
    seq = [("a", False), ("b", False), ("a", True), ("a", False), ("a", False),
           ("b", False), ("c", True), ("d", False)]
    runs = insights.miss_streaks(seq)
    assert runs == {"a": 2, "b": 2, "d": 1}
    assert insights.top_streaks(runs) == [("a", 2), ("b", 2)]
    assert insights.top_streaks(runs, min_run=1, n=1) == [("a", 2)]


def test_strike_accuracy() -> None:
    report = insights.strike_accuracy([
        ("net", "CD", "A"),    # two strikes, both right to strike
        ("net", "B", "BD"),    # struck a key option
        ("sec", "", "A"),      # no strikes: ignored
        ("sec", "A", "C"),
    ])
    assert report.overall == insights.StrikeStats(4, 1)
    assert report.overall.accuracy == 75.0
    assert report.per_domain["net"].accuracy == pytest.approx(66.667, abs=0.01)
    assert "sec" in report.per_domain and report.per_domain["sec"].accuracy == 100.0
    assert insights.strike_accuracy([]).overall.accuracy is None


def test_pacing() -> None:
    report = insights.pacing([("net", 10, 900.0), ("sec", 5, 200.0), ("x", 0, 0.0)], 60.0)
    assert [p.key for p in report.per_domain] == ["net", "sec"]
    assert report.overall.questions == 15 and report.overall.mean == pytest.approx(73.33, 0.01)
    assert report.verdict(report.per_domain[0]) == "over budget"
    assert report.verdict(report.per_domain[1]) == "within budget"
    assert insights.pacing([], None).verdict(insights.Pace("a", 3, 30)) == ""


def test_calibration() -> None:
    rows = [Accuracy("1", 10, 6.0), Accuracy("2", 10, 9.0), Accuracy("3", 2, 2.0),
            Accuracy("7", 4, 1.0)]
    found = insights.calibration(rows)
    assert [(c.label, c.verdict) for c in found] == [
        ("sure", "overconfident"), ("think so", "underconfident"), ("guessing", "too few answers"),
    ]
    assert insights.calibration([Accuracy("1", 10, 10.0)])[0].verdict == "calibrated"


def test_trend() -> None:
    assert insights.trend([]).direction == "not enough attempts"
    up = insights.trend([40, 50, 60, 70])
    assert (up.latest, up.best, up.direction) == (70, 70, "improving")
    assert up.slope == pytest.approx(10.0)
    assert insights.trend([90, 50, 70, 70, 70, 70, 70]).direction == "steady"
    assert insights.trend([80, 70]).direction == "declining"


def test_unanswered_questions_neither_extend_nor_end_a_miss_streak() -> None:
    seq = [("a", False, True), ("a", False, False), ("a", False, False), ("a", False, True),
           ("b", True, True), ("b", False, False), ("b", False, False), ("b", False, False)]
    assert insights.miss_streaks(seq) == {"a": 2}  # b: never answered wrong since right


def test_accuracy_counts_questions_and_answers_apart() -> None:
    row = insights.Accuracy("net", 4, 0.0, answered=1)
    assert (row.questions, row.answers, row.percent) == (4, 1, 0.0)
    assert insights.Accuracy("net", 4, 1.0).answers == 4  # not counted: all asked
