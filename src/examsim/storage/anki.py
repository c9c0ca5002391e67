"""An Anki deck (.apkg) of a bank's questions, written with genanki.

One note per question. Front: the stem, "Choose N" when the key has several letters, and
the options lettered as in the bank file (A = first option in the file). Back: the key,
the explanation, each option's why and the references. Tags: the question's domain id
and its topics, whitespace made ``_`` (Anki splits tags on spaces). The note GUID comes
from the bank id and the question id only, so exporting again after editing the bank
updates the notes already in Anki instead of adding copies.

Bank text is hostile input and Anki fields are HTML: every piece of bank text is
escaped (``html.escape``) and ``[`` is written ``&#91;`` so that ``[sound:...]`` or
``[latex]`` in a bank is shown, not played or rendered. Only the tags written here make
the layout.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import genanki

from ..core.bank import LETTERS, Bank, Question

FIELDS = ("Stem", "Options", "Answer", "Explanation", "Whys", "References", "Source")
MODEL_ID = 1_607_392_319  # fixed: Anki matches the note type of a re-export by this id
MODEL_NAME = "examsim question"
_CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; }
.options { list-style: none; padding-left: 0; }
.key { font-weight: bold; }
.source { color: #888; font-size: 12px; }
"""
_FRONT = '<div class="stem">{{Stem}}</div>\n<ol class="options">{{Options}}</ol>'
_BACK = ("{{FrontSide}}\n<hr id=answer>\n<div class=\"key\">{{Answer}}</div>\n"
         "{{#Explanation}}<div class=\"explanation\">{{Explanation}}</div>{{/Explanation}}\n"
         "{{#Whys}}<ul class=\"whys\">{{Whys}}</ul>{{/Whys}}\n"
         "{{#References}}<ul class=\"references\">{{References}}</ul>{{/References}}\n"
         "<div class=\"source\">{{Source}}</div>")


class AnkiWriteError(Exception):
    """The deck file cannot be written (it exists, or the folder refuses)."""


@dataclass(frozen=True)
class Card:
    """The fields, tags and GUID of one note, before genanki sees them."""

    guid: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]


def escape(text: str) -> str:
    """Bank text as HTML that shows exactly that text in Anki."""
    return html.escape(text, quote=True).replace("[", "&#91;").replace("\n", "<br>")


def tag(text: str) -> str:
    """An Anki tag: whitespace runs as ``_``, control characters dropped."""
    printable = "".join(c if c.isprintable() or c.isspace() else "" for c in text)
    return "_".join(printable.split())


def note_guid(bank_id: str, question_id: str) -> str:
    """The stable GUID of a question's note."""
    guid: str = genanki.guid_for("examsim", bank_id, question_id)  # genanki has no types
    return guid


def deck_id(bank_id: str) -> int:
    """A stable deck id in genanki's range, from the bank id."""
    digest = hashlib.sha256(f"examsim-deck:{bank_id}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def card(bank: Bank, question: Question) -> Card:
    options = "".join(
        f"<li><b>{LETTERS[i]}.</b> {escape(option.text)}</li>"
        for i, option in enumerate(question.options)
    )
    stem = escape(question.stem)
    if question.choose > 1:
        stem += f"<br><i>(Choose {question.choose}.)</i>"
    key = ", ".join(question.answer)
    key_texts = "<br>".join(
        f"{LETTERS[i]}. {escape(question.options[i].text)}" for i in sorted(question.key_indexes)
    )
    answer = f"Answer: {key}<br>{key_texts}"
    whys = "".join(
        f"<li><b>{LETTERS[i]}.</b> {escape(option.why)}</li>"
        for i, option in enumerate(question.options) if option.why
    )
    references = "".join(f"<li>{escape(ref)}</li>" for ref in question.references)
    source = f"{escape(bank.id)} · {escape(question.id)}"
    tags = [tag(t) for t in (question.domain or "", *question.topics)]
    unique = tuple(dict.fromkeys(t for t in tags if t))
    fields = (stem, options, answer, escape(question.explanation), whys, references, source)
    return Card(note_guid(bank.id, question.id), fields, unique)


def cards(bank: Bank, question_ids: Iterable[str] | None = None) -> list[Card]:
    """The cards of the bank's questions (in bank order), or of those ids only."""
    wanted = None if question_ids is None else set(question_ids)
    return [card(bank, q) for q in bank.questions if wanted is None or q.id in wanted]


def _model() -> genanki.Model:
    return genanki.Model(
        MODEL_ID, MODEL_NAME, fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question", "qfmt": _FRONT, "afmt": _BACK}], css=_CSS,
    )


def write_deck(
    path: Path, bank: Bank, deck_cards: Sequence[Card], force: bool = False,
    now: float | None = None,
) -> None:
    """Write the cards as an .apkg at ``path``.

    The file is built beside ``path`` and moved into place at the end: without
    ``force`` an existing ``path`` (a symlink too) is refused, with ``force`` it is
    replaced, never written through.
    """
    model = _model()
    deck = genanki.Deck(deck_id(bank.id), f"examsim::{bank.title}",
                        description=f"{len(deck_cards)} questions of {bank.title}")
    for item in deck_cards:
        deck.add_note(genanki.Note(model=model, fields=list(item.fields),
                                   tags=list(item.tags), guid=item.guid))
    package = genanki.Package(deck)
    stamp = time.time() if now is None else now
    if not force and os.path.lexists(path):
        raise AnkiWriteError(f"{path} exists; use --force to overwrite it")
    folder = path.parent
    try:
        handle, partial = tempfile.mkstemp(prefix=".examsim-", suffix=".apkg", dir=folder)
    except OSError as exc:
        raise AnkiWriteError(f"cannot write in {folder}: {exc.strerror or exc}") from None
    os.close(handle)
    try:
        with tempfile.TemporaryDirectory(prefix="examsim-anki-") as work:
            collection = Path(work) / "collection.anki2"
            conn = sqlite3.connect(collection)
            try:
                package.write_to_db(conn.cursor(), stamp, itertools.count(int(stamp * 1000)))
                conn.commit()
            finally:
                conn.close()
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(collection, "collection.anki2")
                archive.writestr("media", "{}")
        _place(Path(partial), path, force)
    finally:
        if os.path.lexists(partial):
            os.unlink(partial)


def _place(partial: Path, path: Path, force: bool) -> None:
    try:
        if force:
            os.chmod(partial, 0o644)
            os.replace(partial, path)  # replaces a symlink itself, never its target
            return
        # O_CREAT|O_EXCL fails on anything already there, a dangling symlink too
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as out:
            out.write(partial.read_bytes())
    except FileExistsError:
        raise AnkiWriteError(f"{path} exists; use --force to overwrite it") from None
    except IsADirectoryError:
        raise AnkiWriteError(f"{path} is a folder; name a file") from None
    except OSError as exc:
        raise AnkiWriteError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_new_deck(folder: Path, stem: str, bank: Bank, deck_cards: Sequence[Card]) -> Path:
    """Write the deck as ``folder/stem.apkg``, or ``stem-2.apkg``... when that exists;
    never over a file. Returns the path written."""
    for n in range(1, 1000):
        path = folder / (f"{stem}.apkg" if n == 1 else f"{stem}-{n}.apkg")
        if os.path.lexists(path):
            continue
        try:
            write_deck(path, bank, deck_cards)
        except AnkiWriteError:
            if os.path.lexists(path):  # made meanwhile: the next name
                continue
            raise
        return path
    raise AnkiWriteError(f"{folder / stem}.apkg and 998 more names exist already")
