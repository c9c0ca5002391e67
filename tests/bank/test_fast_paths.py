"""The validators' fast paths give exactly what the plain rules give."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examsim.core.bank import LETTERS
from examsim.core.bank_model import _UPPER, _squeezed


def plain_squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("text", [
    "", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "a\u00a0b", "a\u2003b",
    "a\x1cb", "a\x85b", "a\u2028b", "Use S3", "Use  S3 ", "\ttab", "é  è", "x\r\ny",
])
def test_squeezed_matches_split_join(text: str) -> None:
    assert _squeezed(text) == plain_squeeze(text)


@given(st.text(alphabet=st.sampled_from("ab \t\n\r\x0b\x0c\x1c\x85\u00a0\u2003\u3000é")))
def test_squeezed_matches_split_join_on_any_text(text: str) -> None:
    assert _squeezed(text) == plain_squeeze(text)


def test_answer_letters_are_exactly_those_whose_upper_is_a_letter() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        plain = char.upper() in LETTERS  # the rule: len(letter) == 1 and upper() in LETTERS
        assert (char in _UPPER) == plain, repr(char)
        if plain:
            assert _UPPER[char] == char.upper()
