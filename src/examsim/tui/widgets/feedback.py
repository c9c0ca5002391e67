"""What a practice check reveals: right or wrong, the key, the explanation, each option's why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from ...core.safe_text import shown
from .prose import Prose

if TYPE_CHECKING:
    from ...core.session import DisplayOption, QuestionView

MAX_OPTIONS = 8


def key_letters(view: QuestionView) -> str:
    """The display letters of the answer key, e.g. "B, D"."""
    return ", ".join(option.letter for option in view.options if option.in_key)


def verdict_text(view: QuestionView) -> str:
    if view.correct:
        return f"✓ Correct. Answer: {key_letters(view)}"
    if not view.answered:
        return f"✗ Not answered. Answer: {key_letters(view)}"
    return f"✗ Incorrect. Answer: {key_letters(view)}"


def why_mark(option: DisplayOption) -> str:
    """✓ for an option in the key, ✗ for one that is not."""
    return f"{option.letter} {'✓' if option.in_key else '✗'}"


class Feedback(Vertical):
    """The revealed answer of one question; hidden until there is something to reveal."""

    DEFAULT_CSS = """
    Feedback {
        height: auto;
        margin: 1 0 0 0;
        padding: 0 1;
        border-left: outer $secondary;
        display: none;
        &.-shown { display: block; }
        &.-right { border-left: outer $success; }
        &.-wrong { border-left: outer $error; }
        .feedback-verdict { text-style: bold; }
        &.-right .feedback-verdict { color: $text-success; }
        &.-wrong .feedback-verdict { color: $text-error; }
        .feedback-explanation { margin: 1 0 0 0; }
        .feedback-whys { height: auto; margin: 1 0 0 0; }
        .feedback-why { height: auto; }
        .feedback-why-mark { width: 5; text-style: bold; }
        .feedback-why-mark.-key { color: $text-success; }
        .feedback-why-text { width: 1fr; }
        .feedback-refs { margin: 1 0 0 0; color: $text-muted; }
        .-empty { display: none; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(classes="feedback-verdict", markup=False)
        yield Prose(classes="feedback-explanation")
        with Vertical(classes="feedback-whys"):
            for _ in range(MAX_OPTIONS):
                with Horizontal(classes="feedback-why"):
                    yield Static(classes="feedback-why-mark", markup=False)
                    yield Static(classes="feedback-why-text", markup=False)
        yield Static(classes="feedback-refs", markup=False)

    @property
    def verdict(self) -> Static:
        return self.query_one(".feedback-verdict", Static)

    def _part(self, name: str, content: Content) -> None:
        part = self.query_one(f".feedback-{name}", Static)
        part.update(content)  # a Prose (bank text) wraps it under its own indent
        part.set_class(not content, "-empty")

    def show(self, view: QuestionView | None) -> None:
        """Reveal ``view`` (a checked or finished question), or hide with None."""
        self.set_class(view is not None, "-shown")
        if view is None:
            return
        self.set_class(bool(view.correct), "-right")
        self.set_class(not view.correct, "-wrong")
        question = view.question
        self._part("verdict", Content(verdict_text(view)))
        self._part("explanation", Content(question.explanation.strip()))
        whys = [option for option in view.options if option.why]
        self.query_one(".feedback-whys").set_class(not whys, "-empty")
        for index, row in enumerate(self.query(".feedback-why").results(Horizontal)):
            option = whys[index] if index < len(whys) else None
            row.display = option is not None
            if option is not None:
                mark = row.query_one(".feedback-why-mark", Static)
                mark.update(Content(why_mark(option)))
                mark.set_class(option.in_key, "-key")
                row.query_one(".feedback-why-text", Static).update(
                    Content(shown(option.why or "")))
        refs = [Content(f"→ {shown(ref)}") for ref in question.references]
        self._part("refs", Content("\n").join(refs))
