"""Every attempt, newest first: open one in review, export it to CSV, delete it.

    HistoryScreen(history)

Columns: id, date (local time), bank, mode, score, result (✓ pass / ✗ fail, ⏱ when time
ran out, or unfinished / abandoned) and time used. When they cannot fit the screen (below
some 70 columns) the title says that the table scrolls sideways (``column_widths``).

enter reviews the highlighted attempt (``OpenReview``: the app looks its bank up through
the services; without it the review shows what history kept), e exports it to CSV (a dialog asks
for the path, examsim-attempt-N.csv in the data dir's exports/ folder by default, and
asks again before overwriting),
d deletes it after a confirmation, s opens the stats of its bank (``OpenStats``).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import events, getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Static

from ...core.safe_text import shown
from ...core.timefmt import local_time
from ...storage.export import write_questions
from ...storage.history import HistoryError
from ...storage.safe_files import write_file
from ..app_base import AppBase
from ..messages import OpenReview, OpenStats
from ..widgets.figures import clip, duration, plural
from .browse import BrowseScreen
from .confirm import ConfirmScreen

if TYPE_CHECKING:
    from ...storage.history import History
    from ...storage.records import AttemptRow

FIRST_ROWS = 100   # rows put in the table at once; the rest follow a chunk per refresh
CHUNK_ROWS = 250
STATUS_MARK = {
    "in_progress": "… unfinished",
    "abandoned": "– abandoned",
}


def result_text(attempt: AttemptRow) -> str:
    """✓ pass / ✗ fail for a full exam (⏱ when time ran out), "session" for any other
    attempt (no verdict), or what became of an unscored attempt."""
    if attempt.status in STATUS_MARK:
        return STATUS_MARK[attempt.status]
    if not attempt.full or attempt.passed is None:
        mark = "· session"
    else:
        mark = "✓ pass" if attempt.passed else "✗ fail"
    return mark + (" ⏱" if attempt.status == "timed_out" else "")


def result_words(attempt: AttemptRow) -> str:
    """What the attempt was, in words for a sentence: "passed", "not passed", "a session
    (no pass mark)", "unfinished", "abandoned" (", time ran out" when it did)."""
    if attempt.status == "in_progress":
        return "unfinished"
    if attempt.status == "abandoned":
        return "abandoned"
    if not attempt.full or attempt.passed is None:
        words = "a session (no pass mark)"
    else:
        words = "passed" if attempt.passed else "not passed"
    return words + (", time ran out" if attempt.status == "timed_out" else "")


def score_text(attempt: AttemptRow) -> str:
    if attempt.percent is None:
        return "–"
    scaled = f" · {attempt.scaled}" if attempt.scaled is not None else ""
    return f"{attempt.percent:.0f}%{scaled}"


def attempt_texts(attempt: AttemptRow) -> tuple[str, ...]:
    """The cells of one attempt's row as plain text (the bank title not yet clipped)."""
    return (
        str(attempt.id), local_time(attempt.finished or attempt.started), attempt.bank_title,
        attempt.mode, score_text(attempt), result_text(attempt), duration(attempt.elapsed),
    )


RIGHT_ALIGNED = (0, 4, 6)
BANK = 2


def column_widths(
    names: tuple[str, ...], rows: list[tuple[str, ...]], room: int, padding: int
) -> tuple[list[int], bool]:
    """The width of each column for ``rows`` in ``room`` cells (the screen's width) and
    whether the table fits in it. Each column is as wide as its widest cell; the bank
    title is clipped to what is left, 8 to 40 cells. Below some 70 columns even that does
    not fit: the table then scrolls sideways and its title says so."""
    widths = [max([cell_len(name), *(cell_len(row[i]) for row in rows)])
              for i, name in enumerate(names)]
    others = sum(widths) - widths[BANK]
    chrome = 2 * padding * len(names) + 2
    widths[BANK] = max(8, min(40, room - others - chrome, widths[BANK]))
    return widths, sum(widths) + chrome <= room


SCROLLS = "← → scroll"  # in the title when the columns do not fit the screen


def attempt_cells(texts: tuple[str, ...], bank_width: int = 24) -> tuple[Text, ...]:
    """The row of one attempt; rich Text, so that a title is never read as markup."""
    return tuple(
        Text(clip(text, bank_width) if column == BANK else text,
             justify="right" if column in RIGHT_ALIGNED else "left")
        for column, text in enumerate(texts)
    )


def default_export_path(attempt_id: int, folder: Path | None = None) -> str:
    """Where the dialog proposes to write: ``folder`` (the services' ``exports``: the data
    dir's exports/ folder, as ``examsim export`` without -o), else the current folder."""
    name = f"examsim-attempt-{attempt_id}.csv"
    if folder is None:
        return f"./{name}"
    return str(folder / name)


