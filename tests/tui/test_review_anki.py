"""`a` on the review screen: the questions listed, as an Anki deck, never over a file."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from examsim.storage.anki import note_guid
from examsim.tui.screens.review import ReviewScreen

from .helpers import host, mixed_attempt, open_history, review_bank


def guids(path: Path, tmp_path: Path) -> list[str]:
    db = tmp_path / "read.anki2"
    with zipfile.ZipFile(path) as archive:
        db.write_bytes(archive.read("collection.anki2"))
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("SELECT guid FROM notes ORDER BY id")]
    finally:
        conn.close()
        db.unlink()


async def test_anki_deck_of_the_wrong_ones(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bank = review_bank()
    history = open_history(tmp_path)
    attempt_id = mixed_attempt(history, bank)
    app = host(lambda: ReviewScreen(history, bank, attempt_id))
    notes: list[str] = []
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        monkeypatch.setattr(app, "notify", lambda text, **kw: notes.append(text))
        await pilot.press("2")  # wrong ones
        wrong = [item.question_id for item in screen.shown]
        await pilot.press("a")
        await pilot.press("a")  # again: a new name, the first file kept
    first = tmp_path / f"examsim-{bank.id}-attempt-{attempt_id}-wrong.apkg"
    second = tmp_path / f"examsim-{bank.id}-attempt-{attempt_id}-wrong-2.apkg"
    assert notes == [f"Wrote {len(wrong)} notes to {first}",
                     f"Wrote {len(wrong)} notes to {second}"]
    expected = [note_guid(bank.id, q.id) for q in bank.questions if q.id in wrong]
    assert guids(first, tmp_path) == guids(second, tmp_path) == expected


async def test_no_deck_without_the_bank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bank = review_bank()
    history = open_history(tmp_path)
    attempt_id = mixed_attempt(history, bank)
    app = host(lambda: ReviewScreen(history, None, attempt_id))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("a")
    assert not list(tmp_path.glob("*.apkg"))


async def test_anki_deck_of_the_missed_ones_from_stats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from examsim.tui.screens.stats import StatsScreen

    from .test_stats import settle, stats_app

    monkeypatch.chdir(tmp_path)
    app, bank, _ = await stats_app(tmp_path)
    notes: list[str] = []
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        monkeypatch.setattr(app, "notify", lambda text, **kw: notes.append(text))
        missed = screen.missed_ids()
        assert missed == ["q1", "q3", "q5"]  # as test_stats.py's retry shows
        await pilot.press("a")
    path = tmp_path / f"examsim-{bank.id}-missed.apkg"
    assert notes == [f"Wrote 3 notes to {path}"]
    assert guids(path, tmp_path) == [note_guid(bank.id, q) for q in missed]
