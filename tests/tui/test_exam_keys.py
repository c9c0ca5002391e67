"""Pilot tests of the exam screen: every key of the DESIGN.md table."""

from __future__ import annotations

from examsim.tui.screens.exam import ExamScreen
from examsim.tui.screens.help import HelpScreen
from examsim.tui.widgets.options import AnswerOptions, RowState

from .helpers import make_app, make_session, recorded_app


def chosen(session) -> list[str]:
    return [o.letter for o in session.view().options if o.chosen]


def struck(session) -> list[str]:
    return [o.letter for o in session.view().options if o.struck]


def rows(app) -> list[RowState]:
    return app.screen.query_one(AnswerOptions).states


async def test_letter_chooses_and_replaces_on_single_answer() -> None:
    session = make_session()
    app, rec = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("b")
        assert chosen(session) == ["B"]
        await pilot.press("c")
        assert chosen(session) == ["C"]
        assert rows(app)[2].has_class("-chosen")
        assert not rows(app)[1].has_class("-chosen")
        assert rec.changes == 2


async def test_choose_two_toggles_and_refuses_a_third_with_the_reason() -> None:
    session = make_session()
    app, rec = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("n", "a", "b")
        assert chosen(session) == ["A", "B"]
        await pilot.press("c")
        assert chosen(session) == ["A", "B"]
        assert rec.notes[-1][0].startswith("This question takes 2 answers")
        assert rec.notes[-1][1]["markup"] is False
        await pilot.press("a")
        assert chosen(session) == ["B"]
        assert "Choose two" in str(app.screen.query_one("#where").visual)


async def test_shift_letter_strikes_and_unstrikes() -> None:
    session = make_session()
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("A")
        assert struck(session) == ["A"]
        assert rows(app)[0].has_class("-struck")
        await pilot.press("A")
        assert struck(session) == []
        assert not rows(app)[0].has_class("-struck")


async def test_choosing_a_struck_option_unstrikes_it() -> None:
    session = make_session()
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("D", "d")
        assert chosen(session) == ["D"]
        assert struck(session) == []
        assert not rows(app)[3].has_class("-struck")


async def test_strikes_are_kept_when_moving_away_and_back() -> None:
    session = make_session()
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("A", "C", "n", "p")
        assert struck(session) == ["A", "C"]
        assert [r.has_class("-struck") for r in rows(app)] == [True, False, True, False]


async def test_cursor_space_and_x() -> None:
    session = make_session()
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("down", "down", "space")
        assert chosen(session) == ["C"]
        assert rows(app)[2].has_class("-cursor")
        await pilot.press("up", "x")
        assert struck(session) == ["B"]
        await pilot.press("up", "up")  # wraps to the last option
        assert rows(app)[3].has_class("-cursor")


async def test_flag_and_progress_line() -> None:
    session = make_session()
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("b", "m")
        assert session.view().flagged
        assert "⚑ Flagged" in str(app.screen.query_one("#where").visual)
        assert "1/6 answered · 1 flagged" in str(app.screen.query_one("#progress").visual)
        await pilot.press("m")
        assert not session.view().flagged


async def test_next_previous_and_arrows() -> None:
    session = make_session()
    app, rec = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("n", "right", "n")
        assert session.index == 3
        await pilot.press("p", "left")
        assert session.index == 1
        await pilot.press("p", "p")
        assert session.index == 0
        assert rec.messages[-1] == "This is the first question."
        assert "Question 1/6" in str(app.screen.query_one("#where").visual)


async def test_enter_or_n_on_the_last_question_offers_the_review_grid_and_the_end() -> None:
    from examsim.tui.screens.confirm import ConfirmScreen
    from examsim.tui.screens.exam import ExamScreen
    from examsim.tui.screens.review_grid import ReviewGridScreen

    session = make_session()
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert session.index == 1
        session.go(5)
        for key in ("enter", "n"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ReviewGridScreen), key
            assert session.index == 5
            title = str(app.screen.query_one("#review-title").visual)
            assert title.startswith("That was the last question.")
            assert "e ends" in str(app.screen.query_one("#review-keys").visual)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ExamScreen)
        await pilot.press("n", "e")  # the grid's e asks to end, as ctrl+s does
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert not session.finished
        await pilot.press("escape")  # "Go on": back to the last question
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen) and session.index == 5
        await pilot.press("n", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)


async def test_confidence_keys_show_beside_the_answer_and_toggle() -> None:
    session = make_session()
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("b", "2")
        assert session.view().confidence == 2
        answer = str(app.screen.query_one("#answer").visual)
        assert answer == "Your answer: B · confidence: think so"
        await pilot.press("3")
        assert session.view().confidence == 3
        await pilot.press("3")
        assert session.view().confidence is None


