"""Scoring one attempt: raw credit, percent, scaled score, pass/fail, per domain and topic.

A question earns 1 when the chosen letters are exactly the key, else 0; unanswered
counts as wrong. With ``partial_credit`` a "choose N" question earns
``max(0, right picks - wrong picks) / N`` instead.

What counts (docs/architecture.md, "What an attempt counts"):

- A *full exam* (exam mode on the bank's whole blueprint, see
  ``assemble.is_full_exam``) scores every question of the attempt, seen or not: a
  question never reached is unanswered and wrong, as on the real exam. It gets the pass
  rule: the bank's scaled score (``scaled = min + (max - min) * correct / total``,
  rounded half up, passed when ``scaled >= pass``) or its ``pass_percent`` (70 when the
  bank sets neither).
- Any other attempt is a *session*: it is scored over the questions seen (shown on
  screen) only, and has no verdict: ``scaled`` and ``passed`` are None.

``unanswered`` counts the scored questions with no letter chosen: a "choose N" question
with fewer than N letters is answered, and scored as given (the exam screen names it
"partly answered" before the end: ``ExamSession.partly_answered``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .bank import Bank
from .credit import credit as credit  # re-exported: the rule of one question lives there

DEFAULT_PASS_PERCENT = 70.0


@dataclass(frozen=True)
class AnswerRecord:
    """What the user did with one question; letters are bank letters (e.g. "BD")."""

    question_id: str
    chosen: str = ""
    struck: str = ""
    flagged: bool = False
    confidence: int | None = None
    seconds: float = 0.0
    changes: int = 0
    seen: bool = True  # shown on screen at least once
    trail: str = ""  # complete answers given in order, ">" between: "B>C"
    scored: bool = True  # False: drawn as unscored (a full exam's; never counted)
    note: str = ""  # the scratchpad note (not scored; carried to the stored answer)


@dataclass(frozen=True)
class QuestionResult:
    position: int
    question_id: str
    domain: str | None
    topics: tuple[str, ...]
    chosen: str  # bank letters, sorted, e.g. "BD"; "" = none
    answer: str
    struck: str
    correct: bool
    credit: float  # 1.0 or 0.0; a share with partial_credit
    flagged: bool
    confidence: int | None
    seconds: float
    changes: int
    seen: bool = True
    trail: str = ""  # complete answers given in order, ">" between: "B>C"
    scored: bool = True  # False: an unscored question (counts in stats, not the score)
    note: str = ""  # the scratchpad note (not scored)

    @property
    def answered(self) -> bool:
        return bool(self.chosen)


@dataclass(frozen=True)
class Breakdown:
    key: str
    label: str
    attempted: int
    correct: float
    percent: float


@dataclass(frozen=True)
class Result:
    total: int  # the questions scored: all of a full exam, the seen ones of a session
    correct: float
    percent: float
    scaled: int | None  # None: no scaled score (the bank has none, or a session)
    passed: bool | None  # None: a session, which has no verdict
    pass_label: str  # e.g. "750/1000" or "70%"; "" for a session
    per_domain: tuple[Breakdown, ...]  # over the questions scored
    per_topic: tuple[Breakdown, ...]
    questions: tuple[QuestionResult, ...]  # every question of the attempt, seen or not
    full: bool = True  # a full exam (see the module's docstring)
    seen: int = 0  # questions shown on screen
    unanswered: int = 0  # scored questions with no letter chosen
    unscored: int = 0  # questions drawn as unscored (not in total, percent, domains)
    unscored_correct: float = 0.0  # their credit, shown after the end

    @property
    def count(self) -> int:
        """Questions in the attempt (scored or not)."""
        return len(self.questions)


def score(bank: Bank, records: Iterable[AnswerRecord], full: bool = True) -> Result:
    """Score answer records given in attempt order (position 0, 1, ...); ``full``: a full
    exam (every question scored, with the pass rule), else a session (the seen ones)."""
    partial = bank.settings.partial_credit
    rows = []
    for position, record in enumerate(records):
        question = bank.question(record.question_id)
        chosen = _letters(record.chosen)
        earned = credit(question, chosen, partial)
        rows.append(QuestionResult(
            position=position,
            question_id=question.id,
            domain=question.domain,
            topics=question.topics,
            chosen=chosen,
            answer="".join(question.answer),
            struck=_letters(record.struck),
            correct=chosen == "".join(question.answer),
            credit=earned,
            flagged=record.flagged,
            confidence=record.confidence,
            seconds=record.seconds,
            changes=record.changes,
            seen=record.seen,
            trail=record.trail,
            scored=record.scored,
            note=record.note,
        ))
    scored = [row for row in rows if row.scored and (full or row.seen)]
    total = len(scored)
    correct = sum(row.credit for row in scored)
    percent = _percent(correct, total)
    scaled: int | None = None
    passed: bool | None = None
    label = ""
    if full:
        scaled, passed, label = _pass_rule(bank, correct, total, percent)
    return Result(
        total=total,
        correct=correct,
        percent=percent,
        scaled=scaled,
        passed=passed,
        pass_label=label,
        per_domain=_per_domain(bank, scored),
        per_topic=_per_topic(scored),
        questions=tuple(rows),
        full=full,
        seen=sum(row.seen for row in rows),
        unanswered=sum(not row.answered for row in scored),
        unscored=sum(not row.scored for row in rows),
        unscored_correct=sum(row.credit for row in rows if not row.scored),
    )


def pass_percent(bank: Bank) -> float:
    """The pass mark as a percent of questions right: the scaled pass mark's share of the
    scale, else the bank's pass_percent, else DEFAULT_PASS_PERCENT."""
    rule = bank.settings.scaled_score
    if rule is not None:
        return 100.0 * (rule.pass_mark - rule.min) / (rule.max - rule.min)
    needed = bank.settings.pass_percent
    return DEFAULT_PASS_PERCENT if needed is None else needed


