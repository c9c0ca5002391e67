"""How much work a key of the exam screen costs: one layout pass for n, not two
(tui/widgets/leaf.py; docs/performance.md, session 6)."""

from __future__ import annotations

import pytest
from textual.screen import Screen

from examsim.core.bank import Bank
from examsim.core.bank_model import validate_bank
from examsim.tui.widgets.options import AnswerOptions
from examsim.tui.widgets.prose import Prose

from .helpers import make_app, make_session, rendered_text


def _bank_of_varied_heights() -> Bank:
    """Stems and options of another height on every question."""
    questions = []
    for i in range(6):
        questions.append({
            "id": f"q{i + 1}",
            "domain": "net",
            "stem": f"Stem {i + 1}: " + "\n".join(f"line {k}" for k in range(1 + i % 3)),
            "options": [{"text": f"Option {k} " + "word " * (30 * (i % 2))}
                        for k in range(2 + i % 3)],
            "answer": ["A"],
        })
    return validate_bank({
        "bank": {"id": "heights", "title": "Heights", "pass_percent": 70},
        "domains": [{"id": "net", "name": "Networking", "weight": 100}],
        "questions": questions,
    })


async def test_n_to_a_question_of_another_height_lays_the_screen_out_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    passes: list[object] = []
    real = Screen._refresh_layout

    def counted(self: Screen[object], *args: object, **kwargs: object) -> None:
        passes.append(self)
        real(self, *args, **kwargs)  # type: ignore[arg-type]  # Textual's own arguments

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    app = make_app(make_session(_bank_of_varied_heights()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        counts: list[int] = []
        for number in range(2, 6):
            stem = screen.query_one("#stem", Prose)
            options = screen.query_one(AnswerOptions)
            heights = (stem.size.height, options.size.height)
            passes.clear()
            await pilot.press("n")
            await pilot.pause()
            await pilot.pause()
            assert f"Question {number}/6" in rendered_text(screen)
            # the stem and the options did change height, and got it
            assert (stem.size.height, options.size.height) != heights
            assert stem.size.height == stem.get_content_height(
                stem.size, stem.size, stem.content_region.width)
            assert options.size.height == sum(
                len(row.lines) for row in options.rows_at(options.content_region.width))
            counts.append(passes.count(screen))
        # One pass per press. A loaded machine can split a press's updates over two idle
        # turns now and then (a second pass seen once in a full run under load); the
        # second pass that every press paid before session 6 shows as 2 on every press.
        assert all(count >= 1 for count in counts), counts
        assert counts.count(1) >= 2, counts


def test_text_shape_is_what_wrapping_depends_on() -> None:
    from examsim.tui.screens.exam import text_shape

    assert text_shape("Question 2/12") == text_shape("Question 3/12")
    assert text_shape("Question 9/12") != text_shape("Question 10/12")
    assert text_shape("a b") != text_shape("ab ")  # where it can break
    assert text_shape("日本") != text_shape("ab")  # two cells each
    assert text_shape("日本") == text_shape("中文")


async def test_a_status_line_that_changes_its_size_is_laid_out_again() -> None:
    """The where line wraps on a narrow terminal; flagging makes it longer."""
    from textual.widgets import Static

    app = make_app(make_session(_bank_of_varied_heights()))
    async with app.run_test(size=(24, 30)) as pilot:
        await pilot.pause()
        where = app.screen.query_one("#where", Static)
        before = where.size.height
        await pilot.press("m")
        await pilot.pause()
        await pilot.pause()
        assert "Flagged" in rendered_text(where)
        assert where.size.height > before
        await pilot.press("m")
        await pilot.pause()
        await pilot.pause()
        assert where.size.height == before


async def test_n_to_a_question_of_the_same_height_draws_without_a_layout_pass(
        monkeypatch: pytest.MonkeyPatch) -> None:
    passes: list[object] = []
    real = Screen._refresh_layout

    def counted(self: Screen[object], *args: object, **kwargs: object) -> None:
        passes.append(self)
        real(self, *args, **kwargs)  # type: ignore[arg-type]  # Textual's own arguments

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    bank = validate_bank({
        "bank": {"id": "same", "title": "Same", "pass_percent": 70},
        "domains": [{"id": "net", "name": "Networking", "weight": 100}],
        "questions": [{"id": f"q{i}", "domain": "net", "stem": f"Stem number {i}, two\nlines",
                       "options": [f"Option {i}{k}" for k in "abc"], "answer": ["A"]}
                      for i in range(1, 4)],
    })
    app = make_app(make_session(bank))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        passes.clear()
        await pilot.press("n")
        await pilot.pause()
        await pilot.pause()
        text = rendered_text(screen)
        assert "Question 2/3" in text and "Stem number 2, two" in text
        assert "Option 2a" in text and "Option 1a" not in text
        assert passes.count(screen) == 0, passes

