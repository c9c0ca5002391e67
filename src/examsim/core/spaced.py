"""Spaced review of questions with FSRS (the ``fsrs`` package): pure rules, no storage.

Every (bank, question) the user has *seen* has a card. Each seen answer of a finished
attempt (and each practice check) reviews it once, with a rating from the answer:

- wrong or unanswered -> Again; right with confidence "guessing" -> Hard; right -> Good.

The scheduler has no learning or relearning steps and no fuzzing (deterministic): every
review moves the card to FSRS's review state with an interval of whole days, at least
one, so a question answered right is never due before tomorrow. A question answered
wrong is due again at once (its due time is set to the review time), so it is due the
same day: right after an exam, the due questions are exactly its wrong and unanswered
seen ones. Cards are stored as FSRS's own dict (JSON) with times in UTC.

A card whose question changed in the bank (another fingerprint) starts afresh.
``learned``: answered right three times in a row, each at least three days after the
previous review. A domain's ``recall`` is read only from cards last reviewed at least
``RECALL_AFTER`` (a day) before: minutes after a review FSRS predicts ~100% whatever the
answer was (right after wrong answers it read "recall 100%" beside 0% accuracy), which
says nothing of memory. The day's end and the order of the due questions (``end_of_day``,
``interleave``) are in core/due.py, which does not import fsrs.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
LEARNED_RUN = 3                       # right answers in a row
LEARNED_GAP = timedelta(days=3)       # at least this long between them
RECALL_AFTER = timedelta(days=1)      # recall is read from cards reviewed this long ago
CARD_ID = 1  # every card gets the same id: fsrs would otherwise sleep 1 ms per new card


@dataclass(frozen=True)
class Reviewed:
    """A card after one review: its FSRS dict as JSON, and when it is due next (UTC)."""

    card: str
    due: datetime
    rating: int


def rating(correct: bool, confidence: int | None) -> Rating:
    """The FSRS rating of one seen answer (wrong or unanswered: ``correct`` False)."""
    if not correct:
        return Rating.Again
    if confidence == 3:
        return Rating.Hard
    return Rating.Good


def review(card_json: str | None, rated: Rating, when: datetime) -> Reviewed:
    """Review a card (None or damaged JSON: a new one) at ``when`` (aware, any zone)."""
    moment = when.astimezone(UTC)
    card = _card(card_json)
    card, _ = SCHEDULER.review_card(card, rated, moment)
    if rated == Rating.Again:
        card.due = moment  # due again at once: the same day
    return Reviewed(json.dumps(card.to_dict()), card.due, int(rated))


def retrievability(card_json: str, now: datetime) -> float:
    """FSRS's predicted probability of recalling the card's question at ``now`` (0..1)."""
    card = _card(card_json)
    return float(SCHEDULER.get_card_retrievability(card, now.astimezone(UTC)))


def settled_recall(card_json: str, now: datetime) -> float | None:
    """The card's predicted recall at ``now`` when its last review is at least
    ``RECALL_AFTER`` old; None when it is more recent (or the card was never reviewed)."""
    card = _card(card_json)
    moment = now.astimezone(UTC)
    if card.last_review is None or moment - card.last_review < RECALL_AFTER:
        return None
    return float(SCHEDULER.get_card_retrievability(card, moment))


def _card(card_json: str | None) -> Card:
    if card_json:
        try:
            data = json.loads(card_json)
            card = Card.from_dict(data)
            card.card_id = CARD_ID
            return card
        except (ValueError, TypeError, KeyError):
            pass
    return Card(card_id=CARD_ID)


def learned(reviews: Iterable[tuple[datetime, bool]]) -> bool:
    """Whether the newest ``LEARNED_RUN`` reviews (time, right) in time order were all
    right, each at least ``LEARNED_GAP`` after the one before."""
    recent = list(reviews)[-LEARNED_RUN:]
    if len(recent) < LEARNED_RUN or not all(right for _, right in recent):
        return False
    return all(later - earlier >= LEARNED_GAP
               for (earlier, _), (later, _) in itertools.pairwise(recent))


@dataclass(frozen=True)
class DomainMemory:
    """What spaced review knows of one domain: mean predicted recall of its cards last
    reviewed a day or more ago, and how many of its questions are learned, seen (have a
    card) and in the bank."""

    key: str | None
    recall: float | None  # mean FSRS retrievability now of the cards reviewed >= a day ago
    # (0..1); None when there is no such card
    learned: int
    seen: int
    total: int | None  # questions of the domain in the bank; None when the bank is unknown


def memory(
    cards: Iterable[tuple[str, str | None, str]],
    reviews: dict[str, list[tuple[datetime, bool]]],
    now: datetime,
    totals: dict[str | None, int] | None = None,
) -> list[DomainMemory]:
    """Per domain, from (question id, domain, card JSON): recall (over the cards last
    reviewed a day or more ago: ``settled_recall``), learned, seen, total. Domains are in
    ``totals`` order when given (then by name), each listed once."""
    recall: dict[str | None, list[float]] = {}
    seen: dict[str | None, int] = {}
    learned_count: dict[str | None, int] = {}
    for qid, domain, card in cards:
        seen[domain] = seen.get(domain, 0) + 1
        if (value := settled_recall(card, now)) is not None:
            recall.setdefault(domain, []).append(value)
        learned_count[domain] = learned_count.get(domain, 0) + learned(reviews.get(qid, []))
    keys = list(totals or {})
    keys += sorted((k for k in seen if k not in keys), key=lambda k: k or "")
    return [
        DomainMemory(
            key,
            sum(recall[key]) / len(recall[key]) if recall.get(key) else None,
            learned_count.get(key, 0),
            seen.get(key, 0),
            None if totals is None else totals.get(key, 0),
        )
        for key in keys
    ]
