"""CSV export: the contract in DESIGN.md, a round trip, and `examsim export`."""

from __future__ import annotations

import csv
import io
import os
import random
from pathlib import Path

import pytest

from examsim.cli import main
from examsim.core.bank import Bank
from examsim.core.bank_model import validate_bank
from examsim.storage.export import (
    ATTEMPT_COLUMNS,
    QUESTION_COLUMNS,
    neutralise,
    write_attempts,
    write_questions,
)
from examsim.storage.history import History, open_history

from .helpers import FakeSession, make_bank

CONTRACT = ("attempt_id", "bank_id", "position", "question_id", "domain", "topics", "stem",
            "chosen", "answer", "correct", "flagged", "struck", "seconds")


def hostile_bank() -> Bank:
    data = make_bank(4).model_dump(by_alias=True)
    data["questions"][0]["stem"] = '=HYPERLINK("http://evil", "click")'
    data["questions"][1]["stem"] = 'Line one,\nline "two"; ünïcödé ✓'
    data["questions"][2]["topics"] = ["-rm", "+plus", "@at"]
    data["questions"][3]["id"] = "@q3"
    return validate_bank(data)


def finished(history: History, session: FakeSession) -> int:
    attempt_id = history.start_attempt(session)
    session.submit()
    history.finish(attempt_id, session)
    return attempt_id


def test_neutralise() -> None:
    for risky in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert neutralise(risky) == "'" + risky
    for safe in ("", "plain", "a=b", " =1", "'quoted"):
        assert neutralise(safe) == safe


def test_question_rows_round_trip(tmp_path: Path) -> None:
    with open_history() as history:
        session = FakeSession(hostile_bank(), ids=["q2", "q0", "@q3", "q1"])
        session.mark(0, chosen="C", struck="AD", flagged=True, confidence=2, seconds=41.25)
        session.mark(1, chosen="A", changes=3).mark(2, chosen="B")
        attempt_id = finished(history, session)
        attempt, answers = history.attempt(attempt_id), history.answers(attempt_id)
    out = io.StringIO(newline="")
    assert write_questions(out, attempt, answers) == 4
    text = out.getvalue()
    assert text.count("\r\n") == 5 and text.endswith("\r\n")  # header and four records
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == QUESTION_COLUMNS and set(CONTRACT) <= set(rows[0])
    by_id = {r["question_id"]: r for r in rows}
    assert [r["position"] for r in rows] == ["1", "2", "3", "4"]
    q2 = by_id["q2"]
    assert (q2["chosen"], q2["answer"], q2["struck"], q2["correct"], q2["flagged"]) == (
        "C", "C", "AD", "1", "1")
    assert (q2["seconds"], q2["confidence"], q2["topics"]) == ("41.25", "2", "'-rm; +plus; @at")
    assert by_id["q0"]["stem"] == "'" + '=HYPERLINK("http://evil", "click")'
    assert by_id["q0"]["answer"] == "AC" and by_id["q0"]["changes"] == "3"
    assert by_id["'@q3"]["chosen"] == "B"
    assert by_id["q1"]["stem"] == 'Line one,\nline "two"; ünïcödé ✓'
    assert by_id["q1"]["chosen"] == "" and by_id["q1"]["correct"] == "0"
    for row, stored in zip(rows, answers, strict=True):  # back to what is stored
        assert row["domain"] == stored.domain and row["struck"] == stored.struck
        assert row["attempt_id"] == str(attempt_id) and row["bank_id"] == "demo"


def test_attempt_rows(tmp_path: Path) -> None:
    rnd = random.Random(3)
    with open_history() as history:
        ids = [finished(history, FakeSession(make_bank()).answer_all(rnd)) for _ in range(2)]
        history.start_attempt(FakeSession(make_bank()))
        attempts = history.attempts()[::-1]
    out = io.StringIO(newline="")
    assert write_attempts(out, attempts) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert tuple(rows[0]) == ATTEMPT_COLUMNS
    assert [r["attempt_id"] for r in rows][:2] == [str(i) for i in ids]
    first = attempts[0]
    assert rows[0]["percent"] == f"{round(first.percent, 2):.12g}"
    assert rows[0]["questions"] == "8" and rows[0]["passed"] in ("0", "1")
    assert rows[2]["status"] == "in_progress" and rows[2]["finished"] == ""


