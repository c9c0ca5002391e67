"""Bank text shown as written: a line that is too long wraps under its own indent.

Stems often hold code: a JSON policy, a CLI command, a config file. Textual's wrapping
starts a wrapped line at the left edge, which breaks the shape of indented code; this
widget wraps each line of the text itself (:func:`wrap_keeping_indent`) and continues a
long indented line two cells past the indent it started at.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.visual import VisualType
from textual.widgets import Static

from ...core.safe_text import shown

HANG = 2  # extra indent of a wrapped line's continuation


def wrap_keeping_indent(text: str, width: int) -> list[Content]:
    """``text`` wrapped to ``width`` cells, line by line: an indented line keeps its
    leading spaces and its continuation lines start HANG cells further in (a line with no
    indent, prose, wraps as usual). An indent wider than half the width is capped there,
    so deep code still gets room."""
    width = max(1, width)
    lines: list[Content] = []
    for raw in text.split("\n"):
        line = raw.expandtabs(4)
        if Content(line).cell_length <= width:
            lines.append(Content(line))
            continue
        body = line.lstrip(" ")
        indent = min(len(line) - len(body), width // 2)
        hang = min(indent + HANG, width // 2) if indent else 0  # prose: no hanging indent
        first = Content(body).wrap(max(1, width - indent))[0]
        lines.append(Content(" " * indent) + first)
        # the rest of the line (the wrap drops only the blanks at the break), wrapped at
        # the continuation's width
        rest = body[len(first.plain.rstrip()):].lstrip(" ")
        if rest:
            lines.extend(Content(" " * hang) + piece
                         for piece in Content(rest).wrap(max(1, width - hang)))
    return lines


class Prose(Static):
    """A Static for bank text: wraps with :func:`wrap_keeping_indent`."""

    DEFAULT_CSS = """
    Prose {
        height: auto;
        text-wrap: nowrap;   /* the lines come wrapped */
        text-overflow: clip;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self._text = ""
        self._cache: tuple[str, int, Content] | None = None

    @property
    def text(self) -> str:
        return self._text

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show ``content``'s text (a str or a Content; nothing in it is markup, and
        styles are not kept): a drop-in for Static.update."""
        text = content if isinstance(content, str) else getattr(content, "plain", str(content))
        text = shown(text)  # bank text: control characters as placeholders
        if text != self._text:
            self._text = text
            self.refresh(layout=True)

    def _wrapped(self, width: int) -> Content:
        if self._cache is None or self._cache[:2] != (self._text, width):
            self._cache = (self._text, width,
                           Content("\n").join(wrap_keeping_indent(self._text, width)))
        return self._cache[2]

    def render(self) -> Content:
        return self._wrapped(self.content_region.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not self._text:
            return 0
        return len(self._wrapped(width).plain.split("\n"))