def scaled_score(low: int, high: int, correct: float, total: int) -> int:
    """``low + (high - low) * correct / total``, rounded half up."""
    if total == 0:
        return low
    return math.floor(low + (high - low) * correct / total + 0.5)


def _pass_rule(
    bank: Bank, correct: float, total: int, percent: float
) -> tuple[int | None, bool, str]:
    rule = bank.settings.scaled_score
    if rule is not None:
        scaled = scaled_score(rule.min, rule.max, correct, total)
        return scaled, total > 0 and scaled >= rule.pass_mark, f"{rule.pass_mark}/{rule.max}"
    needed = bank.settings.pass_percent
    if needed is None:
        needed = DEFAULT_PASS_PERCENT
    return None, total > 0 and percent >= needed, f"{needed:g}%"


def _letters(letters: Iterable[str]) -> str:
    return "".join(sorted(set(letters)))


def _percent(correct: float, attempted: int) -> float:
    return 100.0 * correct / attempted if attempted else 0.0


def _per_domain(bank: Bank, rows: list[QuestionResult]) -> tuple[Breakdown, ...]:
    """One line per domain asked, in the bank's domain order; none for domain-less banks."""
    order = {domain_id: i for i, domain_id in enumerate(bank.domain_ids)}
    groups = _group((row.domain, row) for row in rows if row.domain is not None)
    keys = sorted(groups, key=lambda key: order.get(key, len(order)))  # stable
    return tuple(_breakdown(key, bank.domain_label(key), groups[key]) for key in keys)


def _per_topic(rows: list[QuestionResult]) -> tuple[Breakdown, ...]:
    """One line per topic asked, sorted by name; a question counts for each of its topics."""
    groups = _group((topic, row) for row in rows for topic in dict.fromkeys(row.topics))
    return tuple(_breakdown(key, key, groups[key]) for key in sorted(groups, key=str.casefold))


def _group(pairs: Iterable[tuple[str, QuestionResult]]) -> dict[str, list[QuestionResult]]:
    groups: dict[str, list[QuestionResult]] = {}
    for key, row in pairs:
        groups.setdefault(key, []).append(row)
    return groups


def _breakdown(key: str, label: str, rows: list[QuestionResult]) -> Breakdown:
    correct = sum(row.credit for row in rows)
    return Breakdown(key, label, len(rows), correct, _percent(correct, len(rows)))
