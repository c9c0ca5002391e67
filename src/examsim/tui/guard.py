"""The last line of defence: no control character in text reaches the terminal.

The screens show bank and history text with control characters as placeholders
(core/safe_text.py ``shown``). Should some text get past them (a new widget, a message
from a library), this guard drops the control characters of every text segment when
Textual turns a line of the screen into terminal output (``Strip.render``); the escape
sequences Textual adds for colours and links are made after this and are untouched.
Dropping keeps the line as wide as Textual measured it (a control character takes no
cell). Installed once, when the app module is imported.
"""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from textual.strip import Strip

from ..core.safe_text import CONTROL, without_controls

_render = Strip.render


def _guarded_render(self: Strip, console: Console) -> str:
    if self._render_cache is None and CONTROL.search(
        "".join([segment.text for segment in self._segments])
    ):
        clean = Strip(
            [Segment(without_controls(text).replace("\n", ""), style, control)
             for text, style, control in self._segments],
            self.cell_length,
        )
        self._render_cache = _render(clean, console)
    return _render(self, console)


def install() -> None:
    """Guard every Strip's rendering (once; calling again changes nothing)."""
    if Strip.render is not _guarded_render:
        Strip.render = _guarded_render  # type: ignore[method-assign]  # the guard itself
