"""Write questions as an Anki deck from a screen (review: the listed ones; stats: the
missed ones): into the CSV export's folder, under a name not taken yet, with a notice."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

    from ..core.bank import Bank


def export_folder() -> Path:
    """The folder the CSV export dialog offers (its default path's folder)."""
    from .screens.history import default_export_path

    return Path(default_export_path(0)).expanduser().parent.absolute()


def write_anki(app: App[Any], bank: Bank, question_ids: list[str], stem: str) -> Path | None:
    """Write the deck and say where; None (and an error notice) when it cannot be."""
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
