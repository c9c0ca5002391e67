"""The native bank format: TOML, or JSON with the same keys.

``load_bank(path)`` returns a validated :class:`Bank` or raises :class:`BankError` with
every problem of the file, each located by file, line, question and field.
"""

from __future__ import annotations

import bisect
import contextlib
import difflib
import hashlib
import json
import re
import stat
import sys
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..bank import LETTERS, Bank
from ..bank_model import Bank as BankModel
from ..bank_model import BankSettings, Domain, Question, cross_check, to_bank
from ..errors import BankError, Problem
from ..gc_pause import gc_paused
from ..limits import MAX_BYTES as MAX_BYTES  # re-exported: the bound of bank files

SUFFIXES = {".toml": "toml", ".json": "json"}
TOP_KEYS = ("bank", "domains", "questions")


def load_bank(path: str | Path) -> Bank:
    """Read, parse and validate one bank file."""
    with gc_paused(), too_deep_is_a_bank_error(str(path)):
        return _load_bank(Path(path))


@contextlib.contextmanager
def too_deep_is_a_bank_error(file: str) -> Iterator[None]:
    """A file nested beyond what the parsers and the model can recurse into is a bad file.

    ``'[' * 100000`` in JSON, or arrays nested as deep in TOML, make the parsers (or the
    validation after them) run out of stack or memory; that is one problem of that file,
    never a crash of the command that happened to read it.
    """
    try:
        yield
    except RecursionError:
        raise BankError.single(file, "nested too deeply") from None
    except MemoryError:
        raise BankError.single(file, "nested too deeply or too large: out of memory") from None


def _load_bank(path: Path) -> Bank:
    file = str(path)
    if path.suffix and path.suffix.lower() not in SUFFIXES:
        raise BankError.single(
            file,
            f"not a bank file: expected .toml or .json, got {path.suffix!r} "
            "(convert other formats with `examsim import`)",
        )
    raw = read_bytes(path)
    text = decode(raw, file)
    kind = kind_of(path, text)
    data = parse(text, kind, file)
    bank = validate(data, file, text, kind, default_id=path.stem)
    return bank.with_source(file, hashlib.sha256(raw).hexdigest())


def question_lines(path: str | Path, question_ids: Sequence[str]) -> dict[str, int]:
    """The line of each question's ``id`` in a bank file (questions in file order), for
    reports on a bank that validated, such as the lint. Questions not found are left out;
    a file that cannot be read gives {}."""
    path = Path(path)
    try:
        text = decode(read_bytes(path), str(path))
    except BankError:
        return {}
    locator = _Locator(text, kind_of(path, text))
    lines: dict[str, int] = {}
    for index, qid in enumerate(question_ids):
        line = locator.in_question(index, qid, ("id",))
        if line is not None:
            lines[qid] = line
    return lines


def place_lines(
    path: str | Path, places: Sequence[tuple[str | int, ...]], question_ids: Sequence[str]
) -> dict[tuple[str | int, ...], int]:
    """The line of each place of a bank that validated (``("bank", "title")``,
    ``("domains", 0, "name")``, ``("questions", 3, "stem")``), for reports such as
    ``validate``'s control characters. Places not found are left out."""
    path = Path(path)
    try:
        text = decode(read_bytes(path), str(path))
    except BankError:
        return {}
    locator = _Locator(text, kind_of(path, text))
    lines: dict[tuple[str | int, ...], int] = {}
    for place in places:
        line: int | None = None
        if place[0] == "bank":
            line = locator.in_section("bank", place[1:])
        elif place[0] == "domains" and isinstance(place[1], int):
            line = locator.in_table("domains", place[1], place[2:])
        elif place[0] == "questions" and isinstance(place[1], int):
            qid = question_ids[place[1]] if place[1] < len(question_ids) else None
            line = locator.in_question(place[1], qid, place[2:])
        if line is not None:
            lines[place] = line
    return lines


def kind_of(path: Path, text: str) -> str:
    """"toml" or "json": by the suffix, else (no suffix) by the text."""
    return SUFFIXES.get(path.suffix.lower()) or (
        "json" if text.lstrip().startswith("{") else "toml")


