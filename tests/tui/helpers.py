"""A fake clock, small banks and sessions for the TUI tests; histories built with the real
engine (``review_bank``, ``take``...) for the review, stats, history and palette tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from examsim.core.assemble import AttemptPlan
from examsim.core.bank import Bank
from examsim.core.bank_model import validate_bank
from examsim.core.session import ExamSession
from examsim.storage.history import History
from examsim.tui.app import ExamSimApp

from .fakes import FakeClock, FakeServices

__all__ = ["FakeClock", "FakeServices"]  # with the helpers below


MARKUP_STEM = (
    "Literal [b]bold[/b], [/] and [link=https://x.example]link[/link], $var, \\ back\\slash,"
    " [red]red[/], emoji 🚀, CJK 日本語のテキスト, and a long word "
    "Supercalifragilisticexpialidocious_with_a_very_long_tail_that_has_no_spaces_at_all"
)


def make_bank(count: int = 6, *, time_limit: float | None = 30, markup: bool = False) -> Bank:
    """``count`` questions in two domains; question 2 (index 1) is "choose two"."""
    questions = []
    for i in range(count):
        stem = f"Question {i + 1}: which option is right?"
        if markup and i == 0:
            stem = MARKUP_STEM
        options = [
            {"text": f"Option {k + 1} of question {i + 1}", "why": f"Why option {k + 1}."}
            for k in range(4)
        ]
        if markup and i == 0:
            options[0] = {"text": "[b]not bold[/b] [/] $x", "why": "[link=y]not a link[/link]"}
            options[1] = {"text": "🚀 日本語 \\[escaped]", "why": "[/]"}
        questions.append({
            "id": f"q{i + 1}",
            "domain": "net" if i % 2 == 0 else "sec",
            "topics": ["VPC"] if i % 2 == 0 else ["IAM"],
            "stem": stem,
            "options": options,
            "answer": ["A", "C"] if i == 1 else ["B"],
            "explanation": f"Explanation of question {i + 1}." if not (markup and i == 0)
            else "[b]explained[/b] [/]",
        })
    settings: dict[str, object] = {"id": "tui-test", "title": "TUI test bank", "pass_percent": 70}
    if time_limit is not None:
        settings["time_limit"] = time_limit
    return validate_bank({
        "bank": settings,
        "domains": [
            {"id": "net", "name": "Networking", "weight": 50},
            {"id": "sec", "name": "Security", "weight": 50},
        ],
        "questions": questions,
    })


def make_session(
    bank: Bank | None = None,
    *,
    mode: str = "exam",
    clock: FakeClock | None = None,
    seed: int = 7,
    shuffle: bool = False,
    time_minutes: float | None = None,
) -> ExamSession:
    plan = AttemptPlan(mode=mode, seed=seed, shuffle=shuffle,  # type: ignore[arg-type]
                       time_minutes=time_minutes)
    return ExamSession.start(bank or make_bank(), plan, clock=clock or FakeClock())


def make_app(session: ExamSession, **hooks: Any) -> ExamSimApp:
    """An app showing ``session`` over ``services`` (default: a new FakeServices)."""
    hooks.setdefault("services", FakeServices())
    return ExamSimApp(session, **hooks)


class Recorder:
    """Records hook calls and notifications."""

    def __init__(self) -> None:
        self.changes = 0
        self.finished: list[object] = []
        self.notes: list[tuple[str, dict[str, object]]] = []

    def on_change(self, session: object) -> None:
        self.changes += 1

    def on_finish(self, session: object) -> None:
        self.finished.append(session)

    def notify(self, message: str, **kwargs: object) -> None:
        self.notes.append((message, kwargs))

    @property
    def messages(self) -> list[str]:
        return [message for message, _ in self.notes]


def recorded_app(session: ExamSession, **hooks: Any) -> tuple[ExamSimApp, Recorder]:
    """An app whose on_change / on_finish and notify go to a Recorder (services: a new
    FakeServices unless given)."""
    rec = Recorder()
    hooks.setdefault("services", FakeServices())
    app = ExamSimApp(session, on_change=rec.on_change, on_finish=rec.on_finish, **hooks)
    app.notify = rec.notify  # type: ignore[method-assign]
    return app, rec


def rendered_text(widget: object) -> str:
    """What the screen shows inside a widget's region (children included), line by line."""
    from textual.widget import Widget

    assert isinstance(widget, Widget)
    strips = widget.screen._compositor.render_strips()
    region = widget.region
    return "\n".join(
        strips[y].crop(region.x, region.right).text
        for y in range(max(0, region.y), min(len(strips), region.bottom))
    )


