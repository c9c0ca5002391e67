"""Practice mode: enter checks, reveals the key, explanation and whys; then goes on."""

from __future__ import annotations

from examsim.tui.widgets.feedback import Feedback
from examsim.tui.widgets.options import AnswerOptions

from .helpers import make_session, option_text, recorded_app, rendered_text


async def test_check_shows_verdict_key_explanation_and_whys() -> None:
    session = make_session(mode="practice")
    app, _ = recorded_app(session)
    async with app.run_test(size=(80, 40)) as pilot:
        feedback = app.screen.query_one(Feedback)
        assert not feedback.has_class("-shown")
        await pilot.press("c", "enter")
        await pilot.pause()
        assert session.view().checked
        assert feedback.has_class("-shown") and feedback.has_class("-wrong")
        assert str(feedback.verdict.visual) == "✗ Incorrect. Answer: B"
        text = rendered_text(feedback)
        assert "Explanation of question 1." in text
        for letter, mark in zip("ABCD", "✗✓✗✗", strict=True):
            assert f"{letter} {mark}" in text
        assert "Why option 2." in text
        rows = app.screen.query_one(AnswerOptions).states
        assert rows[1].has_class("-key") and rows[2].has_class("-wrong")
        assert "✓" in option_text(app, 1) and "✗" in option_text(app, 2)


async def test_right_answer_and_then_enter_goes_on() -> None:
    session = make_session(mode="practice")
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("b", "enter")
        feedback = app.screen.query_one(Feedback)
        assert feedback.has_class("-right")
        assert str(feedback.verdict.visual) == "✓ Correct. Answer: B"
        await pilot.press("enter")
        assert session.index == 1
        assert not feedback.has_class("-shown")


async def test_check_refuses_without_an_answer_and_locks_after() -> None:
    session = make_session(mode="practice")
    app, rec = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert rec.messages[-1] == "Choose an answer first"
        await pilot.press("n", "a", "enter")
        assert "choose 1 more" in rec.messages[-1]
        await pilot.press("c", "enter", "d")
        assert rec.messages[-1] == "This answer has been checked"
        assert [o.letter for o in session.view().options if o.chosen] == ["A", "C"]


async def test_confidence_is_kept_with_the_checked_answer() -> None:
    session = make_session(mode="practice")
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("b", "1", "enter", "3")
        assert session.view().confidence == 1
        assert "confidence: sure" in str(app.screen.query_one("#answer").visual)


async def test_footer_says_check_then_next_once_checked() -> None:
    session = make_session(mode="practice")
    app, _ = recorded_app(session)
    async with app.run_test(size=(100, 30)) as pilot:
        def footer() -> str:
            return rendered_text(app.screen.query_one("Footer"))

        await pilot.pause()
        assert "⏎ Check" in footer() and "⏎ Next" not in footer()
        await pilot.press("b", "enter")
        await pilot.pause()
        assert "⏎ Next" in footer() and "Check" not in footer()
        await pilot.press("enter")
        await pilot.pause()
        assert session.index == 1
        assert "⏎ Check" in footer() and "⏎ Next" not in footer()


async def test_footer_keys_change_only_when_enter_changes_meaning() -> None:
    """A key that leaves enter's meaning alone must not refresh the bindings: each
    refresh makes the Footer rebuild its keys, a second layout pass per press."""
    session = make_session(mode="practice")
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        screen = app.screen
        calls: list[int] = []
        original = screen.refresh_bindings

        def counted() -> None:
            calls.append(1)
            original()

        screen.refresh_bindings = counted  # type: ignore[method-assign]
        await pilot.press("n", "m", "p", "a")
        assert calls == []
        await pilot.press("enter")  # checked: enter now means Next
        assert session.view().checked, type(screen)
        assert len(calls) == 1
        await pilot.press("enter")  # the next question is not checked: Check again
        assert len(calls) == 2 and not session.view().checked
