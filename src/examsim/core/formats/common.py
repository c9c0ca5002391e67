"""What every importer shares: its result, skips and notes, decoding, keys from weights.

An importer turns the text of one file into an :class:`ImportResult`: the questions it
could read, as plain dicts in the native bank shape (``stem``, ``options``, ``answer``,
``explanation``...), each with the place it came from; one :class:`Skipped` per question
it refused, with the reason; and notes worth telling the user. It raises
:class:`FormatError` only for a file that cannot be read as that format at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..bank import LETTERS
from ..safe_text import controls, name, without_controls

WEIGHT_TOLERANCE = 0.01  # percent


class FormatError(Exception):
    """The file cannot be read as the format at all (not a single question in it)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class Skip(Exception):
    """Raised inside an importer for one question it refuses; the loop records it."""


@dataclass(frozen=True)
class Where:
    """Where a question is in its source: line, position among questions, name."""

    line: int | None = None
    number: int | None = None
    name: str | None = None

    def label(self) -> str:
        """``LINE: question N (name)``, leaving out what is unknown; no file name."""
        parts: list[str] = []
        if self.line is not None:
            parts.append(str(self.line))
        if self.number is not None:
            name = f" ({self.name})" if self.name else ""
            parts.append(f"question {self.number}{name}")
        elif self.name:
            parts.append(f"question ({self.name})")
        return ": ".join(parts)


@dataclass(frozen=True)
class Skipped:
    where: Where
    reason: str


@dataclass(frozen=True)
class Note:
    where: Where | None
    message: str


@dataclass
class Imported:
    """One question read from the source, in native shape.

    ``question`` has an ``id`` only when the source gave one; ``id_hint`` (a title or
    name) is what the writer makes an id from otherwise.
    """

    where: Where
    question: dict[str, Any]
    id_hint: str | None = None


@dataclass
class ImportResult:
    questions: list[Imported] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    title: str | None = None  # a title for the bank, when the source names one

    def skip(self, where: Where, reason: str) -> None:
        self.skipped.append(Skipped(where, reason))

    def note(self, where: Where | None, message: str) -> None:
        self.notes.append(Note(where, message))


def decode(raw: bytes) -> tuple[str, str | None]:
    """Text of a file: UTF-8 (a BOM is dropped), UTF-16 with a BOM, else cp1252.

    Returns the text and a note when the encoding was guessed. Binary data (NUL bytes
    without a UTF-16 BOM) raises FormatError.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "read as UTF-16 (byte order mark)"
        except UnicodeDecodeError:
            raise FormatError("starts like UTF-16 but is not valid UTF-16") from None
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise FormatError("is binary, not a text file (NUL byte)", raw.count(b"\n", 0, nul) + 1)
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1"), f"not UTF-8 (line {line}); read as Latin-1"
    return text, f"not UTF-8 (line {line}); read as Windows-1252 (cp1252): check accents"


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a BOM left at the start is dropped."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def short(text: str, limit: int = 40) -> str:
    """One line of at most ``limit`` characters, for naming a question in a message."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def slug(text: str, limit: int = 48) -> str:
    """A lowercase ASCII id from a title: ``Jesus' hometown`` -> ``jesus-hometown``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")
    return words[:limit].rstrip("-")


_CATEGORY_PREFIX = re.compile(r"^\$[a-z0-9]+\$/(top/)?|^top/")


def category_name(path: str) -> str | None:
    """A Moodle category as a domain: ``$course$/top/Default for X`` -> ``Default for X``."""
    name = _CATEGORY_PREFIX.sub("", path.strip()).strip()
    return name or None


def letters(indexes: list[int]) -> list[str]:
    return [LETTERS[i] if i < len(LETTERS) else f"#{i + 1}" for i in indexes]


def key_from_weights(
    weights: list[float], single: bool, where: Where, result: ImportResult
) -> list[str]:
    """The answer letters for options weighted in percent (GIFT, Moodle XML).

    Single-answer questions: the options worth 100% are the key; partial credit is not
    kept (noted). Several 100% options mean "any one of them" in Moodle; examsim asks
    for all of them (noted). Multiple-answer questions: every option with a positive
    weight is in the key. No option in the key raises Skip.
    """
    if single:
        full = [i for i, w in enumerate(weights) if abs(w - 100) <= WEIGHT_TOLERANCE]
        partial = [i for i, w in enumerate(weights) if 0 < w < 100 - WEIGHT_TOLERANCE]
        if not full:
            if partial:
                best = max(weights)
                raise Skip(f"no answer is fully right (100%); the best is worth {best:g}%")
            raise Skip("no correct answer marked")
        if len(full) > 1:
            result.note(where, f"{len(full)} answers are each fully right ("
                        f"{', '.join(letters(full))}); imported as choose {len(full)}")
        if partial:
            credit = ", ".join(f"{LETTERS[i]} {weights[i]:g}%" for i in partial
                               if i < len(LETTERS))
            result.note(where, f"partial credit not kept ({credit}); only the key scores")
        return letters(full)
    positive = [i for i, w in enumerate(weights) if w > 0]
    if not positive:
        raise Skip("no correct answer marked (no answer has a positive weight)")
    total = sum(weights[i] for i in positive)
    if abs(total - 100) > 0.1:
        result.note(where, f"the right answers' weights add up to {total:g}%, not 100%")
    return letters(positive)


def option(text: str, why: str | None) -> str | dict[str, str]:
    """A native option: plain text, or a table with ``why`` when there is feedback."""
    return {"text": text, "why": why} if why else text


def question(
    stem: str,
    options: list[str | dict[str, str]],
    answer: list[str],
    explanation: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """A native question dict, leaving out empty optional fields."""
    data: dict[str, Any] = {}
    for key in ("id", "domain", "topics"):
        if extra.get(key):
            data[key] = extra[key]
    data["stem"] = stem
    data["options"] = options
    data["answer"] = answer
    if explanation:
        data["explanation"] = explanation
    if extra.get("references"):
        data["references"] = extra["references"]
    return data


def drop_controls(data: Any) -> tuple[Any, list[str]]:
    """``data`` (text, or lists and dicts of it) with control characters but tab and
    newline dropped, and the characters dropped (each once, in order), for a note.

    Every importer's questions pass through here (writer.build): an escape sequence in a
    source file never reaches the bank written, nor the screen from there.
    """
    found: dict[str, None] = {}

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            for char in controls(value):
                found.setdefault(char, None)
            return without_controls(value)
        if isinstance(value, list):
            return [clean(item) for item in value]
        if isinstance(value, dict):
            return {key: clean(item) for key, item in value.items()}
        return value

    cleaned = clean(data)
    return cleaned, [name(char) for char in found]
