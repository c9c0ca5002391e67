"""The results of a finished attempt: score, pass or fail, time, and a bar per domain.

r (review) and s (stats) post :class:`ResultsScreen.ReviewRequested` and
:class:`ResultsScreen.StatsRequested`; their bindings exist only when the app says it can
answer them. escape posts :class:`ResultsScreen.Leave` (home, or quit without a home).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...core import score_report as card
from ...core.learning import cbm_line
from ...core.safe_text import shown
from ...core.score_report import COMPENSATORY, summary_lines
from ...core.scoring import pass_percent
from ..widgets.timer import clock_text
from .help import HelpScreen

if TYPE_CHECKING:
    from ...core.score_report import DomainRow, ScoreReport
    from ...core.scoring import Breakdown, Result
    from ...core.session import ExamSession

BAR_WIDTH = 20
LABEL_MAX = 40
EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(percent: float, width: int = BAR_WIDTH) -> str:
    """A bar of ``width`` cells filled to ``percent`` (eighths of a cell), padded with ░."""
    filled = max(0.0, min(100.0, percent)) / 100 * width
    full = int(filled)
    part = int((filled - full) * 8)
    text = "█" * full
    if full < width:
        text += EIGHTHS[part] if part else ""
    return text + "░" * (width - len(text))


def number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


SESSION_NAMES = {
    "exam": "Custom exam", "practice": "Practice session", "drill": "Drill",
    "missed": "Retry of missed questions", "flagged": "Retry of flagged questions",
}


def score_line(result: Result) -> str:
    """A full exam: "52 of 75 correct · 69% · 3 unanswered" over every question; a
    session: "7 of 9 answered right · 78% · 2 unanswered" over the questions seen."""
    unanswered = f" · {result.unanswered} unanswered" if result.unanswered else ""
    if result.full:
        return (f"{number(result.correct)} of {result.total} correct · "
                f"{result.percent:.0f}%{unanswered}")
    return (f"{number(result.correct)} of {result.total} answered right · "
            f"{result.percent:.0f}%{unanswered}")


def seen_line(result: Result) -> str:
    """How many questions were shown, when not all of them were ("" otherwise)."""
    if result.seen >= result.count:
        return ""
    if result.full:
        return (f"{result.seen} of {result.count} questions seen: the rest count as "
                f"unanswered, as on the real exam")
    return f"{result.seen} of {result.count} questions seen: the rest do not count"


def verdict_line(result: Result, mode: str = "exam") -> str:
    """Pass or fail for a full exam; a session says what it was and that it has none."""
    if not result.full or result.passed is None:
        name = SESSION_NAMES.get(mode, mode.capitalize())
        return f"{name}: no pass mark (only a full exam is scored against it)"
    mark = "✓ PASSED" if result.passed else "✗ NOT PASSED"
    if result.scaled is not None:
        return f"{mark}  scaled score {result.scaled} (pass {result.pass_label})"
    return f"{mark}  (pass mark {result.pass_label})"


def time_line(session: ExamSession) -> str:
    used = clock_text(session.elapsed(), up=True)
    if session.time_limit is None:
        return f"Time used {used}"
    return f"Time used {used} of {clock_text(session.time_limit)}"


def label_width(longest: int, screen_width: int) -> int:
    """The width of the domain names' column: the longest name and a gap when the screen
    has room for it beside the bar and figures, else LABEL_MAX (names wrap)."""
    room = screen_width - BAR_WIDTH - 20  # bar, figures, padding
    return min(longest + 2, max(LABEL_MAX, room))


def domain_row(item: Breakdown, row: DomainRow | None = None) -> tuple[str, str]:
    """A domain's name, and its bar and figures; with the score report's ``row`` (a full
    exam) also its weight and classification."""
    figures = f"{item.percent:3.0f}%  {number(item.correct)}/{item.attempted}"
    if row is not None:
        weight = f" · weight {row.weight:.0f}%" if row.weight is not None else ""
        figures += f"{weight} · {row.level}"
    return item.label, f"{bar(item.percent)} {figures}"


def timing_notes(session: ExamSession) -> tuple[str, ...]:
    """What timing the attempt had, when not the usual."""
    notes = []
    if session.plan.extra_minutes:
        notes.append(f"Extra time: +{session.plan.extra_minutes:g} min (an accommodation)")
    if session.plan.strict:
        notes.append("Strict timing: the clock runs on while examsim is closed, as on the "
                     "real exam")
    elif session.time_limit is not None:
        notes.append("Timing: the clock stops whenever examsim is closed (run --strict "
                     "keeps it running, as on the real exam)")
    return tuple(notes)


def score_report(session: ExamSession) -> ScoreReport:
    """The score report of a full exam (core/score_report.py)."""

    bank, result = session.bank, session.result()
    lines = [card.Line(q.domain, q.scored, q.credit, q.answered, q.flagged, q.seconds, q.seen,
                       ">" in q.trail) for q in result.questions]
    return card.build(
        lines, title=bank.title, passed=bool(result.passed), scaled=result.scaled,
        pass_label=result.pass_label, pass_percent=pass_percent(bank),
        labels={d.id: d.label for d in bank.domains},
        weights={d.id: d.weight for d in bank.domains}, elapsed=session.elapsed(),
        time_limit=session.time_limit, notes=timing_notes(session),
    )


class ResultsScreen(Screen[None]):
    """Shows ``session.result()`` of a finished session."""

    DEFAULT_CSS = """
    ResultsScreen {
        #results { padding: 1 2; }
        #results-title {
            text-style: bold;
            margin: 0 0 1 0;
        }
        #results-ended {
            color: $text-warning;
            margin: 0 0 1 0;
        }
        #results-verdict {
            text-style: bold;
            &.-passed { color: $text-success; }
            &.-failed { color: $text-error; }
        }
        #results-score, #results-seen, #results-repeats, #results-cbm, #results-time {
            margin: 0 0 0 0;
        }
        .results-heading {
            text-style: bold;
            margin: 1 0 0 0;
        }
        #results-domains { height: auto; }
        .domain-row { height: auto; }
        .domain-name { margin: 1 0 0 0; }
        .domain-label {
            width: 1fr;
            height: auto;
            min-width: 12;
        }
        .domain-bar {
            width: auto;
            height: auto;
            color: $text-primary;
        }
        #results-compensatory {
            margin: 1 0 0 0;
            color: $text-muted;
        }
    }
    """

    BINDINGS = [
        Binding("r", "review", "Review answers"),
        Binding("s", "stats", "Stats"),
        Binding("escape", "leave", "Done", tooltip="Home (or quit when there is no home screen)"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    class ReviewRequested(Message):
        def __init__(self, session: ExamSession) -> None:
            super().__init__()
            self.session = session

    class StatsRequested(Message):
        def __init__(self, session: ExamSession) -> None:
            super().__init__()
            self.session = session

    class Leave(Message):
        """escape: go home (or quit when there is no home screen)."""

    def __init__(
        self,
        session: ExamSession,
        *,
        can_review: bool = False,
        can_stats: bool = False,
        note: str = "",
    ) -> None:
        super().__init__()
        self.session = session
        self.note = note  # e.g. "62 of 75 seen before: this score overstates readiness"
        self.can_review = can_review
        self.can_stats = can_stats
        self._longest_label: int | None = None  # of the domain names, once composed

    def compose(self) -> ComposeResult:
        session = self.session
        result = session.result()
        with VerticalScroll(id="results", can_focus=False):
            yield Static(Content(f"Results: {shown(session.bank.title)}"), id="results-title")
            if session.end_reason == "time_up":
                yield Static(Content("Time ran out: the attempt ended by itself."),
                             id="results-ended")
            verdict = Static(Content(verdict_line(result, session.mode)), id="results-verdict")
            verdict.set_class(result.passed is True, "-passed")
            verdict.set_class(result.passed is False, "-failed")
            yield verdict
            yield Static(Content(score_line(result)), id="results-score")
            seen = seen_line(result)
            if seen:
                yield Static(Content(seen), id="results-seen")
            if self.note:
                yield Static(Content(self.note), id="results-repeats")
            marks = cbm_line((q.correct, q.confidence, q.answered) for q in result.questions
                             if q.seen)
            if marks:
                yield Static(Content(marks), id="results-cbm")
            report = score_report(session) if result.full else None
            if report is None:
                yield Static(Content(time_line(session)), id="results-time")
            else:
                yield Static(Content("\n".join(summary_lines(report))), id="results-time")
            if result.per_domain and report is not None:
                # the score report: each domain's name and weight on a line of its own,
                # its bar, figures and classification under it (fits 80 columns)
                yield Static(Content("Score report by domain"), classes="results-heading")
                levels = {r.key: r for r in report.domains}
                with Vertical(id="results-domains"):
                    for item in result.per_domain:
                        row = levels.get(item.key)
                        weight = (f" · weight {row.weight:.0f}%"
                                  if row is not None and row.weight is not None else "")
                        yield Static(Content(shown(item.label) + weight),
                                     classes="domain-name")
                        figures = (f"{bar(item.percent)} {item.percent:3.0f}%  "
                                   f"{number(item.correct)}/{item.attempted}")
                        if row is not None:
                            figures += f" · {row.level}"
                        yield Static(Content(figures), classes="domain-bar")
            elif result.per_domain:
                yield Static(Content("By domain"), classes="results-heading")
                rows = [domain_row(item) for item in result.per_domain]
                self._longest_label = max(len(label) for label, _ in rows)
                width = label_width(self._longest_label, self.app.size.width)
                with Vertical(id="results-domains"):
                    for label, figures in rows:
                        with Horizontal(classes="domain-row"):
                            name = Static(Content(shown(label)), classes="domain-label")
                            name.styles.max_width = width
                            yield name
                            yield Static(Content(figures), classes="domain-bar")
            if report is not None:
                yield Static(Content(COMPENSATORY), id="results-compensatory")
        yield Footer(compact=True)

    def on_resize(self, event: events.Resize) -> None:
        if self._longest_label is not None:
            width = label_width(self._longest_label, event.size.width)
            for name in self.query(".domain-label"):
                name.styles.max_width = width

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "review":
            return self.can_review
        if action == "stats":
            return self.can_stats
        return True

    def action_review(self) -> None:
        self.post_message(self.ReviewRequested(self.session))

    def action_stats(self) -> None:
        self.post_message(self.StatsRequested(self.session))

    def action_leave(self) -> None:
        self.post_message(self.Leave())

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self, "Keys on the results screen"))
