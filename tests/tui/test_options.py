"""The answer options widget: its line layout (plain code) and its mouse, hover and
scrolling in a running app."""

from __future__ import annotations

from dataclasses import dataclass

from textual.geometry import Offset

from examsim.core.bank_model import validate_bank
from examsim.tui.widgets.options import (
    CONTROL,
    CONTROL_TIP,
    GUTTER,
    VERDICT,
    AnswerOptions,
    layout_rows,
    row_classes,
    text_width,
)

from .helpers import make_bank, make_session, option_text, recorded_app


@dataclass
class Option:  # the fields of DisplayOption the widget reads
    letter: str
    text: str
    chosen: bool = False
    struck: bool = False
    in_key: bool = False
    display: int = 0


def test_text_width_leaves_room_for_gutter_verdict_and_control() -> None:
    assert text_width(80, revealed=False) == 80 - GUTTER - VERDICT - CONTROL
    assert text_width(80, revealed=True) == 80 - GUTTER - VERDICT  # no control once revealed
    assert text_width(5, revealed=False) == 1  # never zero, however narrow


def test_layout_rows_wraps_each_text_and_stacks_the_rows() -> None:
    texts = ["short", "a b c d e f g h i j k l m n o p", ""]
    width = GUTTER + VERDICT + CONTROL + 10  # ten cells of text
    rows = layout_rows(texts, width, revealed=False)
    assert [row.row for row in rows] == [0, 1, 2]
    assert len(rows[1].lines) == 4  # "a b c d e " is ten cells: four lines of ten or less
    assert [row.top for row in rows] == [0, 1, 5]
    assert all(line.cell_length <= 10 for line in rows[1].lines)
    assert " ".join(line.plain.strip() for line in rows[1].lines) == texts[1]
    assert len(rows[2].lines) == 1  # an empty option still has its line


def test_row_classes_say_the_state_as_the_row_widgets_did() -> None:
    chosen_wrong = Option("A", "x", chosen=True)
    assert row_classes(chosen_wrong, cursor=True, revealed=False) == {"-chosen", "-cursor"}
    assert row_classes(chosen_wrong, cursor=False, revealed=True) == {"-chosen", "-wrong"}
    key = Option("B", "y", in_key=True, struck=True)
    assert row_classes(key, cursor=False, revealed=False) == {"-struck"}
    assert row_classes(key, cursor=False, revealed=True) == {"-struck", "-key"}


async def test_rows_are_drawn_with_gutter_text_and_control() -> None:
    session = make_session()
    app, _ = recorded_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert option_text(app, 1).startswith("▸ B ● Option 2 of question 1")
        assert option_text(app, 1).rstrip().endswith("✗")  # the strike control
        await pilot.press("C")  # strike C: the cursor goes with it
        await pilot.pause()
        states = app.screen.query_one(AnswerOptions).states
        assert [s.gutter for s in states] == ["  A ○", "  B ●", "▸ C ○", "  D ○"]
        assert states[2].has_class("-struck") and states[1].has_class("-chosen")


async def test_hovering_the_control_explains_it_and_leaving_clears() -> None:
    session = make_session()
    app, _ = recorded_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        options = app.screen.query_one(AnswerOptions)
        await pilot.hover(options, offset=options.control_offset(2))
        await pilot.pause()
        assert options._hover == (2, True) and options.tooltip == CONTROL_TIP
        await pilot.hover(options, offset=Offset(10, options.row_region(0).y))
        await pilot.pause()
        assert options._hover == (0, False) and options.tooltip is None
        await pilot.hover(app.screen.query_one("#where"))
        await pilot.pause()
        assert options._hover is None


async def test_no_control_once_revealed_a_click_there_chooses() -> None:
    session = make_session(mode="practice")
    app, _ = recorded_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "enter")
        await pilot.pause()
        options = app.screen.query_one(AnswerOptions)
        assert "✗" not in option_text(app, 3).replace("✗ ", "")  # D: no verdict, no control
        spot = options.control_offset(3)
        assert await pilot.click(options, offset=spot)
        assert not any(o.struck for o in session.view().options)


async def test_cursor_moves_scroll_the_row_into_view_on_a_small_terminal() -> None:
    data = make_bank().model_dump(mode="json", exclude_none=True)
    for question in data["questions"]:
        for number, option in enumerate(question["options"]):
            option["text"] = f"{number}: " + " ".join(["a long option that wraps"] * 6)
    session = make_session(validate_bank(data))
    app, _ = recorded_app(session)
    async with app.run_test(size=(60, 20)) as pilot:
        scroll = app.screen.query_one("#question")
        options = app.screen.query_one(AnswerOptions)
        assert scroll.max_scroll_y > 0
        await pilot.press("down", "down", "down")
        await pilot.pause()
        row = options.row_region(3).translate(options.virtual_region.offset)
        assert scroll.scroll_y <= row.y and row.bottom <= scroll.scroll_y + scroll.size.height
        await pilot.press("down")  # wraps to A: back to the top
        await pilot.pause()
        assert scroll.scroll_y <= options.virtual_region.y
