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
- ``due``: exactly ``question_ids`` in the order given (spaced review: most overdue
  first, interleaved across domains; see core/spaced.py), untimed unless ``--time``.

Domain and topic filters apply in every mode: a question matches when its domain is one
of ``domains`` (if given) and it has one of ``topics`` (if given); both match ignoring
case. ``shuffle=False`` keeps questions and options in file order.
"""

from __future__ import annotations

import difflib
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from .bank import Bank, Question
from .frozen import Frozen, _set
from .limits import MAX_TIME_MINUTES as MAX_TIME_MINUTES  # re-exported: --time's bound

Mode = Literal["exam", "practice", "drill", "missed", "flagged", "due"]
EndReason = Literal["submitted", "time_up"]  # how an attempt ended (session, snapshot)
LISTED: tuple[str, ...] = ("missed", "flagged", "due")  # modes that ask given ids
MODES: tuple[str, ...] = get_args(Mode)
SEED_RANGE = 2**31


def mode_noun(mode: str) -> str:
    """What the screens call an attempt of ``mode`` while it runs: "exam" in exam mode,
    "session" in every other (practice, drill, missed, flagged, due): "End the session?"."""
    return "exam" if mode == "exam" else "session"


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
    prefer_fresh: bool = False  # unseen questions first, then the least recently seen
    unscored: int | None = None  # --unscored N; None: the bank's setting (full exams)
    extra_minutes: float = 0.0  # --extra-time: an accommodation added to the time limit
    strict: bool = False  # --strict: the clock runs on while examsim is closed

    def __post_init__(self) -> None:
        for name in ("domains", "topics", "question_ids"):  # lists from argparse or JSON
            object.__setattr__(self, name, tuple(getattr(self, name)))


class Assembly(Frozen):
    """The attempt: question ids in order, each one's option order, time limit, seed."""

    __slots__ = __match_args__ = (
        "question_ids", "option_orders", "time_limit", "seed", "unscored")
    question_ids: tuple[str, ...]
    option_orders: tuple[tuple[int, ...], ...]  # display i shows bank option order[i]
    time_limit: float | None  # seconds (extra time included)
    seed: int
    unscored: tuple[str, ...]  # ids drawn as unscored (a full exam's, by default)

    def __init__(self, question_ids: tuple[str, ...],
                 option_orders: tuple[tuple[int, ...], ...], time_limit: float | None,
                 seed: int, unscored: tuple[str, ...] = ()) -> None:
        _set(self, "question_ids", question_ids)
        _set(self, "option_orders", option_orders)
        _set(self, "time_limit", time_limit)
        _set(self, "seed", seed)
        _set(self, "unscored", unscored)


def assemble(
    bank: Bank, plan: AttemptPlan, recency: Mapping[str, int] | None = None
) -> Assembly:
    """Pick the questions of one attempt; raises AssembleError with a user-facing reason.

    With ``plan.prefer_fresh``, ``recency`` (question id -> when it was last seen, any
    increasing number such as the attempt id; absent: never seen) orders each domain's
    candidates: unseen first, then the least recently seen, ties at random; the domain
    shares stay those of the weights (exam, practice and drill modes)."""
    _check_plan(plan)
    seed = plan.seed if plan.seed is not None else random.randrange(SEED_RANGE)
    rng = random.Random(seed)
    filtered = bool(plan.domains or plan.topics)
    pool: Sequence[Question] = _filtered(bank, plan) if filtered else bank.questions

    if plan.mode in LISTED:
        chosen = _listed(bank, plan, pool if filtered else None)
        count = len(chosen) if plan.questions is None else min(plan.questions, len(chosen))
        if count < len(chosen):
            chosen = rng.sample(chosen, count) if plan.shuffle else chosen[:count]
    elif plan.mode == "drill":
        count = len(pool) if plan.questions is None else min(plan.questions, len(pool))
        chosen = _pick(pool, count, rng, plan, recency)
    else:
        full = bank.settings.questions_per_exam or len(bank.questions)
        count = min(plan.questions or full, len(pool))
        chosen = _by_weight(bank, pool, count, rng, filtered, plan, recency)

    if plan.shuffle and plan.mode != "due":  # due keeps its order (most overdue first)
        rng.shuffle(chosen)
    elif plan.mode not in LISTED:
        position = {qid: i for i, qid in enumerate(bank.question_ids())}
        chosen.sort(key=lambda q: position[q.id])

    orders = tuple(_option_order(q, rng, plan.shuffle) for q in chosen)
    limit = _time_limit(bank, plan, len(chosen))
    unscored: tuple[str, ...] = ()
    if plan.mode == "exam":
        wanted = plan.unscored
        if wanted is None:
            full = is_full_exam(bank, plan, len(chosen), limit)
            wanted = bank.settings.unscored if full else 0
        unscored = _unscored(bank, chosen, wanted, random.Random(f"{seed}/unscored"))
    return Assembly(
        question_ids=tuple(q.id for q in chosen),
        option_orders=orders,
        time_limit=limit,
        seed=seed,
        unscored=unscored,
    )


