"""Review grid, end-exam dialog, time up and the results screen."""

from __future__ import annotations

from examsim.tui.screens.confirm import ConfirmScreen
from examsim.tui.screens.exam import ExamScreen
from examsim.tui.screens.results import ResultsScreen
from examsim.tui.screens.review_grid import ReviewGridScreen
from examsim.tui.widgets.navigator import Navigator
from examsim.tui.widgets.timer import ExamTimer

from .helpers import (
    FakeClock,
    FakeServices,
    make_bank,
    make_session,
    recorded_app,
    rendered_text,
)


async def test_review_grid_marks_and_enter_jumps() -> None:
    session = make_session()
    app, _rec = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("b", "n", "m", "r")
        assert isinstance(app.screen, ReviewGridScreen)
        grid = app.screen.query_one(Navigator)
        text = rendered_text(grid)
        assert "1 ●" in text and "2 ·⚑" in text and "3 ·" in text
        assert grid.cursor == 1
        await pilot.press("right", "right", "right", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert session.index == 4
        assert "Question 5/6" in str(app.screen.query_one("#where").visual)


async def test_review_grid_click_jumps_and_escape_closes() -> None:
    session = make_session()
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("r")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert session.index == 0
        await pilot.press("r")
        grid = app.screen.query_one(Navigator)
        assert await pilot.click(grid, offset=(2 * 7 + 2, 0))  # third cell of row one
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert session.index == 2


async def test_review_grid_up_down_move_by_rows() -> None:
    session = make_session(make_bank(count=30))
    app, _ = recorded_app(session)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("r")
        grid = app.screen.query_one(Navigator)
        columns = grid.columns
        assert 1 < columns < 30
        await pilot.press("down", "down")
        assert grid.cursor == 2 * columns
        await pilot.press("end")
        assert grid.cursor == 29
        await pilot.press("enter")
        await pilot.pause()
        assert session.index == 29


async def test_end_dialog_counts_and_cancel() -> None:
    session = make_session()
    app, rec = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("b", "m", "ctrl+s")
        assert isinstance(app.screen, ConfirmScreen)
        body = str(app.screen.query_one("#body").visual)
        assert "5 unanswered · 1 flagged" in body
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        await pilot.press("ctrl+s", "n")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert not session.finished
        assert rec.finished == []


async def test_end_dialog_confirm_with_enter_shows_results() -> None:
    session = make_session()
    app, rec = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("b", "ctrl+s", "enter")
        await pilot.pause()
        assert session.finished and session.end_reason == "submitted"
        assert rec.finished == [session]
        assert isinstance(app.screen, ResultsScreen)


async def test_end_dialog_confirm_with_y() -> None:
    session = make_session()
    app, _rec = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
        assert session.finished
        assert isinstance(app.screen, ResultsScreen)


async def test_timer_counts_down_from_the_clock_and_warns() -> None:
    clock = FakeClock()
    session = make_session(clock=clock)  # 30 minutes
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        timer = app.screen.query_one(ExamTimer)
        assert str(timer.render()) == "30:00 left"
        clock.advance(20 * 60)
        timer.update_time()
        await pilot.pause()
        assert timer.has_class("-warning") and not timer.has_class("-error")
        assert str(timer.render()).startswith("10:00 left")
        clock.advance(6 * 60)
        timer.update_time()
        assert timer.has_class("-error") and not timer.has_class("-warning")
        assert str(timer.render()).startswith("4:00 left")


async def test_time_up_ends_the_attempt_and_says_so() -> None:
    clock = FakeClock()
    session = make_session(clock=clock)
    app, rec = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("b")
        clock.advance(31 * 60)
        app.screen.query_one(ExamTimer).update_time()
        await pilot.pause()
        await pilot.pause()
        assert session.finished and session.end_reason == "time_up"
        assert rec.finished == [session]
        assert any("Time is up" in m for m in rec.messages)
        assert isinstance(app.screen, ResultsScreen)
        assert "Time ran out" in str(app.screen.query_one("#results-ended").visual)


async def test_time_up_while_a_dialog_is_open() -> None:
    clock = FakeClock()
    session = make_session(clock=clock)
    app, rec = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, ReviewGridScreen)
        clock.advance(31 * 60)
        exam = app.screen_stack[-2]
        exam.query_one(ExamTimer).update_time()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert len(rec.finished) == 1


