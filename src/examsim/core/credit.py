"""What one answer earns: the rule of a question's credit (core/scoring.py scores an
attempt with it).

A question earns 1 when the chosen letters are exactly the key, else 0; with
``partial_credit`` a "choose N" question earns ``max(0, right picks - wrong picks) / N``.
Its own module so that a running session and its autosave (which store each answer's
credit) need none of the scoring of a whole attempt, imported when one is scored.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .bank import Question


def credit(question: Question, chosen: Iterable[str], partial: bool = False) -> float:
    """The share of a point that ``chosen`` (bank letters) earns on ``question``."""
    picks = set(chosen)
    key = set(question.answer)
    if picks == key:
        return 1.0
    if not partial or question.choose == 1:
        return 0.0
    right = len(picks & key)
    return max(0, right - len(picks - key)) / question.choose
