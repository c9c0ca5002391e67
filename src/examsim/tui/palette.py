"""ExamSimPalette: Textual's command palette, which stops gathering commands as soon as
it starts closing.

The palette gathers its commands in a worker. Textual cancels that worker only when the
palette unmounts: after its children are removed and after its providers' ``shutdown``.
A palette closed from outside (a screen change: the exam ending pops the dialogs above
it, escape on the results goes home, the exam brought forward by Resume) while it still
gathered could get a result in between: ``_list_visible`` changed and its watcher looked
for the CommandList that had just gone (``NoMatches``; bench/torture.py found it, ctrl+p
typed in a burst with keys that change screens; docs/reliability.md). Here the worker is
cancelled when the palette is told to close (the Prune message, before its children go),
and no new search starts once it is closing: a key typed into the palette just before a
screen change closes it leaves the input's Changed message in the palette's queue behind
that Prune, and Textual's handler would start a search after the cancel, whose result
came after the CommandList had gone (torture in CI, seed 617461; the same NoMatches). So
nothing of the palette runs after its widgets are gone. The app opens this palette for
ctrl+p and for the theme list (tui/app.py).

Like examsim's dialogs (screens/dialog.py), it has a footer of its own: the keys of the
screen below showed through it and did nothing while it was open.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.command import CommandPalette
from textual.messages import Prune
from textual.widgets import Footer
from textual.worker import Worker


class ExamSimPalette(CommandPalette):
    """The command palette; its search ends the moment it starts closing."""

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Footer(compact=True)  # the palette's keys, over the screen's below

    def _on_prune(self, event: Prune) -> None:
        # Runs before Widget.on_prune, which closes the message loop and then removes the
        # children; cancelling is synchronous (the worker checks it before any update).
        self.workers.cancel_node(self)

    def _gather_commands(  # type: ignore[override]  # returns None: no search once closing
        self, search_value: str
    ) -> Worker[None] | None:
        """Textual's search (a worker), unless the palette is already closing."""
        if self._closing or self._closed:
            return None
        return super()._gather_commands(search_value)
