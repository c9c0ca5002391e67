"""A fake clock, small banks and sessions for the TUI tests."""

from __future__ import annotations

from examsim.core.assemble import AttemptPlan
from examsim.core.bank import Bank
from examsim.core.session import ExamSession
from examsim.tui.app import ExamSimApp


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


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
    return Bank.model_validate({
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


def make_app(session: ExamSession, **hooks: object) -> ExamSimApp:
    return ExamSimApp(session, **hooks)  # type: ignore[arg-type]


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


def recorded_app(session: ExamSession, **hooks: object) -> tuple[ExamSimApp, Recorder]:
    """An app whose on_change / on_finish and notify go to a Recorder."""
    rec = Recorder()
    app = ExamSimApp(session, on_change=rec.on_change, on_finish=rec.on_finish,
                     **hooks)  # type: ignore[arg-type]
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
