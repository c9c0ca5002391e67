"""The home screen (``examsim`` with no arguments): attempts to resume, banks to start.

- "Continue": the attempts in progress, newest first, with progress and time left;
  enter (or r) resumes, x abandons after asking.
- "Banks": every bank found (bundled, ./banks, the data dir's banks/) with its number of
  questions and your best and latest score; enter opens the start form (start.py).
  Files that do not load are listed below with their first problem.
- A detail pane describes the highlighted bank or attempt.

Everything comes from ``app.services`` (tui/services.py); the screen reloads it each time
it comes back to the front, so the scores are fresh after an attempt. The screen opens
nothing itself: enter posts ``OpenStartForm`` or ``ResumeAttempt``, s ``OpenStats`` and h
``OpenHistory`` (tui/messages.py), and the app opens the screen.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import events, getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...core.safe_text import shown
from ..app_base import AppBase
from ..messages import OpenHistory, OpenStartForm, OpenStats, ResumeAttempt
from ..services import Overview, ServiceError
from ..widgets.timer import clock_text
from .confirm import ConfirmScreen
from .help import HelpScreen, binding_rows

if TYPE_CHECKING:
    from ...storage.overview import BankOverview, InProgress
    from ...storage.records import AttemptRow
    from ..services import Services

TITLE_MIN, TITLE_MAX = 16, 60
CLIP_MIDDLE_MIN = 12  # narrower than this, a title is cut at its end
FRAME = 4  # the body's padding (2) and scrollbar (1), and a table's own scrollbar (1)


# -- text of the rows ---------------------------------------------------------------------


def clip(text: str, width: int) -> str:
    """One line of at most ``width`` terminal cells (wide characters count two), cut in
    the middle with "…" when too long: banks of one series differ at the end of their
    titles ("... practice exam 1", "... practice exam 2"), which a cut at the end hid."""
    plain = " ".join(shown(text).split())
    width = max(1, width)
    if cell_len(plain) <= width:
        return plain
    if width < CLIP_MIDDLE_MIN:
        line = Text(plain)
        line.truncate(width, overflow="ellipsis")
        return line.plain
    tail_width = width // 3
    head = set_cell_size(plain, width - tail_width - 1).rstrip()
    tail, used = [], 0
    for char in reversed(plain):  # the last characters that fit in tail_width cells
        used += cell_len(char)
        if used > tail_width:
            break
        tail.append(char)
    return head + "…" + "".join(reversed(tail)).lstrip()


def tilde(path: object) -> str:
    """A path with the home directory written as ~."""
    text = str(path)
    home = str(Path.home())
    return "~" + text[len(home):] if home != "/" and text.startswith(home + "/") else text


def when(stamp: str | None, now: datetime | None = None) -> str:
    """A stored UTC time as a short local one: "today 14:02", "31 Jan", "31 Jan 2024"."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp
    now = now or datetime.now().astimezone()
    if moment.date() == now.date():
        return f"today {moment:%H:%M}"
    if moment.year == now.year:
        return f"{moment.day} {moment:%b}"
    return f"{moment.day} {moment:%b %Y}"


def score_text(attempt: AttemptRow | None) -> Text:
    """"820 80% ✓": the glyph says passed or not; no colour of its own, which would not
    read on every theme's cursor row (tui/contrast.py)."""
    if attempt is None or attempt.percent is None:
        return Text("–")
    mark = " ✓" if attempt.passed else " ✗"
    figure = f"{attempt.percent:.0f}%"
    if attempt.scaled is not None:
        figure = f"{attempt.scaled} {figure}"
    return Text.assemble(figure, mark)


def progress_text(item: InProgress) -> str:
    text = f"{item.answered}/{item.total}"
    if item.flagged:
        text += f" ⚑{item.flagged}"
    text += f" · at {item.position + 1}"
    return text + " · in use" if item.held_by is not None else text


def time_left_text(item: InProgress) -> str:
    if item.remaining is None:
        return "untimed"
    return clock_text(item.remaining) + " left"


