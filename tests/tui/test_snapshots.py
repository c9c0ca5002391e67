"""SVG snapshots of each screen at 80x24, clock frozen, seed fixed.

Update after an intended change with: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from examsim.tui.app import ExamSimApp

from .helpers import FakeClock, FakeServices, make_session

SIZE = (80, 24)


def app(mode: str = "exam") -> ExamSimApp:
    clock = FakeClock()
    return ExamSimApp(make_session(mode=mode, clock=clock, shuffle=True, seed=11),
                      services=FakeServices(clock=clock))


def test_exam(snap_compare) -> None:
    assert snap_compare(app(), terminal_size=SIZE)


def test_exam_strikes_flag_confidence(snap_compare) -> None:
    assert snap_compare(app(), press=["b", "A", "D", "m", "2"], terminal_size=SIZE)


def test_exam_choose_two(snap_compare) -> None:
    assert snap_compare(app(), press=["n", "a", "C", "down"], terminal_size=SIZE)


def test_practice_after_check(snap_compare) -> None:
    assert snap_compare(app("practice"), press=["c", "enter"], terminal_size=SIZE)


def test_review_grid(snap_compare) -> None:
    press = ["b", "n", "m", "n", "a", "n", "m", "r", "right"]
    assert snap_compare(app(), press=press, terminal_size=SIZE)


def test_end_dialog(snap_compare) -> None:
    assert snap_compare(app(), press=["b", "m", "ctrl+s"], terminal_size=SIZE)


def test_results(snap_compare) -> None:
    press = ["b", "n", "a", "c", "n", "b", "n", "a", "ctrl+s", "y"]
    assert snap_compare(app(), press=press, terminal_size=SIZE)


def test_help(snap_compare) -> None:
    assert snap_compare(app(), press=["question_mark"], terminal_size=SIZE)
