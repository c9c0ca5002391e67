"""The exam screen: one question at a time, every key of the DESIGN.md table.

State lives in the session: each key calls one session method, then the ``on_change``
hook (autosave), then the screen redraws from ``session.view()``. The only state kept here
is the option cursor, which is not part of the attempt.

Lazy import point: the screen's dialogs (the review grid with its navigator, the end
confirmation, help, a comment, the scratchpad with Textual's TextArea) are imported when
one is first opened, not on the way to question 1 (docs/performance.md, "Lazy imports").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...core.assemble import mode_noun
from ...core.bank import LETTERS
from ...core.safe_text import shown
from ..app_base import AppBase
from ..widgets.feedback import Feedback
from ..widgets.options import AnswerOptions
from ..widgets.prose import Prose
from ..widgets.timer import ExamTimer

if TYPE_CHECKING:
    from ...core.session import ExamSession, Outcome, QuestionView

ChangeHook = Callable[["ExamSession"], object]

SAVE_EVERY = 5.0  # seconds of exam time between saves while no key is pressed

CONFIDENCE = {1: "sure", 2: "think so", 3: "guessing"}
CHOOSE_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}

_CHOOSE = Binding.Group("Choose option A … H (toggles on a choose-N question); choosing "
                        "a struck option brings it back in")
_STRIKE = Binding.Group("Strike option A … H out, or back in")


def _letter_bindings() -> list[Binding]:
    bindings = []
    for index, letter in enumerate(LETTERS):
        bindings.append(
            Binding(letter.lower(), f"choose({index})", "Choose", show=index == 0,
                    key_display="a-h", group=_CHOOSE)
        )
    for index, letter in enumerate(LETTERS):
        bindings.append(
            Binding(letter, f"strike({index})", "Strike", show=index == 0,
                    key_display="A-H", group=_STRIKE)
        )
    return bindings


def where_line(view: QuestionView) -> str:
    parts = [f"Question {view.position + 1}/{view.count}"]
    if view.choose > 1:
        parts.append(f"Choose {CHOOSE_WORDS.get(view.choose, str(view.choose))}")
    if view.flagged:
        parts.append("⚑ Flagged")
    return " · ".join(parts)


def answer_line(view: QuestionView) -> str:
    chosen = [option.letter for option in view.options if option.chosen]
    text = f"Your answer: {', '.join(chosen)}" if chosen else "Not answered"
    if view.choose > 1 and 0 < len(chosen) < view.choose:
        text += f" ({len(chosen)} of {view.choose})"
    if view.confidence is not None:
        text += f" · confidence: {CONFIDENCE[view.confidence]}"
    if view.note.strip():
        text += " · ✎ note (w)"
    return text


def text_shape(text: str) -> str:
    """What the size of a line of text depends on: the width of each character and where
    it can break. Two texts of one shape wrap alike, at every width."""
    return "".join(c if c.isspace() else "x" * cell_len(c) for c in text)


class QuestionScroll(VerticalScroll, can_focus=False):
    """The stem, options and feedback; scrolls (mouse, page keys) but never takes focus."""


class ExamScreen(Screen[None]):
    """Shows ``session`` and turns keys into session calls."""

    DEFAULT_CSS = """
    ExamScreen {
        layout: vertical;
        #exam-bar {
            height: auto;
            background: $panel;
        }
        #where {
            width: 1fr;
            height: auto;
            padding: 0 1;
            text-style: bold;
            &.-flagged { color: $text-warning; }
        }
        #exam-status {
            height: auto;
            background: $panel;
            color: $text-muted;
            margin: 0 0 1 0;
        }
        #domain {
            width: 1fr;
            height: auto;
            padding: 0 1;
            text-wrap: nowrap;  /* narrow terminals: one line, cut with … */
            text-overflow: ellipsis;
        }
        #progress {
            width: auto;
            height: auto;
            padding: 0 1;
        }
        #question {
            height: 1fr;
            padding: 0 1;
            scrollbar-size-vertical: 1;
            scrollbar-gutter: stable;
            align-horizontal: center;
        }
        /* A line length that reads well on a wide terminal: the stem, the options, the
           answer line and the practice feedback stop at 104 cells, centred; the bars
           above span. (The review detail does the same beside its list.) */
        #question > * { max-width: 104; }
        #stem {
            height: auto;
            margin: 0 0 1 0;
        }
        #answer {
            height: auto;
            margin: 1 0 0 0;
            color: $text-muted;
        }
    }
    """
    app = getters.app(AppBase)

    BINDINGS = [
        # before the letters: once a practice answer is checked, c comments (choosing C
        # is refused then anyway); otherwise c chooses C
        # priority (run when the key arrives, before the next key is routed): the keys
        # typed right after w or c go to the dialog it opens, not astray (see scratchpad.py)
        Binding("c", "comment", "Comment", priority=True, tooltip="Comment on this question "
                "for the bank's author (the key looks wrong, ambiguous...); kept in history"),
        *_letter_bindings(),
        Binding("up", "cursor(-1)", "Cursor up", show=False),
        Binding("down", "cursor(1)", "Cursor down", show=False),
        Binding("space", "choose_cursor", "Choose the option under the cursor", show=False),
        Binding("x", "strike_cursor", "Strike the option under the cursor", show=False),
        Binding("enter", "check", "Check",
                tooltip="Check the answer; once checked, enter goes to the next question"),
        Binding("enter", "checked_next", "Next", tooltip="Next question (this one is checked)"),
        Binding("enter", "enter_next", "Next", show=False, tooltip="Next question"),
        Binding("1", "confidence(1)", "Sure", show=False,
                tooltip="Confidence: sure (again to clear)"),
        Binding("2", "confidence(2)", "Think so", show=False,
                tooltip="Confidence: think so (again to clear)"),
        Binding("3", "confidence(3)", "Guessing", show=False,
                tooltip="Confidence: guessing (again to clear)"),
        Binding("n,right", "next", "Next", key_display="n", tooltip="Next question"),
        Binding("p,left", "previous", "Prev", show=False, tooltip="Previous question"),
        Binding("m", "flag", "Flag", tooltip="Mark (flag) the question for review, or unmark"),
        Binding("u", "reading_aid", "Reading aid", show=False,
                tooltip="Underline what decides the question: MOST, NOT, cost-effective, "
                        "RPO 15 minutes... (remembered)"),
        Binding("w", "scratchpad", "Notes", show=False, priority=True,
                tooltip="Scratchpad: a plain-text note on this question, kept with the attempt"),
        Binding("r", "review", "Review", tooltip="Review grid: every question; enter jumps"),
        Binding("ctrl+s", "end", "End", tooltip="End the exam or session (asks first)"),
        Binding("question_mark", "help", "Help", key_display="?", tooltip="This help"),
        Binding("pageup", "scroll(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll(1)", "Scroll down", show=False),
    ]

    class Finished(Message):
        """The attempt ended (submitted or time up); the app shows the results."""

        def __init__(self, session: ExamSession) -> None:
            super().__init__()
            self.session = session

    def __init__(self, session: ExamSession, *, on_change: ChangeHook | None = None) -> None:
        super().__init__()
        self.session = session
        self.on_change = on_change
        self.cursor = 0
        self._shown: int | None = None
        self._bindings_shown: tuple[bool, bool, bool] | None = None
        self._shapes: dict[str, str] = {}  # id of a Static -> the shape of its text
        self._ended = False
        self._saved_at = session.elapsed()  # the exam time of the last on_change

    # -- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="exam-bar"):
            yield Static(id="where", markup=False)
            yield ExamTimer(self.session, id="timer")
        with Horizontal(id="exam-status"):
            yield Static(id="domain", markup=False)
            yield Static(id="progress", markup=False)
        with QuestionScroll(id="question"):
            yield Prose(id="stem")
            yield AnswerOptions(id="options")
            yield Static(id="answer", markup=False)
            if self.session.feedback:  # an exam reveals nothing: 25 widgets fewer to draw
                yield Feedback(id="feedback")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#stem", Prose).set_aid(self.app.settings.get("reading_aid") is True)
        self.show_view()
        self.set_interval(1.0, self.save_running_time)

    def action_reading_aid(self) -> None:
        """u: the reading aid on or off, remembered in the settings file."""
        stem = self.query_one("#stem", Prose)
        stem.set_aid(not stem.aid)
        self.notify("Reading aid on: what decides the question is underlined" if stem.aid
                    else "Reading aid off", markup=False, timeout=2)
        try:
            self.app.settings.set("reading_aid", stem.aid)
        except OSError as exc:  # a read-only data dir must not break the exam
            self.notify(f"Could not save the setting: {exc}", severity="warning",
                        markup=False)

    def save_running_time(self) -> None:
        """Save through ``on_change`` every SAVE_EVERY seconds of exam time, keys or not:
        after a crash (kill -9, a lost terminal) at most that much time comes back."""
        if self.on_change is None or self.session.finished:
            return
        if self.session.elapsed() - self._saved_at >= SAVE_EVERY:
            self._saved_at = self.session.elapsed()
            self.on_change(self.session)

    def show_view(self) -> None:
        """Redraw everything from ``session.view()``."""
        session = self.session
        view = session.view()
        if view.position != self._shown:
            self._shown = view.position
            self.cursor = 0
            self.query_one("#question", QuestionScroll).scroll_home(animate=False)
        self.cursor = min(self.cursor, len(view.options) - 1)
        revealed = view.checked or session.finished
        self._set_text("where", where_line(view))
        self.query_one("#where", Static).set_class(view.flagged, "-flagged")
        self._set_text(  # strict: as on the real exam, no domain
            "domain", shown(session.bank.domain_label(view.question.domain))
            if view.question.domain and not session.plan.strict else "")
        self._set_text("progress", f"{session.answered}/{session.count} answered · "
                                   f"{session.flagged_count} flagged")
        self.query_one("#stem", Prose).update(view.question.stem.strip("\n"))
        self.query_one(AnswerOptions).show(
            view.options, multiple=view.choose > 1, cursor=self.cursor, revealed=revealed
        )
        self._set_text("answer", answer_line(view))
        for feedback in self.query(Feedback):
            feedback.show(view if revealed and session.feedback else None)
        self.query_one(ExamTimer).redraw()
        # enter: Check, or Next once checked (practice). Only when that changes: every
        # refresh_bindings makes the Footer recompose its keys, a second layout pass.
        bindings = (session.feedback, view.checked, session.finished)
        if bindings != self._bindings_shown:
            self._bindings_shown = bindings
            self.refresh_bindings()

    def _set_text(self, id: str, text: str) -> None:
        """Show ``text`` (plain) in the Static ``#id``. The screen is laid out again only
        when the text's shape changed (docs/performance.md, session 6): "Question 3/12"
        after "Question 2/12" takes the same room, and a layout pass of the whole screen
        costs more than drawing it."""
        shape = text_shape(text)
        same = self._shapes.get(id) == shape
        self._shapes[id] = shape
        self.query_one(f"#{id}", Static).update(Content(text), layout=not same)

    # -- the one path of every change ------------------------------------------------

    def _changed(self) -> None:
        if self.on_change is not None:
            self._saved_at = self.session.elapsed()
            self.on_change(self.session)
        self.show_view()
        if self.session.finished:
            self._finish()

    def _apply(self, outcome: Outcome) -> bool:
        if not outcome.ok:
            self.notify(outcome.reason, severity="warning", markup=False)
            if self.session.finished:
                self._changed()
            return False
        self._changed()
        return True

    def _finish(self) -> None:
        if self._ended:
            return
        self._ended = True
        if self.session.end_reason == "time_up":
            self.app.notify("Time is up: the attempt has ended.", severity="warning",
                            markup=False)
        self.post_message(self.Finished(self.session))

    # -- actions ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("check", "checked_next"):  # practice: check, then go on
            checked = self.session.feedback and self.session.view().checked
            return self.session.feedback and checked == (action == "checked_next")
        if action == "enter_next":
            return not self.session.feedback
        if action == "comment":  # practice feedback, of an attempt the history keeps
            return (self.session.feedback and self.session.view().checked
                    and self.app.services.history.writable
                    and self.app.services.attempt_id(self.session) is not None)
        return True

    def action_choose(self, display: int) -> None:
        if display < len(self.session.view().options):
            self.cursor = display
        self._apply(self.session.choose(display))

    def action_strike(self, display: int) -> None:
        if display < len(self.session.view().options):
            self.cursor = display
        self._apply(self.session.toggle_strike(display))

    def action_cursor(self, step: int) -> None:
        count = len(self.session.view().options)
        self.cursor = (self.cursor + step) % count
        self.show_view()
        self.query_one(AnswerOptions).scroll_to_row(self.cursor)

    def action_choose_cursor(self) -> None:
        self.action_choose(self.cursor)

    def action_strike_cursor(self) -> None:
        self.action_strike(self.cursor)

    def action_check(self) -> None:
        if self.session.view().checked:
            self.action_next()
            return
        if self._apply(self.session.check()):
            self.call_after_refresh(self._reveal_feedback)

    def _reveal_feedback(self) -> None:
        """Bring the verdict into view, with the options above it where there is room."""
        for feedback in self.query(Feedback):
            self.query_one("#question", QuestionScroll).scroll_to_center(feedback.verdict,
                                                                         animate=False)

    def action_enter_next(self) -> None:
        self.action_next()

    def action_checked_next(self) -> None:
        self.action_next()

    def action_confidence(self, level: int) -> None:
        current = self.session.view().confidence
        self._apply(self.session.set_confidence(None if current == level else level))

    def action_next(self) -> None:
        moved = self.session.next()
        self._changed()
        if not moved and not self.session.finished:  # past the last: review, or end
            self.action_review(at_end=True)

    def action_previous(self) -> None:
        moved = self.session.previous()
        self._changed()
        if not moved and not self.session.finished:
            self.notify("This is the first question.", markup=False)

    def action_flag(self) -> None:
        self._apply(self.session.toggle_flag())

    def action_scroll(self, pages: int) -> None:
        scroll = self.query_one("#question", QuestionScroll)
        if pages < 0:
            scroll.scroll_page_up(animate=False)
        else:
            scroll.scroll_page_down(animate=False)

    def action_review(self, at_end: bool = False) -> None:
        from .review_grid import END, ReviewGridScreen  # lazy point (module docstring)

        def jump(position: int | None) -> None:
            if position == END:
                self.action_end()
            elif position is not None and not self.session.finished:
                self.session.go(position)
                self._changed()

        self.app.push_screen(ReviewGridScreen(self.session, at_end=at_end), jump)

    @property
    def noun(self) -> str:
        """"exam" or "session" (core/assemble.py ``mode_noun``), in what the screen says."""
        return mode_noun(self.session.mode)

    def action_end(self) -> None:
        from .confirm import ConfirmScreen  # lazy point (module docstring)

        session = self.session
        partly = session.partly_answered
        partly_note = f" ({partly} partly answered)" if partly else ""
        body = (
            f"{session.unanswered} unanswered{partly_note} · {session.flagged_count} flagged "
            f"of {session.count} questions.\nAnswers cannot change after the end."
        )

        def decided(confirmed: bool | None) -> None:
            if confirmed and not session.finished:
                session.submit()
                self._changed()

        self.app.push_screen(
            ConfirmScreen(f"End the {self.noun}?", body, confirm_label=f"End {self.noun}",
                          cancel_label="Go on"),
            decided,
        )

    def action_scratchpad(self) -> None:
        """w: the note on the question on screen, in a modal (screens/scratchpad.py)."""
        from .scratchpad import ScratchpadScreen  # lazy point: with Textual's TextArea


        session, view = self.session, self.session.view()
        if session.finished:
            self.notify(f"The {self.noun} has ended", severity="warning", markup=False)
            return

        def closed(text: str | None) -> None:
            if text is not None and not session.finished and session.index == view.position:
                self._apply(session.set_note(text))

        self.app.push_screen(ScratchpadScreen(
            f"Note on question {view.position + 1} ({view.question.id})", view.note,
            session.set_note), closed)

    def action_comment(self) -> None:
        """c after a practice check: a comment for the bank's author (screens/comment.py)."""
        from .comment import ask_comment  # lazy point (module docstring)

        history = self.app.services.history
        if not history.writable:
            return
        question = self.session.view().question
        attempt_id = self.app.services.attempt_id(self.session)
        ask_comment(self, history, self.session.bank.id, question.id, question.fingerprint,
                    attempt_id)

    def action_help(self) -> None:
        from .help import QUIT_KEEPS_ATTEMPT, HelpScreen  # lazy point (module docstring)

        words = {"end": f"End the {self.noun} (asks first)"}
        if not self.session.finished:
            words["quit"] = QUIT_KEEPS_ATTEMPT
        self.app.push_screen(HelpScreen(self, "Keys on the exam screen", words))

    # -- messages from widgets ----------------------------------------------------------

    def on_answer_options_chosen(self, event: AnswerOptions.Chosen) -> None:
        event.stop()
        self.action_choose(event.display)

    def on_answer_options_struck(self, event: AnswerOptions.Struck) -> None:
        event.stop()
        self.action_strike(event.display)

    def on_exam_timer_time_up(self, event: ExamTimer.TimeUp) -> None:
        event.stop()
        self._changed()
