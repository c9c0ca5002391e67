"""A cheap stand-in for ``@dataclass(frozen=True)`` on the way to question 1.

Defining a frozen dataclass compiles each generated method (``__init__``, ``__eq__``,
``__hash__``, ``__repr__``, ``__setattr__``, ``__delattr__``) at import: about 1 ms for
ten fields, paid by every start (docs/performance.md, session 7). A class on the start
path derives from :class:`Frozen` instead, lists its fields in ``__slots__`` and
``__match_args__`` (the same tuple, in the order of its ``__init__``) and writes its
``__init__`` by hand, filling the slots with ``_set``. It then behaves as the frozen
dataclass did: equal to an object of its own class with equal fields, hashable by the
tuple of its fields, ``Name(field=value, ...)`` as repr, ``FrozenInstanceError`` on an
assignment, positional and keyword construction, ``match`` by position; it pickles and
copies by value. ``dataclasses.replace``, ``asdict`` and ``fields`` do not apply: a
class used with them stays a dataclass.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any, ClassVar

_set = object.__setattr__  # how an __init__ fills the slots of a frozen object


class Frozen:
    """The base of the start path's value classes (see the module's docstring)."""

    __slots__ = ()
    __match_args__: ClassVar[tuple[str, ...]] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.__match_args__])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            assert isinstance(other, Frozen)
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
        return f"{type(self).__qualname__}({fields})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), self._values()
