"""`examsim stats --json` against a stored example (tests/data/stats_report_example.json).

The history is built with known inputs through the real engine and store: four full
exams of bank "a" (one ended early), a drill and a practice session, an attempt in
progress and an abandoned one; bank "b" has one untimed practice session and its bank file is not at
hand (readiness and the domain sizes are null). The example was printed by the code
before the report became a typed model (docs/stats-json.md), so its keys, their order,
the values and the nulls are held byte for byte.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from examsim.cli import main
from examsim.core.assemble import AttemptPlan
from examsim.core.bank import Bank
from examsim.core.bank_model import validate_bank
from examsim.core.session import ExamSession
from examsim.storage.history import History
from examsim.storage.locations import history_path

from .helpers import DOMAINS, TOPICS, FakeNow

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "stats_report_example.json"
READ_AT = datetime(2025, 3, 1, 18, 30, tzinfo=UTC)  # the history's clock when stats runs


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch):
    """Local time is UTC: "due today" ends at local midnight."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def example_bank(bank_id: str, count: int, **settings: Any) -> Bank:
    """Two domains, five topics, every fifth question a choose-2 (as tests/storage/helpers)."""
    rnd = random.Random(11)
    questions = []
    for i in range(count):
        questions.append({
            "id": f"q{i}",
            "domain": DOMAINS[i % 2][0],
            "topics": sorted(rnd.sample(TOPICS, 2)),
            "stem": f"Question {i}: which of these {'two ' if i % 5 == 0 else ''}fits "
                    f"the case described here?",
            "options": [f"Option {k} of q{i}" for k in range(4)],
            "answer": ["A", "C"] if i % 5 == 0 else [["A", "B", "C", "D"][i % 4]],
        })
    return validate_bank({
        "bank": {"id": bank_id, "title": f"Cloud – bank {bank_id}", **settings},
        "domains": [{"id": d, "name": n, "weight": w} for d, n, w in DOMAINS],
        "questions": questions,
    })


BANK_A = example_bank("a", 40, time_limit=120, scaled_score={"min": 100, "max": 1000,
                                                            "pass": 700})
BANK_B = example_bank("b", 8)


