"""A validated cache of loaded banks, so that opening a big bank again is nearly free.

``load_cached(path)`` returns the same :class:`Bank` as ``load_bank(path)``. The first time
(or whenever the file changed) it loads the file the usual way, then writes what it
validated to ``cache_dir()/banks/<hash of the absolute path>.bank``. The next time, that
entry is used only when everything still matches:

- the cache format, examsim's and pydantic's versions, and the shape of the bank classes;
- the bank file's absolute path and name, size, mtime (ns) and the sha256 of its bytes.
  The file is not read again when its device, inode and ctime (ns) are those recorded
  with the entry too: any write, ``os.utime`` (setting mtime back) or replacement
  changes the ctime or the inode, so an edit that keeps size and mtime is still seen.
  Otherwise the file is hashed, as when those cannot vouch for it: a file changed less
  than :data:`RACY_NS` before it was cached (a later change in the same clock tick
  could keep its ctime), or a platform whose ctime is not a change time (Windows)
  records none (docs/architecture.md, "The bank cache's validity check");
- the entry's own length and CRC-32, checked while it is read.

Anything else (a missing, truncated, damaged or foreign entry, a read-only or full cache
dir) is a miss: the file is loaded the usual way and the entry rewritten when possible.
A cache never turns a bad bank into a good one: a file that fails validation raises the
same :class:`BankError` as ``load_bank`` and its entry is removed.

The entry holds only plain values (str, int, float, bool, None, tuples) in pickles read
by an unpickler that refuses every global, so a tampered entry cannot run code. The bank
is rebuilt from those values with the constructors of :mod:`examsim.core.bank`'s plain
classes, which validate nothing: the values were validated when the entry was written,
and the checks above say they still belong to this file. So a warm load imports neither
the bank's pydantic models nor pydantic; a miss imports them with ``load_bank`` (the one
lazy import here).

Only the index is read at load: the settings, the domains and every question's id, domain
and topics. The bank's ``questions`` is a :class:`~examsim.core.bank.LazyQuestions`: a
question is rebuilt from its own pickle (kept in memory, checked with the rest of the entry)
the first time it is used. Finding a question, counting a domain's questions and drawing
an exam need the index only, so starting a 75-question exam on a 10,000-question bank
rebuilds 75 questions. Tests compare a rebuilt bank with a validated one, field by field.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import io
import os
import pickle
import re
import stat
import time
import zlib
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.bank import (
    Bank,
    BankSettings,
    Domain,
    LazyQuestions,
    Option,
    Question,
    ScaledScore,
)
from ..core.errors import BankError
from ..core.gc_pause import gc_paused
from ..core.limits import MAX_BYTES
from .locations import cache_dir
from .safe_files import write_file

# 2: the rules of issue 20 (number bounds, no inf/NaN, invisible-only text): an entry
# validated by older rules (a time limit of inf) is rebuilt, never trusted; 3: the bank
# setting `unscored`; 4: an index, then one pickle per question (read when used); 5: plain
# field values of the runtime classes (core/bank.py), no pydantic fields sets
FORMAT = 5
MAGIC = b"examsim-bank-cache\n"
SUFFIX = ".bank"
CHUNK = 1 << 20
_CLASSES = (Bank, BankSettings, ScaledScore, Domain, Question, Option)


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
    before_ns = _now_ns()
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
    now = _identity(stat)
    with gc_paused():
        bank = _read_entry(entry, path, key, now)
        if bank is not None:
            return bank
        try:
            bank = load_bank(path)
        except BankError:
            _remove(entry)
            raise
        vouches = now is not None and stat.st_ctime_ns < before_ns - RACY_NS
        _write_entry(entry, bank, {**key, "sha256": bank.source_hash,
                                   "identity": now if vouches else None})
    return bank


def load_bank(path: Path) -> Bank:
    """``core.formats.native.load_bank(path)``: read, parse and validate the file, when
    the cache cannot answer."""
    # lazy point (docs/architecture.md): the validation, and with it pydantic (~50 ms),
    # is imported by a miss only; a warm load needs neither
    from ..core.formats import native

    return native.load_bank(path)


RACY_NS = 2 * 10**9  # a file changed this close to being cached is hashed at every load
_now_ns = time.time_ns  # the clock the file's ctime is compared with (tests move it)


def _identity(info: os.stat_result) -> tuple[int, int, int] | None:
    """(device, inode, ctime in ns): what any write or replacement of the file changes;
    None where the ctime is a creation time (Windows), which an edit keeps."""
    if os.name != "posix":
        return None
    return info.st_dev, info.st_ino, info.st_ctime_ns


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
#   body: the pickled index, then one pickle per question (see _bank_state): tuples of
#   field values.


def _versions() -> dict[str, Any]:
    shape = [(cls.__name__, cls.model_fields, cls.__slots__) for cls in _CLASSES]
    return {"format": FORMAT, "examsim": __version__, "pydantic": _pydantic_version(),
            "models": repr(shape)}


_VERSION_LINE = re.compile(r"""^VERSION\s*=\s*['"]([^'"\n]+)['"]""", re.MULTILINE)


@functools.cache
def _pydantic_version() -> str:
    """The installed pydantic's version, as ``pydantic.VERSION`` says, read from its
    ``version.py`` without importing pydantic (~40 ms a warm start does not need): the
    rules that validated an entry's values are examsim's and pydantic's. "" when it
    cannot be read (then the examsim version alone tells entries apart)."""
    try:
        spec = importlib.util.find_spec("pydantic")
        folders = spec.submodule_search_locations if spec is not None else None
        if not folders:
            return ""
        text = (Path(next(iter(folders))) / "version.py").read_text(encoding="utf-8")
    except (OSError, ImportError, ValueError, StopIteration):
        return ""
    match = _VERSION_LINE.search(text)
    return match.group(1) if match else ""


def _read_entry(entry: Path, path: Path, key: dict[str, Any],
                now: tuple[int, int, int] | None) -> Bank | None:
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
            if "identity" not in stored:  # written before it was recorded: rewrite it
                return None
            recorded = stored.pop("identity")
            if stored != key:
                return None
            if (now is None or recorded != now) and _sha256_of(path) != digest:
                return None
            length = header["length"]
            body = file.read(length) if isinstance(length, int) and length >= 0 else b""
            if len(body) != length or zlib.crc32(body) != header["crc"]:
                return None
            if file.read(1):  # bytes after the body: not an entry this module wrote
                return None
            return _revive_bank(body).with_source(str(path), digest)
    except Exception:  # a damaged entry: any failure to read it is a miss
        return None


def _write_entry(entry: Path, bank: Bank, key: dict[str, Any]) -> None:
    try:
        body = _bank_state(bank)
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


# -- bank objects to plain values and back ---------------------------------------------


def _bank_state(bank: Bank) -> bytes:
    """The body of an entry: the index, then each question's values, pickled one by one.

    The index is (the settings' field values, the scaled score's or None, each domain's,
    the question ids, their domains, their topics, the end offset of each question's
    pickle); a question's pickle holds its other fields in ``Question.model_fields``
    order, the options as (text, why) pairs. Equal domains and topics are one object in
    the index (pickled and loaded once)."""
    shared: dict[Any, Any] = {}

    def one(value: Any) -> Any:
        return shared.setdefault(value, value)

    settings = bank.settings
    scaled = settings.scaled_score
    questions = []
    ends = []
    end = 0
    for question in bank.questions:
        values = (question.stem, tuple((option.text, option.why) for option in question.options),
                  question.answer, question.explanation, question.references)
        data = pickle.dumps(values, protocol=5)
        questions.append(data)
        end += len(data)
        ends.append(end)
    index = (
        tuple(None if name == "scaled_score" else getattr(settings, name)
              for name in BankSettings.model_fields),
        None if scaled is None else (scaled.min, scaled.max, scaled.pass_mark),
        tuple((domain.id, domain.name, domain.weight) for domain in bank.domains),
        tuple(question.id for question in bank.questions),
        tuple(one(question.domain) for question in bank.questions),
        tuple(one(tuple(one(topic) for topic in question.topics))
              for question in bank.questions),
        tuple(ends),
    )
    return b"".join([pickle.dumps(index, protocol=5), *questions])


def _revive_bank(body: bytes) -> Bank:
    """The bank of an entry's body (CRC-checked): the index now, each question when it is
    first used (:class:`LazyQuestions`). The objects are made with their constructors,
    which check nothing: the values were validated when the entry was written."""
    stream = io.BytesIO(body)
    settings_values, scaled, domain_values, ids, domains, topics, ends = (
        _Unpickler(stream).load())
    start = stream.tell()
    if not len(ids) == len(domains) == len(topics) == len(ends) or (
            (ends[-1] if ends else 0) != len(body) - start):
        raise ValueError("bank cache: the index does not match the questions")
    values = dict(zip(BankSettings.model_fields, settings_values, strict=True))
    if scaled is not None:
        low, high, pass_mark = scaled
        values["scaled_score"] = ScaledScore(min=low, max=high, pass_mark=pass_mark)
    settings = BankSettings(**values)
    bank_domains = tuple(Domain(id=domain_id, name=name, weight=weight)
                         for domain_id, name, weight in domain_values)
    view = memoryview(body)

    def question(position: int) -> Question:
        begin = start + (ends[position - 1] if position else 0)
        stem, options, answer, explanation, references = _Unpickler(
            io.BytesIO(view[begin:start + ends[position]])).load()
        return Question(
            id=ids[position], domain=domains[position], topics=topics[position], stem=stem,
            options=tuple([Option(text=text, why=why) for text, why in options]),
            answer=answer, explanation=explanation, references=references)

    # the lookups by id and domain are made over the index
    return Bank(settings=settings, domains=bank_domains,
                questions=LazyQuestions(ids, domains, topics, question))