class ExportDialog(ModalScreen[str | None]):
    """Ask where to write the CSV; enter writes, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    ExportDialog {
        align: center middle;
        #export-dialog {
            width: 64;
            max-width: 100%;
            height: auto;
            padding: 1 2;
            border: round $primary;
            background: $surface;
        }
        #export-title { text-style: bold; margin: 0 0 1 0; }
        #export-hint { color: $text-muted; margin: 1 0 0 0; }
    }
    """

    def __init__(self, attempt: AttemptRow, default: str) -> None:
        super().__init__()
        self.attempt = attempt
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Static(Content(f"Export attempt {self.attempt.id} "
                                 f"({shown(self.attempt.bank_title)}) to CSV"),
                         id="export-title")
            yield Input(self.default, id="export-path", select_on_focus=False)
            yield Static("enter writes the file · escape cancels", id="export-hint",
                         markup=False)
        yield Footer(compact=True)  # this dialog's keys, over the history's (dialog.py)

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        field.cursor_position = len(field.value)

    def on_key(self, event: events.Key) -> None:
        """Characters typed before the field took the focus (it is given a moment after
        the dialog shows) reach the dialog itself, not the field: they go to the field,
        in the order typed (they were lost: 'e' then a name typed at once). The field
        stops the characters it gets, so none arrives here twice."""
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.query_one(Input).insert_text_at_cursor(event.character)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            self.notify("Type a file name, or escape to cancel.", severity="warning",
                        markup=False)
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


def resolve_export_path(text: str, attempt_id: int) -> Path:
    """The file to write: ~ expanded, relative to the current folder; a folder gets the
    default file name inside it."""
    path = Path(text).expanduser()
    if path.is_dir():
        path = path / Path(default_export_path(attempt_id)).name
    return path


def write_attempt_csv(history: History, attempt: AttemptRow, path: Path) -> int:
    """Write one row per question; returns the number of rows. The file is written
    through a temporary file of its own (storage/safe_files.py), private (0600)."""
    answers = history.answers(attempt.id)
    out = io.StringIO(newline="")
    rows = write_questions(out, attempt, answers)
    write_file(path, out.getvalue(), replace=True)  # an overwrite was confirmed before
    return rows


def export_attempt(app: AppBase, history: History, attempt: AttemptRow) -> None:
    """Ask for a path, confirm an overwrite, write the CSV and say what was written."""
    if not history.answers(attempt.id):
        state = attempt.status.replace("_", " ")
        app.notify(f"Attempt {attempt.id} is {state} and has no answers to export yet.",
                   severity="warning", markup=False)
        return

    folder = app.services.exports

    def write(path: Path) -> None:
        try:
            if folder is not None and path.parent == folder:
                path.parent.mkdir(parents=True, exist_ok=True)  # made on first use
            rows = write_attempt_csv(history, attempt, path)
        except OSError as exc:
            app.notify(f"Could not write {path}: {exc.strerror or exc}", severity="error",
                       markup=False)
            return
        app.notify(f"Wrote {rows} row{'s' if rows != 1 else ''} to {path}", markup=False)

    def chosen(text: str | None) -> None:
        if text is None:
            return
        path = resolve_export_path(text, attempt.id)
        if not path.exists():
            write(path)
            return

        def overwrite(yes: bool | None) -> None:
            if yes:
                write(path)
            else:
                app.notify("Nothing written.", markup=False)

        app.push_screen(
            ConfirmScreen(f"{path} exists. Overwrite it?", "Its contents will be replaced.",
                          confirm_label="Overwrite", cancel_label="Keep it"),
            overwrite,
        )

    app.push_screen(ExportDialog(attempt, default_export_path(attempt.id, folder)), chosen)


class AttemptTable(DataTable[Text]):
    """The attempts; a row key is the attempt id."""