class Steps:
    """A monotonic clock that moves ``step`` seconds at each of the script's steps (not
    when read: the figures must not depend on how often the engine reads the clock)."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        return self.now

    def tick(self) -> None:
        self.now += self.step


def key(session: ExamSession) -> list[int]:
    return [o.display for o in session.view().options if o.in_key]


def wrong(session: ExamSession, skip: int = 0) -> list[int]:
    view = session.view()
    return [o.display for o in view.options if not o.in_key][skip: skip + view.choose]


def act(session: ExamSession, step: str) -> None:
    """One step on the question on screen."""
    single = session.view().choose == 1
    if step == "right":
        for display in key(session):
            session.choose(display)
    elif step == "wrong":
        for display in wrong(session):
            session.choose(display)
    elif step == "wrong2" and single:  # another wrong option
        session.choose(wrong(session, 1)[0])
    elif step == "strike":           # a right strike: an option not in the key
        session.toggle_strike(wrong(session)[-1])
    elif step == "strike-key" and single:  # a wrong strike: the key struck out
        session.toggle_strike(key(session)[0])
    elif step == "kms":              # wrong on KMS questions (a miss streak), else right
        act(session, "wrong" if "KMS" in session.view().question.topics else "right")
    elif step == "flag":
        session.toggle_flag()
    elif step in ("1", "2", "3"):
        session.set_confidence(int(step))


Script = Callable[[int], list[str]]


def attempt(history: History, bank: Bank, plan: AttemptPlan, script: Script, seen: int,
            step: float = 1.0, end: str = "finish") -> int:
    """Show ``seen`` questions in turn, doing ``script(position)`` on each, then end the
    attempt: "finish" (submit), "abandon" or "open" (left in progress)."""
    clock = Steps(step)
    session = ExamSession.start(bank, plan, clock)
    attempt_id = history.start_attempt(session)
    for position in range(seen):
        clock.tick()
        if position:
            session.next()
        for action in script(position):
            clock.tick()
            act(session, action)
        clock.tick()
        history.autosave(attempt_id, session)
    clock.tick()
    if end == "finish":
        session.submit()
        assert session.end_reason == "submitted"  # never out of time: the clock is known
        history.finish(attempt_id, session)
    elif end == "abandon":
        history.abandon(attempt_id, "left", session)
    return attempt_id


def first_exam(position: int) -> list[str]:
    """Half right; strikes (one of them on the key), every confidence, some flags, and
    answers changed wrong -> right and right -> wrong."""
    steps = ["right" if position % 2 else "wrong"]
    if position % 7 == 0:
        steps += ["wrong", "right"]      # wrong -> right (on single-answer questions)
    if position % 9 == 4:
        steps += ["right", "wrong"]      # right -> wrong
    if position % 4 == 1:
        steps.append("strike")
    if position == 6:
        steps.append("strike-key")
    if position % 6 == 0:
        steps.append("flag")
    steps.append(str(1 + position % 3))
    return steps


def second_exam(position: int) -> list[str]:
    """Mostly right, quickly (repeats that look remembered), a few changes wrong -> wrong."""
    steps = ["wrong" if position % 5 == 3 else "right"]
    if position % 8 == 2:
        steps += ["wrong", "wrong2"]     # wrong -> wrong
    if position % 3 == 0:
        steps.append("1")
    return steps


def third_exam(position: int) -> list[str]:
    return ["wrong" if position % 3 else "right", "2"]


def fourth_exam(position: int) -> list[str]:
    return ["kms", "strike", "3"]


def build(path: Path) -> None:
    with History(path, FakeNow()) as history:
        attempt(history, BANK_A, AttemptPlan(mode="drill", topics=("IAM",), seed=100),
                second_exam, 5)
        attempt(history, BANK_A, AttemptPlan(seed=101), first_exam, 40, step=3.0)
        attempt(history, BANK_A, AttemptPlan(seed=102), second_exam, 40, step=0.25)
        attempt(history, BANK_A, AttemptPlan(mode="practice", questions=6, seed=103),
                third_exam, 6)
        attempt(history, BANK_A, AttemptPlan(seed=104), third_exam, 12)  # ended early
        attempt(history, BANK_A, AttemptPlan(seed=105), fourth_exam, 40)
        attempt(history, BANK_A, AttemptPlan(seed=106), fourth_exam, 3, end="abandon")
        attempt(history, BANK_A, AttemptPlan(seed=107), fourth_exam, 2, end="open")
        attempt(history, BANK_B, AttemptPlan(mode="practice", seed=201), third_exam, 5)


EXAMPLE_TEXT = EXAMPLE.with_name("stats_text_example.txt")


@pytest.fixture
def stats(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """`examsim stats ARGS` on the example history, read at READ_AT, with bank "a"
    found and bank "b" not."""
    import examsim.commands.stats as command

    build(history_path())
    monkeypatch.setattr(command, "bank_by_id",
                        lambda bank_id, _: BANK_A if bank_id == "a" else None)
    monkeypatch.setattr(command, "open_history",
                        lambda path, reading: History(path, lambda: READ_AT))

    def run(*args: str) -> str:
        capsys.readouterr()
        assert main(["stats", *args]) == 0
        return capsys.readouterr().out

    return run


def test_stats_json_prints_the_stored_example(stats: Callable[..., str]) -> None:
    assert stats("--json") == EXAMPLE.read_text(encoding="utf-8")


def test_stats_text_prints_the_stored_example(stats: Callable[..., str]) -> None:
    """The text summary of the same history (printed by the same code as the example)."""
    assert stats() == EXAMPLE_TEXT.read_text(encoding="utf-8")


def test_the_example_holds_every_kind_of_figure() -> None:
    """The stored example is not a thin one: every list has rows, nulls where they can be."""
    a, b = json.loads(EXAMPLE.read_text(encoding="utf-8"))["banks"]
    assert (a["attempts"], a["full_exams"], a["sessions"], a["in_progress"],
            a["abandoned"]) == (6, 4, 2, 1, 1)
    assert a["best"]["scaled"] is not None and a["trend"]["direction"] != "not enough attempts"
    for part in ("domains", "weakest_topics", "miss_streaks", "calibration", "memory"):
        assert a[part], part
    assert a["strikes"]["per_domain"] and a["pacing"]["per_domain"]
    assert a["strikes"]["in_key"] > 0 and a["due"]["today"] < a["due"]["week"]
    assert any(d["recent_percent"] != d["percent"] for d in a["domains"])
    assert a["answer_changes"]["per_domain"] and a["remembered"] > 0
    assert a["readiness"]["estimate"] is not None
    assert b["best"] is None and b["latest"] is None and b["readiness"] is None
    assert b["pacing"]["budget_seconds"] is None and b["memory"][0]["total"] is None
    assert b["strikes"]["accuracy"] is None


def test_bank_report_dumps_to_one_bank_of_the_example() -> None:
    """``bank_report(...).model_dump(mode="json")`` is one bank of the document, with the
    same keys in the same order, the same values and the same types (3 is not 3.0)."""
    from examsim.storage.report import bank_report

    path = history_path()
    build(path)
    stored = json.loads(EXAMPLE.read_text(encoding="utf-8"))["banks"]
    with History(path, lambda: READ_AT) as history:
        dumped = [bank_report(history, "a", BANK_A).model_dump(mode="json"),
                  bank_report(history, "b").model_dump(mode="json")]
    assert [list(bank) for bank in dumped] == [list(bank) for bank in stored]
    assert json.dumps(dumped, indent=1) == json.dumps(stored, indent=1)


def test_the_report_is_frozen() -> None:
    from pydantic import ValidationError

    from examsim.storage.report_model import Due

    due = Due(today=1, week=2)
    with pytest.raises(ValidationError):
        due.today = 3  # type: ignore[misc]  # the point: a frozen model refuses it
    with pytest.raises(ValidationError):
        Due(today=1, week=2, month=3)  # type: ignore[call-arg]  # unknown fields are refused


def test_every_field_is_documented() -> None:
    """docs/stats-json.md names every field of every model of the report."""
    from examsim.storage import report_model

    doc = (Path(__file__).resolve().parents[2] / "docs" / "stats-json.md").read_text(
        encoding="utf-8")
    models = [value for value in vars(report_model).values()
              if isinstance(value, type) and issubclass(value, report_model.Figures)]
    assert len(models) > 20
    missing = [f"{model.__name__}.{name}" for model in models
               for name in model.model_fields if f"`{name}`" not in doc]
    assert missing == []