def run_cli(*argv: str) -> int:
    return main(["export", *argv])


def test_export_command(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_cli("--last") == 2
    assert "no history yet" in capsys.readouterr().err
    with open_history() as history:
        first = finished(history, FakeSession(hostile_bank()))
        second = finished(history, FakeSession(make_bank()))
        open_id = history.start_attempt(FakeSession(make_bank()))

    assert run_cli() == 0  # default: the last finished, into the data dir's exports/
    exported = Path(os.environ["EXAMSIM_DATA_DIR"]) / "exports" / f"examsim-attempt-{second}.csv"
    assert capsys.readouterr().out == f"wrote 8 rows to {exported}\n"
    assert exported.is_file() and not list(tmp_path.glob("*.csv"))  # nothing in the cwd
    assert run_cli() == 2
    assert "exists; use --force" in capsys.readouterr().err
    assert run_cli("--force") == 0
    capsys.readouterr()

    assert run_cli("--attempt", str(first), "-o", "-") == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert len(rows) == 4 and rows[0]["stem"].startswith("'=HYPERLINK")

    target = tmp_path / "all.csv"
    assert run_cli("--all", "-o", str(target)) == 0
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert [r["attempt_id"] for r in rows] == [str(first), str(second), str(open_id)]

    assert run_cli("--attempt", str(open_id), "-o", "-") == 2
    assert f"continue it with `examsim resume {open_id}`" in capsys.readouterr().err
    assert run_cli("--attempt", "999", "-o", "-") == 2
    assert f"there is no attempt 999 (the newest is {open_id})" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        run_cli("--last", "--all")
    assert exited.value.code == 2
    assert run_cli("-o", str(tmp_path / "missing" / "x.csv")) == 2
    assert "cannot write" in capsys.readouterr().err


def test_export_uses_data_dir_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "elsewhere"
    with open_history(data) as history:
        finished(history, FakeSession(make_bank()))
    assert main(["export", "--data-dir", str(data), "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("attempt_id,bank_id,position")
    assert not Path(os.environ["EXAMSIM_DATA_DIR"]).exists()


def test_export_into_a_folder_uses_the_usual_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = make_bank()
    with open_history() as history:
        session = FakeSession(bank)
        attempt_id = history.start_attempt(session)
        session.submit()
        history.finish(attempt_id, session)
    folder = tmp_path / "out"
    folder.mkdir()
    assert run_cli("--last", "-o", str(folder)) == 0
    target = folder / f"examsim-attempt-{attempt_id}.csv"
    assert capsys.readouterr().out == f"wrote 8 rows to {target}\n"
    assert run_cli("--last", "-o", str(folder)) == 2
    assert f"{target} exists; use --force" in capsys.readouterr().err
    assert run_cli("--all", "-o", str(folder)) == 0
    assert (folder / "examsim-attempts.csv").is_file()


def test_stem_cells_lose_surrounding_whitespace(tmp_path: Path) -> None:
    import dataclasses

    from examsim.storage.export import question_rows

    with open_history() as history:
        session = FakeSession(make_bank())
        attempt_id = history.start_attempt(session)
        session.submit()
        history.finish(attempt_id, session)
        attempt = history.attempt(attempt_id)
        row = dataclasses.replace(history.answers(attempt_id)[0],
                                  stem="\nWhich is reserved?\n")  # as from a TOML """ string
    (cells,) = question_rows(attempt, [row])
    assert cells[6] == "Which is reserved?"


def shuffled_attempt(history: History) -> int:
    """A real shuffled attempt on make_bank: q0 (key A+C) answered A+C as shown, q1 answered
    with the option shown as A; the rest unanswered."""
    from examsim.core.assemble import AttemptPlan
    from examsim.core.session import ExamSession

    session = ExamSession.start(make_bank(), AttemptPlan(seed=3, shuffle=True),
                                clock=lambda: 0.0)
    attempt_id = history.start_attempt(session)
    for position in range(session.count):
        view = session.view(position)
        session.go(position)
        if view.question.id == "q0":
            for option in view.options:
                if option.in_key:
                    session.choose(option.display)
        if view.question.id == "q1":
            session.choose(0)
    history.autosave(attempt_id, session)
    session.submit()
    history.finish(attempt_id, session)
    return attempt_id


def test_shown_letters_and_option_texts_match_the_screen() -> None:
    """shown_chosen / shown_answer are the display letters, the *_text columns the
    option texts (" | " between several); the bank-letter columns stay as they were."""
    from examsim.core.assemble import AttemptPlan
    from examsim.core.session import ExamSession

    bank = make_bank()
    with open_history() as history:
        attempt_id = shuffled_attempt(history)
        attempt, answers = history.attempt(attempt_id), history.answers(attempt_id)
    out = io.StringIO(newline="")
    write_questions(out, attempt, answers)
    rows = {r["question_id"]: r for r in csv.DictReader(io.StringIO(out.getvalue(),
                                                                    newline=""))}
    # the same attempt again, to know what the screen showed
    again = ExamSession.start(bank, AttemptPlan(seed=3, shuffle=True), clock=lambda: 0.0)
    views = {again.view(p).question.id: again.view(p) for p in range(again.count)}
    for qid in ("q0", "q1"):
        view, row = views[qid], rows[qid]
        key = [o for o in view.options if o.in_key]
        assert row["shown_answer"] == "".join(o.letter for o in key)
        assert row["answer_text"] == " | ".join(o.text for o in key)
        assert row["answer"] == "".join(sorted(o.bank_letter for o in key))
    q0, q1 = rows["q0"], rows["q1"]
    assert q0["shown_chosen"] == q0["shown_answer"] and q0["chosen_text"] == q0["answer_text"]
    assert " | " in q0["answer_text"] and q0["answer"] == "AC"
    shown_a = views["q1"].options[0]
    assert (q1["shown_chosen"], q1["chosen_text"], q1["chosen"]) == (
        "A", shown_a.text, shown_a.bank_letter)
    unanswered = [r for r in rows.values() if not r["chosen"]]
    assert unanswered and all(r["shown_chosen"] == r["chosen_text"] == "" for r in unanswered)
    assert all(r["shown_answer"] and r["answer_text"] for r in rows.values())


def test_letters_are_not_invented_when_the_order_was_not_recorded() -> None:
    import dataclasses

    from examsim.storage.export import question_rows

    with open_history() as history:
        attempt_id = shuffled_attempt(history)
        attempt = history.attempt(attempt_id)
        row = dataclasses.replace(history.answers(attempt_id)[0], display=None)
    (cells,) = question_rows(attempt, [row])
    named = dict(zip(QUESTION_COLUMNS, cells, strict=True))
    assert named["shown_answer"] == "" and named["answer_text"]  # texts in bank order


def test_excel_export_starts_with_a_byte_order_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_history() as history:
        finished(history, FakeSession(hostile_bank()))
    target = tmp_path / "excel.csv"
    assert run_cli("--last", "--excel", "-o", str(target)) == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfattempt_id,") and "ünïcödé".encode() in data
    assert run_cli("--last", "-o", str(tmp_path / "plain.csv")) == 0
    assert (tmp_path / "plain.csv").read_bytes().startswith(b"attempt_id,")
    capsys.readouterr()
    assert run_cli("--last", "--excel", "-o", "-") == 0
    assert capsys.readouterr().out.startswith("\ufeffattempt_id,")
