"""One layout pass a key, not two: leaf widgets whose height follows their text.

When a layout gives a widget a new size, Textual sets the widget's ``virtual_size``, a
reactive with ``layout=True``: a widget whose height changed asks for a second layout pass
of the whole screen, which then finds every size as the first pass left it. For a
scrolling container that pass places the scrollbars; for a leaf that does not scroll
(the stem, the options) it only costs time: the first pass already asked the widget its
height (``get_content_height``) at the width it got. On the exam screen, ``n`` to a
question whose stem or options have another height laid the screen out twice
(docs/performance.md, session 6).

:class:`SizedByContent` keeps the size bookkeeping (the widget is still repainted, and
gets its Resize event) and only skips that second request. It relies on
``Widget._size_updated(size, virtual_size, container_size, layout)`` of Textual 8, which
``Screen._refresh_layout`` calls after each layout; tests/tui/test_exam_layout.py counts
the layout passes of a key, so a Textual that changes this shows up there.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget


class SizedByContent(Widget):
    """A leaf widget (it does not scroll): a new size does not ask for another layout."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # layout=False: Textual then sets virtual_size without its layout refresh (the
        # path it takes itself when only scrolling exposed the widget)
        return super()._size_updated(size, virtual_size, container_size, layout=False)

    def _height_alone_can_change(self) -> bool:
        """True when a new text can change only the height: the width comes from the
        parent (not ``width: auto``) and a layout already gave it (see the stem's and the
        options' update: a layout pass only when the height at that width changes)."""
        width = self.styles.width
        return self.content_region.width > 0 and (width is None or not width.is_auto)
