"""Does `due` help? A simulated learner studies a bank for 30 days under three policies.

    python bench/learner.py [--seed N] [--days 30] [--per-day 75] [--questions 500]
                            [--runs 5] [--quick] [--json]

Not a timing benchmark: a simulation. Every simulated day the learner answers the same
number of questions (``--per-day``, default the bank's full exam) under one of three
policies, each from the same start (the same bank, the same learner):

- **exam**: a random full re-take every day, drawn by examsim's own ``assemble()`` (exam
  mode: domain shares by weight, random questions);
- **missed**: the questions whose newest answer was wrong (examsim's ``missed`` mode),
  topped up with random questions (seen or not) to the daily budget;
- **due**: the questions due today by examsim's own scheduler (``core.spaced``: every
  answer reviews the question's FSRS card with ``rating()``; due before ``end_of_day()``,
  most overdue first, ``interleave()``d across domains, as ``--mode due`` serves them),
  topped up with unseen questions (``--prefer-fresh``), then random seen ones.

After the last day (the morning of day ``--days``) it reports the expected score, in
percent right, on the whole bank and on a held-out part (``HELD_OUT`` of the questions,
never shown to any policy): the mean over questions of the probability of answering
right, averaged over ``--runs`` simulated learners (each its own draw of difficulties,
held-out part and answers). Deterministic for one ``--seed``.
The table prints always; ``--json`` adds the same as one ``RESULTS {...}`` line, as every
bench script does. The bank is generated (bench/genbank.py: 4 weighted domains, 60
topics, two topics per question, 4-6 options, some questions with several keys).

The learner model (every parameter below, with its value):

- A question has a **difficulty** D in 0..1 (Beta(DIFFICULTY_A, DIFFICULTY_B), drawn
  once per question and learner, the same for every policy).
- The learner has a **skill** per topic, 0..1, starting at SKILL_START. Its
  **understanding** of a question is u = mean skill of the question's topics x (1 - D):
  what it can work out without having met the question.
- A question it has studied has a **memory** m = exp(-elapsed days / S), S its
  **stability** in days; m = 0 for a question never studied.
- It knows the answer with probability k = 1 - (1 - m)(1 - u), and answers right with
  probability k + (1 - k) x guess (guess: 1 / the number of possible answers, e.g. 1/4
  for one key of four options, 1/10 for two of five).
- **After a right answer** the memory is refreshed (elapsed 0) and strengthened: for a
  question never studied S = FIRST_STABILITY x (1 - D / 2); otherwise
  S x (1 + GROWTH x (1 - D) x (1 + SPACING_BONUS x (1 - m))): recalling after more
  forgetting strengthens more (the spacing effect), hard questions gain less.
- **After a wrong answer** it reads the explanation: S = max(LAPSE x S,
  EXPLANATION_STABILITY x (1 - D / 2)) (a lapse, softened by what the explanation
  teaches), the memory is refreshed, and each of the question's topics gains skill:
  skill += TRANSFER x (1 - skill). This is the only transfer to other questions, so the
  held-out score moves only through topic skill gained from explanations of wrong answers.
- It tells examsim "guessing" (confidence 3, so FSRS rating Hard) when it answered right
  with k < GUESSING_BELOW; otherwise no confidence (Good); wrong is Again.
"""

from __future__ import annotations

import json
import math
import random
import sys
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import arguments
from genbank import bank_data

from examsim.core import due as due_day
from examsim.core import spaced
from examsim.core.assemble import AttemptPlan, assemble
from examsim.core.bank import Bank
from examsim.core.bank_model import validate_bank

