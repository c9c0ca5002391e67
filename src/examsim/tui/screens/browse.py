"""BrowseScreen: what the review, stats and history screens share.

Each is opened over another screen, or alone (``examsim`` subcommands that show one
screen): escape goes back, or quits when there is nothing to go back to; ? lists the
screen's keys under ``HELP_TITLE``. From 80 columns the footer shows the palette key
(the ``-roomy`` class; examsim.tcss). Each has a title bar at the top: a one-line Static
with the ``browse-title`` class, styled here.

``browsed`` names what a screen shows (("stats", bank id), ("history",), ("review",
attempt id)): asked to open what a browse screen already open shows, the app goes back
to it instead of stacking another (``ExamSimApp._back_to``).
"""

from __future__ import annotations

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
    browsed: tuple[object, ...] = ()  # what the screen shows (module docstring)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-roomy")]  # the palette key: roomy

    def action_leave(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.dismiss()
        else:
            self.app.exit()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self, self.HELP_TITLE))
