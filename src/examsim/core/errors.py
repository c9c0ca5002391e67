"""Problems found in a bank file, each one line a user can act on."""

from __future__ import annotations

from .frozen import Frozen, _set


class Problem(Frozen):
    """One problem: where it is and what is wrong.

    Formats as ``FILE:LINE: question ID (#N): FIELD: MESSAGE``, leaving out what is
    unknown, like a compiler's error line; with a ``kind`` (``error``, ``warning``,
    ``note``: how ``validate`` reports every finding) as
    ``FILE:LINE: KIND: question ID (#N): FIELD: MESSAGE``.
    """

    __slots__ = __match_args__ = (
        "file", "message", "line", "question", "number", "field", "kind")
    file: str
    message: str
    line: int | None
    question: str | None
    number: int | None
    field: str | None
    kind: str | None

    def __init__(self, file: str, message: str, line: int | None = None,
                 question: str | None = None, number: int | None = None,
                 field: str | None = None, kind: str | None = None) -> None:
        _set(self, "file", file)
        _set(self, "message", message)
        _set(self, "line", line)
        _set(self, "question", question)
        _set(self, "number", number)
        _set(self, "field", field)
        _set(self, "kind", kind)

    def with_kind(self, kind: str | None) -> Problem:
        """The same problem with ``kind`` (what ``dataclasses.replace`` gave)."""
        return Problem(self.file, self.message, self.line, self.question, self.number,
                       self.field, kind)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.kind:
            parts.append(self.kind)
        if self.question is not None and self.number is not None:
            parts.append(f"question {self.question} (#{self.number})")
        elif self.question is not None:
            parts.append(f"question {self.question}")
        elif self.number is not None:
            parts.append(f"question #{self.number}")
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class BankError(Exception):
    """A bank file that cannot be used; holds every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("BankError needs at least one problem")
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, file: str, message: str, line: int | None = None) -> BankError:
        return cls([Problem(file=file, message=message, line=line)])
