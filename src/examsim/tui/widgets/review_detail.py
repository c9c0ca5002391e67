"""The detail pane of the review screen: one answered question, everything about it.

Attributes down: :meth:`ReviewDetail.show` takes a :class:`~examsim.storage.review.ReviewItem`
(or None) and mirrors it. Meaning never rests on colour alone: every option row carries
symbols (● chosen, ✓ in the key, ✗ a wrong choice) and a struck option says so in words
as well as being crossed out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...storage.review import STATUS_SYMBOL, STATUS_WORD, ReviewItem, ReviewOption
from .figures import duration, plural

if TYPE_CHECKING:
    from ...storage.records import AttemptRow

MAX_OPTIONS = 8
CONFIDENCE = {1: "sure", 2: "think so", 3: "guessing"}
LEGEND = "● chosen  ✓ key  ✗ wrong  struck: crossed out"
LEGEND_MULTIPLE = "■ chosen  ✓ key  ✗ wrong  struck: crossed out"


def letters(text: str) -> str:
    return ", ".join(text) if text else "none"


def verdict_line(item: ReviewItem) -> str:
    row = item.row
    status = item.status
    head = f"{STATUS_SYMBOL[status]} {STATUS_WORD[status]}"
    if status == "right":
        return f"{head} · your answer {letters(row.chosen)}"
    if status == "unanswered":
        return f"{head} · the answer {letters(row.answer)}"
    text = f"{head} · your answer {letters(row.chosen)} · the answer {letters(row.answer)}"
    if status == "partly":
        hits = len(set(row.chosen) & set(row.answer))
        text += f" ({hits} of {len(row.answer)} right)"
    return text


def header_line(item: ReviewItem, count: int, attempt: AttemptRow | None) -> str:
    row = item.row
    parts = [f"Question {row.position + 1} of {count}", row.question_id]
    if row.domain is not None:
        parts.append(attempt.domain_label(row.domain) if attempt else row.domain)
    if item.choose > 1:
        parts.append(f"choose {item.choose}")
    if row.flagged:
        parts.append("⚑ flagged")
    return " · ".join(parts)


def meta_line(item: ReviewItem) -> str:
    row = item.row
    parts = [f"Time on it {duration(row.seconds)}"]
    parts.append(f"confidence: {CONFIDENCE.get(row.confidence or 0, 'not given')}")
    if row.changes:
        parts.append(f"answer changed {plural(row.changes, 'time')}")
    if row.topics:
        parts.append("topics: " + ", ".join(row.topics))
    return " · ".join(parts)


def note_line(item: ReviewItem, bank_known: bool) -> str:
    """Why part of the question may be missing or different; "" when all is at hand."""
    if item.changed:
        return ("⚠ This question has changed in the bank since you answered it. Shown: the "
                "version you answered; the explanation is from the current bank.")
    if not bank_known:
        what = "the stem and options history kept" if item.options else "the stem history kept"
        return f"The bank file is not at hand: shown is {what}; no explanation."
    if not item.in_bank:
        return "This question is no longer in the bank: shown is what history kept of it."
    return ""


def gutter(option: ReviewOption, multiple: bool) -> str:
    symbols = "■□" if multiple else "●○"
    mark = symbols[0] if option.chosen else symbols[1]
    verdict = "✓" if option.in_key else ("✗" if option.chosen else " ")
    return f"{option.letter} {mark}{verdict}"


def why_text(option: ReviewOption) -> str:
    parts = []
    if option.struck:
        parts.append("You struck this out, but it is in the key." if option.in_key
                     else "You struck this out.")
    if option.why:
        parts.append(option.why.strip())
    return " ".join(parts)


class ReviewOptionRow(Horizontal):
    """One option: gutter (letter, choice, key), then the text and its why below."""

    def compose(self) -> ComposeResult:
        yield Static(classes="review-gutter", markup=False)
        with Vertical(classes="review-option-body"):
            yield Static(classes="review-option-text", markup=False)
            yield Static(classes="review-option-why", markup=False)

    def mirror(self, option: ReviewOption, multiple: bool) -> None:
        self.query_one(".review-gutter", Static).update(Content(gutter(option, multiple)))
        self.query_one(".review-option-text", Static).update(Content(option.text))
        why = why_text(option)
        part = self.query_one(".review-option-why", Static)
        part.update(Content(why))
        part.display = bool(why)
        self.set_class(option.chosen, "-chosen")
        self.set_class(option.in_key, "-key")
        self.set_class(option.chosen and not option.in_key, "-wrong")
        self.set_class(option.struck, "-struck")


class ReviewDetail(VerticalScroll):
    """Everything about one question of an attempt; scrolls when long."""

    DEFAULT_CSS = """
    ReviewDetail {
        padding: 0 1;
        scrollbar-size-vertical: 1;
        & > Static { height: auto; }
        .review-head { color: $text-muted; }
        .review-verdict { text-style: bold; margin: 0 0 1 0; }
        &.-right .review-verdict { color: $text-success; }
        &.-wrong .review-verdict { color: $text-error; }
        &.-partly .review-verdict { color: $text-warning; }
        &.-unanswered .review-verdict { color: $text-warning; }
        .review-note { color: $text-warning; margin: 0 0 1 0; }
        .review-stem { margin: 0 0 1 0; }
        .review-legend { color: $text-muted; }
        .review-options { height: auto; }
        ReviewOptionRow { height: auto; }
        .review-gutter { width: 6; height: auto; }
        .review-option-body { width: 1fr; height: auto; }
        .review-option-text { height: auto; }
        .review-option-why { height: auto; color: $text-muted; padding: 0 0 0 2; }
        ReviewOptionRow.-chosen .review-gutter { text-style: bold; }
        ReviewOptionRow.-chosen .review-option-text { text-style: bold; }
        ReviewOptionRow.-key .review-gutter { color: $text-success; }
        ReviewOptionRow.-wrong .review-gutter { color: $text-error; }
        ReviewOptionRow.-struck .review-option-text { text-style: strike; color: $text-disabled; }
        .review-section { text-style: bold; margin: 1 0 0 0; }
        .review-explanation { height: auto; }
        .review-refs { color: $text-muted; height: auto; }
        .review-meta { color: $text-muted; margin: 1 0 0 0; }
        .-empty { display: none; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.item: ReviewItem | None = None

    def compose(self) -> ComposeResult:
        yield Static(classes="review-head", markup=False)
        yield Static(classes="review-verdict", markup=False)
        yield Static(classes="review-note", markup=False)
        yield Static(classes="review-stem", markup=False)
        yield Static(LEGEND, classes="review-legend", markup=False)
        with Vertical(classes="review-options"):
            for _ in range(MAX_OPTIONS):
                yield ReviewOptionRow()
        yield Static("Explanation", classes="review-section review-explanation-title",
                     markup=False)
        yield Static(classes="review-explanation", markup=False)
        yield Static("References", classes="review-section review-refs-title", markup=False)
        yield Static(classes="review-refs", markup=False)
        yield Static(classes="review-meta", markup=False)

    def _part(self, name: str, text: str) -> None:
        part = self.query_one(f".review-{name}", Static)
        part.update(Content(text))
        part.set_class(not text, "-empty")

    def show(
        self,
        item: ReviewItem | None,
        *,
        count: int = 0,
        attempt: AttemptRow | None = None,
        bank_known: bool = True,
        empty: str = "",
    ) -> None:
        """Mirror ``item``; with None show only ``empty`` (e.g. "nothing matches")."""
        self.item = item
        for status in STATUS_WORD:
            self.set_class(item is not None and item.status == status, f"-{status}")
        if item is None:
            self._part("head", "")
            self._part("verdict", empty)
            for name in ("note", "stem", "legend", "explanation", "explanation-title",
                         "refs", "refs-title", "meta"):
                self._part(name, "")
            for row in self.query(ReviewOptionRow):
                row.display = False
            return
        self._part("head", header_line(item, count, attempt))
        self._part("verdict", verdict_line(item))
        note = note_line(item, bank_known)
        if not item.options:
            note = (note + " " if note else "") + "The options are unavailable."
        self._part("note", note)
        self._part("stem", item.stem or "(the question text is unavailable)")
        multiple = item.choose > 1
        self._part("legend", (LEGEND_MULTIPLE if multiple else LEGEND) if item.options else "")
        for index, row in enumerate(self.query(ReviewOptionRow)):
            row.display = index < len(item.options)
            if row.display:
                row.mirror(item.options[index], multiple)
        self._part("explanation-title", "Explanation" if item.explanation else "")
        self._part("explanation", item.explanation)
        refs = "\n".join(item.references)
        self._part("refs-title", "References" if refs else "")
        self._part("refs", refs)
        self._part("meta", meta_line(item))
        self.scroll_home(animate=False)
