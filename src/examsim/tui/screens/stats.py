"""The stats of one bank: what to study next, at a glance.

    StatsScreen(history, bank_id, bank=None)   # bank: for the pass mark and the actions

From the top: a "study next" line (the weakest topics with enough answers, and how many
questions were missed the last time they were asked), miss-streak alerts, accuracy per
domain as bars (all attempts and the last five), the score trend as a plot with the pass
mark (widgets/score_trend.py), every topic in a sortable table (weakest first; a topic
asked fewer than MIN_ANSWERS times is listed after the ranked ones and never called
weak), strike accuracy, and pacing against the time the bank allows per question.
Percentages are over the questions asked (an unanswered one scores as wrong), so every
count beside one says which it is: questions asked, and how many of them got an answer.

Keys: d drills the weakest topics, m retries the questions missed the last time they
were asked (each posts ``StartAttempt`` with a "drill" / "missed" plan; the app starts
it through its services), o changes the topic order, h opens the history
(``OpenHistory``); d and m are shown only when the bank is at hand and the services
can start attempts. The figures are read in a thread worker while a line says so: first
what answers "what next" (summary, topics, domains, trend, misses), then strikes, pacing
and confidence, so that the glance comes about twice as soon (bench/bench_screens.py).
a writes the missed questions as an Anki deck (tui/anki_deck.py).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import getters, work
from textual._context import NoActiveAppError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from ...core.assemble import AttemptPlan
from ...core.insights import MIN_ANSWERS, Accuracy, top_streaks, trend
from ...core.safe_text import shown
from ...storage import history_stats
from ...storage.report import RECALL_NOTE, domain_label, domain_names, glance, learning_text, more
from ..anki_deck import write_anki
from ..app_base import AppBase
from ..messages import OpenHistory, StartAttempt
from ..widgets.figures import plural
from ..widgets.score_trend import ScoreTrend
from .browse import BrowseScreen
from .results import bar

if TYPE_CHECKING:
    from ...core.bank import Bank
    from ...storage.history import History
    from ...storage.report_model import Details, DomainAccuracy, Glance

DRILL_TOPICS = 3
BAR_WIDTH = 20
LABEL_MAX = 28
LABEL_MAX_WIDE = 48  # from WIDE columns up, domain names have room to be read whole
WIDE = 120
SORTS = ("weakest", "answers", "name")
SORT_LABELS = {"weakest": "weakest first", "answers": "most asked first", "name": "by name"}
DEFAULT_PASS = 70.0


@dataclass
class StatsData:
    """Everything the screen shows: the glance first, the details (strikes, pacing,
    confidence) a moment later, both read off the UI thread."""

    bank_id: str
    report: Glance                             # bank_report's first part (storage/report.py)
    topics: list[Accuracy]
    scores: list[tuple[float, bool]]          # (percent, passed) of full exams, oldest first
    missed: list[str]                          # missed the last time they were asked
    streaks: list[tuple[str, int]]            # (topic, wrong in a row), longest first
    topic_runs: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # domain id -> name (report.domain_names)
    details: Details | None = None             # strikes, pacing, calibration, review, learning:
                                               # None until read

    @property
    def empty(self) -> bool:
        """No scored attempt at all (full exam or session)."""
        return not self.report.attempts


def load_glance(history: History, bank_id: str) -> StatsData:
    """What the screen shows first: scores, trend, domains, topics, misses and streaks
    (bank_report's figures without strikes, pacing and confidence; about a third of its
    time with 1,000 attempts)."""

    attempts = history.attempts(bank_id)
    series = history.scores(bank_id)
    runs = history.miss_streaks(bank_id)
    names = domain_names(attempts)
    label = domain_label(names)
    slope = trend([score.percent for score in series])
    return StatsData(
        bank_id=bank_id,
        report=glance(history, bank_id, attempts, label, slope, runs),
        topics=history_stats.accuracy(history, bank_id, "topic"),
        scores=[(score.percent, score.passed) for score in series],
        missed=history.missed_ids(bank_id),
        streaks=top_streaks(runs, n=5),
        topic_runs=runs,
        names=names,
    )


def load_details(
    history: History, bank_id: str, data: StatsData, bank: Bank | None = None
) -> StatsData:
    """Add strikes, pacing, confidence, spaced review and learning to ``data`` (bank_report's
    second part)."""

    names = {**data.names, **(domain_names((), bank) if bank is not None else {})}
    data.details = more(history, bank_id, domain_label(names), bank)
    return data


def load_stats(history: History, bank_id: str) -> StatsData:
    """Every figure of the stats screen at once (what the worker reads in two steps)."""
    return load_details(history, bank_id, load_glance(history, bank_id))


def pass_percent(bank: Bank | None) -> float | None:
    """The pass mark as a percent: pass_percent, or the scaled pass mark's share, else 70."""
    if bank is None:
        return None
    rule = bank.settings.scaled_score
    if rule is not None:
        return 100.0 * (rule.pass_mark - rule.min) / (rule.max - rule.min)
    return bank.settings.pass_percent if bank.settings.pass_percent is not None else DEFAULT_PASS


