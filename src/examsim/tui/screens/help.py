"""Help: every key of the screen it was opened from, read from that screen's bindings.

What a key does is its binding's tooltip (else its description); the screen that opens
the help may say it in other words for its state (``words``: action -> text), as the exam
screen does for ctrl+q while an attempt is open (``QUIT_KEEPS_ATTEMPT``; elsewhere the
app's "Quit examsim") and for ctrl+s ("End the session" in practice)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.keys import format_key
from textual.screen import Screen
from textual.widgets import Footer, Static

from .dialog import DialogScreen

CHROME = 7  # lines of the help that are not the key list: border, title, closing line,
# their spacing and the footer

QUIT_KEEPS_ATTEMPT = "Quit; the attempt stays as it is, to resume later"

WORDS = {"enter": "enter", "escape": "escape", "pageup": "page up", "pagedown": "page down",
         "space": "space", "home": "home", "end": "end"}


def key_label(key: str) -> str:
    """How a bound key is written in help: "?", "enter", "ctrl+s", "A"."""
    *modifiers, name = key.split("+")
    return "+".join([*modifiers, WORDS.get(name) or format_key(name)])


def binding_rows(
    bindings: Iterable[BindingType], words: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """(keys, what they do) per binding; consecutive bindings of one group share a row.
    ``words``: what an action does, in place of its binding's tooltip."""
    rows: list[tuple[str, str]] = []
    group: Binding.Group | None = None
    for item in bindings:
        if not isinstance(item, Binding):
            continue
        keys = " / ".join(key_label(key.strip()) for key in item.key.split(","))
        what = ((words or {}).get(item.action.removeprefix("app."))
                or item.tooltip or item.description or item.action)
        if item.group is not None and item.group is group:
            first, _ = rows[-1]
            rows[-1] = (f"{first.split(' … ')[0]} … {keys}", item.group.description)
            continue
        group = item.group
        rows.append((keys, item.group.description if item.group else what))
    return rows


class HelpScreen(DialogScreen[None]):
    """Lists the keys of ``screen`` (and the app's own), one row each."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        #help {
            width: 72;
            padding: 0 1;
        }
        #help-title { text-style: bold; padding: 0 0 1 0; }
        #help-keys { height: auto; }
        .help-row { layout: horizontal; height: auto; }
        .help-key { width: 12; color: $text-accent; text-style: bold; }
        .help-what { width: 1fr; }
        #help-close { color: $text-muted; padding: 1 0 0 0; }
    }
    """

    def __init__(
        self, screen: Screen, title: str = "Keys", words: Mapping[str, str] | None = None
    ) -> None:
        super().__init__()
        self.source = screen
        self.title_text = title
        self.words = dict(words or {})

    def rows(self) -> list[tuple[str, str]]:
        bindings = [
            binding
            for binding in [*self.source.BINDINGS, *self.app.BINDINGS]
            if isinstance(binding, Binding) and not binding.system and self._active(binding)
        ]
        return binding_rows(bindings, self.words)

    def palette_rows(self) -> list[tuple[str, str]]:
        """The command palette's key, on every screen's help (a system binding of the app,
        so not among the rows above)."""
        if not self.app.ENABLE_COMMAND_PALETTE:
            return []
        return [(key_label(self.app.COMMAND_PALETTE_BINDING),
                 "Command palette: start, resume, stats, history, theme…")]

    def _active(self, binding: Binding) -> bool:
        """False for bindings the source screen disables (check_action returns False)."""
        action = binding.action.split("(")[0]
        if action.startswith("app."):
            return True
        return self.source.check_action(action, ()) is not False

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="dialog"):
            yield Static(Content(self.title_text), id="help-title")
            with VerticalScroll(id="help-keys") as listing:
                listing.styles.max_height = max(3, self.app.size.height - CHROME)
                for keys, what in [*self.rows(), *self.palette_rows()]:
                    with Vertical(classes="help-row"):
                        yield Static(Content(keys), classes="help-key")
                        yield Static(Content(what), classes="help-what")
            closing = "escape closes this help"
            if self.app.ENABLE_COMMAND_PALETTE:
                closing += f" · {key_label(self.app.COMMAND_PALETTE_BINDING)} opens the palette"
            yield Static(closing, id="help-close", markup=False)
        yield Footer(compact=True)  # this dialog's keys, over the screen's below (dialog.py)

    def on_resize(self) -> None:
        """Let the key list scroll when the terminal is too short for all of it."""
        self.query_one("#help-keys").styles.max_height = max(3, self.app.size.height - CHROME)
