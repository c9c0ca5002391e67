"""The answer options of one question, with strikes.

The widget mirrors what the session says (attributes down: :meth:`AnswerOptions.show`)
and reports what the user did (messages up: :class:`AnswerOptions.Chosen`,
:class:`AnswerOptions.Struck`). A click chooses, a right-click or the small ✗ control
strikes. Classes on each row: ``-chosen``, ``-struck``, ``-cursor`` and, once the answer
is revealed, ``-key`` (in the answer key) and ``-wrong`` (chosen but not in the key).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

if TYPE_CHECKING:
    from ...core.session import DisplayOption

MAX_ROWS = 8
RIGHT_BUTTON = 3


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


class StrikeControl(Static):
    """The small ✗ at the end of a row: a click strikes the option out (or back in)."""

    def __init__(self) -> None:
        super().__init__("✗", classes="strike-control", markup=False)
        self.tooltip = "Strike out (or back in)"

    def on_click(self, event: events.Click) -> None:
        event.stop()
        row = self.parent
        if isinstance(row, OptionRow) and row.option is not None:
            self.post_message(AnswerOptions.Struck(row.option.display))


class OptionRow(Widget):
    """One option: gutter (cursor, letter, choice symbol), text, verdict, strike control."""

    def __init__(self) -> None:
        super().__init__(classes="option-row")
        self.option: DisplayOption | None = None
        # held directly, so a row can be filled in before it is mounted
        self._gutter = Static(classes="option-gutter", markup=False)
        self._text = Static(classes="option-text", markup=False)
        self._verdict = Static(classes="option-verdict", markup=False)

    def compose(self) -> ComposeResult:
        yield self._gutter
        yield self._text
        yield self._verdict
        yield StrikeControl()

    def mirror(
        self, option: DisplayOption, *, multiple: bool, cursor: bool, revealed: bool
    ) -> None:
        self.option = option
        pointer = "▸" if cursor else " "
        self._gutter.update(Content(f"{pointer} {option.letter} {marker(option, multiple)}"))
        self._text.update(Content(option.text))
        self._verdict.update(Content(verdict(option) if revealed else ""))
        self.set_class(option.chosen, "-chosen")
        self.set_class(option.struck, "-struck")
        self.set_class(cursor, "-cursor")
        self.set_class(revealed and option.in_key, "-key")
        self.set_class(revealed and option.chosen and not option.in_key, "-wrong")
        self.set_class(revealed, "-revealed")

    def on_click(self, event: events.Click) -> None:
        if self.option is None:
            return
        event.stop()
        if event.button == RIGHT_BUTTON:
            self.post_message(AnswerOptions.Struck(self.option.display))
        else:
            self.post_message(AnswerOptions.Chosen(self.option.display))


class AnswerOptions(Vertical):
    """Up to eight option rows; shows a question's options as the session gives them.

    Rows are made when a question first needs them (a 4-option exam never builds the
    other 4) and kept, hidden, when a later question has fewer options.
    """

    DEFAULT_CSS = """
    AnswerOptions {
        height: auto;
        OptionRow {
            layout: horizontal;
            height: auto;
            padding: 0 0;
            margin: 0 0 0 0;
            &:hover { background: $boost; }
            &.-cursor { background: $surface-lighten-1; }
            &.-chosen { background: $primary-muted; }
            &.-chosen .option-gutter, &.-chosen .option-text { text-style: bold; }
            &.-struck .option-text, &.-struck .option-gutter {
                text-style: strike;
                color: $text-disabled;
            }
            &.-key .option-verdict, &.-key .option-gutter { color: $text-success; }
            &.-wrong .option-verdict, &.-wrong .option-gutter { color: $text-error; }
            &.-revealed .strike-control { display: none; }
        }
        .option-gutter { width: 6; height: auto; }
        .option-text { width: 1fr; height: auto; }
        .option-verdict { width: 2; height: auto; text-style: bold; }
        .strike-control {
            width: 3;
            height: 1;
            content-align: center top;
            color: $text-disabled;
            &:hover { color: $text-error; background: $error-muted; }
        }
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

    def __init__(self, *children: Widget, **options: Any) -> None:
        super().__init__(*children, **options)
        self._rows: list[OptionRow] = []

    def compose(self) -> ComposeResult:
        self._rows = [OptionRow() for _ in range(self._rows_needed())]
        yield from self._rows

    def _rows_needed(self) -> int:
        """As many rows as the attempt's largest question has options (all 8 without one).

        The screen's ``session`` tells: rows made here are on the first frame, while
        rows that :meth:`show` has to add later arrive a frame after the rest.
        """
        session = getattr(self.screen, "session", None)
        try:
            bank, ids = session.bank, session.question_ids  # type: ignore[union-attr]
            return min(MAX_ROWS, max(len(bank.question(qid).options) for qid in ids))
        except (AttributeError, KeyError, TypeError, ValueError):
            return MAX_ROWS

    def show(
        self,
        options: Sequence[DisplayOption],
        *,
        multiple: bool,
        cursor: int | None,
        revealed: bool,
    ) -> None:
        """Mirror the options of a view; rows beyond the option count are hidden."""
        wanted = min(len(options), MAX_ROWS)
        if wanted > len(self._rows):
            new = [OptionRow() for _ in range(wanted - len(self._rows))]
            self._rows.extend(new)
            self.mount_all(new)
        for index, row in enumerate(self._rows):
            if index < len(options):
                row.display = True
                row.mirror(
                    options[index], multiple=multiple, cursor=index == cursor, revealed=revealed
                )
            else:
                row.display = False
                row.option = None

    def row(self, display: int) -> OptionRow:
        return self._rows[display]
