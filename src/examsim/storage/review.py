"""What the review screen shows of one attempt, as plain data (no Textual).

Each question of an attempt becomes a :class:`ReviewItem`: the stored answer row, the
question as the user saw it (the ``questions`` table keeps every version's stem, option
texts and key, keyed by the hash in the answer row), and the current bank question when
the bank is at hand, for the explanation, each option's why and the references. When the
bank question has changed since (another hash), the item says so and shows the version
that was answered; a why is kept only for an option whose text is still the same.

The options come in the order the exam screen showed them, lettered as shown: the answer
row keeps that order (``display``, e.g. "CADB": display A showed bank option C). Answers
stored before that was kept (schema v4) have no display order and show in bank order.
:meth:`ReviewItem.shown` turns the row's bank letters (chosen, key) into shown letters;
CSV export keeps bank letters.

A finished session scores the questions it showed only: one it never reached is
"unreached" (○ "Not reached (not counted)"), under no filter but All. A full exam scores
every question, so there an unseen one stays "Not answered".
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..core import learning
from ..core.bank import LETTERS, Bank, Question
from . import history_stats
from .history import History, HistoryError
from .records import SCORED, AnswerRow, AttemptRow, question_hash

# "unreached": a question a session never showed; it does not count (architecture.md,
# "What an attempt counts"), so it is neither wrong nor unanswered
Status = Literal["right", "partly", "wrong", "unanswered", "unreached"]
Filter = Literal["all", "wrong", "flagged", "unanswered"]
FILTERS: tuple[Filter, ...] = ("all", "wrong", "flagged", "unanswered")
STATUS_SYMBOL: dict[Status, str] = {
    "right": "✓", "partly": "◐", "wrong": "✗", "unanswered": "–", "unreached": "○",
}
STATUS_WORD: dict[Status, str] = {
    "right": "Right", "partly": "Partly right", "wrong": "Wrong", "unanswered": "Not answered",
    "unreached": "Not reached (not counted)",
}
FLAG_SYMBOL = "⚑"


@dataclass(frozen=True)
class StoredQuestion:
    hash: str
    question_id: str
    stem: str
    options: tuple[str, ...]  # option texts in bank order (A = first)
    answer: str               # key letters, e.g. "BD"


def stored_questions(history: History, hashes: Iterable[str]) -> dict[str, StoredQuestion]:
    """The stored question versions with these hashes (those not stored are left out)."""
    wanted = sorted(set(hashes))
    found: dict[str, StoredQuestion] = {}
    for start in range(0, len(wanted), 500):  # stay under SQLite's variable limit
        chunk = wanted[start:start + 500]
        rows = history._read(  # a read query beside History's own
            f"SELECT hash, question_id, stem, options, answer FROM questions "
            f"WHERE hash IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        for digest, qid, stem, options, answer in rows:
            try:
                texts = json.loads(options)
            except ValueError:
                texts = []
            if not isinstance(texts, list):
                texts = []
            found[digest] = StoredQuestion(digest, qid, stem, tuple(map(str, texts)), answer)
    return found


@dataclass(frozen=True)
class ReviewOption:
    letter: str               # the letter the exam screen showed
    bank_letter: str          # the letter in the bank file (A = first option there)
    text: str
    why: str | None
    chosen: bool
    in_key: bool
    struck: bool


@dataclass(frozen=True)
class ReviewItem:
    """One question of an attempt, ready to show."""

    row: AnswerRow
    stem: str | None                 # None: not stored and not in the bank
    options: tuple[ReviewOption, ...]  # () when unavailable
    explanation: str
    references: tuple[str, ...]
    in_bank: bool                    # the bank at hand has this question id
    changed: bool                    # ... but another version of it
    display: str = ""                # bank letters in the order shown ("" : bank order)
    remembered: bool = False         # a repeat answered right suspiciously fast
    unreached: bool = False          # a scored session never showed it: not counted

    def shown(self, bank_letters: str) -> str:
        """Bank letters (e.g. the row's chosen "BD") as the screen showed them, sorted."""
        if not self.display:
            return bank_letters
        return "".join(sorted(LETTERS[self.display.index(letter)] if letter in self.display
                              else letter for letter in bank_letters))

    @property
    def shuffled(self) -> bool:
        """The options were shown in another order than the bank file's."""
        return bool(self.display) and self.display != LETTERS[: len(self.display)]

    @property
    def position(self) -> int:
        return self.row.position

    @property
    def question_id(self) -> str:
        return self.row.question_id

    @property
    def choose(self) -> int:
        return max(1, len(self.row.answer))

    @property
    def status(self) -> Status:
        return "unreached" if self.unreached else status_of(self.row)

    @property
    def flagged(self) -> bool:
        return self.row.flagged

    def matches(self, which: Filter) -> bool:
        if which == "wrong":
            return self.status in ("wrong", "partly")
        if which == "flagged":
            return self.row.flagged
        if which == "unanswered":
            return self.status == "unanswered"
        return True

    @property
    def symbols(self) -> str:
        """Status symbol, then the flag (or a blank), e.g. "✗⚑" or "✓ "."""
        return STATUS_SYMBOL[self.status] + (FLAG_SYMBOL if self.row.flagged else " ")


def status_of(row: AnswerRow) -> Status:
    """Right, partly right (a choose-N answer with some key letters, or partial credit),
    wrong, or not answered."""
    if row.correct:
        return "right"
    if not row.chosen:
        return "unanswered"
    if len(row.answer) > 1 and (row.credit > 0 or set(row.chosen) & set(row.answer)):
        return "partly"
    return "wrong"


def review_items(
    history: History, attempt_id: int, bank: Bank | None = None
) -> tuple[AttemptRow, list[ReviewItem]]:
    """The attempt and its questions in the order asked; HistoryError when there is none."""
    attempt = history.attempt(attempt_id)
    if attempt is None:
        raise HistoryError(f"there is no attempt {attempt_id}")
    if bank is not None and bank.id != attempt.bank_id:
        bank = None  # another bank: its questions say nothing about this attempt
    rows = history.answers(attempt_id)
    stored = stored_questions(history, (row.question_hash for row in rows))
    items = [item_for(row, stored.get(row.question_hash), bank) for row in rows]
    if not attempt.full and attempt.status in SCORED:  # a session counts what it showed
        items = [dataclasses.replace(item, unreached=True)
                 if not row.seen and not row.chosen else item
                 for item, row in zip(items, rows, strict=True)]
    if any(not row.fresh and row.seen and row.correct for row in rows):
        rate = learning.fresh_rate(history_stats.seen_answers(history, attempt.bank_id))
        items = [dataclasses.replace(item, remembered=learning.remembered(
            learning.Seen(row.domain, row.fresh, row.credit, row.correct, row.answered,
                          row.seconds, row.words, row.trail, row.answer), rate))
                 if row.seen else item for item, row in zip(items, rows, strict=True)]
    return attempt, items


def item_for(row: AnswerRow, stored: StoredQuestion | None, bank: Bank | None) -> ReviewItem:
    current: Question | None = None
    if bank is not None and bank.has_question(row.question_id):
        current = bank.question(row.question_id)
    changed = current is not None and question_hash(current) != row.question_hash
    if current is not None and not changed:
        texts: Sequence[str] = [option.text for option in current.options]
    elif stored is not None:
        texts = stored.options
    else:
        texts = ()
    whys = _whys(current, texts)
    texts = list(texts[: len(LETTERS)])
    display = _display_order(row.display, len(texts))
    options = tuple(
        ReviewOption(
            letter=LETTERS[shown], bank_letter=LETTERS[index], text=texts[index],
            why=whys[index], chosen=LETTERS[index] in row.chosen,
            in_key=LETTERS[index] in row.answer, struck=LETTERS[index] in row.struck,
        )
        for shown, index in enumerate(LETTERS.index(letter) for letter in display)
    ) if texts else ()
    if current is not None and not changed:
        stem: str | None = current.stem
    else:
        stem = stored.stem if stored is not None else row.stem
    return ReviewItem(
        row=row,
        stem=stem.strip("\n") if stem else None,
        options=options,
        explanation=current.explanation.strip() if current is not None else "",
        references=current.references if current is not None else (),
        in_bank=current is not None,
        changed=changed,
        display=display if texts else "",
    )


def _display_order(stored: str | None, count: int) -> str:
    """The stored display order when it fits ``count`` options, else the bank order."""
    bank_order = LETTERS[:count]
    if stored and len(stored) == count and sorted(stored) == list(bank_order):
        return stored
    return bank_order


def _whys(current: Question | None, texts: Sequence[str]) -> list[str | None]:
    """Each shown option's why from the current question, where the option is the same."""
    if current is None:
        return [None] * len(texts)
    by_text = {" ".join(o.text.split()): o.why for o in current.options}
    return [by_text.get(" ".join(text.split())) or None for text in texts]


def counts(items: Sequence[ReviewItem]) -> dict[Filter, int]:
    return {which: sum(item.matches(which) for item in items) for which in FILTERS}