async def test_help_lists_every_key_of_the_screen() -> None:
    session = make_session()
    app, _ = recorded_app(session)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = [keys for keys, _ in app.screen.rows()]
        for expected in ("a … h", "A … H", "space", "x", "1", "2", "3", "m", "r",
                         "ctrl+s", "?", "ctrl+q"):
            assert expected in keys, expected
        assert any(key.startswith("n") for key in keys)
        await pilot.press("escape")
        assert isinstance(app.screen, ExamScreen)


async def test_every_change_calls_on_change_once() -> None:
    session = make_session()
    app, rec = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("b", "C", "m", "1", "n", "p")
        assert rec.changes == 6
        await pilot.press("down")  # the cursor is not session state
        assert rec.changes == 6


async def test_ctrl_q_saves_and_exits_leaving_the_attempt_open() -> None:
    session = make_session()
    app, rec = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("b")
        before = rec.changes
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert rec.changes == before + 1
    assert not session.finished
    assert rec.finished == []
    assert chosen(session) == ["B"]


async def test_click_chooses_right_click_and_control_strike() -> None:
    session = make_session()
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        options = app.screen.query_one(AnswerOptions)

        def text_of(row: int) -> tuple[int, int]:
            return (10, options.row_region(row).y)  # on the text, past the gutter

        assert await pilot.click(options, offset=text_of(1))
        assert chosen(session) == ["B"]
        assert await pilot.click(options, offset=text_of(2), button=3)
        assert struck(session) == ["C"]
        assert await pilot.click(options, offset=options.control_offset(3))
        assert struck(session) == ["C", "D"]
        assert chosen(session) == ["B"]


async def test_option_widget_only_mirrors_session_state() -> None:
    session = make_session()
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        session.choose(0)  # changed behind the screen's back: nothing shows until a redraw
        await pilot.pause()
        assert not rows(app)[0].has_class("-chosen")
        app.screen.show_view()
        await pilot.pause()
        assert rows(app)[0].has_class("-chosen")
        assert isinstance(app.screen.query_one(AnswerOptions), AnswerOptions)


async def test_running_time_is_saved_every_few_seconds_without_keys() -> None:
    """QA #4: with no key pressed the time was never saved, so after kill -9 it came back.
    Every SAVE_EVERY seconds of exam time the screen calls on_change (the autosave)."""
    from examsim.tui.screens.exam import SAVE_EVERY

    from .helpers import FakeClock

    clock = FakeClock()
    session = make_session(clock=clock)
    app, rec = recorded_app(session)
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        screen.save_running_time()
        assert rec.changes == 0  # no time has passed
        clock.advance(SAVE_EVERY - 1)
        screen.save_running_time()
        assert rec.changes == 0
        clock.advance(1)
        screen.save_running_time()
        assert rec.changes == 1
        await pilot.press("n")  # a key saves too and restarts the count
        assert rec.changes == 2
        clock.advance(SAVE_EVERY - 1)
        screen.save_running_time()
        assert rec.changes == 2
        clock.advance(1)
        await pilot.pause(1.2)  # the screen's own interval does it
        assert rec.changes == 3


async def test_toasts_are_compact_bottom_right_and_never_stack_the_same_text() -> None:
    """QA #13: toasts covered the options and the same one stacked (A pressed again)."""
    from textual.widgets import Footer
    from textual.widgets._toast import Toast

    app = make_app(make_session())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("B", "C", "D", "A", "A", "A")
        await pilot.pause(0.3)
        toasts = list(app.screen.query(Toast))
        assert len(toasts) == 1
        (toast,) = toasts
        footer = app.screen.query_one(Footer)
        assert toast.region.height == 1
        assert toast.region.right == 78 and toast.region.x >= 40  # right half
        assert toast.region.bottom <= footer.region.y  # above the footer
        app.notify("Another message", markup=False)
        await pilot.pause(0.3)
        assert len(app.screen.query(Toast)) == 2


async def test_help_says_a_struck_choice_unstrikes_and_enter_goes_on_once_checked() -> None:
    """QA #15: the exam help names these two behaviours (ctrl+p is listed too)."""
    for mode in ("exam", "practice"):
        app, _ = recorded_app(make_session(mode=mode))
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            rows = dict(app.screen.rows())
            assert "choosing a struck option brings it back in" in rows["a … h"]
            if mode == "practice":
                assert "once checked, enter goes to the next question" in rows["enter"]
            assert [keys for keys, _ in app.screen.palette_rows()] == ["ctrl+p"]
