"""The review grid: every question of an attempt as a compact cell.

Each cell shows the question number and symbols as well as colour: ``●`` answered,
``·`` unanswered, ``⚑`` flagged; once an answer is revealed (practice check, or the
end) ``✓`` right and ``✗`` wrong replace ``●``. Cursor keys move, enter or a click posts
:class:`Navigator.Selected`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

CELL_WIDTH = 7


@dataclass(frozen=True)
class Cell:
    """What the grid shows of one question."""

    position: int
    answered: bool
    flagged: bool
    correct: bool | None = None  # None: not revealed

    @property
    def symbol(self) -> str:
        if self.correct is not None:
            return "✓" if self.correct else "✗"
        return "●" if self.answered else "·"

    @property
    def text(self) -> str:
        flag = "⚑" if self.flagged else " "
        return f"{self.position + 1:>3} {self.symbol}{flag}".ljust(CELL_WIDTH)


LEGEND = "● answered  · unanswered  ⚑ flagged  ✓ right  ✗ wrong"


class Navigator(Widget, can_focus=True):
    """A grid of question cells; the number of columns follows the width."""

    BINDINGS = [
        Binding("up", "move(-1, 0)", "Up", show=False),
        Binding("down", "move(1, 0)", "Down", show=False),
        Binding("left", "move(0, -1)", "Left", show=False),
        Binding("right", "move(0, 1)", "Right", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "select", "Go to question"),
    ]

    COMPONENT_CLASSES = {
        "navigator--answered",
        "navigator--unanswered",
        "navigator--flagged",
        "navigator--right",
        "navigator--wrong",
        "navigator--current",
        "navigator--cursor",
    }

    DEFAULT_CSS = """
    Navigator {
        height: auto;
        width: 1fr;
        .navigator--answered { color: $text-primary; }
        .navigator--unanswered { color: $text-muted; }
        .navigator--flagged { color: $text-warning; text-style: bold; }
        .navigator--right { color: $text-success; }
        .navigator--wrong { color: $text-error; }
        .navigator--current { text-style: bold underline; }
        .navigator--cursor { background: $block-cursor-blurred-background; }
        &:focus .navigator--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
    }
    """

    cursor: reactive[int] = reactive(0)

    class Selected(Message):
        """The user picked the question at ``position``."""

        def __init__(self, position: int) -> None:
            super().__init__()
            self.position = position

    def __init__(
        self,
        cells: Sequence[Cell],
        current: int = 0,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.cells = tuple(cells)
        self.current = current
        self.set_reactive(Navigator.cursor, current)

    @property
    def columns(self) -> int:
        width = self.content_region.width or self.size.width
        return max(1, width // CELL_WIDTH)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, math.ceil(len(self.cells) / max(1, width // CELL_WIDTH)))

    def validate_cursor(self, cursor: int) -> int:
        return min(max(cursor, 0), max(0, len(self.cells) - 1))

    def watch_cursor(self, cursor: int) -> None:
        """Keep the cursor's row in view when the grid is taller than its container."""
        parent = self.parent
        if not self.is_mounted or not isinstance(parent, Widget) or not parent.is_scrollable:
            return
        row = cursor // self.columns
        own = self.virtual_region
        parent.scroll_to_region(
            Region(own.x, own.y + row, own.width, 1), animate=False
        )

    def _style(self, cell: Cell) -> str:
        if cell.flagged:
            return "navigator--flagged"
        if cell.correct is not None:
            return "navigator--right" if cell.correct else "navigator--wrong"
        return "navigator--answered" if cell.answered else "navigator--unanswered"

    def render(self) -> Content:
        columns = self.columns
        lines: list[Content] = []
        for start in range(0, len(self.cells), columns):
            parts: list[tuple[str, object] | str] = []
            for cell in self.cells[start : start + columns]:
                names = [self._style(cell)]
                if cell.position == self.current:
                    names.append("navigator--current")
                if cell.position == self.cursor:
                    names.append("navigator--cursor")
                parts.append((cell.text, self.get_visual_style(*names)))
            lines.append(Content.assemble(*parts))  # type: ignore[arg-type]
        return Content("\n").join(lines)

    def on_resize(self) -> None:
        self.refresh(layout=True)

    def action_move(self, rows: int, columns: int) -> None:
        self.cursor += rows * self.columns + columns

    def action_edge(self, last: int) -> None:
        self.cursor = len(self.cells) - 1 if last else 0

    def action_select(self) -> None:
        if self.cells:
            self.post_message(self.Selected(self.cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        column = offset.x // CELL_WIDTH
        if column >= self.columns:
            return
        position = offset.y * self.columns + column
        if 0 <= position < len(self.cells):
            event.stop()
            self.cursor = position
            self.post_message(self.Selected(position))