# -- the learner model's parameters ------------------------------------------------------
DIFFICULTY_A = 2.0          # question difficulty ~ Beta(2, 2): mean 0.5, most in 0.2..0.8
DIFFICULTY_B = 2.0
SKILL_START = 0.6           # topic skill on day 0 (first-sight score about 42% here)
FIRST_STABILITY = 2.0       # days: a question first met and answered right
EXPLANATION_STABILITY = 1.5 # days: what reading the explanation of a wrong answer gives
GROWTH = 2.0                # stability growth of a right answer (x up to 1 + 2 x 2 = 5)
SPACING_BONUS = 1.0         # extra growth for recalling after more forgetting (1 - m)
LAPSE = 0.3                 # stability kept after a wrong answer (before the floor above)
TRANSFER = 0.02             # topic skill gained per wrong answer's explanation
GUESSING_BELOW = 0.5        # right with k below this: the learner says "guessing"

# -- the study plan ----------------------------------------------------------------------
HELD_OUT = 0.2              # share of the bank never shown: the "unseen questions" score
POLICIES = ("exam", "missed", "due")
START = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)  # day 0's session, 18:00 UTC
ZONE = UTC                  # "today" for due: the day in UTC


@dataclass
class Memory:
    """What the learner holds of one question."""

    difficulty: float
    guess: float
    topics: tuple[str, ...]
    stability: float = 0.0      # days; 0: never studied
    studied: datetime | None = None

    def memory(self, now: datetime) -> float:
        if self.studied is None or self.stability <= 0:
            return 0.0
        days = max(0.0, (now - self.studied).total_seconds() / 86400)
        return math.exp(-days / self.stability)


@dataclass
class Learner:
    """One simulated learner: a memory per question and a skill per topic."""

    questions: dict[str, Memory]
    skill: dict[str, float] = field(default_factory=dict)

    def understanding(self, qid: str) -> float:
        q = self.questions[qid]
        if not q.topics:
            return 0.0
        mean = sum(self.skill.get(t, SKILL_START) for t in q.topics) / len(q.topics)
        return mean * (1 - q.difficulty)

    def knows(self, qid: str, now: datetime) -> float:
        m = self.questions[qid].memory(now)
        return 1 - (1 - m) * (1 - self.understanding(qid))

    def p_right(self, qid: str, now: datetime) -> float:
        k = self.knows(qid, now)
        return k + (1 - k) * self.questions[qid].guess

    def answer(self, qid: str, now: datetime, rng: random.Random) -> tuple[bool, int | None]:
        """Answer once, learn from it; returns (right, confidence as examsim stores it)."""
        q = self.questions[qid]
        k = self.knows(qid, now)
        right = rng.random() < k + (1 - k) * q.guess
        m = q.memory(now)
        if right:
            if q.studied is None:
                q.stability = FIRST_STABILITY * (1 - q.difficulty / 2)
            else:
                q.stability *= 1 + GROWTH * (1 - q.difficulty) * (1 + SPACING_BONUS * (1 - m))
        else:
            q.stability = max(LAPSE * q.stability,
                              EXPLANATION_STABILITY * (1 - q.difficulty / 2))
            for topic in q.topics:
                skill = self.skill.get(topic, SKILL_START)
                self.skill[topic] = skill + TRANSFER * (1 - skill)
        q.studied = now
        return right, (3 if right and k < GUESSING_BELOW else None)


def new_learner(bank: Bank, rng: random.Random) -> Learner:
    questions = {}
    for question in bank.questions:
        questions[question.id] = Memory(
            difficulty=rng.betavariate(DIFFICULTY_A, DIFFICULTY_B),
            guess=1 / math.comb(len(question.options), len(question.answer)),
            topics=tuple(question.topics),
        )
    return Learner(questions)


def study_bank(bank: Bank, held_out: set[str]) -> Bank:
    """The bank without its held-out questions (what every policy may show)."""
    data = bank.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["questions"] = [q for q in data["questions"] if q["id"] not in held_out]
    return validate_bank(data)


# -- the policies ------------------------------------------------------------------------


