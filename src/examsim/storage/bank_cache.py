"""A validated cache of loaded banks, so that opening a big bank again is nearly free.

``load_cached(path)`` returns the same :class:`Bank` as ``load_bank(path)``. The first time
(or whenever the file changed) it loads the file the usual way, then writes what it
validated to ``cache_dir()/banks/<hash of the absolute path>.bank``. The next time, that
entry is used only when everything still matches:

- the cache format, examsim's and pydantic's versions, and the shape of the bank models;
- the bank file's absolute path and name, size, mtime (ns) and the sha256 of its bytes
  (read and hashed on every load: an edit that keeps size and mtime is still seen);
- the entry's own length and CRC-32, checked while it is read.

Anything else (a missing, truncated, damaged or foreign entry, a read-only or full cache
dir) is a miss: the file is loaded the usual way and the entry rewritten when possible.
A cache never turns a bad bank into a good one: a file that fails validation raises the
same :class:`BankError` as ``load_bank`` and its entry is removed.

The entry holds only plain values (str, int, float, None, tuples, dicts, frozensets) in a
pickle read by an unpickler that refuses every global, so a tampered entry cannot run
code. The models are rebuilt from those values without validating them again: the values
were validated when the entry was written, and the checks above say they still belong to
this file. Rebuilding sets the instance state pydantic's own validation (and its
pickling) sets: ``__dict__``, ``__pydantic_fields_set__``, ``__pydantic_extra__`` and
``__pydantic_private__``, with one difference: models with equal fields sets share one set
object. Tests compare a revived bank with a validated one, field by field.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import pickle
import zlib
from pathlib import Path
from typing import IO, Any, TypeVar

from pydantic import BaseModel

from ..core.bank import Bank, BankSettings, Domain, Option, Question, ScaledScore
from ..core.errors import BankError
from ..core.formats.native import MAX_BYTES, load_bank
from ..core.gc_pause import gc_paused
from .locations import cache_dir
from .safe_files import write_file

# 2: the rules of issue 20 (number bounds, no inf/NaN, invisible-only text): an entry
# validated by older rules (a time limit of inf) is rebuilt, never trusted; 3: the bank
# setting `unscored`
FORMAT = 3
MAGIC = b"examsim-bank-cache\n"
SUFFIX = ".bank"
CHUNK = 1 << 20
_MODELS = (Bank, BankSettings, ScaledScore, Domain, Question, Option)


def banks_cache_dir() -> Path:
    return cache_dir() / "banks"


def entry_path(path: str | Path, cache: Path | None = None) -> Path:
    """The cache entry of a bank file: named by the sha256 of its absolute path."""
    absolute = str(Path(path).absolute())
    name = hashlib.sha256(absolute.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    return (cache if cache is not None else banks_cache_dir()) / (name + SUFFIX)


def load_cached(path: str | Path, cache: Path | None = None) -> Bank:
    """``load_bank(path)``, through the cache in ``cache`` (default: the user cache dir)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return load_bank(path)  # raises the usual "no such file" / "permission denied"
    if not _is_regular(stat.st_mode) or stat.st_size > MAX_BYTES:
        return load_bank(path)  # refuses it, with the reason
    entry = entry_path(path, cache)
    # The name too: the bank's default id is the file's stem, its format the suffix, and
    # the absolute path is not resolved (a symlink's name is what load_bank sees).
    key = {"path": str(path.absolute()), "name": path.name, "size": stat.st_size,
           "mtime_ns": stat.st_mtime_ns}
    with gc_paused():
        bank = _read_entry(entry, path, key)
        if bank is not None:
            return bank
        try:
            bank = load_bank(path)
        except BankError:
            _remove(entry)
            raise
        _write_entry(entry, bank, {**key, "sha256": bank.source_hash})
    return bank


def clear(cache: Path | None = None) -> int:
    """Remove every entry; returns how many were removed."""
    folder = cache if cache is not None else banks_cache_dir()
    removed = 0
    for entry in folder.glob("*" + SUFFIX) if folder.is_dir() else ():
        with contextlib.suppress(OSError):
            entry.unlink()
            removed += 1
    return removed


# -- the entry: a header, then the body -------------------------------------------------
#
#   MAGIC, then a pickled header dict (versions, key, body length and CRC-32), then the
#   pickled body: (settings state, domain states, question states). A state is
#   (__dict__ with nested models as states, fields_set as a frozenset).


def _versions() -> dict[str, Any]:
    import pydantic

    from .. import __version__

    shape = [
        (model.__name__, tuple(model.model_fields), tuple(model.__private_attributes__))
        for model in _MODELS
    ]
    return {"format": FORMAT, "examsim": __version__, "pydantic": pydantic.VERSION,
            "models": repr(shape)}


def _read_entry(entry: Path, path: Path, key: dict[str, Any]) -> Bank | None:
    try:
        file = entry.open("rb")
    except OSError:
        return None
    try:
        with file:
            if file.read(len(MAGIC)) != MAGIC:
                return None
            header = _Unpickler(file).load()
            if not isinstance(header, dict) or header.get("versions") != _versions():
                return None
            if header.get("key", {}).get("path") is None:
                return None
            stored = dict(header["key"])
            digest = stored.pop("sha256", None)
            if stored != key:
                return None
            if _sha256_of(path) != digest:
                return None
            body_start = file.tell()
            reader = _CheckedReader(file, header["length"])
            body = _Unpickler(reader).load()
            if not reader.intact(header["crc"]) or file.tell() != body_start + header["length"]:
                return None
            if file.read(1):  # bytes after the body: not an entry this module wrote
                return None
            return _revive_bank(body).with_source(str(path), digest)
    except Exception:  # a damaged entry: any failure to read it is a miss
        return None


