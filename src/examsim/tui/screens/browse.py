"""BrowseScreen: what the review, stats and history screens share.

Each is opened over another screen, or alone (``examsim`` subcommands that show one
screen): escape goes back, or quits when there is nothing to go back to; ? lists the
screen's keys under ``HELP_TITLE``. From 80 columns the footer shows the palette key
(the ``-roomy`` class; examsim.tcss). Each has a title bar at the top: a one-line Static
with the ``browse-title`` class, styled here.
"""

from __future__ import annotations

from typing import ClassVar

from textual.screen import Screen

from .help import HelpScreen


class BrowseScreen(Screen[None]):
    """Base of the screens that browse history: leave and help."""

    DEFAULT_CSS = """
    BrowseScreen {
        .browse-title {
            height: 1;
            padding: 0 1;
            background: $panel;
            text-style: bold;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
    }
    """

    HELP_TITLE = "Keys"
    KIND: ClassVar[str] = ""  # "history", "review", "stats"
    browsed_bank: str | None = None  # the bank the screen shows, when it shows one
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-roomy")]  # the palette key: roomy

    def below(self, kind: str, bank_id: str | None = None) -> bool:
        """The screen under this one is a browse screen of ``kind`` ("stats", "history",
        "review"; of ``bank_id`` when given): h on stats opened from the history, or s on
        a history opened from those stats, goes back to it instead of stacking one more
        screen at each press."""
        stack = self.app.screen_stack
        if len(stack) < 2 or stack[-1] is not self:
            return False
        under = stack[-2]
        return (isinstance(under, BrowseScreen) and kind == under.KIND
                and (bank_id is None or under.browsed_bank == bank_id))

    def action_leave(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.dismiss()
        else:
            self.app.exit()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self, self.HELP_TITLE))
