"""The review of one attempt: every question with its status, filters, and a detail pane.

    ReviewScreen(history, bank, attempt_id)      # bank may be None (file gone)

The list shows ✓ right, ✗ wrong, ◐ partly right (choose-N), – not answered, ○ not
reached (a session's question never shown: not counted), and ⚑ when flagged; 1-4 (or f,
cycling) filter it to all / wrong / flagged / not answered. The detail pane
(widgets/review_detail.py) shows the stem, each option with your choice, the key and
your strikes, the explanation with each option's why, the references, your time and
confidence, and a note when the bank question changed since.

r starts a new attempt of exactly the questions the filter shows (it posts
``StartAttempt`` with a "missed" plan of those ids; the app starts it through its
services); the key is shown only when the bank is at hand and the services can start
attempts.
a writes the same questions as an Anki deck (storage/anki.py) into the CSV export
folder, under a name not taken yet. c keeps a comment on the question shown for the
bank's author (screens/comment.py); the detail pane shows the scratchpad note as "Your
note".
escape goes back, or quits when the review is the only screen (``examsim review``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ...core.assemble import AttemptPlan
from ...core.learning import cbm
from ...core.safe_text import shown
from ...core.timefmt import local_time
from ...storage.history import HistoryError
from ...storage.review import FILTERS, Filter, ReviewItem, counts, review_items
from ..anki_deck import write_anki
from ..app_base import AppBase
from ..messages import StartAttempt
from ..widgets.figures import clip, duration
from ..widgets.review_detail import ReviewDetail
from .browse import BrowseScreen
from .comment import ask_comment

if TYPE_CHECKING:
    from ...core.bank import Bank
    from ...storage.history import History
    from ...storage.records import AttemptRow

FILTER_LABELS: dict[Filter, str] = {
    "all": "All", "wrong": "Wrong", "flagged": "Flagged", "unanswered": "Unanswered",
}
EMPTY: dict[Filter, str] = {
    "all": "This attempt has no answered questions to review.",
    "wrong": "No wrong answers in this attempt.",
    "flagged": "No flagged questions in this attempt.",
    "unanswered": "Every question of this attempt was answered.",
}
STEM_CHARS = 100


def attempt_line(attempt: AttemptRow) -> str:
    parts = [f"Review · attempt {attempt.id}", attempt.bank_title, attempt.mode,
             local_time(attempt.finished or attempt.started)]
    if attempt.percent is not None:
        if attempt.full and attempt.passed is not None:
            mark = " ✓ passed" if attempt.passed else " ✗ not passed"
        else:
            mark = f" of {attempt.total} seen" if attempt.total is not None else ""
        parts.append(f"{attempt.percent:.0f}%{mark}")
    elif attempt.status != "finished":
        parts.append(attempt.status.replace("_", " "))
    parts.append(f"time {duration(attempt.elapsed)}")
    return " · ".join(parts)


def filter_line(active: Filter, tally: dict[Filter, int]) -> Content:
    """ "1 All 12  2 Wrong 4 ..." with the active filter bold, reversed and in brackets."""
    parts: list[str | tuple[str, str]] = []
    for number, which in enumerate(FILTERS, 1):
        text = f"{number} {FILTER_LABELS[which]} {tally[which]}"
        if which == active:
            parts.append((f"[{text}]", "bold reverse"))
        else:
            parts.append(f" {text} ")
        parts.append(" ")
    parts.append("  f cycles")
    return Content.assemble(*parts)


def list_prompt(item: ReviewItem) -> Content:
    """A row of the list: status, number, the question's topics and id, then the start of
    its stem. (Stems alone did not tell questions apart: 47 of the 75 AWS stems start
    "A company ..."; the topics nearly always differ, the id always.) The list cuts what
    does not fit."""
    parts = [", ".join(item.row.topics)] if item.row.topics else []
    parts.append(item.question_id)
    if item.stem:
        parts.append(item.stem)
    return Content(f"{item.symbols} {item.position + 1:>2} "
                   + clip(" · ".join(parts), STEM_CHARS))


class ReviewList(OptionList):
    """The questions of the attempt; the highlighted one is shown in the detail pane."""


class ReviewScreen(BrowseScreen):
    """Review one attempt from history."""

    DEFAULT_CSS = """
    ReviewScreen {
        #review-filters {
            height: 1;
            padding: 0 1;
            color: $text-muted;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        #review-body { height: 1fr; }
        #review-list {
            width: 34%;
            min-width: 22;
            max-width: 44;
            height: 1fr;
            text-wrap: nowrap;
            text-overflow: ellipsis;
            scrollbar-size-vertical: 1;
        }
        #review-detail {
            width: 1fr;
            height: 1fr;
            & > * { max-width: 104; }  /* a reading width, as on the exam screen */
        }
    }
    """
    app = getters.app(AppBase)

    HELP_TITLE = "Keys on the review screen"

    BINDINGS = [
        Binding("1", "filter('all')", "All", show=False, tooltip="Show every question"),
        Binding("2", "filter('wrong')", "Wrong", show=False,
                tooltip="Show the wrong and partly right ones"),
        Binding("3", "filter('flagged')", "Flagged", show=False,
                tooltip="Show the flagged ones"),
        Binding("4", "filter('unanswered')", "Unanswered", show=False,
                tooltip="Show the unanswered ones"),
        Binding("f", "cycle_filter", "Filter", tooltip="Next filter: all, wrong, flagged, "
                "unanswered (or 1-4)"),
        Binding("n", "move(1)", "Next", show=False, tooltip="Next question in the list"),
        Binding("p", "move(-1)", "Prev", show=False, tooltip="Previous question in the list"),
        Binding("r", "retry", "Retry these",
                tooltip="Start a new attempt of exactly the questions listed"),
        Binding("c", "comment", "Comment", priority=True,  # keys typed at once follow it
                tooltip="Comment on this question for the bank's author (the key looks "
                "wrong, ambiguous...); examsim comments BANK lists them"),
        Binding("a", "anki", "Anki deck", show=False,
                tooltip="Write the questions listed as an Anki deck (.apkg) in the export folder"),
        Binding("pagedown,space", "scroll_detail(1)", "Scroll", show=False,
                tooltip="Scroll the detail pane down", priority=True),
        Binding("pageup", "scroll_detail(-1)", "Scroll up", show=False,
                tooltip="Scroll the detail pane up", priority=True),
        Binding("escape", "leave", "Back"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(
        self,
        history: History,
        bank: Bank | None,
        attempt_id: int,
        *,
        show: Filter = "all",
    ) -> None:
        super().__init__()
        self.history = history
        self.bank = bank
        self.attempt_id = attempt_id
        self.browsed = ("review", attempt_id)
        self.active: Filter = show
        self.error: str | None = None
        self.attempt: AttemptRow | None = None
        self.items: list[ReviewItem] = []
        try:
            self.attempt, self.items = review_items(history, attempt_id, bank)
        except HistoryError as exc:
            self.error = str(exc)
        if bank is not None and self.attempt is not None and bank.id != self.attempt.bank_id:
            self.bank = None  # review_items ignored it too
        self.shown: list[ReviewItem] = []

    # -- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        text = attempt_line(self.attempt) if self.attempt else f"Review · {self.error}"
        marks, rated = cbm((i.row.correct, i.row.confidence, i.row.answered)
                           for i in self.items if i.row.seen)
        if rated:  # certainty-based marking (core/learning.py)
            text += f" · certainty-based {marks:+d} over {rated} rated"
        yield Static(Content(shown(text)), id="review-attempt", classes="browse-title")
        yield Static(id="review-filters")
        with Horizontal(id="review-body"):
            yield ReviewList(id="review-list")
            yield ReviewDetail(id="review-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.apply_filter(self.active)
        self.query_one(ReviewList).focus()

    @property
    def bank_known(self) -> bool:
        return self.bank is not None

    def apply_filter(self, which: Filter) -> None:
        self.active = which
        self.shown = [item for item in self.items if item.matches(which)]
        self.query_one("#review-filters", Static).update(filter_line(which, counts(self.items)))
        listing = self.query_one(ReviewList)
        listing.clear_options()
        listing.add_options(
            Option(list_prompt(item), id=str(item.position)) for item in self.shown
        )
        if self.shown:
            listing.highlighted = 0
        self.show_item(self.shown[0] if self.shown else None)
        self.refresh_bindings()

    def show_item(self, item: ReviewItem | None) -> None:
        empty = self.error or EMPTY[self.active]
        if not self.items and self.attempt is not None and self.attempt.status == "in_progress":
            empty = ("This attempt is still in progress: resume it (home screen, or "
                     "`examsim resume`); its questions show here once it ends.")
        self.query_one(ReviewDetail).show(
            item, count=len(self.items), attempt=self.attempt, bank_known=self.bank_known,
            empty=empty,
        )

    @property
    def current(self) -> ReviewItem | None:
        index = self.query_one(ReviewList).highlighted
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.shown):
            self.show_item(self.shown[event.option_index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # enter: bring the detail into view from the top
        self.query_one(ReviewDetail).scroll_home(animate=False)

    # -- actions ------------------------------------------------------------------------

    def retry_ids(self) -> list[str]:
        """The ids the filter shows that the bank still has, each once, in list order."""
        if self.bank is None:
            return []
        seen: dict[str, None] = {}
        for item in self.shown:
            if self.bank.has_question(item.question_id):
                seen.setdefault(item.question_id)
        return list(seen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.app.services.can_start and bool(self.retry_ids())
        if action == "anki":
            return bool(self.retry_ids())
        if action == "comment":
            return self.attempt is not None and bool(self.items) and self.history.writable
        return True

    def action_filter(self, which: str) -> None:
        if which in FILTERS:
            self.apply_filter(which)

    def action_cycle_filter(self) -> None:
        self.apply_filter(FILTERS[(FILTERS.index(self.active) + 1) % len(FILTERS)])

    def action_move(self, step: int) -> None:
        listing = self.query_one(ReviewList)
        if not self.shown:
            return
        index = listing.highlighted if listing.highlighted is not None else -step
        listing.highlighted = max(0, min(len(self.shown) - 1, index + step))

    def action_scroll_detail(self, pages: int) -> None:
        detail = self.query_one(ReviewDetail)
        if pages > 0:
            detail.scroll_page_down(animate=False)
        else:
            detail.scroll_page_up(animate=False)

    def action_retry(self) -> None:
        ids = self.retry_ids()
        if self.bank is not None and ids:
            self.post_message(StartAttempt(
                self.bank, AttemptPlan(mode="missed", question_ids=tuple(ids))))

    def action_comment(self) -> None:
        """c: a comment on the question in the detail pane, kept in history."""
        item = self.current
        if item is None or self.attempt is None or not self.history.writable:
            return
        ask_comment(self, self.history, self.attempt.bank_id, item.question_id,
                    item.row.question_hash, self.attempt_id)

    def action_anki(self) -> None:
        """The questions the filter shows (those the bank still has) as an Anki deck."""
        ids = self.retry_ids()
        if self.bank is not None and ids:
            write_anki(self.app, self.bank, ids,
                       f"examsim-{self.bank.id}-attempt-{self.attempt_id}-{self.active}")
