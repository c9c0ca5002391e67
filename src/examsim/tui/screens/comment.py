"""A comment on a question (key c in the review and in practice feedback): one line for
the bank's author ("the key looks wrong", "ambiguous"), kept in history across attempts
(the ``comments`` table, schema v9) and listed by ``examsim comments BANK``.

    ask_comment(screen, history, bank_id, question_id, question_hash, attempt_id)

opens :class:`CommentScreen` (enter keeps, escape cancels) and stores what was typed.
Comments are bounded (``MAX_COMMENT`` characters, core/notes.py; the field takes no
more); the text is the user's, shown only through ``safe_text.shown``.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from ...core.notes import MAX_COMMENT
from ...core.safe_text import shown
from .dialog import DialogScreen

if TYPE_CHECKING:
    from ...storage.history import History

HINT = (f"For the bank's author · at most {MAX_COMMENT} characters · enter keeps, "
        "escape cancels")


class CommentScreen(DialogScreen[str | None]):
    """Ask for one comment; dismisses with its text, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True)]

    DEFAULT_CSS = """
    CommentScreen {
        #comment { width: 72; padding: 1 2; }
        #comment-title { text-style: bold; margin: 0 0 1 0; }
        #comment-hint { color: $text-muted; margin: 1 0 0 0; }
    }
    """

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="comment", classes="dialog"):
            yield Static(Content(shown(self.title_text)), id="comment-title")
            yield Input(id="comment-text", max_length=MAX_COMMENT,
                        placeholder="e.g. the key looks wrong; ambiguous", compact=True)
            yield Static(Content(HINT), id="comment-hint")
        yield Footer(compact=True)  # this dialog's keys, over the screen's below (dialog.py)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_key(self, event: events.Key) -> None:
        """Characters typed before the field took the focus go to the field, in order."""
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.query_one(Input).insert_text_at_cursor(event.character)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.notify("Type a comment, or escape to cancel.", severity="warning",
                        markup=False)
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_comment(
    screen: Screen[Any], history: History, bank_id: str, question_id: str,
    question_hash: str, attempt_id: int | None,
) -> None:
    """Ask for a comment on a question and keep it; say what happened (through the app:
    ``screen`` may have gone by the time the dialog closes)."""
    app = screen.app

    def store(text: str | None) -> None:
        if text is None:
            return
        try:
            history.add_comment(bank_id, question_id, question_hash, attempt_id, text)
        except (OSError, ValueError, sqlite3.Error) as exc:  # a full disk, a locked file
            app.notify(f"The comment could not be kept: {exc}", severity="error",
                       markup=False)
            return
        app.notify(f"Comment kept on {shown(question_id)} (examsim comments "
                   f"{shown(bank_id)} lists them)", markup=False)

    app.push_screen(CommentScreen(f"Comment on question {question_id}"), store)
