"""DialogScreen: the frame the yes/no dialog and the help share.

A modal screen whose child with the ``dialog`` class is a box centred on the screen, as
tall as its contents and never larger than the terminal; subclasses set its width and
padding.
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
