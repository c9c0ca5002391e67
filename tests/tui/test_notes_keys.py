"""Pilot tests of w (the scratchpad on the exam screen) and c (a comment, in the review
and in practice feedback)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from examsim.core.notes import MAX_NOTE
from examsim.core.session import ExamSession
from examsim.storage.history import History
from examsim.tui.app import ExamSimApp
from examsim.tui.screens.comment import CommentScreen
from examsim.tui.screens.exam import ExamScreen
from examsim.tui.screens.review import ReviewScreen
from examsim.tui.screens.scratchpad import CUT, ScratchpadScreen
from examsim.tui.widgets.review_detail import ReviewDetail

from .helpers import (
    FakeClock,
    FakeServices,
    flat,
    host,
    make_session,
    open_history,
    recorded_app,
    rendered_text,
    review_bank,
)

TYPED = "abcdefgh nmru 123 ABC x"  # every letter the exam screen binds, and more


def chosen(session: ExamSession) -> list[str]:
    return [o.letter for o in session.view().options if o.chosen]


# -- w: the scratchpad ------------------------------------------------------------------


async def test_w_opens_a_scratchpad_whose_typing_never_reaches_the_exam() -> None:
    session = make_session()
    app, rec = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("w")
        assert isinstance(app.screen, ScratchpadScreen)
        first, *rest = TYPED.split(" ")
        await pilot.press(*first)
        for word in rest:
            await pilot.press("space", *word)
        assert app.screen.query_one(TextArea).text == TYPED
        assert session.view().note == TYPED  # in the session at once (saved with it)
        await pilot.press("escape")
        assert isinstance(app.screen, ExamScreen)
        assert session.view().note == TYPED
        assert chosen(session) == [] and not session.view().flagged
        assert session.index == 0 and not session.finished and session.answered == 0
        assert rec.changes >= 1  # closing saves like an answer
        assert "✎ note (w)" in str(app.screen.query_one("#answer").visual)


async def test_ctrl_s_closes_the_scratchpad_keeping_the_text_and_reopens_with_it() -> None:
    session = make_session(mode="practice")
    app, _ = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("w", "h", "i", "enter", "y", "o")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ExamScreen) and not session.finished  # not "end"
        assert session.view().note == "hi\nyo"
        await pilot.press("n", "w")
        assert app.screen.query_one(TextArea).text == ""  # the next question's own note
        await pilot.press("escape", "p", "w")
        assert app.screen.query_one(TextArea).text == "hi\nyo"


async def test_a_paste_beyond_the_bound_is_cut_and_said() -> None:
    session = make_session()
    app, rec = recorded_app(session)
    async with app.run_test() as pilot:
        await pilot.press("w")
        app.screen.query_one(TextArea).insert("z" * (MAX_NOTE + 25))
        await pilot.pause()
        assert len(app.screen.query_one(TextArea).text) == MAX_NOTE
        assert CUT in rec.messages
        await pilot.press("escape")
        assert session.view().note == "z" * MAX_NOTE


async def test_the_note_typed_is_saved_by_the_periodic_save_while_the_pad_is_open() -> None:
    clock = FakeClock()
    session = make_session(clock=clock)
    saved: list[str] = []
    app = ExamSimApp(session, on_change=lambda s: saved.append(s.view(0).note),
                     services=FakeServices())
    async with app.run_test() as pilot:
        await pilot.press("w", "k", "e", "y")
        clock.advance(6)  # past the exam screen's 5 s save
        await pilot.pause(1.5)
        assert isinstance(app.screen, ScratchpadScreen) and "key" in saved


# -- c: comments ------------------------------------------------------------------------


def known(history: History, tmp_path: Path, session: ExamSession) -> FakeServices:
    """Services over ``history`` that hold ``session`` as attempt 41."""
    services = FakeServices(history, tmp_path)
    services.know(session, 41)
    return services


async def test_c_in_practice_feedback_keeps_a_comment_and_chooses_c_before(
    tmp_path: Path,
) -> None:
    history = open_history(tmp_path)
    session = make_session(mode="practice")
    app = ExamSimApp(session, services=known(history, tmp_path, session))
    async with app.run_test() as pilot:
        await pilot.press("c")
        assert chosen(session) == ["C"]  # not checked yet: c chooses C
        await pilot.press("enter")  # check
        assert session.view().checked
        await pilot.press("c")
        assert isinstance(app.screen, CommentScreen)
        await pilot.press(*"ambiguous", "enter")
        assert isinstance(app.screen, ExamScreen)
    (comment,) = history.comments(session.bank.id)
    question = session.view(0).question
    assert (comment.question_id, comment.question_hash, comment.attempt_id, comment.text) == (
        question.id, question.fingerprint, 41, "ambiguous")


async def test_c_in_an_exam_chooses_c_even_with_a_history(tmp_path: Path) -> None:
    history = open_history(tmp_path)
    session = make_session()
    app = ExamSimApp(session, services=known(history, tmp_path, session))
    async with app.run_test() as pilot:
        await pilot.press("c")
        assert chosen(session) == ["C"] and isinstance(app.screen, ExamScreen)
    assert history.comments(session.bank.id) == []


def noted_attempt(history: History) -> int:
    bank = review_bank()
    session = make_session(bank)
    attempt_id = history.start_attempt(session)
    session.choose(1)
    session.set_note("my working: \x1b[2J [b]not bold[/b]\nsecond line")
    session.submit()
    history.finish(attempt_id, session)
    return attempt_id


async def test_the_review_shows_your_note_and_c_keeps_a_comment(tmp_path: Path) -> None:
    history = open_history(tmp_path)
    attempt_id = noted_attempt(history)
    app = host(lambda: ReviewScreen(history, review_bank(), attempt_id))
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        text = rendered_text(app.screen.query_one(ReviewDetail))
        assert "Your note" in text
        assert "my working: ␛[2J [b]not bold[/b]" in flat(text) and "second line" in text
        await pilot.press("c")
        assert isinstance(app.screen, CommentScreen)
        await pilot.press(*"the key", "space", *"looks", "space", *"wrong")
        assert app.screen.query_one(Input).value == "the key looks wrong"
        await pilot.press("enter")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("c", "x", "escape")  # cancelled: nothing kept
        assert isinstance(app.screen, ReviewScreen)
    (comment,) = history.comments("tui-test")
    assert (comment.question_id, comment.attempt_id, comment.text) == (
        "q1", attempt_id, "the key looks wrong")


async def test_keys_typed_at_once_after_w_or_c_go_into_the_dialog(tmp_path: Path) -> None:
    """w and c then text in one burst (posted before any is handled): without w and c as
    priority bindings the text was routed to the exam screen and lost."""
    from textual import events

    history = open_history(tmp_path)
    session = make_session(mode="practice")
    app = ExamSimApp(session, services=known(history, tmp_path, session))
    async with app.run_test() as pilot:
        for key in "wxyz":
            app.post_message(events.Key(key, key))
        await pilot.pause(0.3)
        assert isinstance(app.screen, ScratchpadScreen)
        assert app.screen.query_one(TextArea).text == "xyz" and chosen(session) == []
        await pilot.press("escape", "b", "enter")  # checked: c comments now
        for key in "cab":
            app.post_message(events.Key(key, key))
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommentScreen)
        assert app.screen.query_one(Input).value == "ab"
    assert session.view().note == "xyz" and chosen(session) == ["B"]