class Policy(ABC):
    """Chooses each day's questions; ``seen`` tells it what was answered."""

    def __init__(self, bank: Bank, per_day: int, rng: random.Random) -> None:
        self.bank, self.per_day, self.rng = bank, per_day, rng
        self.ids = [q.id for q in bank.questions]
        self.last_right: dict[str, bool] = {}

    @abstractmethod
    def today(self, day: int, now: datetime) -> list[str]:
        """The question ids to answer in the session at ``now``, at most ``per_day``."""

    def seen(self, qid: str, right: bool, confidence: int | None, when: datetime) -> None:
        self.last_right[qid] = right

    def _top_up(self, chosen: list[str], candidates: list[str]) -> list[str]:
        taken = set(chosen)
        rest = [qid for qid in candidates if qid not in taken]
        self.rng.shuffle(rest)
        return chosen + rest[: max(0, self.per_day - len(chosen))]


class ExamRetakes(Policy):
    def today(self, day: int, now: datetime) -> list[str]:
        plan = AttemptPlan(mode="exam", questions=self.per_day, seed=self.rng.randrange(2**31))
        return list(assemble(self.bank, plan).question_ids)


class MissedRetries(Policy):
    def today(self, day: int, now: datetime) -> list[str]:
        missed = [qid for qid in self.ids if self.last_right.get(qid) is False]
        self.rng.shuffle(missed)
        return self._top_up(missed[: self.per_day], self.ids)


class DueReview(Policy):
    def __init__(self, bank: Bank, per_day: int, rng: random.Random) -> None:
        super().__init__(bank, per_day, rng)
        self.cards: dict[str, spaced.Reviewed] = {}
        self.domain = {q.id: q.domain for q in bank.questions}

    def seen(self, qid: str, right: bool, confidence: int | None, when: datetime) -> None:
        super().seen(qid, right, confidence, when)
        old = self.cards.get(qid)
        self.cards[qid] = spaced.review(old.card if old else None,
                                        spaced.rating(right, confidence), when)

    def today(self, day: int, now: datetime) -> list[str]:
        end = due_day.end_of_day(now, ZONE)
        due = sorted((card.due, qid) for qid, card in self.cards.items() if card.due < end)
        order = due_day.interleave([(qid, self.domain[qid]) for _, qid in due])
        chosen = order[: self.per_day]
        unseen = [qid for qid in self.ids if qid not in self.cards]
        chosen = self._top_up(chosen, unseen)
        return self._top_up(chosen, self.ids)


POLICY_CLASSES: dict[str, type[Policy]] = {
    "exam": ExamRetakes, "missed": MissedRetries, "due": DueReview}


# -- the run -----------------------------------------------------------------------------


@dataclass
class Row:
    policy: str
    views: int          # questions answered over all days, per learner
    seen: float         # distinct questions answered at least once (mean over learners)
    wrong: float        # wrong answers over all days (explanations read; mean)
    bank: float         # expected percent right on the whole bank at the end
    held_out: float     # expected percent right on the held-out questions at the end
    start_bank: float   # the same on day 0, before any study (equal for every policy)
    start_held_out: float


def simulate(policy_name: str, bank: Bank, study: Bank, held_out: set[str], per_day: int,
             days: int, seed: int) -> tuple[int, int, int, float, float, float, float]:
    """One learner under one policy: (views, seen, wrong answers, bank %, held-out %,
    bank % day 0, held-out % day 0)."""
    learner = new_learner(bank, random.Random(f"{seed}:learner"))
    policy = POLICY_CLASSES[policy_name](study, per_day, random.Random(f"{seed}:{policy_name}"))
    answers = random.Random(f"{seed}:{policy_name}:answers")
    start = score(learner, bank, held_out, START)
    views = wrong = 0
    seen: set[str] = set()
    for day in range(days):
        session = START + timedelta(days=day)
        for index, qid in enumerate(policy.today(day, session)):
            when = session + timedelta(minutes=index)
            right, confidence = learner.answer(qid, when, answers)
            policy.seen(qid, right, confidence, when)
            seen.add(qid)
            views += 1
            wrong += not right
    end = score(learner, bank, held_out, START + timedelta(days=days, hours=-9))
    return views, len(seen), wrong, end[0], end[1], start[0], start[1]