class HistoryScreen(BrowseScreen):
    """All attempts in history, newest first."""

    DEFAULT_CSS = """
    HistoryScreen {
        #history-table { height: 1fr; }
        #history-empty { margin: 1 2; }
    }
    """
    app = getters.app(AppBase)

    HELP_TITLE = "Keys on the history screen"

    BINDINGS = [
        Binding("enter", "review", "Review", priority=True),
        Binding("e", "export", "Export CSV"),
        Binding("d", "delete", "Delete"),
        Binding("s", "stats", "Stats", tooltip="The stats of this attempt's bank"),
        Binding("escape", "leave", "Back"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    COLUMNS = ("#", "Date", "Bank", "Mode", "Score", "Result", "Time")
    browsed = ("history",)

    def __init__(self, history: History) -> None:
        super().__init__()
        self.history = history
        self.attempts: list[AttemptRow] = []
        self._generation = 0
        self._layout: tuple[list[int], bool] | None = None  # column_widths, as laid out

    def compose(self) -> ComposeResult:
        yield Static(id="history-title", classes="browse-title", markup=False)
        yield AttemptTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="history-empty", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # none when the app is quitting while this screen mounts (found by bench/torture.py)
        for table in self.query(AttemptTable).results(AttemptTable):
            table.focus()

    def on_screen_resume(self) -> None:
        """Shown (first time, or back from review or stats): read the attempts afresh."""
        self.reload(keep=self.current.id if self.current else None)

    def reload(self, keep: int | None = None) -> None:
        """Read the attempts again; keep the cursor on attempt ``keep`` when it is there.

        The first rows go in at once, the rest a chunk per refresh, so that a thousand
        attempts show as fast as a few (bench/bench_screens.py).
        """
        self._generation += 1
        self.attempts = self.history.attempts()
        texts = [attempt_texts(attempt) for attempt in self.attempts]
        table = self.query_one(AttemptTable)
        table.clear(columns=True)
        widths, fits = column_widths(self.COLUMNS, texts, self.app.size.width,
                                     table.cell_padding)
        self._layout = (widths, fits)
        bank_width = widths[BANK]
        for name, width in zip(self.COLUMNS, widths, strict=True):
            table.add_column(name, key=name, width=width)
        at = next((i for i, a in enumerate(self.attempts) if a.id == keep), 0)
        first = max(FIRST_ROWS, at + 1)
        table.add_rows(attempt_cells(row, bank_width) for row in texts[:first])
        if len(texts) > first:
            self.call_after_refresh(self._add_rows, self._generation, texts, first, bank_width)
        scored = sum(attempt.scored for attempt in self.attempts)
        scrolls = "" if fits else f"{SCROLLS} · "
        title = (f"History · {plural(len(self.attempts), 'attempt')} ({scored} scored) · "
                 f"{scrolls}newest first" if self.attempts else "History")
        self.query_one("#history-title", Static).update(Content(title))
        empty = self.query_one("#history-empty", Static)
        empty.update(Content("" if self.attempts else
                             "No attempts yet: start one from the home screen or with "
                             "`examsim run BANK`; each attempt is listed here."))
        empty.display = not self.attempts
        table.display = bool(self.attempts)
        if at:
            table.move_cursor(row=at, animate=False)
        self.refresh_bindings()

    def on_resize(self) -> None:
        """Another width: lay the columns out again when they change (the bank title's
        width, whether the table scrolls), keeping the cursor where it was."""
        if self._layout is None:
            return  # not read yet: the first reload lays them out
        texts = [attempt_texts(attempt) for attempt in self.attempts]
        layout = column_widths(self.COLUMNS, texts, self.app.size.width,
                               self.query_one(AttemptTable).cell_padding)
        if layout != self._layout:
            self.reload(keep=self.current.id if self.current else None)

    def _add_rows(
        self, generation: int, texts: list[tuple[str, ...]], start: int, bank_width: int
    ) -> None:
        if generation != self._generation or not self.is_mounted:
            return  # reloaded since: that reload adds its own rows
        end = start + CHUNK_ROWS
        self.query_one(AttemptTable).add_rows(
            attempt_cells(row, bank_width) for row in texts[start:end])
        if end < len(texts):
            self.call_after_refresh(self._add_rows, generation, texts, end, bank_width)

    @property
    def loaded(self) -> bool:
        """Every attempt is in the table (the last chunk went in)."""
        return self.query_one(AttemptTable).row_count == len(self.attempts)

    @property
    def current(self) -> AttemptRow | None:
        if not self.is_mounted:
            return None
        table = self.query_one(AttemptTable)
        if not 0 <= table.cursor_row < min(table.row_count, len(self.attempts)):
            return None
        return self.attempts[table.cursor_row]

    # -- actions ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("review", "export", "delete", "stats"):
            return self.current is not None
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_review()

    def action_review(self) -> None:
        if (attempt := self.current) is not None:
            self.post_message(OpenReview(attempt.id))

    def action_export(self) -> None:
        if (attempt := self.current) is not None:
            export_attempt(self.app, self.history, attempt)

    def action_delete(self) -> None:
        attempt = self.current
        if attempt is None:
            return
        body = (f"{attempt.bank_title}, {attempt.mode}, "
                f"{local_time(attempt.finished or attempt.started)}, {result_words(attempt)}."
                "\nIts answers leave your stats too. This cannot be undone.")
        if attempt.status == "in_progress":
            body += "\nIt is in progress: it can no longer be resumed."

        def decided(yes: bool | None) -> None:
            if not yes:
                return
            index = self.attempts.index(attempt)
            rest = self.attempts[index + 1:index + 2] or self.attempts[index - 1:index]
            try:
                deleted = self.history.delete_attempt(attempt.id)
            except HistoryError as error:  # the attempt being taken, here or elsewhere
                self.notify(f"Not deleted: {error}", severity="error", markup=False)
                return
            if deleted:
                self.notify(f"Attempt {attempt.id} deleted.", markup=False)
            self.reload(keep=rest[0].id if rest else None)  # the cursor on the next one

        self.app.push_screen(
            ConfirmScreen(f"Delete attempt {attempt.id}?", body, confirm_label="Delete",
                          cancel_label="Keep"),
            decided,
        )

    def action_stats(self) -> None:
        if (attempt := self.current) is None:
            return
        self.post_message(OpenStats(attempt.bank_id))
