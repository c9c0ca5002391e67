"""The history screen: every attempt, review, CSV export with its dialog, delete."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from examsim.core.bank import Bank
from examsim.core.bank_model import validate_bank
from examsim.storage.history import History
from examsim.tui.app import ExamSimApp
from examsim.tui.screens.confirm import ConfirmScreen
from examsim.tui.screens.history import AttemptTable, ExportDialog, HistoryScreen
from examsim.tui.screens.review import ReviewScreen
from examsim.tui.screens.stats import StatsScreen

from .helpers import (
    ALL_RIGHT,
    FakeClock,
    FakeServices,
    flat,
    host,
    mixed_attempt,
    open_history,
    rendered_text,
    review_bank,
    take,
)


def build(tmp_path: Path) -> tuple[History, Bank, list[int]]:
    """Attempts 1 (50 %, failed), 2 (100 %, passed), 3 (in progress), 4 (abandoned)."""
    bank = review_bank()
    history = open_history(tmp_path)
    ids = [mixed_attempt(history, bank), take(history, bank, ALL_RIGHT, seconds=65)]
    ids.append(take(history, bank, {0: "B"}, finish=False))
    ids.append(take(history, bank, {0: "B"}, finish=False, clock=FakeClock()))
    history.abandon(ids[3], "given up")
    return history, bank, ids


def history_app(history: History, bank: Bank | None = None, **options: Any) -> ExamSimApp:
    """The history screen over ``history``, with services over the same history."""
    services = FakeServices(history, banks=bank or (), **options)
    return host(lambda: HistoryScreen(history), services)


def rows(app: ExamSimApp) -> list[list[str]]:
    table = app.screen.query_one(AttemptTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def notes(app: ExamSimApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_lists_every_attempt_newest_first(tmp_path: Path, utc: None) -> None:
    history, _, _ = build(tmp_path)
    app = history_app(history)
    async with app.run_test(size=(100, 30)):
        got = rows(app)
        assert [row[0] for row in got] == ["4", "3", "2", "1"]
        assert [row[5] for row in got] == ["– abandoned", "… unfinished", "✓ pass", "✗ fail"]
        assert got[2][1:5] == ["2025-03-01 11:40", "TUI test bank", "exam", "100%"]
        assert got[2][6] == "6:30" and got[3][4] == "50%"
        title = flat(rendered_text(app.screen.query_one("#history-title")))
        assert title == "History · 4 attempts (2 scored) · newest first"


async def test_enter_opens_the_review_of_the_highlighted_attempt(tmp_path: Path) -> None:
    history, bank, ids = build(tmp_path)
    app = history_app(history, bank)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "down", "enter")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.attempt_id == ids[0] and app.screen.bank is bank
        await pilot.press("escape")
        assert isinstance(app.screen, HistoryScreen)


async def test_review_without_the_bank_when_it_is_not_found(tmp_path: Path) -> None:
    history, _, ids = build(tmp_path)
    app = history_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "enter")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.attempt_id == ids[1] and app.screen.bank is None


async def test_export_asks_for_a_path_and_writes_the_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    history, _, ids = build(tmp_path)
    app = history_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "e")
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one(Input).value == f"./examsim-attempt-{ids[1]}.csv"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        written = tmp_path / f"examsim-attempt-{ids[1]}.csv"
        with written.open(encoding="utf-8", newline="") as handle:
            table = list(csv.DictReader(handle))
        assert len(table) == 6
        assert [r["chosen"] for r in table] == ["B", "AC", "B", "B", "B", "B"]
        assert f"Wrote 6 rows to examsim-attempt-{ids[1]}.csv" in notes(app)


async def test_export_refuses_to_overwrite_unless_confirmed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    history, _, ids = build(tmp_path)
    target = tmp_path / f"examsim-attempt-{ids[1]}.csv"
    target.write_text("precious\n", encoding="utf-8")
    app = history_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "e", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert "exists. Overwrite it?" in flat(rendered_text(app.screen))
        await pilot.press("n")
        assert target.read_text(encoding="utf-8") == "precious\n"
        assert "Nothing written." in notes(app)
        await pilot.press("e", "enter", "y")
        await pilot.pause()
        assert target.read_text(encoding="utf-8").startswith("attempt_id,bank_id,position")


async def test_export_to_a_folder_or_a_typed_path_and_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    history, _, ids = build(tmp_path)
    (tmp_path / "out").mkdir()
    app = history_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "down", "e")
        app.screen.query_one(Input).value = "out"
        await pilot.press("enter")
        await pilot.pause()
        assert (tmp_path / "out" / f"examsim-attempt-{ids[0]}.csv").is_file()
        await pilot.press("e")
        app.screen.query_one(Input).value = "missing/dir/x.csv"
        await pilot.press("enter")
        await pilot.pause()
        assert any(n.startswith("Could not write missing/dir/x.csv") for n in notes(app))
        await pilot.press("e")
        app.screen.query_one(Input).value = "  "
        await pilot.press("enter")
        assert isinstance(app.screen, ExportDialog)  # still asking
        await pilot.press("escape")
        assert isinstance(app.screen, HistoryScreen)


async def test_an_attempt_without_answers_is_not_exported(tmp_path: Path) -> None:
    history, _, _ = build(tmp_path)
    app = history_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "e")  # attempt 3: in progress
        assert isinstance(app.screen, HistoryScreen)
        assert any("in progress and has no answers" in n for n in notes(app))


async def test_delete_asks_first(tmp_path: Path) -> None:
    history, _, ids = build(tmp_path)
    app = history_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "d")
        assert isinstance(app.screen, ConfirmScreen)
        assert f"Delete attempt {ids[1]}?" in flat(rendered_text(app.screen))
        await pilot.press("escape")
        assert history.attempt(ids[1]) is not None
        await pilot.press("d", "y")
        await pilot.pause()
        assert history.attempt(ids[1]) is None
        assert [row[0] for row in rows(app)] == ["4", "3", "1"]
        assert app.screen.query_one(AttemptTable).cursor_row == 2  # the next one down
        assert f"Attempt {ids[1]} deleted." in notes(app)


async def test_deleting_the_last_attempt_shows_the_empty_message(tmp_path: Path) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    take(history, bank, ALL_RIGHT)
    app = history_app(history)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d", "enter")
        await pilot.pause()
        assert "No attempts yet" in flat(rendered_text(app.screen))
        assert app.screen.check_action("delete", ()) is False
        await pilot.press("d", "e", "enter")  # nothing to act on: nothing happens
        assert isinstance(app.screen, HistoryScreen)


async def test_s_opens_the_stats_of_the_attempts_bank(tmp_path: Path) -> None:
    history, bank, _ = build(tmp_path)
    app = history_app(history, bank)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, StatsScreen)
        assert app.screen.bank_id == bank.id and app.screen.bank is bank


async def test_bank_titles_are_not_markup(tmp_path: Path) -> None:
    data = review_bank().model_dump(by_alias=True)
    data["bank"] = {**data["bank"], "title": "[b]Bold[/b] [/] bank"}
    bank = validate_bank(data)
    history = open_history(tmp_path)
    take(history, bank, ALL_RIGHT)
    app = history_app(history)
    async with app.run_test(size=(120, 30)):
        assert rows(app)[0][2] == "[b]Bold[/b] [/] bank"


def test_snapshot_history(snap_compare, tmp_path: Path, utc: None) -> None:
    history, _, _ = build(tmp_path)
    app = history_app(history)
    assert snap_compare(app, terminal_size=(80, 24))


def test_snapshot_export_dialog(snap_compare, tmp_path: Path, utc: None) -> None:
    history, _, _ = build(tmp_path)
    app = history_app(history)

    async def open_dialog(pilot) -> None:
        await pilot.press("down", "down", "e")
        pilot.app.screen.query_one(Input).cursor_blink = False  # a steady cursor
        await pilot.pause()

    assert snap_compare(app, run_before=open_dialog, terminal_size=(80, 24))


async def test_rows_go_in_by_chunks_and_the_cursor_stays_put(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import examsim.tui.screens.history as module

    monkeypatch.setattr(module, "FIRST_ROWS", 2)
    monkeypatch.setattr(module, "CHUNK_ROWS", 1)
    history, bank, ids = build(tmp_path)
    app = history_app(history, bank)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await pilot.pause()
        assert screen.loaded and [row[0] for row in rows(app)] == ["4", "3", "2", "1"]
        await pilot.press("down", "down", "down", "enter")
        assert isinstance(app.screen, ReviewScreen) and app.screen.attempt_id == ids[0]
        await pilot.press("escape")
        await pilot.pause()
        assert screen.current is not None and screen.current.id == ids[0]  # row 4 of 4
        assert screen.loaded


async def test_export_proposes_the_data_dirs_exports_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a data dir (the app's services), the dialog proposes its exports/ folder, as
    `examsim export` without -o writes there; the folder is made when first written."""
    monkeypatch.chdir(tmp_path)
    history, _, ids = build(tmp_path)
    data = tmp_path / "data"
    app = history_app(history, exports=data / "exports")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "e")
        assert isinstance(app.screen, ExportDialog)
        target = data / "exports" / f"examsim-attempt-{ids[1]}.csv"
        assert app.screen.query_one(Input).value == str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_text(encoding="utf-8").startswith("attempt_id,bank_id,position")
        assert f"Wrote 6 rows to {target}" in notes(app)
        assert not list(tmp_path.glob("*.csv"))