def _unscored(
    bank: Bank, chosen: Sequence[Question], count: int, rng: random.Random
) -> tuple[str, ...]:
    """``count`` of the chosen questions, at random, such that the rest (the scored ones)
    keep the bank's domain weights: the scored share of each domain is apportioned by
    weight (largest remainder), the domain's other questions are unscored. At least one
    question stays scored."""
    count = min(count, len(chosen) - 1)
    if count <= 0:
        return ()
    groups: dict[str | None, list[Question]] = {}
    for question in chosen:
        groups.setdefault(question.domain, []).append(question)
    weights = {d.id: d.weight for d in bank.domains if d.id in groups}
    if not weights or set(groups) - set(weights):
        picked = rng.sample(list(chosen), count)
    else:
        scored = apportion(len(chosen) - count, weights,
                           {key: len(groups[key]) for key in weights})
        picked = []
        for key in weights:
            picked.extend(rng.sample(groups[key], len(groups[key]) - scored[key]))
    ids = {q.id for q in picked}
    return tuple(q.id for q in chosen if q.id in ids)


def is_full_exam(
    bank: Bank, plan: AttemptPlan, count: int, time_limit: float | None
) -> bool:
    """Whether an attempt is a *full exam*: exam mode on the bank's whole blueprint (no
    domain, topic or id filter; the bank's question count; its time limit, or untimed
    when the bank has none; extra time, an accommodation, does not change that). Only
    full exams get a pass/fail verdict and a scaled score, and only they make best,
    latest and the trend (docs/architecture.md)."""
    if plan.mode != "exam" or plan.domains or plan.topics or plan.question_ids:
        return False
    if count != (bank.settings.questions_per_exam or len(bank.questions)):
        return False
    limit = bank.settings.time_limit
    extra = max(0.0, plan.extra_minutes) * 60.0  # an accommodation: still a full exam
    if limit is None:
        return time_limit is None or (extra > 0 and abs(time_limit - extra) < 0.5)
    return time_limit is not None and abs(time_limit - extra - limit * 60.0) < 0.5


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
    if not 0 <= plan.extra_minutes <= MAX_TIME_MINUTES:
        raise AssembleError(f"--extra-time must be 0 to {MAX_TIME_MINUTES} minutes, "
                            f"not {plan.extra_minutes:g}")
    if plan.unscored is not None and not 0 <= plan.unscored <= 1000:
        raise AssembleError(f"--unscored must be 0 to 1000, not {plan.unscored}")


def _filtered(bank: Bank, plan: AttemptPlan) -> list[Question]:
    """The bank's questions that pass the domain and topic filters (file order)."""
    domains = _resolve(plan.domains, _domain_ids(bank), "domain", "domains")
    topics = _resolve(plan.topics, _topics(bank), "topic", "topics")
    # over the bank's index: a bank from the cache makes only the questions that match
    pool = [
        bank.questions[i]
        for i, (domain, tags) in enumerate(zip(bank.question_domains(), bank.question_topics(),
                                               strict=True))
        if (not domains or domain in domains) and (not topics or not topics.isdisjoint(tags))
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
    return _unique(domain for domain in bank.question_domains() if domain is not None)


def _topics(bank: Bank) -> list[str]:
    return sorted(_unique(t for tags in bank.question_topics() for t in tags),
                  key=str.casefold)


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
        what = {"missed": "missed", "flagged": "flagged", "due": "due"}[plan.mode]
        if not plan.question_ids:
            raise AssembleError(f"there are no {what} questions to ask")
        raise AssembleError(f"none of the {len(_unique(plan.question_ids))} {what} "
                            "questions is in this bank" + (
                                f" {_describe(plan)}" if plan.domains or plan.topics else ""))
    return chosen


def _pick(
    pool: Sequence[Question], count: int, rng: random.Random, plan: AttemptPlan,
    recency: Mapping[str, int] | None,
) -> list[Question]:
    """``count`` of ``pool`` at random, or with ``prefer_fresh`` the freshest first."""
    if not plan.prefer_fresh or recency is None:
        # rng.sample(pool, count) by position: the same draw (sample looks at the size
        # only), but it may copy the pool first, which would make every question of a
        # bank from the cache (core/bank.LazyQuestions)
        return [pool[i] for i in rng.sample(range(len(pool)), count)]
    ranked = sorted(pool, key=lambda q: (recency.get(q.id, -1), rng.random()))
    return ranked[:count]


def _by_weight(
    bank: Bank, pool: Sequence[Question], count: int, rng: random.Random, filtered: bool,
    plan: AttemptPlan | None = None, recency: Mapping[str, int] | None = None,
) -> list[Question]:
    """``count`` questions of ``pool``, split across the bank's domains by weight."""
    plan = plan or AttemptPlan()
    if not bank.domains or count == len(pool):
        return _pick(pool, count, rng, plan, recency)
    groups: dict[str, Sequence[Question]]
    if filtered:
        groups = {d.id: [q for q in pool if q.domain == d.id] for d in bank.domains}
    else:  # the whole bank: its own grouping, without a pass over every question
        groups = {d.id: bank.questions_in(d.id) for d in bank.domains}
    weights = {d.id: d.weight for d in bank.domains if groups[d.id]}
    shares = apportion(count, weights, {k: len(groups[k]) for k in weights})
    chosen: list[Question] = []
    for key, share in shares.items():
        chosen.extend(_pick(groups[key], share, rng, plan, recency))
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
    extra = max(0.0, plan.extra_minutes) * 60.0
    if plan.time_minutes is not None:
        return plan.time_minutes * 60.0 + extra
    if plan.mode != "exam" or bank.settings.time_limit is None:
        return extra or None
    full = bank.settings.questions_per_exam or len(bank.questions)
    # scaled up for more questions than a full exam, never beyond what --time allows
    return min(bank.settings.time_limit * 60.0 * count / full, MAX_TIME_MINUTES * 60.0) + extra