def score(learner: Learner, bank: Bank, held_out: set[str], when: datetime
          ) -> tuple[float, float]:
    """Expected percent right at ``when``: on the whole bank, on the held-out part."""
    every = {q.id: learner.p_right(q.id, when) for q in bank.questions}
    hidden = [every[qid] for qid in held_out]
    return (100 * sum(every.values()) / len(every),
            100 * sum(hidden) / len(hidden) if hidden else float("nan"))


def run(questions: int, per_day: int | None, days: int, learners: int, seed: int) -> list[Row]:
    data = bank_data(questions, seed)
    per_day = per_day or data["bank"]["questions_per_exam"]
    # a full exam is one day's questions (capped: the questions a policy may show)
    studied = questions - round(HELD_OUT * questions)
    data["bank"]["questions_per_exam"] = min(per_day, studied)
    bank = validate_bank(data)
    ids = [q.id for q in bank.questions]
    splits = []  # per learner: (held-out ids, the bank without them), for every policy
    for k in range(learners):
        held_out = set(random.Random(f"{seed}:{k}:held-out").sample(
            ids, round(HELD_OUT * len(ids))))
        splits.append((held_out, study_bank(bank, held_out)))
    rows = []
    for name in POLICIES:
        sums = [0.0] * 7
        for k, (held_out, study) in enumerate(splits):
            for i, value in enumerate(simulate(name, bank, study, held_out, per_day, days,
                                               seed * 1000 + k)):
                sums[i] += value
        mean = [value / learners for value in sums]
        rows.append(Row(name, round(mean[0]), *(round(value, 1) for value in mean[1:])))
    return rows


def table(rows: list[Row], days: int) -> str:
    lines = [f"{'policy':8} {'views':>6} {'seen':>6} {'wrong':>6} {'bank %':>7} "
             f"{'held-out %':>10}"
             f"   (day {days}; day 0: bank {rows[0].start_bank:.1f}%, "
             f"held-out {rows[0].start_held_out:.1f}%)"]
    for row in rows:
        lines.append(f"{row.policy:8} {row.views:6d} {row.seen:6.1f} {row.wrong:6.1f} "
                     f"{row.bank:7.1f} "
                     f"{row.held_out:10.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[Row]:
    # --runs (benchlib's): simulated learners averaged per policy, each its own draw
    parser = arguments(__doc__.splitlines()[0], runs=5)
    parser.add_argument("--seed", type=int, default=1, help="the simulation's seed (default 1)")
    parser.add_argument("--days", type=int, default=30, help="days of study (default 30)")
    parser.add_argument("--per-day", type=int, default=None,
                        help="questions answered per day (default: the bank's full exam, 75)")
    parser.add_argument("--questions", type=int, default=500,
                        help="questions in the generated bank (default 500)")
    args = parser.parse_args(argv)
    if args.quick:
        args.days, args.questions, args.runs = min(args.days, 4), 60, 1
        args.per_day = args.per_day or 15
    for name in ("days", "questions", "runs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.per_day is not None and args.per_day < 1:
        parser.error("--per-day must be at least 1")
    rows = run(args.questions, args.per_day, args.days, args.runs, args.seed)
    print(f"== Simulated learner: {args.questions} questions ({HELD_OUT:.0%} held out), "
          f"{args.days} days, {rows[0].views // args.days} a day, "
          f"{args.runs} learner(s), seed {args.seed} ==")
    print(table(rows, args.days))
    if args.json:
        print("RESULTS " + json.dumps({
            "title": "Simulated learner", "days": args.days, "questions": args.questions,
            "learners": args.runs, "seed": args.seed,
            "results": [asdict(row) for row in rows]}))
    sys.stdout.flush()
    return rows


if __name__ == "__main__":
    main()