def read_bytes(path: Path) -> bytes:
    file = str(path)
    try:
        if path.is_dir():
            raise BankError.single(file, "is a folder, not a bank file")
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block the read for ever
            raise BankError.single(file, "is not a regular file")
        size = info.st_size
        if size > MAX_BYTES:
            raise BankError.single(file, too_large(size))
        with path.open("rb") as stream:  # no more than the limit, should the file grow
            raw = stream.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise BankError.single(file, too_large(len(raw)))
        return raw
    except FileNotFoundError:
        raise BankError.single(file, "no such file") from None
    except PermissionError:
        raise BankError.single(file, "permission denied") from None
    except OSError as exc:
        raise BankError.single(file, f"cannot be read: {exc.strerror or exc}") from None


def too_large(size: int) -> str:
    """What is said of a file over :data:`MAX_BYTES` (bank and import files alike)."""
    shown = f"{size / 1048576:.1f}" if size < 100 * 1048576 else f"{size / 1048576:.0f}"
    return (f"is {shown} MB; files over {MAX_BYTES // 1048576} MB are refused "
            "before reading (split it into several banks)")


def decode(raw: bytes, file: str) -> str:
    """UTF-8 text, with a BOM accepted, or UTF-16 with its byte order mark (as Windows
    editors save it, and as the importers read it); binary or other encodings are refused,
    UTF-16 without a byte order mark with "save it as UTF-8"."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeError:
            raise BankError.single(file, "starts like UTF-16 but is not valid UTF-16; "
                                         "save it as UTF-8") from None
    if not raw.strip():
        raise BankError.single(file, "is empty: a bank needs at least one [[questions]] table")
    nul = raw.find(b"\x00")
    if nul >= 0 and _looks_like_utf16(raw):
        raise BankError.single(file, "is UTF-16 without a byte order mark: save it as UTF-8")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise BankError.single(file, "is binary, not a text file (NUL byte)", line)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise BankError.single(
            file, f"is not UTF-8 (byte 0x{bad}); save it as UTF-8", line
        ) from None


def _looks_like_utf16(raw: bytes) -> bool:
    """Most of the first bytes at even (or odd) places are NUL: ASCII text in UTF-16."""
    head = raw[:512]
    half = max(1, len(head) // 2)
    return head[0::2].count(0) > half * 0.8 or head[1::2].count(0) > half * 0.8


_TOML_POS = re.compile(r"\(at line (\d+), column \d+\)|\(at end of document\)")


def parse(text: str, kind: str, file: str) -> dict[str, Any]:
    with too_deep_is_a_bank_error(file):
        return _parse(text, kind, file)


def _parse(text: str, kind: str, file: str) -> dict[str, Any]:
    try:
        return _parse_text(text, kind, file)
    except BankError:
        raise
    except ValueError as exc:  # Python's limit on digits: int("9" * 5000) raises
        if "digits" not in str(exc):
            raise
        limit = sys.get_int_max_str_digits()
        raise BankError.single(file, f"a number has more than {limit} digits",
                               _find_line(text, rf"\d{{{limit + 1}}}")) from None


def _parse_text(text: str, kind: str, file: str) -> dict[str, Any]:
    if kind == "json":
        try:
            data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
        except json.JSONDecodeError as exc:
            raise BankError.single(file, f"JSON syntax error: {exc.msg} (column {exc.colno})",
                                   exc.lineno) from None
        except _DuplicateKey as exc:
            raise BankError.single(file, f"JSON: key {exc.args[0]!r} appears twice in one object",
                                   _find_line(text, rf'"{re.escape(exc.args[0])}"\s*:', last=True)
                                   ) from None
        if not isinstance(data, dict):
            raise BankError.single(file, "JSON bank must be an object with bank/domains/questions")
        return data
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POS.search(message)
        line = None
        if match:
            line = int(match.group(1)) if match.group(1) else text.count("\n") + 1
            message = message[: match.start()].strip()
        raise BankError.single(file, f"TOML syntax error: {message}", line) from None


class _DuplicateKey(Exception):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _find_line(text: str, pattern: str, start: int = 0, last: bool = False) -> int | None:
    matches = list(re.finditer(pattern, text[start:], re.MULTILINE)) if last else []
    match = matches[-1] if matches else re.search(pattern, text[start:], re.MULTILINE)
    if match is None:
        return None
    return text.count("\n", 0, start + match.start()) + 1


def validate(
    data: dict[str, Any], file: str, text: str = "", kind: str = "toml", default_id: str = "bank"
) -> Bank:
    """Validate parsed data as a bank; on failure, report every problem with its place."""
    with too_deep_is_a_bank_error(file):
        return _validate(data, file, text, kind, default_id)


def _validate(data: dict[str, Any], file: str, text: str, kind: str, default_id: str) -> Bank:
    settings = data.get("bank")
    if settings is None:
        data = {**data, "bank": {"id": default_id}}
    elif isinstance(settings, dict) and "id" not in settings:
        data = {**data, "bank": {**settings, "id": default_id}}
    try:
        return to_bank(BankModel.model_validate(data))
    except ValidationError:
        pass
    problems = diagnose(data, file, _Locator(text, kind))
    problems.sort(key=lambda p: p.line or 0)
    if not problems:  # pragma: no cover - diagnose mirrors the model's rules
        problems = [Problem(file=file, message="invalid bank")]
    raise BankError(problems)


def diagnose(data: dict[str, Any], file: str, where: _Locator) -> list[Problem]:
    problems: list[Problem] = []

    def add(message: str, line: int | None, field: str | None = None, **kw: Any) -> None:
        problems.append(Problem(file=file, message=message, line=line, field=field, **kw))

    for key in data:
        if key not in TOP_KEYS:
            add(_unknown(key, TOP_KEYS), where.top_key(key), key)

    settings: BankSettings | None = None
    raw_settings = data.get("bank")
    if not isinstance(raw_settings, dict):
        add("must be a table ([bank])", where.top_key("bank"), "bank")
    else:
        settings, errors = _try(BankSettings, raw_settings)
        for loc, message in errors:
            add(message, where.in_section("bank", loc[:1]), "bank." + _field(loc))

    domains: list[Domain] = []
    raw_domains = data.get("domains", [])
    if not isinstance(raw_domains, list):
        add("must be a list of tables ([[domains]])", where.top_key("domains"), "domains")
        raw_domains = []
    for index, raw in enumerate(raw_domains):
        domain, errors = _try(Domain, raw)
        for loc, message in errors:
            add(message, where.in_table("domains", index, loc[:1]),
                f"domain #{index + 1}: {_field(loc)}")
        if domain is not None:
            domains.append(domain)

    raw_questions = data.get("questions")
    valid: list[tuple[int, Question]] = []
    ids: list[tuple[int, str]] = []
    failed_domains: list[tuple[int, object]] = []  # of questions that failed validation
    if raw_questions is None:
        add("no questions: add at least one [[questions]] table", None)
        raw_questions = []
    elif not isinstance(raw_questions, list):
        add("must be a list of tables ([[questions]])", where.top_key("questions"), "questions")
        raw_questions = []
    elif not raw_questions:
        add("no questions: add at least one [[questions]] table", where.top_key("questions"))
    for index, raw in enumerate(raw_questions):
        qid = raw.get("id") if isinstance(raw, dict) else None
        qid = qid if isinstance(qid, str) and qid.strip() else None
        if qid is not None:
            ids.append((index, qid))
        question, errors = _try(Question, raw)
        for loc, message in errors:
            add(message, where.in_question(index, qid, loc[:1]), _field(loc) or None,
                question=qid, number=index + 1)
        if question is not None:
            valid.append((index, question))
        elif isinstance(raw, dict) and not any(loc[:1] == ("domain",) for loc, _ in errors):
            failed_domains.append((index, raw.get("domain")))

    labels = {i: q for i, q in ids}
    for loc, message in cross_check(settings, domains, valid, ids, failed_domains):
        if loc[0] == "questions" and isinstance(loc[1], int):
            index = loc[1]
            qid = labels.get(index)
            add(message, where.in_question(index, qid, loc[2:]), _field(loc[2:]),
                question=qid, number=index + 1)
        elif loc[0] == "domains" and isinstance(loc[1], int):
            add(message, where.in_table("domains", loc[1], loc[2:]),
                f"domain #{loc[1] + 1}: {_field(loc[2:])}")
        elif loc[0] == "domains":
            add(message, where.top_key("domains"), "domains")
        else:
            add(message, where.in_section("bank", loc[1:]), ".".join(map(str, loc)))
    return problems


def _try(model: type[BaseModel], raw: Any) -> tuple[Any, list[tuple[tuple[Any, ...], str]]]:
    if not isinstance(raw, dict):
        return None, [((), f"should be a table, got {_kind(raw)}")]
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        fields = tuple(model.model_fields) + tuple(
            f.alias for f in model.model_fields.values() if f.alias
        )
        errors = [(tuple(e["loc"]), _message(e, fields)) for e in exc.errors()]
        return None, [(loc, message) for loc, message in errors if message is not None]


def _field(loc: Iterable[Any]) -> str:
    parts: list[str] = []
    loc = list(loc)
    for part in loc:
        if isinstance(part, int):
            if parts and parts[-1] == "options" and part < len(LETTERS):
                parts[-1] = f"option {LETTERS[part]}"
            elif parts:
                parts[-1] = f"{parts[-1]}[{part + 1}]"
        else:
            parts.append(str(part))
    return ".".join(parts)


def _kind(value: Any) -> str:
    names = {str: "text", int: "a number", float: "a number", bool: "true/false",
             list: "a list", dict: "a table", type(None): "nothing"}
    return names.get(type(value), type(value).__name__)


def _unknown(key: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key{hint}"


_TYPE_WORDS = {
    "a valid tuple": "a list",
    "a valid list": "a list",
    "a valid dictionary or instance of Option": 'text or a table { text = "...", why = "..." }',
    "a valid dictionary or instance of ScaledScore": "a table { min, max, pass }",
    "a valid string": "text",
    "a valid number": "a number",
    "a valid integer": "a whole number",
    "a valid boolean": "true or false",
}


def _message(error: ErrorDetails, fields: tuple[str, ...]) -> str | None:
    """A short message for one pydantic error; None when it only echoes another."""
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown(str(error["loc"][-1]), fields)
    if kind == "missing":
        return "missing (required)"
    if kind in ("string_too_short", "string_pattern_mismatch"):
        return "must not be empty"
    if kind in ("too_short", "too_long") and error["loc"][:1] == ("options",):
        count = len(value) if isinstance(value, list) else ctx.get("actual_length")
        if count is not None and 2 <= count <= 8:
            return None  # an option itself is wrong; that error is reported
        if count is not None and count > 8:
            return f"has {count} options; examsim allows at most 8"
        return f"has {count} option{'s' if count != 1 else ''}; a question needs 2 to 8"
    if kind == "too_short" and error["loc"][:1] == ("answer",):
        return "is empty; name at least one option letter"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    message = error["msg"]
    if message.startswith("Input should be "):
        wanted = message[len("Input should be ") :]
        wanted = _TYPE_WORDS.get(wanted, wanted)
        if kind.endswith(("_type", "_parsing")):
            got = (_kind(value) if isinstance(value, dict | list)
                   else f"{_kind(value)} {_short_repr(value)}")
        else:
            got = _short_repr(value)
        return f"should be {wanted}, got {got}"
    return message[:1].lower() + message[1:]


def _short_repr(value: Any, limit: int = 40) -> str:
    """``repr(value)``, cut to ``limit`` characters (a 4000-digit number is one word)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text)} characters)"