def _write_entry(entry: Path, bank: Bank, key: dict[str, Any]) -> None:
    try:
        body = pickle.dumps(_bank_state(bank), protocol=5)
        header = {"versions": _versions(), "key": key, "length": len(body),
                  "crc": zlib.crc32(body)}
        entry.parent.mkdir(parents=True, exist_ok=True)
        # a temporary file of its own (mkstemp), never one planted beside the entry
        write_file(entry, [MAGIC, pickle.dumps(header, protocol=5), body], replace=True)
    except OSError:  # a read-only or full cache dir: the cache is only an optimisation
        pass


def _remove(file: Path) -> None:
    with contextlib.suppress(OSError):
        file.unlink()


def _is_regular(mode: int) -> bool:
    import stat

    return stat.S_ISREG(mode)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _Unpickler(pickle.Unpickler):
    """Plain values only: any global (a class, a function) is refused."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"bank cache: refused global {module}.{name}")


class _CheckedReader(io.RawIOBase):
    """Reads at most ``length`` bytes of a file, keeping their CRC-32."""

    def __init__(self, file: IO[bytes], length: int) -> None:
        self._file = file
        self._left = length
        self._crc = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0 or size > self._left:
            size = self._left
        data = self._file.read(size)
        self._left -= len(data)
        self._crc = zlib.crc32(data, self._crc)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        limit = self._left if size is None or size < 0 else min(size, self._left)
        data = self._file.readline(limit)
        self._left -= len(data)
        self._crc = zlib.crc32(data, self._crc)
        return data

    def intact(self, crc: int) -> bool:
        return self._left == 0 and self._crc == crc


# -- models to plain values and back ----------------------------------------------------


def _bank_state(bank: Bank) -> tuple[Any, ...]:
    shared: dict[Any, Any] = {}

    def one(value: Any) -> Any:  # one object per equal value: pickled (and loaded) once
        return shared.setdefault(value, value)

    def state(model: Any, **nested: Any) -> tuple[dict[str, Any], frozenset[str]]:
        fields = {name: model.__dict__[name] for name in type(model).model_fields}
        return {**fields, **nested}, one(frozenset(model.model_fields_set))

    settings = bank.settings
    scaled = settings.scaled_score
    questions = []
    for question in bank.questions:
        questions.append(state(
            question,
            domain=one(question.domain),
            topics=one(tuple(one(topic) for topic in question.topics)),
            answer=one(question.answer),
            options=tuple(state(option) for option in question.options),
        ))
    return (
        state(settings, scaled_score=None if scaled is None else state(scaled)),
        tuple(state(domain) for domain in bank.domains),
        tuple(questions),
        one(frozenset(bank.model_fields_set)),
    )


_new = object.__new__
_set = object.__setattr__
_Model = TypeVar("_Model", bound=BaseModel)


def _revive(cls: type[_Model], state: tuple[dict[str, Any], Any]) -> _Model:
    data, fields_set = state
    model = _new(cls)
    _set(model, "__dict__", data)
    _set(model, "__pydantic_fields_set__", fields_set)
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


def _revive_bank(body: tuple[Any, ...]) -> Bank:
    """The bank of an entry's body. Models with the same fields set share one set object
    (frozen models never change it; ``model_copy`` copies it first): 50,000 fewer sets."""
    settings_state, domain_states, question_states, bank_fields = body
    sets: dict[frozenset[str], set[str]] = {}

    def fields(names: frozenset[str]) -> set[str]:
        found = sets.get(names)
        if found is None:
            found = sets[names] = set(names)
        return found

    data, fields_set = settings_state
    if data["scaled_score"] is not None:
        scaled_data, scaled_fields = data["scaled_score"]
        data["scaled_score"] = _revive(ScaledScore, (scaled_data, fields(scaled_fields)))
    settings = _revive(BankSettings, (data, fields(fields_set)))
    domains = tuple(_revive(Domain, (data, fields(names))) for data, names in domain_states)
    questions: list[Question] = []
    append = questions.append
    option_sets: dict[frozenset[str], set[str]] = {}
    for data, fields_set in question_states:  # the hot loop: _revive inlined
        options: list[Option] = []
        for option_data, option_fields in data["options"]:
            option = _new(Option)
            _set(option, "__dict__", option_data)
            shared = option_sets.get(option_fields)
            if shared is None:
                shared = option_sets[option_fields] = fields(option_fields)
            _set(option, "__pydantic_fields_set__", shared)
            _set(option, "__pydantic_extra__", None)
            _set(option, "__pydantic_private__", None)
            options.append(option)
        data["options"] = tuple(options)
        question = _new(Question)
        _set(question, "__dict__", data)
        _set(question, "__pydantic_fields_set__", fields(fields_set))
        _set(question, "__pydantic_extra__", None)
        _set(question, "__pydantic_private__", None)
        append(question)
    bank = _revive(
        Bank,
        ({"settings": settings, "domains": domains, "questions": tuple(questions)},
         fields(bank_fields)),
    )
    bank.model_post_init(None)  # private attributes and the lookups, as validation makes them
    return bank
