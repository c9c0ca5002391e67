"""A bank from the cache makes only the questions an attempt uses: from resolving the
BANK argument through starting, saving, finishing and reviewing the attempt (issue 17:
startup reads the index of a cached bank, and the exam's questions when it is drawn)."""

from __future__ import annotations

import json
from pathlib import Path

from examsim.core.assemble import AttemptPlan
from examsim.core.bank import LazyQuestions
from examsim.core.session import ExamSession
from examsim.storage.catalog import discover, resolve
from examsim.storage.history import History
from examsim.storage.overview import bank_overviews
from examsim.storage.resume import find_bank

from .helpers import make_bank


def write_bank(folder: Path, count: int = 60) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "lazy.json"
    data = make_bank(count, "lazy").model_dump(mode="json", by_alias=True, exclude_unset=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def made(bank) -> int:
    assert isinstance(bank.questions, LazyQuestions)
    return bank.questions.made()


def test_an_attempt_on_a_cached_bank_makes_its_own_questions_only(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("EXAMSIM_CACHE_DIR", str(tmp_path / "cache"))
    cwd, data = tmp_path / "cwd", tmp_path / "data"
    path = write_bank(cwd / "banks")
    monkeypatch.chdir(cwd)
    resolve(str(path), data, cwd)  # the first load writes the cache entry
    bank = resolve(str(path), data, cwd)
    assert made(bank) == 0
    history = History(data / "history.db")
    session = ExamSession.start(bank, AttemptPlan(questions=5, seed=2))
    attempt = history.start_attempt(session)
    session.choose(0)
    history.autosave(attempt, session)
    session.submit()
    history.finish(attempt, session)
    assert made(bank) == 5
    # the home screen's figures and resuming read the index
    entries = discover(data, cwd)
    [entry] = [e for e in entries if e.path == path]
    assert entry.bank is not None
    overview = bank_overviews([entry], history)
    assert overview[0].attempts == 1 and made(entry.bank) == 0
    row = history.attempt(attempt)
    assert row is not None and made(find_bank(row, data, cwd)) == 0
    history.close()
