"""The answer options of one question, with strikes: one widget that draws every row.

The widget mirrors what the session says (attributes down: :meth:`AnswerOptions.show`)
and reports what the user did (messages up: :class:`AnswerOptions.Chosen`,
:class:`AnswerOptions.Struck`). A click chooses, a right-click or the small ✗ control at
the end of a row strikes.

Each row is a gutter (cursor, letter, choice symbol), the text wrapped beside it, the
verdict once revealed (✓ key, ✗ wrong choice) and the strike control. They are lines of
one widget, not widgets of their own: a row of four widgets per option made each key of
the exam screen lay out some 25 more widgets, twice (docs/performance.md). The layout of
the lines is :func:`layout_rows`, plain code; the look comes from the component classes
below, so themes and CSS still apply. :attr:`AnswerOptions.states` says, for tests and
anyone else, what each row shows and which of ``-chosen``, ``-struck``, ``-cursor``,
``-key`` and ``-wrong`` it has.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import events
from textual.content import Content
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.style import Style
from textual.widget import Widget

from ...core.frozen import Frozen, _set
from ...core.safe_text import shown
from .leaf import SizedByContent

if TYPE_CHECKING:
    from ...core.session import DisplayOption

MAX_ROWS = 8
RIGHT_BUTTON = 3
GUTTER = 6  # "▸ A ● "
VERDICT = 2  # " ✓"
CONTROL = 3  # " ✗ "
CONTROL_TIP = "Strike out (or back in)"


def marker(option: DisplayOption, multiple: bool) -> str:
    """The choice symbol: ●/○ for one answer, ■/□ when the question takes several."""
    if multiple:
        return "■" if option.chosen else "□"
    return "●" if option.chosen else "○"


def verdict(option: DisplayOption) -> str:
    """After a check: ✓ on the key, ✗ on a wrong choice."""
    if option.in_key:
        return "✓"
    return "✗" if option.chosen else ""


def row_classes(option: DisplayOption, *, cursor: bool, revealed: bool) -> frozenset[str]:
    """The state of a row as the class names the row widgets used to carry."""
    names = {
        "-chosen": option.chosen,
        "-struck": option.struck,
        "-cursor": cursor,
        "-key": revealed and option.in_key,
        "-wrong": revealed and option.chosen and not option.in_key,
    }
    return frozenset(name for name, on in names.items() if on)


class RowState(Frozen):
    """What one row shows: its gutter, its text, its verdict and its classes."""

    __slots__ = __match_args__ = ("gutter", "text", "verdict", "classes")
    gutter: str
    text: str
    verdict: str
    classes: frozenset[str]

    def __init__(self, gutter: str, text: str, verdict: str, classes: frozenset[str]) -> None:
        _set(self, "gutter", gutter)
        _set(self, "text", text)
        _set(self, "verdict", verdict)
        _set(self, "classes", classes)

    def has_class(self, name: str) -> bool:
        return name in self.classes


class RowLines(Frozen):
    """Where a row sits among the widget's lines, and its text cut to the width."""

    __slots__ = __match_args__ = ("row", "top", "lines")
    row: int
    top: int
    lines: tuple[Content, ...]  # the text, one wrapped line each (at least one)

    def __init__(self, row: int, top: int, lines: tuple[Content, ...]) -> None:
        _set(self, "row", row)
        _set(self, "top", top)
        _set(self, "lines", lines)


def text_width(width: int, revealed: bool) -> int:
    """Cells left for the option text in a row ``width`` wide (the control goes once the
    answer is revealed, as its column did)."""
    return max(1, width - GUTTER - VERDICT - (0 if revealed else CONTROL))


def layout_rows(texts: Sequence[str], width: int, revealed: bool) -> list[RowLines]:
    """Each option's text wrapped to what a row ``width`` wide leaves it, rows stacked."""
    wrap_at = text_width(width, revealed)
    rows: list[RowLines] = []
    top = 0
    for index, text in enumerate(texts):
        lines = tuple(Content(shown(text)).wrap(wrap_at)) or (Content(""),)
        rows.append(RowLines(index, top, lines))
        top += len(lines)
    return rows


