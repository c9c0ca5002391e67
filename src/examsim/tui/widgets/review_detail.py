"""The detail pane of the review screen: one answered question, everything about it.

Attributes down: :meth:`ReviewDetail.show` takes a :class:`~examsim.storage.review.ReviewItem`
(or None) and mirrors it. Meaning never rests on colour alone: every option row carries
symbols (● chosen, ✓ in the key, ✗ a wrong choice) and a struck option says so in words
as well as being crossed out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...core.safe_text import shown
from ...storage.review import STATUS_SYMBOL, STATUS_WORD, ReviewItem, ReviewOption
from .figures import duration, plural
from .prose import Prose

if TYPE_CHECKING:
    from ...storage.records import AttemptRow

MAX_OPTIONS = 8
CONFIDENCE = {1: "sure", 2: "think so", 3: "guessing"}
LEGEND = "● chosen  ✓ key  ✗ wrong  struck: crossed out"
LEGEND_MULTIPLE = "■ chosen  ✓ key  ✗ wrong  struck: crossed out"


def letters(text: str) -> str:
    return ", ".join(text) if text else "none"


def verdict_line(item: ReviewItem) -> str:
    """Status and letters, the letters as the exam screen showed them."""
    row = item.row
    status = item.status
    head = f"{STATUS_SYMBOL[status]} {STATUS_WORD[status]}"
    chosen, answer = item.shown(row.chosen), item.shown(row.answer)
    first = row.first
    if first and first != row.chosen:  # the first answer beside the final one
        head += f" · first answer {letters(item.shown(first))}"
    if status == "right":
        return f"{head} · your answer {letters(chosen)}"
    if status in ("unanswered", "unreached"):
        return f"{head} · the answer {letters(answer)}"
    text = f"{head} · your answer {letters(chosen)} · the answer {letters(answer)}"
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
    if not row.scored:
        parts.append("unscored: not counted in the score")
    return " · ".join(parts)


def meta_line(item: ReviewItem) -> str:
    row = item.row
    parts = [f"Time on it {duration(row.seconds)}"]
    parts.append(f"confidence: {CONFIDENCE.get(row.confidence or 0, 'not given')}")
    if row.changes:
        parts.append(f"answer changed {plural(row.changes, 'time')}")
    if item.remembered:
        parts.append("⟲ possibly remembered: a repeat answered right much faster than your "
                     "fresh answers of this length")
    elif row.seen and not row.fresh:
        parts.append("seen before")
    if row.topics:
        parts.append("topics: " + ", ".join(row.topics))
    if item.shuffled:
        parts.append("options in the order you saw them (the CSV export uses the bank "
                     "file's letters)")
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


VERDICT_STYLE = {
    "right": "bold $text-success", "wrong": "bold $text-error",
    "partly": "bold $text-warning", "unanswered": "bold $text-warning",
    "unreached": "bold $text-muted",
}


def option_body(option: ReviewOption) -> Content:
    """The option's text (bold when chosen, struck through when struck) and its why below."""
    style = " ".join(part for part in (
        "bold" if option.chosen else "", "strike $text-muted" if option.struck else "",
    ) if part)
    why = why_text(option)
    parts: list[str | tuple[str, str]] = [(shown(option.text), style)]
    if why:
        parts += ["\n", (shown(why), "$foreground-muted")]
    return Content.assemble(*parts)


def titled(title: str, text: str) -> Content:
    return Content.assemble((title, "bold"), "\n", shown(text)) if text else Content("")


class ReviewGutter(Static):
    """Letter, choice and key marks of one option (classes as on its text)."""


class ReviewOptionText(Static):
    """One option's text and why; classes -chosen, -key, -wrong, -struck say what it is."""


class ReviewDetail(VerticalScroll):
    """Everything about one question of an attempt; scrolls when long.

    Few widgets on purpose (the review opens in about the time of a bare screen): the
    options are a two-column grid of gutters and texts, and styled spans do the rest.
    """

    DEFAULT_CSS = """
    ReviewDetail {
        padding: 0 1;
        scrollbar-size-vertical: 1;
        & > Static { height: auto; }
        .review-head { margin: 0 0 1 0; }
        .review-note { color: $text-warning; margin: 0 0 1 0; }
        .review-stem { margin: 0 0 1 0; }
        .review-legend { color: $text-muted; }
        .review-options {
            layout: grid;
            grid-size: 2;
            grid-columns: 6 1fr;
            height: auto;
        }
        ReviewGutter, ReviewOptionText { height: auto; }
        ReviewGutter.-chosen { text-style: bold; }
        ReviewGutter.-key { color: $text-success; }
        ReviewGutter.-wrong { color: $text-error; }
        .review-usernote, .review-explanation, .review-refs { margin: 1 0 0 0; }
        .review-refs { color: $text-muted; }
        .review-meta { color: $text-muted; margin: 1 0 0 0; }
        .-empty { display: none; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.item: ReviewItem | None = None

    def compose(self) -> ComposeResult:
        yield Static(classes="review-head", markup=False)
        yield Static(classes="review-note", markup=False)
        yield Prose(classes="review-stem")
        yield Static(LEGEND, classes="review-legend", markup=False)
        with Grid(classes="review-options"):
            for _ in range(MAX_OPTIONS):
                yield ReviewGutter(markup=False)
                yield ReviewOptionText(markup=False)
        yield Static(classes="review-usernote", markup=False)
        yield Static(classes="review-explanation", markup=False)
        yield Static(classes="review-refs", markup=False)
        yield Static(classes="review-meta", markup=False)

    def _part(self, name: str, content: Content | str) -> None:
        part = self.query_one(f".review-{name}", Static)
        content = Content(shown(content)) if isinstance(content, str) else content
        part.update(content)  # a Prose (bank text) wraps it under its own indent
        part.set_class(not content, "-empty")

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
        gutters = list(self.query(ReviewGutter))
        texts = list(self.query(ReviewOptionText))
        if item is None:
            self._part("head", Content.styled(empty, "bold"))
            for name in ("note", "stem", "legend", "usernote", "explanation", "refs", "meta"):
                self._part(name, "")
            for widget in (*gutters, *texts):
                widget.display = False
            return
        self._part("head", Content.assemble(
            (shown(header_line(item, count, attempt)), "$foreground-muted"), "\n",
            (verdict_line(item), VERDICT_STYLE[item.status]),
        ))
        note = note_line(item, bank_known)
        if not item.options:
            note = (note + " " if note else "") + "The options are unavailable."
        self._part("note", note)
        self._part("stem", item.stem or "(the question text is unavailable)")
        multiple = item.choose > 1
        self._part("legend", (LEGEND_MULTIPLE if multiple else LEGEND) if item.options else "")
        for index, (mark, text) in enumerate(zip(gutters, texts, strict=True)):
            present = index < len(item.options)
            mark.display = text.display = present
            if not present:
                continue
            option = item.options[index]
            mark.update(Content(gutter(option, multiple)))
            text.update(option_body(option))
            for widget in (mark, text):
                widget.set_class(option.chosen, "-chosen")
                widget.set_class(option.in_key, "-key")
                widget.set_class(option.chosen and not option.in_key, "-wrong")
                widget.set_class(option.struck, "-struck")
        self._part("usernote", titled("Your note", item.row.note.strip()))
        self._part("explanation", titled("Explanation", item.explanation))
        self._part("refs", titled("References", "\n".join(item.references)))
        self._part("meta", meta_line(item))
        self.scroll_home(animate=False)
