"""A small bank and a fake session that honours the engine contract the store relies on.

The store needs only: bank, mode, seed, time_limit, finished, end_reason, elapsed(),
result().questions, and for saving an attempt in progress outline(), question_list(),
unsaved() and saved() (docs/architecture.md, storage/progress.py). The fake lets storage
tests run without the engine; tests/storage/test_resume.py uses the real one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from examsim.core.bank import Bank, Question
from examsim.core.bank_model import validate_bank
from examsim.core.session import QuestionProgress, Unsaved

DOMAINS = (("net", "Networking", 50), ("sec", "Security", 50))
TOPICS = ("VPC", "IAM", "KMS", "S3", "Route 53")


def make_bank(count: int = 8, bank_id: str = "demo", seed: int = 7) -> Bank:
    rnd = random.Random(seed)
    questions = []
    for i in range(count):
        options = [f"Option {k} of q{i}" for k in range(4)]
        answer = ["A", "B", "C", "D"][i % 4]
        questions.append({
            "id": f"q{i}",
            "domain": DOMAINS[i % 2][0],
            "topics": sorted(rnd.sample(TOPICS, 2)),
            "stem": f"Question {i}: which one?",
            "options": options,
            "answer": [answer] if i % 5 else ["A", "C"],
        })
    return validate_bank({
        "bank": {"id": bank_id, "title": f"Bank {bank_id}", "time_limit": 10,
                 "pass_percent": 70},
        "domains": [{"id": d, "name": n, "weight": w} for d, n, w in DOMAINS],
        "questions": questions,
    })


@dataclass(frozen=True)
class FakeQuestionResult:
    position: int
    question_id: str
    domain: str | None
    topics: tuple[str, ...]
    chosen: str
    answer: str
    struck: str
    correct: bool
    credit: float
    flagged: bool
    confidence: int | None
    seconds: float
    changes: int
    seen: bool = True


@dataclass(frozen=True)
class FakeResult:
    total: int
    correct: float
    percent: float
    scaled: int | None
    passed: bool | None
    questions: tuple[FakeQuestionResult, ...]
    full: bool = True
    seen: int = 0
    unanswered: int = 0


@dataclass
class Mark:
    chosen: str = ""
    struck: str = ""
    flagged: bool = False
    confidence: int | None = None
    seconds: float = 0.0
    changes: int = 0
    seen: bool = True


@dataclass
class FakeSession:
    bank: Bank
    mode: str = "exam"
    seed: int = 1
    time_limit: float | None = 600.0
    ids: list[str] = field(default_factory=list)
    marks: dict[int, Mark] = field(default_factory=dict)
    finished: bool = False
    end_reason: str | None = None
    clock: float = 0.0
    full: bool = True  # a full exam: every question scored; else the seen ones

    def __post_init__(self) -> None:
        if not self.ids:
            self.ids = [q.id for q in self.bank.questions]

    def mark(self, position: int, **changes: Any) -> FakeSession:
        current = self.marks.setdefault(position, Mark())
        for key, value in changes.items():
            setattr(current, key, value)
        return self

    def answer_all(self, rnd: random.Random, right: float = 0.6) -> FakeSession:
        for position, qid in enumerate(self.ids):
            key = "".join(self.bank.question(qid).answer)
            chosen = key if rnd.random() < right else ("B" if key != "B" else "A")
            struck = rnd.choice(["", "", "C", "D", "CD"])
            self.mark(position, chosen=chosen, struck=struck,
                      flagged=rnd.random() < 0.1, confidence=rnd.choice([None, 1, 2, 3]),
                      seconds=round(rnd.uniform(5, 120), 1), changes=rnd.randint(0, 2))
        return self

    def elapsed(self) -> float:
        return self.clock

    def outline(self) -> dict[str, Any]:
        return {"version": 1, "bank_id": self.bank.id, "plan": {"mode": self.mode},
                "seed": self.seed, "time_limit": self.time_limit, "unscored": [],
                "wall_start": None}

    def question_list(self) -> list[tuple[Question, tuple[int, ...]]]:
        return [(q, tuple(range(len(q.options)))) for q in map(self.bank.question, self.ids)]

    def unsaved(self, everything: bool = False) -> Unsaved:
        """Every mark, each time (a store may write unchanged rows again)."""
        rows = []
        for position, mark in sorted(self.marks.items()):
            key = "".join(self.bank.question(self.ids[position]).answer)
            rows.append(QuestionProgress(
                position, mark.chosen, mark.struck, mark.flagged, mark.confidence,
                mark.seconds, mark.changes, seen=mark.seen,
                credit=1.0 if mark.chosen == key else 0.0))
        state = {"index": 0, "elapsed": self.clock, "paused": False,
                 "finished": self.finished, "end_reason": self.end_reason}
        return Unsaved(state, tuple(rows), frozenset(self.marks))

    def saved(self, unsaved: Unsaved) -> None:
        pass

    def submit(self, reason: str = "submitted") -> None:
        self.finished, self.end_reason = True, reason

    def result(self) -> FakeResult:
        rows = []
        for position, qid in enumerate(self.ids):
            q = self.bank.question(qid)
            mark = self.marks.get(position, Mark())
            key = "".join(q.answer)
            right = mark.chosen == key
            rows.append(FakeQuestionResult(
                position, qid, q.domain, q.topics, mark.chosen, key, mark.struck, right,
                1.0 if right else 0.0, mark.flagged, mark.confidence, mark.seconds,
                mark.changes, mark.seen))
        scored = rows if self.full else [r for r in rows if r.seen]
        correct = sum(r.credit for r in scored)
        percent = 100.0 * correct / len(scored) if scored else 0.0
        return FakeResult(len(scored), correct, percent, None,
                          percent >= 70 if self.full else None, tuple(rows), self.full,
                          sum(r.seen for r in rows), sum(not r.chosen for r in scored))


class FakeNow:
    """A UTC clock that moves a minute each time it is read."""

    def __init__(self, start: datetime | None = None) -> None:
        self.moment = start or datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.moment += timedelta(minutes=1)
        return self.moment