class AnswerOptions(SizedByContent, Widget):
    """Up to eight options of the question shown; rows beyond the count are not drawn."""

    COMPONENT_CLASSES = {
        "answer-options--hover",
        "answer-options--cursor",
        "answer-options--chosen",
        "answer-options--chosen-text",
        "answer-options--struck",
        "answer-options--key",
        "answer-options--wrong",
        "answer-options--verdict",
        "answer-options--control",
        "answer-options--control-hover",
    }

    DEFAULT_CSS = """
    AnswerOptions {
        height: auto;
        text-wrap: nowrap;  /* the lines come wrapped (layout_rows) */
        text-overflow: clip;
        & > .answer-options--hover { background: $boost; }
        & > .answer-options--cursor { background: $surface-lighten-1; }
        & > .answer-options--chosen { background: $primary-muted; }
        & > .answer-options--chosen-text { text-style: bold; }
        & > .answer-options--struck { text-style: strike; color: $text-muted; }
        & > .answer-options--key { color: $text-success; }
        & > .answer-options--wrong { color: $text-error; }
        & > .answer-options--verdict { text-style: bold; }
        & > .answer-options--control { color: $text-muted; }
        & > .answer-options--control-hover { color: $text-error; background: $error-muted; }
    }
    """

    class Chosen(Message):
        """The user chose the option shown at ``display`` (click)."""

        def __init__(self, display: int) -> None:
            super().__init__()
            self.display = display

    class Struck(Message):
        """The user struck the option shown at ``display`` out or back in."""

        def __init__(self, display: int) -> None:
            super().__init__()
            self.display = display

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.options: tuple[DisplayOption, ...] = ()
        self.multiple = False
        self.cursor: int | None = None
        self.revealed = False
        self._hover: tuple[int, bool] | None = None  # (row, on the strike control)
        self._layout: tuple[int, list[RowLines]] | None = None  # (width, rows)

    # -- state down ---------------------------------------------------------------------

    def show(
        self,
        options: Sequence[DisplayOption],
        *,
        multiple: bool,
        cursor: int | None,
        revealed: bool,
    ) -> None:
        """Mirror the options of a view (the first MAX_ROWS)."""
        options = tuple(options[:MAX_ROWS])
        texts_changed = (revealed != self.revealed
                         or [o.text for o in options] != [o.text for o in self.options])
        width = self.content_region.width
        before = (self._height(width) if texts_changed and self._height_alone_can_change()
                  else None)
        self.options, self.multiple = options, multiple
        self.cursor, self.revealed = cursor, revealed
        if texts_changed:
            self._layout = None
            # a new layout pass only when the height changes (docs/performance.md,
            # session 6); the width does not depend on the texts (unless width: auto)
            self.refresh(layout=before is None or self._height(width) != before)
        else:
            self.refresh()

    @property
    def states(self) -> list[RowState]:
        """What each row shows now."""
        return [
            RowState(self._gutter(option, index), option.text,
                     verdict(option) if self.revealed else "",
                     row_classes(option, cursor=index == self.cursor, revealed=self.revealed))
            for index, option in enumerate(self.options)
        ]

    def _gutter(self, option: DisplayOption, index: int) -> str:
        pointer = "▸" if index == self.cursor else " "
        return f"{pointer} {option.letter} {marker(option, self.multiple)}"

    # -- geometry -----------------------------------------------------------------------

    def rows_at(self, width: int) -> list[RowLines]:
        if self._layout is None or self._layout[0] != width:
            texts = [option.text for option in self.options]
            self._layout = (width, layout_rows(texts, width, self.revealed))
        return self._layout[1]

    def _height(self, width: int) -> int:
        return sum(len(row.lines) for row in self.rows_at(width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._height(width)

    def row_region(self, display: int) -> Region:
        """The lines of row ``display``, relative to the widget."""
        width = self.content_region.width
        rows = self.rows_at(width)
        if not 0 <= display < len(rows):
            return Region(0, 0, width, 0)
        row = rows[display]
        return Region(0, row.top, width, len(row.lines))

    def control_offset(self, display: int) -> Offset:
        """Where the strike control of row ``display`` is, relative to the widget."""
        region = self.row_region(display)
        return Offset(region.right - CONTROL + 1, region.y)

    def scroll_to_row(self, display: int) -> None:
        """Bring row ``display`` into view in the scrolling parent."""
        parent = self.parent
        if isinstance(parent, Widget) and parent.is_scrollable:
            region = self.row_region(display).translate(self.virtual_region.offset)
            parent.scroll_to_region(region, animate=False, immediate=True)

    def _hit(self, event: events.MouseEvent) -> tuple[int, bool] | None:
        """(row, on its strike control) under the mouse, or None."""
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        width = self.content_region.width
        for row in self.rows_at(width):
            if row.top <= offset.y < row.top + len(row.lines):
                on_control = (not self.revealed and offset.y == row.top
                              and offset.x >= width - CONTROL)
                return row.row, on_control
        return None

    # -- drawing ------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        """The colours and text style a component class adds. (A partial visual style
        drops an opaque background, so the background comes from the full one.)"""
        component = f"answer-options--{name}"
        style = self.get_visual_style(component, partial=True)
        if self.get_component_styles(component).has_rule("background"):
            full = self.get_visual_style(component)
            style = Style(background=full.background, foreground=style.foreground,
                          bold=style.bold, italic=style.italic, strike=style.strike)
        return style

    def render(self) -> Content:
        width = self.content_region.width
        if not self.options or width <= 0:
            return Content("")
        wrap_at = text_width(width, self.revealed)
        lines: list[Content] = []
        for row, option in zip(self.rows_at(width), self.options, strict=False):
            lines.extend(self._row_lines(row, option, wrap_at))
        return Content("\n").join(lines)

    def _row_lines(self, row: RowLines, option: DisplayOption, wrap_at: int) -> list[Content]:
        index = row.row
        classes = row_classes(option, cursor=index == self.cursor, revealed=self.revealed)
        hover = self._hover is not None and self._hover[0] == index
        background = Style()
        for name, on in (("hover", hover), ("cursor", "-cursor" in classes),
                         ("chosen", "-chosen" in classes)):
            if on:
                background = background + self._style(name)
        text_style = Style()
        if "-chosen" in classes:
            text_style += self._style("chosen-text")
        if "-struck" in classes:
            text_style += self._style("struck")
        mark_style = self._style("verdict")
        gutter_style = text_style
        for name in ("key", "wrong"):
            if f"-{name}" in classes:
                gutter_style += self._style(name)
                mark_style += self._style(name)
        control_style = self._style("control")
        if self._hover == (index, True):  # the mouse on this row's strike control
            control_style += self._style("control-hover")
        out = []
        for number, text in enumerate(row.lines):
            first = number == 0
            gutter = self._gutter(option, index) if first else ""
            mark = verdict(option) if first and self.revealed else ""
            # the styles cover the characters only, not the blanks that pad the columns
            parts = [
                Content(gutter).stylize(gutter_style).pad_right(GUTTER - len(gutter)),
                text.stylize(text_style).pad_right(max(0, wrap_at - text.cell_length)),
                # right-aligned: a blank between the text and the ✓ / ✗ however long it is
                Content(mark).stylize(mark_style).pad_left(VERDICT - len(mark)),
            ]
            if not self.revealed:
                parts.append(Content(" ✗ " if first else "   ").stylize(
                    control_style if first else Style()))
            out.append(Content.assemble(*parts).stylize_before(background))
        return out

    # -- mouse --------------------------------------------------------------------------

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._hit(event))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, hover: tuple[int, bool] | None) -> None:
        if hover != self._hover:
            self._hover = hover
            self.tooltip = CONTROL_TIP if hover is not None and hover[1] else None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        hit = self._hit(event)
        if hit is None:
            return
        event.stop()
        row, on_control = hit
        if on_control or event.button == RIGHT_BUTTON:
            self.post_message(self.Struck(row))
        else:
            self.post_message(self.Chosen(row))
