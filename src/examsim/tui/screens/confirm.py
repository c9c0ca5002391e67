"""A reusable yes/no dialog: enter or y confirms, escape or n cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Static

from ...core.safe_text import shown
from .dialog import DialogScreen


class ConfirmScreen(DialogScreen[bool]):
    """Ask one question; dismisses with True (confirm) or False (cancel)."""

    VERTICAL_BREAKPOINTS = [(0, "-short"), (16, "-tall")]  # under 16 rows: less padding

    BINDINGS = [
        Binding("enter", "confirm", "Confirm", priority=True),
        Binding("y", "confirm", "Yes", show=False),
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("n", "cancel", "No", show=False),
    ]

    DEFAULT_CSS = """
    ConfirmScreen {
        #dialog {
            width: 56;
            padding: 1 2;
            scrollbar-size-vertical: 1;
        }
        &.-short #dialog { padding: 0 1; }
        #title { text-style: bold; margin: 0 0 1 0; }
        #body { margin: 0 0 1 0; }
        #buttons { height: auto; align-horizontal: right; }
        Button { margin: 0 0 0 1; min-width: 10; }
    }
    """

    def __init__(
        self,
        title: str,
        body: str = "",
        *,
        confirm_label: str = "Yes",
        cancel_label: str = "No",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.body_text = body
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label

    def compose(self) -> ComposeResult:
        # scrolls when the terminal is too short for all of it (the buttons stay reachable)
        with VerticalScroll(id="dialog", classes="dialog", can_focus=False):
            yield Static(Content(shown(self.title_text)), id="title")
            if self.body_text:
                yield Static(Content(shown(self.body_text)), id="body")
            with Horizontal(id="buttons"):
                yield self._button(f"{self.confirm_label} (y)", "confirm", "primary")
                yield self._button(f"{self.cancel_label} (n)", "cancel", "default")
        yield Footer(compact=True)  # this dialog's keys, over the screen's below (dialog.py)

    @staticmethod
    def _button(label: str, name: str, variant: str) -> Button:
        button = Button(Content(label), id=name, variant=variant)  # type: ignore[arg-type]
        button.can_focus = False  # enter confirms whatever the mouse last touched
        return button

    def on_mount(self) -> None:
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """One-line buttons on a short terminal, so the dialog fits or barely scrolls."""
        for button in self.query(Button):
            button.compact = self.app.size.height < 16

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
