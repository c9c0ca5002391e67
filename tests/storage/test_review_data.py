"""What the review screen shows, as data: storage/review.py."""

from __future__ import annotations

from pathlib import Path

from examsim.storage.history import History
from examsim.storage.review import counts, review_items

from .helpers import FakeNow, FakeSession, make_bank


def test_abandoned_attempt_counts_every_question(tmp_path: Path) -> None:
    """QA #12: an abandoned attempt with 12 unanswered questions shows 12, not 0."""
    with History(tmp_path / "history.sqlite3", now=FakeNow()) as history:
        session = FakeSession(make_bank(12)).mark(3, flagged=True)
        attempt_id = history.start_attempt(session)
        history.autosave(attempt_id, session)
        history.abandon(attempt_id, "abandoned from the home screen")
        _, items = review_items(history, attempt_id)
    assert counts(items) == {"all": 12, "wrong": 0, "flagged": 1, "unanswered": 12}
