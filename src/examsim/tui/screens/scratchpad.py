"""The scratchpad (key w on the exam screen): a plain-text note on the question on screen.

The note lives in the session (``ExamSession.set_note``): every change of the text is
handed to ``on_text`` at once, so the exam screen's periodic save, a quit or a lost
terminal keep what was typed; closing (escape or ctrl+s) hands the text back once more
and the exam screen saves it like an answer. A note holds at most ``MAX_NOTE``
characters (core/notes.py): a longer text (a paste) is cut and the cut is said.

Keys typed in the text area stay there: the exam screen's letter keys are bindings of a
screen under this modal, which Textual does not consult. Keys typed right after w: w is
a priority binding, so it opens this screen as the key arrives (a non-priority binding
runs only once the key has bubbled back up, when the keys after it have been routed to
the exam screen already and were lost); the characters that reach this screen before the
text area has the focus are put into it, in the order typed.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Static, TextArea

from ...core.notes import MAX_NOTE, bounded
from ...core.safe_text import shown
from .dialog import DialogScreen

CUT = f"A note keeps at most {MAX_NOTE:,} characters: the rest was cut."
HINT = "Plain text, kept with the attempt · escape or ctrl+s closes"


class ScratchpadScreen(DialogScreen[str]):
    """Edit one question's note; dismisses with the text."""

    BINDINGS = [
        Binding("escape", "close", "Close", priority=True),
        Binding("ctrl+s", "close", "Close", show=False, priority=True),
    ]

    DEFAULT_CSS = """
    ScratchpadScreen {
        #scratchpad {
            width: 80;
            padding: 0 1;
        }
        #scratchpad-title { text-style: bold; }
        #scratchpad-text { height: 14; max-height: 70vh; margin: 1 0 0 0; }
        #scratchpad-hint { color: $text-muted; }
    }
    """

    def __init__(self, title: str, note: str, on_text: Callable[[str], object]) -> None:
        super().__init__()
        self.title_text = title
        self.note = bounded(note, MAX_NOTE)[0]
        self.on_text = on_text

    def compose(self) -> ComposeResult:
        with Vertical(id="scratchpad", classes="dialog"):
            yield Static(Content(shown(self.title_text)), id="scratchpad-title")
            yield TextArea(self.note, id="scratchpad-text", soft_wrap=True,
                           tab_behavior="focus", compact=True)
            yield Static(Content(HINT), id="scratchpad-hint")
        yield Footer(compact=True)  # this dialog's keys, over the screen's below (dialog.py)

    @property
    def area(self) -> TextArea:
        return self.query_one("#scratchpad-text", TextArea)

    def on_mount(self) -> None:
        area = self.area
        area.focus()
        area.move_cursor(area.document.end)

    def on_key(self, event: events.Key) -> None:
        """Characters that reach the dialog itself (typed before the text area took the
        focus) go into the text area; the area stops the ones it gets."""
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.area.insert(event.character)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        area = event.text_area
        text, cut = bounded(area.text, MAX_NOTE)
        if cut:
            area.load_text(text)
            area.move_cursor(area.document.end)
            self.notify(CUT, severity="warning", markup=False)
        self.note = text
        self.on_text(text)

    def action_close(self) -> None:
        self.dismiss(self.note)
