"""While a dialog is open, the footer shows the dialog's keys, not the keys of the screen
below (newcomer run 6, finding 11: "a-h Choose A-H Strike ..." under the review grid,
"⏎ Review e Export CSV d Delete" under the export dialog). Each dialog has a footer of
its own, on the bottom row, over the footer of the screen below (screens/dialog.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.screen import ModalScreen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from examsim.tui.app import ExamSimApp
from examsim.tui.screens.history import HistoryScreen

from .helpers import (
    FakeServices,
    flat,
    host,
    make_session,
    mixed_attempt,
    open_history,
    recorded_app,
    rendered_text,
    review_bank,
)


def footers(app: ExamSimApp) -> tuple[str, str]:
    """The text of the dialog's footer and of the footer of the screen below it; the
    dialog's covers the other (the same bottom row)."""
    dialog = app.screen
    assert isinstance(dialog, ModalScreen)
    below = app.screen_stack[-2]
    mine, theirs = dialog.query_one(Footer), below.query_one(Footer)
    assert mine.region == theirs.region and mine.region.bottom == app.size.height
    keys = " ".join(f"{key.key_display} {key.description}" for key in theirs.query(FooterKey))
    return flat(rendered_text(mine)), keys


@pytest.mark.parametrize(("keys", "shown"), [
    (("ctrl+s",), ("Confirm", "Cancel")),      # the end dialog
    (("r",), ("Close", "End")),                # the review grid
    (("question_mark",), ("Close",)),          # the help
    (("w",), ("Close",)),                      # the scratchpad
])
async def test_dialogs_over_the_exam_show_their_own_keys(
    keys: tuple[str, ...], shown: tuple[str, ...]
) -> None:
    app, _ = recorded_app(make_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        mine, theirs = footers(app)
        assert "Choose" in theirs and "Flag" in theirs  # what showed through before
        for words in shown:
            assert words in mine, mine
        for words in ("Choose", "Strike", "Flag", "Next"):
            assert words not in mine, mine


@pytest.mark.parametrize(("key", "shown"), [("e", "Cancel"), ("d", "Confirm")])
async def test_the_export_and_delete_dialogs_show_their_own_keys(
    tmp_path: Path, key: str, shown: str
) -> None:
    history = open_history(tmp_path)
    mixed_attempt(history, review_bank())
    app = host(lambda: HistoryScreen(history), FakeServices(history, tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        mine, theirs = footers(app)
        assert "Export CSV" in theirs
        assert shown in mine and "Export CSV" not in mine and "Delete" not in mine


async def test_the_palette_shows_its_own_keys() -> None:
    app, _ = recorded_app(make_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        mine, theirs = footers(app)
        assert "Choose" in theirs
        assert "Exit the command palette" in mine and "Choose" not in mine
