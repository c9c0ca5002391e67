"""Bank text shown as written: a line that is too long wraps under its own indent.

Stems often hold code: a JSON policy, a CLI command, a config file. Textual's wrapping
starts a wrapped line at the left edge, which breaks the shape of indented code; this
widget wraps each line of the text itself (:func:`wrap_keeping_indent`) and continues a
long indented line two cells past the indent it started at.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.geometry import Size
from textual.visual import VisualType
from textual.widgets import Static

from ...core.qualifiers import marked
from ...core.safe_text import shown
from .leaf import SizedByContent

HANG = 2  # extra indent of a wrapped line's continuation


def wrap_keeping_indent(
    text: str, width: int, styled: Callable[[str], Content] = Content
) -> list[Content]:
    """``text`` wrapped to ``width`` cells, line by line: an indented line keeps its
    leading spaces and its continuation lines start HANG cells further in (a line with no
    indent, prose, wraps as usual). An indent wider than half the width is capped there,
    so deep code still gets room. ``styled`` turns each source line into its Content (the
    reading aid styles the qualifiers there); the styles follow the line as it wraps."""
    width = max(1, width)
    lines: list[Content] = []
    for raw in text.split("\n"):
        line = raw.expandtabs(4)
        whole = styled(line)
        if whole.cell_length <= width:
            lines.append(whole)
            continue
        body = line.lstrip(" ")
        start = len(line) - len(body)
        indent = min(start, width // 2)
        hang = min(indent + HANG, width // 2) if indent else 0  # prose: no hanging indent
        first = whole[start:].wrap(max(1, width - indent))[0]
        lines.append(Content(" " * indent) + first)
        # the rest of the line (the wrap drops only the blanks at the break), wrapped at
        # the continuation's width
        at = start + len(first.plain.rstrip())
        while at < len(line) and line[at] == " ":
            at += 1
        if at < len(line):
            lines.extend(Content(" " * hang) + piece
                         for piece in whole[at:].wrap(max(1, width - hang)))
    return lines


def with_qualifiers(line: str) -> Content:
    """A line with the qualifiers that decide a question in bold and underlined (the
    reading aid, core/qualifiers.py): the text is unchanged, and only style is added (no
    colour, so every theme keeps its contrast)."""

    return Content.assemble(*((piece, "bold underline") if hit else piece
                              for piece, hit in marked(line)))


class Prose(SizedByContent, Static):
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
        self._cache: tuple[str, int, bool, Content] | None = None
        self.aid = False  # the reading aid: qualifiers in bold and underlined

    @property
    def text(self) -> str:
        return self._text

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show ``content``'s text (a str or a Content; nothing in it is markup, and
        styles are not kept): a drop-in for Static.update."""
        text = content if isinstance(content, str) else getattr(content, "plain", str(content))
        text = shown(text)  # bank text: control characters as placeholders
        if text != self._text:
            width = self.content_region.width
            before = self._lines(width) if self._height_alone_can_change() else None
            self._text = text
            # a new layout pass only when the height changes (docs/performance.md, session
            # 6); the width does not depend on the text (unless width: auto)
            self.refresh(layout=before is None or self._lines(width) != before)

    def set_aid(self, on: bool) -> None:
        """Turn the reading aid on or off (redraws; the text stays the same)."""
        if on != self.aid:
            self.aid = on
            self.refresh()

    def _wrapped(self, width: int) -> Content:
        if self._cache is None or self._cache[:3] != (self._text, width, self.aid):
            styled = with_qualifiers if self.aid else Content
            self._cache = (self._text, width, self.aid,
                           Content("\n").join(wrap_keeping_indent(self._text, width, styled)))
        return self._cache[3]

    def render(self) -> Content:
        return self._wrapped(self.content_region.width)

    def _lines(self, width: int) -> int:
        if not self._text:
            return 0
        return len(self._wrapped(width).plain.split("\n"))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._lines(width)