class _Locator:
    """Finds the line of a question, table or key in the source text, when it can.

    Linear however many problems a file has: line numbers come from the offsets of the
    newlines (found once, then a binary search), questions from an index of the ``id``
    lines made once, and every other search runs between offsets of the text (no copy
    of the rest of the file per problem); what is asked again is remembered.
    """

    def __init__(self, text: str, kind: str) -> None:
        self.text = text
        self.kind = kind
        self._headers: dict[str, list[int]] = {}
        self._newlines: list[int] | None = None
        self._ids: tuple[dict[str, int], list[int]] | None = None
        self._found: dict[tuple[str, str | None], int | None] = {}

    def _tables(self, name: str) -> list[int]:
        """Character offsets of each ``[[name]]`` header (TOML) in order."""
        if name not in self._headers:
            pattern = re.compile(rf"^[ \t]*\[\[[ \t]*{name}[ \t]*\]\]", re.MULTILINE)
            self._headers[name] = [m.start() for m in pattern.finditer(self.text)]
        return self._headers[name]

    def _line_of(self, offset: int) -> int:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, offset) + 1

    def _key_pattern(self, key: str) -> str:
        if self.kind == "json":
            return rf'"{re.escape(key)}"\s*:'
        return rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*="

    def _key_in(self, start: int, end: int, key: str) -> int | None:
        # ^ matches at ``start``: every span starts a line (TOML) or needs no ^ (JSON)
        pattern = re.compile(self._key_pattern(key), re.MULTILINE)
        match = pattern.search(self.text[start:end] if self.kind == "toml" else self.text,
                               0 if self.kind == "toml" else start,
                               end - start if self.kind == "toml" else end)
        if match is None:
            return None
        return self._line_of((start if self.kind == "toml" else 0) + match.start())

    def _first(self, what: str, key: str | None, pattern: str) -> int | None:
        """The offset of the first match of ``pattern`` (once per question asked)."""
        if (what, key) not in self._found:
            match = re.search(pattern, self.text, re.MULTILINE)
            self._found[what, key] = None if match is None else match.start()
        return self._found[what, key]

    def top_key(self, key: str) -> int | None:
        if not self.text:
            return None
        if self.kind == "toml":
            header = self._first("table", key,
                                 rf"^[ \t]*\[\[?[ \t]*{re.escape(key)}[ \t]*\]")
            if header is not None:
                return self._line_of(header)
        found = self._first("key", key, self._key_pattern(key))
        return None if found is None else self._line_of(found)

    def in_section(self, name: str, loc: tuple[Any, ...]) -> int | None:
        if not self.text:
            return None
        key = next((p for p in loc if isinstance(p, str)), None)
        if self.kind == "toml":
            header = re.search(rf"^[ \t]*\[[ \t]*{name}[ \t]*\]", self.text, re.MULTILINE)
            if header is None:
                return None
            following = re.compile(r"^[ \t]*\[", re.MULTILINE).search(self.text, header.end())
            end = following.start() if following else len(self.text)
            found = self._key_in(header.start(), end, key) if key else None
            return found or self._line_of(header.start())
        return self.top_key(key or name)

    def in_table(self, name: str, index: int, loc: tuple[Any, ...]) -> int | None:
        span = self._span(name, index, None)
        if span is None:
            return None
        key = next((p for p in loc if isinstance(p, str)), None)
        found = self._key_in(span[0], span[1], key) if key else None
        return found or self._line_of(span[0])

    def in_question(self, index: int, qid: str | None, loc: tuple[Any, ...]) -> int | None:
        span = self._span("questions", index, qid)
        if span is None:
            return self.top_key("questions")
        key = next((p for p in loc if isinstance(p, str)), None)
        found = self._key_in(span[0], span[1], key) if key else None
        return found or self._line_of(span[0])

    def _id_index(self) -> tuple[dict[str, int], list[int]]:
        """Every ``id`` key of the text: (its value -> the first offset, all offsets)."""
        if self._ids is None:
            if self.kind == "json":
                pattern = r'"id"\s*:(\s*"(?:[^"\\\n]|\\.)*")?'
            else:
                pattern = r"^[ \t]*id[ \t]*=(?:[ \t]*[\"']([^\"'\n]*)[\"'])?"
            first: dict[str, int] = {}
            starts: list[int] = []
            for match in re.finditer(pattern, self.text, re.MULTILINE):
                starts.append(match.start())
                value = match.group(1)
                if value is not None and self.kind == "json":
                    try:
                        value = json.loads(value)
                    except ValueError:
                        value = None
                if isinstance(value, str):
                    first.setdefault(value, match.start())
            self._ids = first, starts
        return self._ids

    def _span(self, name: str, index: int, qid: str | None) -> tuple[int, int] | None:
        if not self.text:
            return None
        if self.kind == "toml":
            starts = self._tables(name)
            if index < len(starts):
                end = starts[index + 1] if index + 1 < len(starts) else len(self.text)
                return starts[index], end
        if qid is not None:
            first, offsets = self._id_index()
            at = first.get(qid)
            if at is not None:
                # the question runs to the next id line at most
                after = bisect.bisect_right(offsets, at)
                end = offsets[after] if after < len(offsets) else len(self.text)
                start = self.text.rfind("{", 0, at) if self.kind == "json" else -1
                return (start if start >= 0 else at), end
        return None
        if self.kind == "toml":
            starts = self._tables(name)
            if index < len(starts):
                end = starts[index + 1] if index + 1 < len(starts) else len(self.text)
                return starts[index], end
        if qid is not None:
            if self.kind == "json":
                pattern = rf'"id"\s*:\s*{re.escape(json.dumps(qid))}'
            else:
                pattern = rf"^[ \t]*id[ \t]*=[ \t]*[\"']{re.escape(qid)}[\"']"
            match = re.search(pattern, self.text, re.MULTILINE)
            if match:
                # the question runs to the next id line at most
                nxt = re.search(r'"id"\s*:' if self.kind == "json" else r"^[ \t]*id[ \t]*=",
                                self.text[match.end():], re.MULTILINE)
                end = match.end() + nxt.start() if nxt else len(self.text)
                start = self.text.rfind("{", 0, match.start()) if self.kind == "json" else -1
                return (start if start >= 0 else match.start()), end
        return None
