"""Write questions as an Anki deck from a screen (review: the listed ones; stats: the
missed ones): into the current folder, under a name not taken yet, with a notice."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

    from ..core.bank import Bank


def export_folder() -> Path:
    """The folder decks are written to: the current folder."""
    return Path(".").absolute()


def write_anki(app: App[Any], bank: Bank, question_ids: list[str], stem: str) -> Path | None:
    """Write the deck and say where; None (and an error notice) when it cannot be."""
    # lazy: storage/anki.py brings genanki, needed only when a deck is written
    from ..storage.anki import AnkiWriteError, cards, write_new_deck

    chosen = cards(bank, question_ids)
    try:
        path = write_new_deck(export_folder(), stem, bank, chosen)
    except AnkiWriteError as exc:
        app.notify(str(exc), severity="error", markup=False)
        return None
    app.notify(f"Wrote {len(chosen)} note{'s' if len(chosen) != 1 else ''} to {path}",
               markup=False)
    return path