def ranked(topic: Accuracy) -> bool:
    """Enough questions seen to judge a topic, and at least one of them answered (a
    topic never answered says nothing of what the user knows)."""
    return topic.attempted >= MIN_ANSWERS and topic.answers > 0 and topic.key is not None


def sort_topics(topics: list[Accuracy], order: str) -> list[Accuracy]:
    """Ranked topics before the ones with too few answers; within each, by ``order``."""
    if order == "answers":
        key: Any = lambda t: (not ranked(t), -t.attempted, t.percent, t.key or "")  # noqa: E731
    elif order == "name":
        key = lambda t: (not ranked(t), (t.key or "").casefold())  # noqa: E731
    else:
        key = lambda t: (not ranked(t), t.percent, -t.attempted, t.key or "")  # noqa: E731
    return sorted(topics, key=key)


def study_next(data: StatsData, n: int = DRILL_TOPICS) -> list[Accuracy]:
    return sort_topics([t for t in data.topics if ranked(t)], "weakest")[:n]


def percent_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def bar_line(
    label: str, width: int, percent: float, figures: str, bar_width: int = BAR_WIDTH
) -> Content:
    label = shown(label)
    name = label if len(label) <= width else label[: width - 1] + "…"
    return Content.assemble(f"{name:<{width}} ", (bar(percent, bar_width), "$text-primary"),
                            f" {figures}")


MIN_BAR = 6
MIN_LABEL = 12


def fit_domain_lines(
    label_width: int, figures: list[str], short: list[str], room: int
) -> tuple[int, int, list[str]]:
    """(name width, bar width, figures) for domain lines that fit in ``room`` cells, one
    line each (a line is name, blank, bar, blank, figures). The bar gives way first (down
    to MIN_BAR), then the figures take their short form, then the name is cut (down to
    MIN_LABEL)."""
    for texts in (figures, short):
        spare = room - label_width - max(map(len, texts)) - 2
        if spare >= MIN_BAR:
            return label_width, min(BAR_WIDTH, spare), texts
    widest = max(map(len, short))
    return max(MIN_LABEL, min(label_width, room - MIN_BAR - widest - 2)), MIN_BAR, short


