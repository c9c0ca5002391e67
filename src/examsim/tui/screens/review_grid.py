"""The review grid (r on the exam screen, and n or enter on its last question): every
question, enter or a click jumps to one; e (or ctrl+s) asks to end the attempt, as the
real exam's review screen does after the last question."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from ..widgets.navigator import LEGEND, Cell, Navigator

if TYPE_CHECKING:
    from ...core.session import ExamSession


def cells(session: ExamSession) -> list[Cell]:
    """The grid cells of a session, read from its views."""
    result = []
    for position in range(session.count):
        view = session.view(position)
        result.append(
            Cell(position, answered=view.answered, flagged=view.flagged, correct=view.correct)
        )
    return result


END = -1  # what the grid dismisses with when the user asks to end the attempt


class ReviewGridScreen(ModalScreen[int | None]):
    """Dismisses with the chosen position, END to end the attempt (the exam screen asks
    first), or None when closed with escape. ``at_end``: opened by moving on from the
    last question, which the title says."""

    DEFAULT_CSS = """
    ReviewGridScreen {
        align: center middle;
        #review-grid {
            width: 80%;
            min-width: 40;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
        #review-title {
            text-style: bold;
            margin: 0 0 1 0;
        }
        #review-cells { height: auto; }
        #review-legend {
            margin: 1 0 0 0;
            color: $text-muted;
        }
        #review-keys { color: $text-muted; }
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("r", "close", "Close", show=False),
        Binding("e", "end", "End", tooltip="End the attempt (asks first)"),
        Binding("ctrl+s", "end", "End", show=False),
    ]

    def __init__(self, session: ExamSession, *, at_end: bool = False) -> None:
        super().__init__()
        self.session = session
        self.at_end = at_end

    def compose(self) -> ComposeResult:
        session = self.session
        summary = (
            f"Review: {session.answered}/{session.count} answered · "
            f"{session.flagged_count} flagged"
        )
        if self.at_end:
            summary = f"That was the last question. {summary}"
        keys = "arrows move · enter or click jumps · escape closes"
        if not session.finished:
            keys = "arrows move · enter or click jumps · e ends · escape closes"
        with Vertical(id="review-grid"):
            yield Static(Content(summary), id="review-title")
            with VerticalScroll(id="review-cells", can_focus=False):
                yield Navigator(cells(session), session.index, id="navigator")
            yield Static(Content(LEGEND), id="review-legend")
            yield Static(Content(keys), id="review-keys")
        yield Footer(compact=True)  # the grid's keys, over the exam screen's (dialog.py)

    def on_mount(self) -> None:
        self._fit()
        self.query_one(Navigator).focus()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Let the cells scroll when the terminal is too short for all of them."""
        chrome = 8  # border, title, legend, keys line, spacing and the footer
        self.query_one("#review-cells").styles.max_height = max(2, self.app.size.height - chrome)

    def on_navigator_selected(self, event: Navigator.Selected) -> None:
        event.stop()
        self.dismiss(event.position)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_end(self) -> None:
        if not self.session.finished:
            self.dismiss(END)
