"""Which questions an attempt gets, in which order, with which option order and time.

:func:`assemble` turns a bank and an :class:`AttemptPlan` into an :class:`Assembly`. All
randomness comes from one ``random.Random(seed)``, so the same bank, plan and seed give
the same attempt. Modes:

- ``exam``: ``questions`` (default: the bank's ``questions_per_exam``, else all) split
  across domains by weight with largest-remainder rounding; a domain with too few
  questions gives its share to the others. Timed: ``--time``, else the bank's limit
  scaled linearly to the number asked.
- ``practice``: the same selection, untimed unless ``--time``.
- ``drill``: every question matching the domain/topic filters (``questions`` caps it),
  untimed unless ``--time``.
- ``missed`` / ``flagged``: exactly ``question_ids`` (unknown ids skipped), untimed
  unless ``--time``.

Domain and topic filters apply in every mode: a question matches when its domain is one
of ``domains`` (if given) and it has one of ``topics`` (if given); both match ignoring
case. ``shuffle=False`` keeps questions and options in file order.
"""

from __future__ import annotations

import difflib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from .bank import Bank, Question

Mode = Literal["exam", "practice", "drill", "missed", "flagged"]
MODES: tuple[str, ...] = get_args(Mode)
SEED_RANGE = 2**31
MAX_TIME_MINUTES = 10_000  # the longest time limit anyone may ask for (about a week)


class AssembleError(ValueError):
    """The plan cannot be met by this bank; the message is shown to the user."""


@dataclass(frozen=True)
class AttemptPlan:
    """What the user asked for (the ``run`` options)."""

    mode: Mode = "exam"
    questions: int | None = None
    time_minutes: float | None = None
    domains: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    question_ids: tuple[str, ...] = ()
    seed: int | None = None
    shuffle: bool = True

    def __post_init__(self) -> None:
        for name in ("domains", "topics", "question_ids"):  # lists from argparse or JSON
            object.__setattr__(self, name, tuple(getattr(self, name)))


@dataclass(frozen=True)
class Assembly:
    """The attempt: question ids in order, each one's option order, time limit, seed."""

    question_ids: tuple[str, ...]
    option_orders: tuple[tuple[int, ...], ...]  # display i shows bank option order[i]
    time_limit: float | None  # seconds
    seed: int


def assemble(bank: Bank, plan: AttemptPlan) -> Assembly:
    """Pick the questions of one attempt; raises AssembleError with a user-facing reason."""
    _check_plan(plan)
    seed = plan.seed if plan.seed is not None else random.randrange(SEED_RANGE)
    rng = random.Random(seed)
    filtered = bool(plan.domains or plan.topics)
    pool: Sequence[Question] = _filtered(bank, plan) if filtered else bank.questions

    if plan.mode in ("missed", "flagged"):
        chosen = _listed(bank, plan, pool if filtered else None)
        count = len(chosen) if plan.questions is None else min(plan.questions, len(chosen))
        if count < len(chosen):
            chosen = rng.sample(chosen, count) if plan.shuffle else chosen[:count]
    elif plan.mode == "drill":
        count = len(pool) if plan.questions is None else min(plan.questions, len(pool))
        chosen = rng.sample(pool, count)
    else:
        full = bank.settings.questions_per_exam or len(bank.questions)
        count = min(plan.questions or full, len(pool))
        chosen = _by_weight(bank, pool, count, rng, filtered)

    if plan.shuffle:
        rng.shuffle(chosen)
    elif plan.mode not in ("missed", "flagged"):
        position = {id(q): i for i, q in enumerate(bank.questions)}
        chosen.sort(key=lambda q: position[id(q)])

    orders = tuple(_option_order(q, rng, plan.shuffle) for q in chosen)
    return Assembly(
        question_ids=tuple(q.id for q in chosen),
        option_orders=orders,
        time_limit=_time_limit(bank, plan, len(chosen)),
        seed=seed,
    )


def _check_plan(plan: AttemptPlan) -> None:
    if plan.mode not in MODES:
        raise AssembleError(f"unknown mode {plan.mode!r}; modes are {', '.join(MODES)}")
    if plan.questions is not None and plan.questions < 1:
        raise AssembleError(f"--questions must be at least 1, not {plan.questions}")
    if plan.time_minutes is not None and not plan.time_minutes > 0:
        raise AssembleError(f"--time must be more than 0 minutes, not {plan.time_minutes:g}")
    if plan.time_minutes is not None and plan.time_minutes > MAX_TIME_MINUTES:
        raise AssembleError(f"--time must be at most {MAX_TIME_MINUTES} minutes, "
                            f"not {plan.time_minutes:g}")


def _filtered(bank: Bank, plan: AttemptPlan) -> list[Question]:
    """The bank's questions that pass the domain and topic filters (file order)."""
    domains = _resolve(plan.domains, _domain_ids(bank), "domain", "domains")
    topics = _resolve(plan.topics, _topics(bank), "topic", "topics")
    pool = [
        q for q in bank.questions
        if (not domains or q.domain in domains)
        and (not topics or not topics.isdisjoint(q.topics))
    ]
    if not pool:
        raise AssembleError(f"no question is {_describe(plan)}")
    return pool