async def test_time_up_by_the_interval_alone() -> None:
    clock = FakeClock()
    session = make_session(clock=clock)
    app, _rec = recorded_app(session)
    async with app.run_test() as pilot:
        clock.advance(3600)
        await pilot.wait_for_scheduled_animations()
        for _ in range(20):  # the 0.5 s interval fires on its own
            if isinstance(app.screen, ResultsScreen):
                break
            await pilot.pause(0.1)
        assert isinstance(app.screen, ResultsScreen)


async def test_a_key_after_the_deadline_also_ends() -> None:
    clock = FakeClock()
    session = make_session(clock=clock)
    app, rec = recorded_app(session)
    async with app.run_test() as pilot:
        clock.advance(31 * 60)
        await pilot.press("b")
        await pilot.pause()
        assert session.finished
        assert isinstance(app.screen, ResultsScreen)
        assert len(rec.finished) == 1


async def test_results_show_score_pass_and_domains() -> None:
    clock = FakeClock()
    session = make_session(clock=clock)
    app, _ = recorded_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("b", "n", "a", "c", "n", "b", "n", "b", "n", "a", "n", "b"):
            await pilot.press(key)
        clock.advance(125)
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        assert str(screen.query_one("#results-score").visual) == "5 of 6 correct · 83%"
        assert str(screen.query_one("#results-verdict").visual).startswith("✓ PASSED")
        assert str(screen.query_one("#results-time").visual) == (
            "Time used 2:05 of 30:00 · 0 unanswered · 0 flagged · 0 answers changed · "
            "slowest domain: Security\nTiming: the clock stops whenever examsim is closed "
            "(run --strict keeps it running, as on the real exam)")
        bars = [str(w.visual) for w in screen.query(".domain-bar")]
        # the score report: weight and classification against the pass percent (70%)
        assert bars == ["█████████████▎░░░░░░  67%  2/3 · needs improvement",
                        "████████████████████ 100%  3/3 · meets the standard"]
        names = [str(w.visual) for w in screen.query(".domain-name")]
        assert names == ["Networking · weight 50%", "Security · weight 50%"]
        assert "compensatory" in str(screen.query_one("#results-compensatory").visual)


async def test_results_review_and_stats_keys_only_when_the_history_has_it() -> None:
    from examsim.tui.screens.review import ReviewScreen
    from examsim.tui.screens.stats import StatsScreen

    session = make_session()
    session.submit()
    app, _ = recorded_app(session)  # the services do not know this session
    async with app.run_test() as pilot:
        assert isinstance(app.screen, ResultsScreen)
        keys = {b.binding.key for b in app.screen.active_bindings.values() if b.enabled}
        assert "r" not in keys and "s" not in keys
        await pilot.press("r", "s")
        assert isinstance(app.screen, ResultsScreen)

    services = FakeServices()
    attempt_id = services.history.start_attempt(session)
    services.history.finish(attempt_id, session)
    services.know(session, attempt_id)
    app2, _ = recorded_app(session, services=services)
    async with app2.run_test() as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app2.screen, ReviewScreen) and app2.screen.attempt_id == attempt_id
        await pilot.press("escape", "s")
        await pilot.pause()
        assert isinstance(app2.screen, StatsScreen) and app2.screen.bank is session.bank


async def test_results_escape_opens_the_home_screen_when_there_is_none() -> None:
    """``examsim run``: no home screen under the attempt; escape on the results opens one."""
    from examsim.tui.screens.home import HomeScreen

    session = make_session()
    session.submit()
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert [type(s) for s in app.screen_stack[1:]] == [HomeScreen]