def bank_detail(item: BankOverview) -> str:
    bank = item.bank
    if bank is None:
        return f"{item.entry.path}\n{item.first_problem}"
    s = bank.settings
    lines = [f"{bank.title}  ({bank.id})"]
    count = len(bank.questions)
    line = f"{count} question{'s' if count != 1 else ''}"
    if bank.domains:
        parts = [f"{d.label} {len(bank.questions_in(d.id))}" for d in bank.domains]
        line += f" · {len(bank.domains)} domains: " + ", ".join(parts)
    lines.append(line)
    full = s.questions_per_exam or count
    exam = f"Full exam: {full} questions"
    if s.time_limit:
        exam += f" in {s.time_limit:g} min"
    if s.scaled_score is not None:
        exam += f" · pass {s.scaled_score.pass_mark}/{s.scaled_score.max}"
    elif s.pass_percent is not None:
        exam += f" · pass {s.pass_percent:g}%"
    lines.append(exam)
    if s.description:
        lines.append(" ".join(s.description.split()))
    sessions = item.attempts - item.exams
    others = f" · {sessions} session{'s' if sessions != 1 else ''}" if sessions else ""
    if item.exams:
        best, latest = item.best, item.latest
        lines.append(
            f"{item.exams} full exam{'s' if item.exams != 1 else ''}{others} · "
            f"best {score_text(best).plain} ({when(best.finished if best else None)}) · "
            f"latest {score_text(latest).plain} ({when(latest.finished if latest else None)})"
        )
    elif item.attempts:
        lines.append(f"No full exam yet{others}: best and latest count full exams only.")
    else:
        lines.append("No finished attempt yet.")
    if item.ready:
        lines.append(item.ready[0].upper() + item.ready[1:])
    if item.due:
        lines.append(f"{item.due} due for review today (start form: mode due)")
    lines.append(f"{tilde(item.entry.path)} ({item.entry.origin})")
    return "\n".join(lines)


def attempt_detail(item: InProgress) -> str:
    row = item.attempt
    lines = [
        f"Attempt {row.id} · {row.bank_title} · {row.mode} · started {when(row.started)}",
        f"{item.answered} of {item.total} answered · {item.flagged} flagged · "
        f"at question {item.position + 1} · {time_left_text(item)}",
        "enter resumes it · x abandons it (its answers so far stay in history)",
    ]
    if item.held_by is not None:
        pid, host = item.held_by
        lines[-1] = (f"Open in another examsim (pid {pid} on {host}): close it there to "
                     "resume it here")
    return "\n".join(lines)


# -- widgets ------------------------------------------------------------------------------


