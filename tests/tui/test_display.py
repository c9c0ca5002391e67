"""Bank text shown literally, small terminals, resizes; and the small pure helpers."""

from __future__ import annotations

from examsim.tui.screens.results import bar
from examsim.tui.widgets.feedback import Feedback
from examsim.tui.widgets.timer import clock_text, pace_hint

from .helpers import MARKUP_STEM, make_bank, make_session, option_text, recorded_app, rendered_text


def squash(text: str) -> str:
    return "".join(text.split())


async def test_markup_like_bank_text_renders_literally() -> None:
    session = make_session(make_bank(markup=True), mode="practice")
    app, _ = recorded_app(session)
    async with app.run_test(size=(100, 50)) as pilot:
        stem = rendered_text(app.screen.query_one("#stem"))
        assert squash(MARKUP_STEM) in squash(stem)
        assert "[b]not bold[/b] [/] $x" in option_text(app, 0)
        assert "🚀 日本語 \\[escaped]" in option_text(app, 1)
        await pilot.press("a", "enter")
        await pilot.pause()
        text = rendered_text(app.screen.query_one(Feedback))
        assert "[b]explained[/b] [/]" in text
        assert "[link=y]not a link[/link]" in text


async def test_a_60x20_terminal_works_and_scrolls() -> None:
    session = make_session(make_bank(markup=True), mode="practice")
    app, _ = recorded_app(session)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("A", "m", "b", "enter")
        await pilot.pause()
        scroll = app.screen.query_one("#question")
        assert scroll.max_scroll_y > 0  # the content scrolls rather than being cut
        await pilot.press("pagedown", "pageup", "n", "r", "escape", "question_mark", "escape")
        await pilot.press("ctrl+s", "escape")
        assert app.screen.query_one("#where").region.width <= 60


async def test_resize_at_any_moment() -> None:
    session = make_session(make_bank(count=40, markup=True))
    app, _ = recorded_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        for size, keys in [((60, 20), ("b",)), ((200, 50), ("r",)), ((61, 21), ("down",)),
                           ((120, 30), ("escape", "question_mark")), ((60, 20), ("escape",)),
                           ((80, 24), ("ctrl+s",)), ((60, 20), ("n",))]:
            await pilot.resize_terminal(*size)
            await pilot.press(*keys)
            await pilot.pause()
            assert app.screen.size == size
        assert session.view(0).answered


def test_clock_text() -> None:
    assert clock_text(0) == "0:00"
    assert clock_text(59.2) == "1:00"  # time left rounds up
    assert clock_text(59.8, up=True) == "0:59"  # time used rounds down
    assert clock_text(3600 * 2 + 61) == "2:01:01"


def test_pace_hint() -> None:
    assert pace_hint(100, 0, 10, 600) == ""
    assert pace_hint(100, 3, 10, None) == ""
    assert pace_hint(0, 3, 10, 600) == "ahead 3m"
    assert pace_hint(300, 3, 10, 600) == "behind 2m"
    assert pace_hint(190, 3, 10, 600) == "on pace"


def test_bar() -> None:
    assert bar(0, 10) == "░" * 10
    assert bar(100, 10) == "█" * 10
    assert bar(55, 10) == "█████▌░░░░"
    assert len(bar(33.3)) == 20


def test_results_domain_names_have_room_on_a_wide_screen() -> None:
    from examsim.tui.screens.results import LABEL_MAX, label_width

    longest = len("Accelerate Workload Migration and Modernization")  # 47
    assert label_width(longest, 200) == longest + 2  # whole, on one line
    assert label_width(longest, 100) == longest + 2
    assert label_width(longest, 80) == LABEL_MAX  # narrow: the name wraps
    assert label_width(12, 80) == 14
