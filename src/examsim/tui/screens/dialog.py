"""DialogScreen: the frame the yes/no dialog and the help share.

A modal screen whose child with the ``dialog`` class is a box centred on the screen, as
tall as its contents and never larger than the terminal; subclasses set its width and
padding.

Footers under dialogs: a Footer shows the keys of its own screen, and a modal screen is
drawn over the screen below, whose footer showed through with keys that do nothing while
the dialog is open (newcomer run 6, finding 11). So every examsim dialog (this one's
subclasses, the review grid, the export dialog, the start form) ends its compose with a
``Footer(compact=True)`` of its own: docked at the bottom, it covers the one below and
shows the dialog's keys (tests/tui/test_modal_footer.py).
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class DialogScreen(ModalScreen[ResultType]):
    """A centred, bordered box (the child with the ``dialog`` class) over the screen."""

    DEFAULT_CSS = """
    DialogScreen {
        align: center middle;
        & > .dialog {
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $primary;
            background: $surface;
        }
    }
    """