async def test_results_escape_goes_home_when_there_is_one() -> None:
    from textual.screen import Screen

    class Home(Screen):
        pass

    session = make_session()
    session.submit()
    app, _ = recorded_app(session, home=Home)
    async with app.run_test() as pilot:
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Home)


async def test_end_dialog_and_status_line_at_40x12() -> None:
    """QA #14: at 40x12 the end dialog cut its buttons off and the domain name wrapped
    one word per line."""
    from textual.widgets import Button

    from examsim.core.bank_model import validate_bank

    data = make_bank().model_dump(by_alias=True)
    data["domains"][0]["name"] = "Identity and access management"
    session = make_session(validate_bank(data))
    app, _ = recorded_app(session)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#domain").region.height == 1
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen.query_one("#dialog")
        for button in app.screen.query(Button):
            assert dialog.region.contains_region(button.region), button.id
            assert button.region.height == 1
        await pilot.resize_terminal(40, 8)
        await pilot.pause()
        assert dialog.max_scroll_y > 0  # too short: it scrolls, the buttons below
        dialog.scroll_end(animate=False)
        await pilot.pause()
        for button in app.screen.query(Button):
            assert dialog.region.contains_region(button.region), button.id
        await pilot.press("n")
        assert isinstance(app.screen, ExamScreen)


async def test_practice_results_count_what_was_seen_and_give_no_verdict() -> None:
    """A practice of 6 planned questions ended after 3 were shown and 2 answered: "1 of 3
    answered right · 33% · 1 unanswered", how many were seen, and no pass mark."""
    clock = FakeClock()
    session = make_session(mode="practice", clock=clock)
    app, _ = recorded_app(session)
    async with app.run_test(size=(100, 30)) as pilot:
        right = [o.letter for o in session.view().options if o.in_key]
        await pilot.press(*[letter.lower() for letter in right], "1", "enter", "n")  # sure
        wrong = next(o.letter for o in session.view().options if not o.in_key)
        await pilot.press(wrong.lower(), "enter", "n")  # on to the third, left unanswered
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        assert session.seen == 3
        assert str(screen.query_one("#results-score").visual) == (
            "1 of 3 answered right · 33% · 1 unanswered")
        assert str(screen.query_one("#results-seen").visual) == (
            "3 of 6 questions seen: the rest do not count")
        verdict = str(screen.query_one("#results-verdict").visual)
        assert verdict == "Practice session: no pass mark (only a full exam is scored against it)"
        assert "PASSED" not in verdict
        assert str(screen.query_one("#results-cbm").visual).startswith(
            "Certainty-based marks: +3 over 1 rated answer (3.00 each")


async def test_strict_timing_hides_the_domain_label() -> None:
    from examsim.core.assemble import AttemptPlan
    from examsim.core.session import ExamSession

    from .helpers import make_bank

    for strict in (False, True):
        session = ExamSession.start(make_bank(), AttemptPlan(seed=7, strict=strict),
                                    clock=FakeClock())
        app, _ = recorded_app(session)
        async with app.run_test() as pilot:
            await pilot.pause()
            label = str(app.screen.query_one("#domain").visual)
            assert (label == "") is strict, label


async def test_a_screen_dismissed_twice_goes_once() -> None:
    """Two enters queued in the review grid (or the command palette) before it left: the
    second dismissed it again, which popped the exam screen below it too and crashed
    (found by bench/torture.py: InvalidStateError / ScreenStackError)."""
    session = make_session()
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("r")
        grid = app.screen
        assert isinstance(grid, ReviewGridScreen)
        grid.dismiss(2)
        grid.dismiss(2)
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert session.index == 2
        await pilot.press("ctrl+p")
        palette = app.screen
        palette.dismiss()
        palette.dismiss()
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
