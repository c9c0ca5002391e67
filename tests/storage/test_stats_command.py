"""`examsim stats`: text and JSON, empty history, unknown bank."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from examsim.cli import main
from examsim.storage import history_stats
from examsim.storage.history import open_history

from .helpers import FakeSession, make_bank


def fill(rnd: random.Random, banks: str = "aab") -> None:
    with open_history() as history:
        for bank_id in banks:
            session = FakeSession(make_bank(12, bank_id=bank_id)).answer_all(rnd)
            attempt_id = history.start_attempt(session)
            session.submit()
            history.finish(attempt_id, session)
        history.start_attempt(FakeSession(make_bank(12, bank_id="a")))


def test_empty_history(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats"]) == 0
    assert "No finished attempts yet" in capsys.readouterr().out
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"banks": []}
    assert main(["stats", "--bank", "nope"]) == 0
    assert not Path(os.environ["EXAMSIM_DATA_DIR"]).exists()  # reading creates nothing


def test_text_summary(capsys: pytest.CaptureFixture[str]) -> None:
    fill(random.Random(2))
    assert main(["stats", "--bank", "a"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Bank a (a)\n  attempts   2 scored: 2 full exams, 0 sessions (1 in progress)\n")
    for part in ("  best       ", "  latest     ", "trend: ", "    Networking", "    Security",
                 "weakest topics (at least 3 questions)", "  strikes    ", "right to strike out",
                 "  pacing     ", "time limits allowed 50 s", "  confidence ", "    sure  "):
        assert part in out, part
    assert "Bank b" not in out
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "Bank a (a)" in out and "Bank b (b)" in out


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    fill(random.Random(4))
    assert main(["stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [b["bank_id"] for b in data["banks"]] == ["a", "b"]
    a = data["banks"][0]
    assert a["attempts"] == 2 and a["in_progress"] == 1
    assert a["best"]["percent"] >= a["latest"]["percent"] or a["best"] == a["latest"]
    assert {d["id"] for d in a["domains"]} == {"net", "sec"}
    assert sum(d["answered"] for d in a["domains"]) == 24
    assert len(a["weakest_topics"]) <= 5
    assert all(t["answered"] >= 3 for t in a["weakest_topics"])
    assert a["pacing"]["budget_seconds"] == 50.0
    assert a["strikes"]["struck"] >= a["strikes"]["in_key"]
    assert set(a) >= {"trend", "miss_streaks", "calibration"}


def test_unknown_bank(capsys: pytest.CaptureFixture[str]) -> None:
    fill(random.Random(1))
    assert main(["stats", "--bank", "zzz"]) == 2
    assert "no finished attempts on bank 'zzz'; banks in history: a, b" in capsys.readouterr().err


def test_unanswered_questions_are_not_called_answers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A timed-out attempt with one answer: 20 questions asked, 1 answered (QA #12)."""
    bank = make_bank(20, bank_id="t")
    with open_history() as history:
        for _ in range(2):
            session = FakeSession(bank).mark(0, chosen="Z")  # one wrong answer, 19 blank
            attempt_id = history.start_attempt(session)
            session.submit("time_up")
            history.finish(attempt_id, session)
        topics = {row.key: (row.questions, row.answers)
                  for row in history_stats.accuracy(history, "t", "topic")}
        streaks = history.miss_streaks("t")
    assert main(["stats", "--json"]) == 0
    (report,) = json.loads(capsys.readouterr().out)["banks"]
    assert sum(d["questions"] for d in report["domains"]) == 40
    assert sum(d["answered"] for d in report["domains"]) == 2
    assert all(t["answered"] <= t["questions"] for t in report["weakest_topics"])
    first_topic = bank.questions[0].topics[0]
    assert topics[first_topic][1] == 2
    # the one wrong answer, twice; the unanswered questions of its topic are not in the run
    assert streaks.get(first_topic) == 2
    assert all(run <= 2 for run in streaks.values())
    assert main(["stats", "--bank", "t"]) == 0
    out = capsys.readouterr().out
    assert "questions, 2 answered)" in out and "questions, 0 answered)" in out
    assert "wrong answers in a row" in out