def option_text(app: object, display: int) -> str:
    """What the screen shows on the lines of option ``display`` of the exam screen."""
    from examsim.tui.widgets.options import AnswerOptions

    options = app.screen.query_one(AnswerOptions)  # type: ignore[attr-defined]
    region = options.row_region(display).translate(options.content_region.offset)
    strips = options.screen._compositor.render_strips()
    return "\n".join(strips[y].crop(region.x, region.right).text
                     for y in range(region.y, region.bottom))


# -- histories built with the real engine (ExamSession + History) ------------------------


class HistoryClock:
    """Wall-clock stamps for History: 2025-03-01 09:00 UTC, then 10 minutes per call."""

    def __init__(self) -> None:
        self.moment = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.moment += timedelta(minutes=10)
        return self.moment


def review_bank(**changes: Any) -> Bank:
    """make_bank (q1-q6; q2 is choose-two A+C, the others B; net/VPC on
    odd numbers, sec/IAM on even) with references on q1 and ``changes`` to the data."""
    data = make_bank().model_dump(by_alias=True)
    data["questions"] = [{**data["questions"][0], "references": ["https://docs.example/q1"]},
                         *data["questions"][1:]]
    for key, value in changes.items():
        data[key] = value
    return validate_bank(data)


def open_history(tmp_path: Path) -> History:
    return History(tmp_path / "history.sqlite3", now=HistoryClock())


def take(
    history: History,
    bank: Bank,
    picks: Mapping[int, str],
    *,
    flags: Iterable[int] = (),
    strikes: Mapping[int, str] | None = None,
    confidence: Mapping[int, int] | None = None,
    seconds: float = 30.0,
    mode: str = "exam",
    clock: FakeClock | None = None,
    finish: bool = True,
) -> int:
    """One attempt in file order (no shuffle, so display letters are bank letters):
    ``picks`` maps a 0-based position to the letters chosen; returns the attempt id."""
    clock = clock or FakeClock()
    plan = AttemptPlan(mode=mode, seed=1, shuffle=False)  # type: ignore[arg-type]
    session = ExamSession.start(bank, plan, clock=clock)
    attempt_id = history.start_attempt(session)
    for position in range(session.count):
        session.go(position)
        for letter in (strikes or {}).get(position, ""):
            assert session.toggle_strike("ABCDEFGH".index(letter)).ok
        for letter in picks.get(position, ""):
            assert session.choose("ABCDEFGH".index(letter)).ok
        if position in set(flags):
            session.toggle_flag()
        if (level := (confidence or {}).get(position)) is not None:
            session.set_confidence(level)
        clock.advance(seconds)
        history.autosave(attempt_id, session)
    if finish:
        session.submit()
        history.finish(attempt_id, session)
    return attempt_id


ALL_RIGHT = {0: "B", 1: "AC", 2: "B", 3: "B", 4: "B", 5: "B"}
# q1 wrong (struck C, flagged, "guessing"), q2 partly right (A+D), q3 unanswered (flagged),
# q4-q6 right.
MIXED = {0: "A", 1: "AD", 3: "B", 4: "B", 5: "B"}


def mixed_attempt(history: History, bank: Bank, **kw: Any) -> int:
    return take(history, bank, MIXED, flags=(0, 2), strikes={0: "C"}, confidence={0: 3},
                seconds=42, **kw)


def host(factory: Callable[[], Any], services: FakeServices | None = None) -> ExamSimApp:
    """An app whose first screen is ``factory()`` (as ``examsim review`` runs it), over
    ``services`` (default: a new FakeServices)."""
    return ExamSimApp(home=factory, services=services or FakeServices())


def flat(text: str) -> str:
    """Screen text with its line breaks and runs of blanks folded to one space."""
    return " ".join(text.split())
