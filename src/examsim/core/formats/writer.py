"""Turn importer results into one native bank: ids, validation, readable TOML.

Each imported question is validated alone against the bank model first; one that fails
(9 options, two identical options, an empty option...) is skipped with the reason the
model gives, so the written bank always loads. Ids come from the source's id or title
(``Jesus' hometown`` -> ``jesus-hometown``), else from the question's position
(``q-001``), made unique with ``-2``, ``-3``.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from typing import Any

import tomli_w

from ..errors import BankError
from .common import Imported, ImportResult, Skipped, Where, drop_controls, slug
from .native import validate


@dataclass
class Built:
    """The bank to write, and what was kept and skipped, each with its file."""

    data: dict[str, Any]
    kept: list[tuple[str, Imported]] = field(default_factory=list)
    skipped: list[tuple[str, Skipped]] = field(default_factory=list)


def build(
    sources: list[tuple[str, ImportResult]],
    bank_id: str,
    title: str | None = None,
    domain: str | None = None,
    description: str = "",
) -> Built:
    """One bank from the results of several files; questions in file order."""
    settings: dict[str, Any] = {"id": bank_id}
    title, _ = drop_controls(title)
    description, _ = drop_controls(description)
    if title and title.strip():  # a blank title is no title (the model refuses it)
        settings["title"] = title.strip()
    if description:
        settings["description"] = description
    built = Built({"bank": settings, "questions": []})
    used: set[str] = set()
    for file, result in sources:
        for skipped in result.skipped:
            built.skipped.append((file, skipped))
        for imported in result.questions:
            data, dropped = drop_controls(dict(imported.question))
            if dropped:
                result.note(imported.where, f"control characters dropped: {', '.join(dropped)}")
            if domain and not data.get("domain"):
                data["domain"] = domain
            reason = problem(data, file)
            if reason:
                built.skipped.append((file, Skipped(imported.where, reason)))
                continue
            data = {"id": _unique(_id(imported), used), **data}
            if len(data["answer"]) == 1:
                data["answer"] = data["answer"][0]
            built.data["questions"].append(data)
            built.kept.append((file, imported))
    built.skipped.sort(key=lambda pair: _order(pair, [f for f, _ in sources]))
    return built


def problem(data: dict[str, Any], file: str) -> str | None:
    """Why the bank model refuses this question, or None when it is valid."""
    try:
        validate({"questions": [{"id": "q", **data}]}, file)
    except BankError as exc:
        return "; ".join(_reason(p.field, p.message) for p in exc.problems)
    return None


def _reason(field: str | None, message: str) -> str:
    """``option E: must not be empty``; the field left out when the message names it."""
    field = (field or "").removesuffix(".text")
    if not field or message.startswith(field):
        return message
    return f"{field}: {message}"


def _id(imported: Imported) -> str:
    hint = slug(imported.id_hint) if imported.id_hint else ""
    return hint or f"q-{imported.where.number or 0:03d}"


def _unique(wanted: str, used: set[str]) -> str:
    candidate, n = wanted, 1
    while candidate in used:
        n += 1
        candidate = f"{wanted}-{n}"
    used.add(candidate)
    return candidate


def _order(pair: tuple[str, Skipped], files: list[str]) -> tuple[int, int, int]:
    file, skipped = pair
    where: Where = skipped.where
    return files.index(file) if file in files else 0, where.line or 0, where.number or 0


def _value(value: Any) -> str:
    """One TOML value; text with newlines as a \"\"\" string, lists on one line."""
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    return tomli_w.dumps({"v": value}, multiline_strings=True)[len("v = "):].rstrip("\n")


def _question_toml(data: dict[str, Any]) -> str:
    lines = ["[[questions]]"]
    for key, value in data.items():
        if key == "options":
            lines.append("options = [")
            lines.extend(f"    {_value(item)}," for item in value)
            lines.append("]")
        else:
            lines.append(f"{key} = {_value(value)}")
    return "\n".join(lines) + "\n"


def dumps(data: dict[str, Any], kind: str = "toml", header: str = "") -> str:
    """The bank as TOML (multi-line text as ``\"\"\"`` strings) or JSON; checked to
    read back as the same data and to load as a valid bank."""
    if kind == "json":
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        back = json.loads(text)
    else:
        comment = "".join(f"# {line}\n" for line in header.splitlines())
        parts = [tomli_w.dumps({"bank": data["bank"]}, multiline_strings=True)]
        parts.extend(_question_toml(q) for q in data["questions"])
        text = comment + "\n".join(parts)
        back = tomllib.loads(text)
    if back != data:  # pragma: no cover - tomli-w round-trips; a guard, not a branch
        raise RuntimeError("the bank did not read back as written")
    validate(back, "<imported bank>", text, kind)
    return text