async def test_the_delete_dialog_says_what_the_attempt_was_in_words(tmp_path: Path) -> None:
    """Newcomer run 6: the body read "..., practice, 2026-12-04 12:42, · session." (the
    table's mark in a sentence)."""
    bank = review_bank()
    history = open_history(tmp_path)
    take(history, bank, ALL_RIGHT, mode="practice")
    take(history, bank, ALL_RIGHT)
    app = history_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("d")
        text = flat(rendered_text(app.screen.query_one("#body")))
        assert ", exam, " in text and ", passed." in text and "✓" not in text
        await pilot.press("escape", "down", "d")
        text = flat(rendered_text(app.screen.query_one("#body")))
        assert ", practice, " in text and ", a session (no pass mark)." in text
        assert "·" not in text


async def test_below_80_columns_the_title_says_the_table_scrolls(tmp_path: Path) -> None:
    """Newcomer run 6, finding 17: at 50 columns Result and Time were cut off with
    nothing saying the table scrolls sideways. The title says so (and right scrolls);
    at 80 columns the table fits and the title is as it was. A resize lays it out again."""
    from examsim.tui.screens.history import SCROLLS, column_widths

    history = open_history(tmp_path)
    mixed_attempt(history, review_bank())
    app = host(lambda: HistoryScreen(history), FakeServices(history, tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        title = flat(rendered_text(app.screen.query_one("#history-title")))
        assert title == "History · 1 attempt (1 scored) · newest first"
        await pilot.resize_terminal(50, 16)
        await pilot.pause()
        title = flat(rendered_text(app.screen.query_one("#history-title")))
        assert title.startswith(f"History · 1 attempt (1 scored) · {SCROLLS}")
        table = app.screen.query_one(AttemptTable)
        assert table.max_scroll_x > 0 and table.scroll_x == 0
        await pilot.press("right")
        await pilot.pause()
        assert table.scroll_x > 0
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        title = flat(rendered_text(app.screen.query_one("#history-title")))
        assert SCROLLS not in title and table.max_scroll_x == 0

    rows = [("12", "2025-03-01 10:20", "A bank title of thirty letters", "practice", "50%",
             "… unfinished", "4:12")]
    names = HistoryScreen.COLUMNS
    widths, fits = column_widths(names, rows, 80, 1)
    assert fits and widths == [2, 16, 17, 8, 5, 12, 4]  # the title clipped to what is left
    assert sum(widths) + 2 * 7 + 2 == 80
    widths, fits = column_widths(names, rows, 60, 1)
    assert not fits and widths[2] == 8  # at least 8 cells for the title


async def test_the_attempt_being_taken_is_not_deleted_from_the_history(tmp_path: Path) -> None:
    """Newcomer run 7: d, y on the attempt in progress that this examsim has open deleted
    it while its exam went on. It is kept, with an error that says why."""
    bank = review_bank()
    history = open_history(tmp_path)
    open_here = take(history, bank, {0: "B"}, finish=False)  # started and saved here
    app = history_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("d", "y")
        await pilot.pause()
        assert history.attempt(open_here) is not None
        assert any(note.startswith(f"Not deleted: attempt {open_here} is the one open here")
                   for note in notes(app))
        assert [row[0] for row in rows(app)] == [str(open_here)]