class StatsScreen(BrowseScreen):
    """The stats of one bank (bank_id None: there is no finished attempt at all)."""

    DEFAULT_CSS = """
    StatsScreen {
        #stats {
            height: 1fr;
            padding: 0 1;
            scrollbar-size-vertical: 1;
            & > Static { height: auto; }
        }
        #stats-loading { margin: 1 0; }
        #stats-summary { color: $text-muted; }
        #stats-next {
            margin: 1 0 0 0;
            color: $text-accent;
        }
        #stats-streaks { color: $text-warning; }
        .stats-heading {
            text-style: bold;
            margin: 1 0 0 0;
        }
        #stats-topics {
            height: auto;
            max-height: 100%;
        }
        #stats-empty { margin: 1 0; }
    }
    """

    app = getters.app(AppBase)
    HELP_TITLE = "Keys on the stats screen"

    BINDINGS = [
        Binding("d", "drill", "Drill weakest", tooltip="Start a drill of the weakest topics"),
        Binding("m", "retry_missed", "Retry missed",
                tooltip="Start an attempt of the questions missed the last time"),
        Binding("a", "anki_missed", "Anki deck", show=False,
                tooltip="Write the questions missed the last time as an Anki deck (.apkg)"),
        Binding("o", "sort", "Sort", tooltip="Order topics: weakest first, most "
                "answers, by name"),
        Binding("h", "history", "History", tooltip="Every attempt: review, export, delete"),
        Binding("escape", "leave", "Back"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    class Loaded(Message):
        """The figures are on screen (tests and benchmarks wait for this)."""

    def __init__(self, history: History, bank_id: str | None, bank: Bank | None = None) -> None:
        super().__init__()
        self.history = history
        self.bank_id = bank_id
        self.browsed = ("stats", bank_id)
        self.bank = bank if bank is not None and bank.id == bank_id else None
        self.data: StatsData | None = None
        self.order = "weakest"
        self._read_at: int | None = None  # history.changes when the figures were read

    def compose(self) -> ComposeResult:
        yield Static(Content(self._title()), id="stats-title", classes="browse-title")
        with VerticalScroll(id="stats"):
            # a still line, not a LoadingIndicator: its animation would take the CPU
            # (and the GIL) from the worker reading the figures
            yield Static(Content.styled("Reading your history…", "$foreground-muted"),
                         id="stats-loading")
        yield Footer(compact=True)

    def _title(self) -> str:
        if self.bank is not None:
            return f"Stats · {shown(self.bank.title)}"
        if self.data is not None:
            return f"Stats · {shown(self.data.report.title)}"
        return f"Stats · {shown(self.bank_id)}" if self.bank_id else "Stats"

    def on_mount(self) -> None:
        self.query_one("#stats").focus()
        self._read_at = self.history.changes
        if self.bank_id is None:
            self.call_after_refresh(self.show_data, None)
        else:
            self.load(self.bank_id)

    def on_screen_resume(self) -> None:
        """Back on this screen (the app goes back to it rather than open a second one):
        read the figures again when the history changed meanwhile (an attempt deleted
        on the history screen above, one ended since)."""
        if self.bank_id is None or self._read_at in (None, self.history.changes):
            return
        self._read_at = self.history.changes
        self.load(self.bank_id)

    @work(thread=True, exclusive=True, group="stats")
    def load(self, bank_id: str) -> None:
        data = load_glance(self.history, bank_id)
        self._deliver(self.show_data, data)

    @work(thread=True, exclusive=True, group="stats-details")
    def load_more(self, data: StatsData) -> None:
        """Step 2, started once step 1 is drawn (so that it does not slow the drawing)."""
        load_details(self.history, data.bank_id, data, self.bank)
        self._deliver(self.show_details)

    def _deliver(self, method: Any, *args: Any) -> None:
        """Hand what a worker read to the screen; nothing when the app or the screen has
        gone meanwhile (a worker thread can finish after the app exited)."""
        try:
            app = self.app
        except NoActiveAppError:
            return
        if app.is_running and self.is_attached:
            with contextlib.suppress(RuntimeError):  # the app's loop closed meanwhile
                app.call_from_thread(method, *args)

    # -- showing ----------------------------------------------------------------------

    async def show_data(self, data: StatsData | None) -> None:
        self.data = data
        self.query_one("#stats-title", Static).update(Content(self._title()))
        body = self.query_one("#stats", VerticalScroll)
        await body.remove_children()
        await body.mount_all(list(self.sections(data)))
        self.fill_topics()
        self.refresh_bindings()
        if data is None or data.empty:
            self.post_message(self.Loaded())
        else:
            self.call_after_refresh(self.load_more, data)

    def show_details(self) -> None:
        """Strikes, pacing and confidence, once read."""
        data = self.data
        if data is None or data.empty or data.details is None or not self.is_mounted:
            return
        r = data.details
        self.query_one("#stats-strikes", Static).update(self.strike_lines(r))
        self.query_one("#stats-pacing", Static).update(self.pacing_lines(r))
        self.query_one("#stats-review", Static).update(self.review_lines(r))
        self.query_one("#stats-learning", Static).update(self.learning_lines(r))
        if r.calibration:
            self.query_one("#stats-calibration", Static).update(self.calibration_lines(r))
        for widget in self.query(".stats-calibration"):
            widget.display = bool(r.calibration)
        self.post_message(self.Loaded())

    def sections(self, data: StatsData | None) -> list[Any]:
        if data is None or data.empty:
            where = f" on {data.report.title}" if data is not None else ""
            text = (f"No finished attempts yet{where}.\n\nFinish an attempt and come back: "
                    "this screen then shows your score trend, your weakest topics, miss "
                    "streaks, strike accuracy and pacing.")
            return [Static(Content(shown(text)), id="stats-empty")]
        widgets: list[Any] = [Static(self.summary(data), id="stats-summary")]
        widgets.append(Static(self.study_line(data), id="stats-next"))
        if data.streaks:
            alerts = "\n".join(f"⚠ {run} wrong in a row on {topic}"
                               for topic, run in data.streaks)
            widgets.append(Static(Content(shown(alerts)), id="stats-streaks"))
        widgets.append(self.heading("Accuracy by domain (all attempts · last 5; "
                                    "unanswered counts as wrong)"))
        widgets.append(Static(self.domain_lines(data.report), id="stats-domains"))
        widgets.append(self.heading("Score trend (full exams)"))
        widgets.append(ScoreTrend(data.scores, pass_percent(self.bank), id="stats-trend"))
        widgets.append(self.heading(self.topics_title(), id="stats-topics-title"))
        table: DataTable[Any] = DataTable(id="stats-topics", cursor_type="none",
                                          zebra_stripes=True)
        table.can_focus = False
        widgets.append(table)
        reading = Content.styled("reading…", "$foreground-muted")
        widgets.append(self.heading("Readiness (from fresh answers only)"))
        widgets.append(Static(reading, id="stats-learning"))
        widgets.append(self.heading("Spaced review (what is due, predicted recall)"))
        widgets.append(Static(reading, id="stats-review"))
        widgets.append(self.heading("Strikes"))
        widgets.append(Static(reading, id="stats-strikes"))
        widgets.append(self.heading("Pacing (seconds per question)"))
        widgets.append(Static(reading, id="stats-pacing"))
        confidence = self.heading("Confidence (how often each level was right)")
        confidence.add_class("stats-calibration")
        widgets.append(confidence)
        widgets.append(Static(reading, id="stats-calibration", classes="stats-calibration"))
        return widgets

    @staticmethod
    def heading(text: str, id: str | None = None) -> Static:
        return Static(Content(text), classes="stats-heading", id=id)

    def summary(self, data: StatsData) -> Content:
        r = data.report
        latest, best = r.latest, r.best
        parts = [plural(r.full_exams, "full exam")]
        if r.sessions:
            parts.append(plural(r.sessions, "session"))
        if latest:
            mark = "✓ passed" if latest.passed else "✗ not passed"
            parts.append(f"latest {percent_text(latest.percent)} {mark}")
        if best:
            parts.append(f"best {percent_text(best.percent)}")
        trend = r.trend
        if r.full_exams > 1:
            parts.append(f"trend {trend.direction} "
                         f"({trend.points_per_attempt:+.1f} points per attempt)")
        return Content(" · ".join(parts))

    def study_line(self, data: StatsData) -> Content:
        weakest = study_next(data)
        if weakest:
            topics = ", ".join(f"{t.key} ({t.percent:.0f}% of {t.attempted} asked)"
                               for t in weakest)
            text = f"Study next: {topics}"
        else:
            text = (f"Study next: no topic was asked {MIN_ANSWERS} times yet; "
                    "a few more attempts will tell")
        if data.missed:
            text += f" · {plural(len(data.missed), 'question')} missed the last time asked"
        return Content.assemble(("▶ ", "bold"), (shown(text), "bold"))

    def label_max(self) -> int:
        """How long a domain name may be before it is cut with an ellipsis."""
        return LABEL_MAX_WIDE if self.app.size.width >= WIDE else LABEL_MAX

    def domain_lines(self, r: Glance) -> Content:
        domains = r.domains
        if not domains:
            return Content("No answers yet.")
        width = min(self.label_max(), max(len(d.label) for d in domains))
        # 3 cells: the scrollbar and the padding
        width, bar_width, figures = fit_domain_lines(
            width, [self.domain_figures(d) for d in domains],
            [self.domain_figures(d, short=True) for d in domains], self.app.size.width - 3)
        return Content("\n").join(
            bar_line(d.label, width, d.percent, f, bar_width)
            for d, f in zip(domains, figures, strict=True)
        )

    @staticmethod
    def domain_figures(d: DomainAccuracy, *, short: bool = False) -> str:
        """"44% ·  50% · 9 asked · 8 answers": all attempts, the last 5, the questions
        asked (the percentages are over them) and how many of them got an answer."""
        recent = percent_text(d.recent_percent)
        few = ""
        if d.questions < MIN_ANSWERS:
            few = " (too few)" if short else " (too few to judge)"
        return (f"{d.percent:3.0f}% · {recent:>4} · {d.questions} asked · "
                f"{plural(d.answered, 'answer')}{few}")

    def topics_title(self) -> str:
        return (f"Topics ({SORT_LABELS[self.order]}; ranked from {MIN_ANSWERS} asked up; "
                "o changes the order)")

    def fill_topics(self) -> None:
        if self.data is None or not self.is_mounted:
            return
        tables = self.query("#stats-topics")
        if not tables:
            return
        table = tables.first(DataTable)
        table.clear(columns=True)
        table.add_column("Topic", key="topic")
        table.add_column("Right", key="right")    # of the questions asked
        table.add_column("Asked", key="asked")
        table.add_column("Answers", key="answers")
        table.add_column("Note", key="note")
        for topic in sort_topics(self.data.topics, self.order):
            run = self.data.topic_runs.get(topic.key or "", 0)
            notes = []
            if not ranked(topic):
                notes.append("too few asked")
            if run >= 2:
                notes.append(f"⚠ {run} wrong in a row")
            table.add_row(  # rich Text: a topic name is never read as markup
                Text(shown(topic.key or "(none)")),
                Text(f"{topic.percent:3.0f}%" if ranked(topic) else f"({topic.percent:.0f}%)",
                     justify="right"),
                Text(str(topic.attempted), justify="right"),
                Text(str(topic.answers), justify="right"),
                Text(", ".join(notes)),
                key=topic.key or "",
            )
        self.query_one("#stats-topics-title", Static).update(Content(self.topics_title()))

    def strike_lines(self, r: Details) -> Content:
        s = r.strikes
        if not s.struck:
            return Content("No options struck out yet (shift+letter strikes one during an "
                           "exam).")
        lines = [f"{s.accuracy:.0f}% of your strikes were right: {s.struck} struck, "
                 f"{s.in_key} of them in the key"]
        width = min(self.label_max(), max((len(d.label) for d in s.per_domain), default=0))
        for d in s.per_domain:
            mark = "✓" if d.in_key == 0 else "⚠"
            lines.append(f"  {mark} {d.label[:width]:<{width}} "
                         f"{percent_text(d.accuracy):>4} right "
                         f"({d.struck} struck, {d.in_key} in the key)")
        return Content(shown("\n".join(lines)))

    def pacing_lines(self, r: Details) -> Content:
        p = r.pacing
        if not p.questions:
            return Content("No timed answers yet.")
        budget = p.budget_seconds
        head = f"{p.mean_seconds:.0f} s per question overall"
        head += (f"; the time limits allowed {budget:.0f} s" if budget
                 else "; your attempts were untimed")
        lines = [head]
        width = min(self.label_max(), max((len(d.label) for d in p.per_domain), default=0))
        for d in p.per_domain:
            verdict = d.verdict
            mark = {"over budget": "⚠ over budget", "within budget": "✓ within budget"}.get(
                verdict, "")
            lines.append(f"  {d.label[:width]:<{width}} {d.mean_seconds:4.0f} s  "
                         f"{mark}".rstrip())
        return Content(shown("\n".join(lines)))

    def learning_lines(self, r: Details) -> Content:

        return Content(shown("\n".join(learning_text(r))))  # domain names: bank text

    def review_lines(self, r: Details) -> Content:
        due = r.due
        lines = [f"{due.today} due today · {due.week} this week"
                 + (" · review them in mode due" if due.today else "")]
        memory = r.memory
        width = min(self.label_max(), max((len(m.label) for m in memory), default=0))
        for m in memory:
            recall = percent_text(m.recall_percent)
            total = f" of {m.total}" if m.total is not None else ""
            lines.append(f"  {m.label[:width]:<{width}} recall {recall:>4} · "
                         f"{m.learned} learned · {m.seen} seen{total}")
        if any(m.seen for m in memory):
            lines.append(RECALL_NOTE)
        return Content(shown("\n".join(lines)))  # domain names: bank text

    def calibration_lines(self, r: Details) -> Content:
        return Content("\n".join(
            f"  {c.label:<8} {c.percent:4.0f}% right of {c.answered} answered "
            f"({c.verdict})"
            for c in r.calibration
        ))

    # -- actions ------------------------------------------------------------------------

    def drill_topics(self) -> list[str]:
        if self.data is None or self.bank is None:
            return []
        return [t.key for t in study_next(self.data) if t.key]

    def missed_ids(self) -> list[str]:
        if self.data is None or self.bank is None:
            return []
        return [qid for qid in self.data.missed if self.bank.has_question(qid)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "drill":
            return self.app.services.can_start and bool(self.drill_topics())
        if action == "retry_missed":
            return self.app.services.can_start and bool(self.missed_ids())
        if action == "anki_missed":
            return bool(self.missed_ids())
        if action == "sort":
            return self.data is not None and not self.data.empty
        return True

    def action_drill(self) -> None:
        topics = self.drill_topics()
        if topics and self.bank is not None:
            self.post_message(StartAttempt(self.bank,
                                           AttemptPlan(mode="drill", topics=tuple(topics))))

    def action_retry_missed(self) -> None:
        ids = self.missed_ids()
        if ids and self.bank is not None:
            self.post_message(StartAttempt(
                self.bank, AttemptPlan(mode="missed", question_ids=tuple(ids))))

    def action_anki_missed(self) -> None:
        ids = self.missed_ids()
        if ids and self.bank is not None:
            write_anki(self.app, self.bank, ids, f"examsim-{self.bank.id}-missed")

    def action_sort(self) -> None:
        self.order = SORTS[(SORTS.index(self.order) + 1) % len(SORTS)]
        self.fill_topics()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        chosen = {"topic": "name", "asked": "answers", "answers": "answers"}.get(
            str(event.column_key.value), "weakest")
        self.order = chosen
        self.fill_topics()

    def action_history(self) -> None:
        self.post_message(OpenHistory())
