"""core/frozen.py: a Frozen class behaves as the frozen dataclass it replaced."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from examsim.core.frozen import Frozen, _set
from examsim.core.session import DisplayOption, Outcome, QuestionView, Unsaved


@dataclasses.dataclass(frozen=True)
class AsDataclass:
    a: int
    b: tuple[str, ...]
    c: str = ""


class AsFrozen(Frozen):
    __slots__ = __match_args__ = ("a", "b", "c")
    a: int
    b: tuple[str, ...]
    c: str

    def __init__(self, a: int, b: tuple[str, ...], c: str = "") -> None:
        _set(self, "a", a)
        _set(self, "b", b)
        _set(self, "c", c)


def test_equality_hash_and_repr_are_those_of_the_dataclass() -> None:
    ours, theirs = AsFrozen(1, ("x",)), AsDataclass(1, ("x",))
    assert ours == AsFrozen(a=1, b=("x",), c="") and ours != AsFrozen(1, ("x",), "y")
    assert ours != theirs and (ours == (1, ("x",), "")) is False
    assert hash(ours) == hash(theirs) == hash((1, ("x",), ""))
    assert repr(ours).replace("AsFrozen", "") == repr(theirs).replace("AsDataclass", "")
    assert repr(ours) == "AsFrozen(a=1, b=('x',), c='')"
    assert AsFrozen.__match_args__ == AsDataclass.__match_args__
    match ours:
        case AsFrozen(1, b, c=""):
            assert b == ("x",)
        case _:
            pytest.fail("no match")


def test_it_is_frozen_and_copies_and_pickles_by_value() -> None:
    ours = AsFrozen(1, ("x",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        ours.a = 2  # type: ignore[misc]  # refused: that is what is tested
    with pytest.raises(dataclasses.FrozenInstanceError):
        del ours.a  # type: ignore[misc]  # refused: that is what is tested
    with pytest.raises(AttributeError):
        ours.__dict__  # noqa: B018  # slots: no dict
    for other in (pickle.loads(pickle.dumps(ours)), copy.copy(ours), copy.deepcopy(ours)):
        assert other == ours and other is not ours


def test_the_session_values_keep_their_dataclass_signatures() -> None:
    assert Outcome(True) == Outcome(ok=True, reason="")
    assert repr(Outcome(False, "no")) == "Outcome(ok=False, reason='no')"
    option = DisplayOption(0, "A", "B", "text", None, chosen=True, struck=False, in_key=True)
    assert option.bank_letter == "B" and hash(option) == hash(
        (0, "A", "B", "text", None, True, False, True))
    unsaved = Unsaved({"index": 1}, (), frozenset())
    with pytest.raises(TypeError):  # a dict field: unhashable, as the dataclass was
        hash(unsaved)
    assert QuestionView.__match_args__[-1] == "note"