def _resolve(asked: Sequence[str], known: list[str], noun: str, plural: str) -> set[str]:
    """Map the asked names onto the bank's spelling (case-insensitive); error on unknowns."""
    by_fold = {name.casefold(): name for name in known}
    found: set[str] = set()
    for name in asked:
        match = by_fold.get(name.casefold())
        if match is None:
            if not known:
                raise AssembleError(f"no question has a {noun}, so {name!r} matches nothing")
            near = nearest(name, known)
            hint = f"; did you mean {near!r}?" if near else ""
            raise AssembleError(
                f"no question has {noun} {name!r}{hint} ({plural} are {', '.join(known)})"
            )
        found.add(match)
    return found


def nearest(name: str, known: Sequence[str]) -> str | None:
    """The known name closest to ``name`` (case-insensitive): one that contains it or is
    contained in it first, else the most similar spelling; None when nothing is close."""
    folded = name.casefold().strip()
    if not folded:
        return None
    by_fold = {k.casefold(): k for k in known}
    within = [k for f, k in by_fold.items() if folded in f or f in folded]
    if within:
        return min(within, key=lambda k: abs(len(k) - len(name)))
    close = difflib.get_close_matches(folded, list(by_fold), n=1, cutoff=0.5)
    return by_fold[close[0]] if close else None


def _domain_ids(bank: Bank) -> list[str]:
    if bank.domains:
        return bank.domain_ids
    return _unique(q.domain for q in bank.questions if q.domain is not None)


def _topics(bank: Bank) -> list[str]:
    return sorted(_unique(t for q in bank.questions for t in q.topics), key=str.casefold)


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _describe(plan: AttemptPlan) -> str:
    parts = []
    if plan.domains:
        parts.append("in domain " + " or ".join(repr(d) for d in plan.domains))
    if plan.topics:
        parts.append("on topic " + " or ".join(repr(t) for t in plan.topics))
    return " and ".join(parts)


def _listed(
    bank: Bank, plan: AttemptPlan, pool: Sequence[Question] | None
) -> list[Question]:
    """The plan's question ids that exist (and are in ``pool``), first occurrence kept."""
    allowed = None if pool is None else {q.id for q in pool}
    chosen = [
        bank.question(qid) for qid in _unique(plan.question_ids)
        if bank.has_question(qid) and (allowed is None or qid in allowed)
    ]
    if not chosen:
        what = "missed" if plan.mode == "missed" else "flagged"
        if not plan.question_ids:
            raise AssembleError(f"there are no {what} questions to ask")
        raise AssembleError(f"none of the {len(_unique(plan.question_ids))} {what} "
                            "questions is in this bank" + (
                                f" {_describe(plan)}" if plan.domains or plan.topics else ""))
    return chosen


def _by_weight(
    bank: Bank, pool: Sequence[Question], count: int, rng: random.Random, filtered: bool
) -> list[Question]:
    """``count`` questions of ``pool``, split across the bank's domains by weight."""
    if not bank.domains or count == len(pool):
        return rng.sample(pool, count)
    groups: dict[str, Sequence[Question]]
    if filtered:
        groups = {d.id: [q for q in pool if q.domain == d.id] for d in bank.domains}
    else:  # the whole bank: its own grouping, without a pass over every question
        groups = {d.id: bank.questions_in(d.id) for d in bank.domains}
    weights = {d.id: d.weight for d in bank.domains if groups[d.id]}
    shares = apportion(count, weights, {k: len(groups[k]) for k in weights})
    chosen: list[Question] = []
    for key, share in shares.items():
        chosen.extend(rng.sample(groups[key], share))
    return chosen


def apportion(count: int, weights: dict[str, float], capacity: dict[str, int]) -> dict[str, int]:
    """Split ``count`` by ``weights`` (largest remainder), never above ``capacity``.

    A key whose share exceeds its capacity gets its capacity and the rest is split again
    among the others. ``count`` must not exceed the total capacity.
    """
    shares: dict[str, int] = {}
    active = dict(weights)
    left = count
    while active and left > 0:
        split = largest_remainder(left, active)
        over = [key for key, share in split.items() if share > capacity[key]]
        if not over:
            shares.update(split)
            break
        for key in over:
            shares[key] = capacity[key]
            left -= capacity[key]
            del active[key]
    return {key: shares.get(key, 0) for key in weights}


def largest_remainder(count: int, weights: dict[str, float]) -> dict[str, int]:
    """Hamilton's method: floors of the exact quotas, then +1 for the largest remainders.

    Ties go to the earlier key, so the split is deterministic.
    """
    total = sum(weights.values())
    quotas = {key: count * weight / total for key, weight in weights.items()}
    shares = {key: int(quota) for key, quota in quotas.items()}
    spare = count - sum(shares.values())
    order = sorted(quotas, key=lambda key: shares[key] - quotas[key])  # stable: file order
    for key in order[:spare]:
        shares[key] += 1
    return shares


def _option_order(question: Question, rng: random.Random, shuffle: bool) -> tuple[int, ...]:
    order = list(range(len(question.options)))
    if shuffle:
        rng.shuffle(order)
    return tuple(order)


def _time_limit(bank: Bank, plan: AttemptPlan, count: int) -> float | None:
    """Seconds: --time, else (exam only) the bank's limit scaled to the number asked."""
    if plan.time_minutes is not None:
        return plan.time_minutes * 60.0
    if plan.mode != "exam" or bank.settings.time_limit is None:
        return None
    full = bank.settings.questions_per_exam or len(bank.questions)
    return bank.settings.time_limit * 60.0 * count / full