class HomeTable(DataTable, inherit_bindings=False):
    """A row table whose enter is left to the screen (start or resume)."""

    DEFAULT_CSS = """
    HomeTable {
        height: auto;
        max-height: 12;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
        &:blur > .datatable--cursor {
            background: $surface-lighten-1;
        }
    }
    """

    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def show_rows(self, rows: dict[str, list[Text]]) -> None:
        """Replace the rows (key -> cells), each column exactly as wide as its widest cell
        or label. (DataTable's own widths only ever grow and are measured after the rows
        are drawn: after a wide terminal the titles, clipped narrower, kept their old
        width and the table scrolled sideways.)"""
        columns = [(column.label, column.key.value) for column in self.columns.values()]
        widths = [label.cell_len for label, _ in columns]
        for cells in rows.values():
            widths = [max(width, cell.cell_len) for width, cell in zip(widths, cells,
                                                                      strict=True)]
        self.clear(columns=True)
        for (label, key), width in zip(columns, widths, strict=True):
            self.add_column(label, key=key, width=width)
        for key, cells in rows.items():
            self.add_row(*cells, key=key)

    def key_at_cursor(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:  # an empty or changing table
            return None

    def move_to(self, key: str | None) -> None:
        if key is None:
            return
        with contextlib.suppress(Exception):  # that row is gone
            self.move_cursor(row=self.get_row_index(key), animate=False)


class HomeHelp(HelpScreen):
    """Help for the home screen: every key, whichever list has the focus."""

    def rows(self) -> list[tuple[str, str]]:
        home = self.source
        assert isinstance(home, HomeScreen)
        return binding_rows(home.help_bindings() + list(self.app.BINDINGS), self.words)


# -- the screen ---------------------------------------------------------------------------


class HomeScreen(Screen[None]):
    """Banks found, attempts in progress, and the way into each."""

    DEFAULT_CSS = """
    HomeScreen {
        layout: vertical;
        #home-bar {
            height: 1;
            background: $panel;
            padding: 0 1;
            text-style: bold;
        }
        #home-body {
            height: 1fr;
            padding: 0 1;
            scrollbar-size-vertical: 1;
        }
        .home-heading {
            height: auto;
            margin: 1 0 0 0;
            text-style: bold;
            color: $text-accent;
        }
        .home-note {
            height: auto;
            color: $text-muted;
        }
        #home-detail {
            height: auto;
            max-width: 110;  /* a reading width on a wide terminal */
            margin: 1 0 0 0;
            padding: 0 1;
            border-left: thick $primary 50%;
        }
        #home-continue, #home-problems, #home-problem-list { height: auto; }
        .home-problem {
            height: auto;
            color: $text-error;
        }
        #home-empty {
            height: auto;
            color: $text-warning;
        }
    }
    """

    BINDINGS = [
        Binding("enter", "start", "Start", tooltip="Start an attempt on the selected bank "
                "(a form: mode, questions, time, domains)"),
        Binding("enter", "resume_selected", "Resume", tooltip="Resume the selected attempt"),
        Binding("r", "resume_newest", "Resume",
                tooltip="Resume the newest unfinished attempt (or the selected one)"),
        Binding("r", "resume_selected", "Resume", show=False),
        Binding("x", "abandon", "Abandon",
                tooltip="Abandon the selected unfinished attempt (asks first)"),
        Binding("tab", "switch_list", "Switch list",
                tooltip="Move between the unfinished attempts and the banks"),
        Binding("up,down", "move", "Move", show=False, tooltip="Move in the list"),
        Binding("pageup", "scroll_body(-1)", "Scroll up", show=False,
                tooltip="Scroll the page up (page down: down)"),
        Binding("pagedown", "scroll_body(1)", "Scroll down", show=False),
        Binding("s", "stats", "Stats", tooltip="Stats of the selected bank"),
        Binding("h", "history", "History", tooltip="Every attempt: review, export, delete"),
        Binding("question_mark", "help", "Help", key_display="?", tooltip="This help"),
        Binding("q", "app.quit", "Quit", tooltip="Quit examsim"),
    ]

    app = getters.app(AppBase)

    def __init__(self) -> None:
        super().__init__()
        self.overview = Overview()
        self._banks: dict[str, BankOverview] = {}
        self._unfinished: dict[str, InProgress] = {}
        self._width = 0

    @property
    def services(self) -> Services:
        return self.app.services

    # -- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Content("examsim · choose a bank to start, or continue an attempt"),
                     id="home-bar")
        with VerticalScroll(id="home-body", can_focus=False):
            with Vertical(id="home-continue"):
                yield Static(Content("Continue where you left off"), classes="home-heading")
                yield HomeTable(id="home-unfinished")
            yield Static(Content("Banks"), classes="home-heading", id="home-banks-heading")
            yield HomeTable(id="home-banks")
            yield Static(id="home-empty", markup=False)
            with Vertical(id="home-problems"):
                yield Static(Content("Files that did not load"), classes="home-heading")
                yield Vertical(id="home-problem-list")
            yield Static(id="home-detail", markup=False)
            yield Static(id="home-where", classes="home-note", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        banks = self.query_one("#home-banks", HomeTable)
        banks.add_column("Bank", key="title")
        banks.add_column("Qs", key="count")
        banks.add_column("Best", key="best")
        banks.add_column("Latest", key="latest")
        banks.add_column("From", key="origin")
        unfinished = self.query_one("#home-unfinished", HomeTable)
        unfinished.add_column("Bank", key="title")
        unfinished.add_column("Mode", key="mode")
        unfinished.add_column("Answered", key="progress")
        unfinished.add_column("Time", key="time")
        unfinished.add_column("Saved", key="saved")
        self.reload()
        self._focus_first()

    def on_screen_resume(self) -> None:
        if not (self.is_mounted and self.query("#home-banks")) or self.app.screen is not self:
            return  # not built yet, or another screen came on top meanwhile
        session = self.app.session
        left = None
        if session is not None and not session.finished:
            left = self.app.leave_session()  # saved and let go: it is under Continue now
        self.reload()
        if left is not None:  # it is first under Continue now
            table = self._table("unfinished")
            table.move_to(str(left))
            table.focus()
        elif session is not None:  # back from an attempt: show that bank and its new scores
            self.select_bank(session.bank.id)

    def select_bank(self, bank_id: str) -> None:
        """Highlight (and focus) the first bank with this id."""
        for key, item in self._banks.items():
            if item.bank is not None and item.bank.id == bank_id:
                table = self._table("banks")
                table.move_to(key)
                if not self._unfinished:
                    table.focus()
                self._show_detail()
                return

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._fill()

    # -- data -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read banks, scores and attempts in progress again, and show them."""
        try:
            self.overview = self.services.overview()
        except Exception as exc:  # a screen that says why beats a crash
            self.overview = Overview()
            self.notify(f"Could not read the banks and history: {exc}", severity="error",
                        markup=False)
        for notice in self.overview.notices:
            self.notify(notice, severity="warning", timeout=15, markup=False)
        self._fill()

    def _title_width(self, table: HomeTable, rows: list[list[Text]]) -> int:
        """The width left for the title column once the other columns (``rows``: their
        cells) have theirs: the table then fits the screen, with no column cut and no
        horizontal scrollbar (titles are clipped with "…"; the detail pane has them all)."""
        widths = [column.label.cell_len for column in list(table.columns.values())[1:]]
        for row in rows:
            widths = [max(width, cell.cell_len) for width, cell in zip(widths, row, strict=True)]
        padding = 2 * table.cell_padding * (len(widths) + 1)
        room = self.size.width - FRAME - sum(widths) - padding
        return max(TITLE_MIN, min(TITLE_MAX, room))

    def _fill(self) -> None:
        self._width = self.size.width
        banks_table = self.query_one("#home-banks", HomeTable)
        unfinished_table = self.query_one("#home-unfinished", HomeTable)
        keep_bank, keep_attempt = banks_table.key_at_cursor(), unfinished_table.key_at_cursor()

        good = [item for item in self.overview.banks if item.bank is not None]
        bad = [item for item in self.overview.banks if item.bank is None]
        self._banks = {str(item.entry.path): item for item in good}
        rows = [
            [Text(str(len(item.bank.questions))), score_text(item.best),
             Text.assemble(score_text(item.latest),
                           f" {when(item.latest.finished)}" if item.latest else ""),
             Text(item.entry.origin)]
            for item in self._banks.values() if item.bank is not None
        ]
        width = self._title_width(banks_table, rows)
        banks_table.show_rows({
            key: [Text(clip(item.bank.title if item.bank else "", width)), *cells]
            for (key, item), cells in zip(self._banks.items(), rows, strict=True)})
        banks_table.display = bool(good)
        banks_table.move_to(keep_bank)

        self._unfinished = {str(item.attempt.id): item for item in self.overview.unfinished}
        rows = [
            [Text(item.attempt.mode), Text(progress_text(item)), Text(time_left_text(item)),
             Text(when(item.attempt.saved))]
            for item in self._unfinished.values()
        ]
        width = self._title_width(unfinished_table, rows)
        unfinished_table.show_rows({
            key: [Text(clip(item.attempt.bank_title, width)), *cells]
            for (key, item), cells in zip(self._unfinished.items(), rows, strict=True)})
        section = self.query_one("#home-continue")
        if section.display != bool(self._unfinished):
            section.display = bool(self._unfinished)
            self.query_one("#home-body", VerticalScroll).scroll_home(animate=False)
        unfinished_table.move_to(keep_attempt)
        if not self._unfinished and self.focused is unfinished_table:
            banks_table.focus()

        heading = f"Banks ({len(good)})"
        if bad:
            heading += f" · {len(bad)} file{'s' if len(bad) != 1 else ''} did not load (below)"
        self.query_one("#home-banks-heading", Static).update(Content(heading))
        empty = self.query_one("#home-empty", Static)
        empty.display = not good
        if not good:
            empty.update(Content(
                "No banks found. Put bank files (.toml or .json) in ./banks or in the data "
                "dir's banks/ folder, or convert one with `examsim import FILE`."))

        problems = self.query_one("#home-problem-list", Vertical)
        problems.remove_children()
        problems.mount_all(
            Static(Content(shown(self._problem_line(item))), classes="home-problem")
            for item in bad
        )
        self.query_one("#home-problems").display = bool(bad)
        self.query_one("#home-where", Static).update(Content(
            f"History and your own banks (in banks/) live in {tilde(self.services.data)}"))
        self._show_detail()
        self.refresh_bindings()

    @staticmethod
    def _problem_line(item: BankOverview) -> str:
        more = len(item.entry.problems) - 1
        text = f"✗ {item.first_problem or item.entry.path}"
        if more > 0:
            text += f" (and {more} more: examsim validate {item.entry.path})"
        return text

    # -- what is selected -------------------------------------------------------------

    def _table(self, name: str) -> HomeTable:
        return self.query_one(f"#home-{name}", HomeTable)

    def _in_unfinished(self) -> bool:
        return self.focused is self._table("unfinished") and bool(self._unfinished)

    def selected_bank(self) -> BankOverview | None:
        key = self._table("banks").key_at_cursor()
        return self._banks.get(key) if key is not None else None

    def selected_attempt(self) -> InProgress | None:
        key = self._table("unfinished").key_at_cursor()
        return self._unfinished.get(key) if key is not None else None

    def _focus_first(self) -> None:
        if self._unfinished:
            self._table("unfinished").focus()
        elif self._banks:
            self._table("banks").focus()

    def _show_detail(self) -> None:
        detail = self.query_one("#home-detail", Static)
        text = ""
        if self._in_unfinished():
            attempt = self.selected_attempt()
            text = attempt_detail(attempt) if attempt else ""
        else:
            bank = self.selected_bank()
            text = bank_detail(bank) if bank else ""
        detail.update(Content(shown(text)))
        detail.display = bool(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """A click on the highlighted row: start or resume, as enter does."""
        event.stop()
        if event.data_table.id == "home-unfinished":
            self.action_resume_selected()
        else:
            self.action_start()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._show_detail()
        self.refresh_bindings()

    # -- keys -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start":
            return not self._in_unfinished() and bool(self._banks)
        if action == "resume_selected":
            return self._in_unfinished()
        if action == "resume_newest":
            return bool(self._unfinished) and not self._in_unfinished()
        if action == "abandon":
            return self._in_unfinished()
        if action == "switch_list":
            return bool(self._unfinished) and bool(self._banks)
        return True

    def help_bindings(self) -> list[Binding]:
        """The bindings help lists: each key once, whatever has the focus now."""
        listed, seen = [], set()
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            if ((binding.key, binding.action) in seen
                    or (not binding.show and binding.key in ("r", "pagedown"))):
                continue
            seen.add((binding.key, binding.action))
            listed.append(binding)
        return listed

    def action_start(self) -> None:
        item = self.selected_bank()
        if item is None or item.bank is None:
            return
        self.post_message(OpenStartForm(item.bank))

    def action_resume_selected(self) -> None:
        item = self.selected_attempt()
        if item is not None:
            self.resume(item.attempt.id)

    def action_resume_newest(self) -> None:
        if self._in_unfinished():
            self.action_resume_selected()
        elif self.overview.unfinished:
            self.resume(self.overview.unfinished[0].attempt.id)

    def resume(self, attempt_id: int) -> None:
        self.post_message(ResumeAttempt(attempt_id))

    def action_abandon(self) -> None:
        item = self.selected_attempt()
        if item is None:
            return
        attempt_id = item.attempt.id

        def decided(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                self.services.abandon(attempt_id)
            except ServiceError as exc:
                self.notify(str(exc), severity="error", markup=False)
            else:
                self.notify(f"Attempt {attempt_id} abandoned.", markup=False)
            self.reload()

        self.app.push_screen(ConfirmScreen(
            f"Abandon attempt {attempt_id}?",
            f"{item.attempt.bank_title} · {item.attempt.mode} · {item.answered} of "
            f"{item.total} answered.\nIt cannot be resumed after this; the answers so far "
            "stay in history.",
            confirm_label="Abandon", cancel_label="Keep it",
        ), decided)

    def action_switch_list(self) -> None:
        target = "banks" if self._in_unfinished() else "unfinished"
        table = self._table(target)
        if table.display and table.row_count:
            table.focus()

    def action_move(self) -> None:
        """up/down with no list focused: focus one."""
        self._focus_first()

    def action_scroll_body(self, pages: int) -> None:
        body = self.query_one("#home-body", VerticalScroll)
        if pages < 0:
            body.scroll_page_up(animate=False)
        else:
            body.scroll_page_down(animate=False)

    def action_stats(self) -> None:
        item = self.selected_bank()
        self.post_message(OpenStats(item.bank.id if item and item.bank else None))

    def action_history(self) -> None:
        self.post_message(OpenHistory())

    def action_help(self) -> None:
        self.app.push_screen(HomeHelp(self, "Keys on the home screen"))
