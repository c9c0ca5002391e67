"""The start form: mode, number of questions, time, domains and topics for a new attempt
on a bank.

Every change shows at once what the attempt would be ("12 questions · 20 min · exam") or
why it cannot start ("no missed questions on ... yet"), asking ``services.preview``. enter
starts (``services.start``) and dismisses with the new session; escape cancels (None).

Keys: tab / shift+tab move between fields, the arrows pick the mode, space ticks a domain
or a topic (no topic ticked: every topic), enter starts, escape cancels. The number
fields take digits only, so no key is lost to them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.segment import Segment
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Button, Footer, Input, RadioButton, RadioSet, SelectionList, Static
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.button import ButtonVariant
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from ...core.assemble import MAX_TIME_MINUTES, MODES, AttemptPlan
from ...core.bank import MAX_QUESTIONS
from ...core.safe_text import shown
from ...core.session import ExamSession
from ..services import ServiceError
from ..widgets.own_keys import OwnKeys
from ..widgets.timer import clock_text
from .help import HelpScreen

if TYPE_CHECKING:
    from ...core.assemble import Assembly
    from ...core.bank import Bank
    from ..services import Services

ABOUT = {  # one line each at 80 columns
    "exam": "Timed, questions by domain weight; the score only at the end.",
    "practice": "Untimed unless you set a time; enter checks and explains.",
    "drill": "Every question of the ticked domains and topics, explained.",
    "missed": "The questions you got wrong the last time they were asked.",
    "flagged": "The questions you flagged (m) the last time they were asked.",
    "due": "Spaced review: what is due today, most overdue first, explained.",
}


class FormError(ValueError):
    """A field that does not read; the message names the field."""


@dataclass(frozen=True)
class FormFields:
    """What the form holds, as typed."""

    mode: str = "exam"
    questions: str = ""
    time: str = ""
    domains: tuple[str, ...] = ()        # ticked domain ids
    all_domains: tuple[str, ...] = ()    # every domain id of the bank
    topics: tuple[str, ...] = ()         # ticked topics; none: every topic
    extra: str = ""                      # extra time in minutes (an accommodation)
    options: tuple[str, ...] = ()        # ticked of OPTIONS: "fresh", "strict"


def read_plan(fields: FormFields, *, seed: int | None = None) -> AttemptPlan:
    """The plan the form asks for; FormError says which field is wrong and why."""
    if fields.mode not in MODES:
        raise FormError(f"Mode: choose one of {', '.join(MODES)}")
    questions = None
    text = fields.questions.strip()
    if text:
        try:
            questions = int(text)
        except ValueError:
            raise FormError(f"Questions: {text!r} is not a whole number") from None
        if questions < 1:
            raise FormError("Questions: at least 1 (leave it empty for the usual number)")
        if questions > MAX_QUESTIONS:  # the CLI's --questions limit (core/bank.py)
            raise FormError(f"Questions: at most {MAX_QUESTIONS}")
    minutes = None
    text = fields.time.strip()
    if text:
        try:
            minutes = float(text)
        except ValueError:
            raise FormError(f"Time: {text!r} is not a number of minutes") from None
        if minutes > MAX_TIME_MINUTES:  # the CLI's --time limit (core/assemble.py)
            raise FormError(f"Time: at most {MAX_TIME_MINUTES} minutes "
                            "(leave it empty for the usual time)")
        if not minutes > 0:
            raise FormError("Time: more than 0 minutes (leave it empty for the usual time)")
    domains: tuple[str, ...] = ()
    if fields.all_domains:
        if not fields.domains:
            raise FormError("Domains: tick at least one (space ticks the one under the cursor)")
        if set(fields.domains) != set(fields.all_domains):
            domains = tuple(d for d in fields.all_domains if d in fields.domains)
    extra = 0.0
    text = fields.extra.strip()
    if text:
        try:
            extra = float(text)
        except ValueError:
            raise FormError(f"Extra time: {text!r} is not a number of minutes") from None
        if not 0 <= extra <= MAX_TIME_MINUTES:
            raise FormError(f"Extra time: 0 to {MAX_TIME_MINUTES} minutes")
    return AttemptPlan(mode=fields.mode, questions=questions,  # type: ignore[arg-type]
                       time_minutes=minutes, domains=domains, topics=tuple(fields.topics),
                       seed=seed, extra_minutes=extra, prefer_fresh="fresh" in fields.options,
                       strict="strict" in fields.options)


OPTIONS = {  # the start form's switches: what each does, one line at 80 columns
    "fresh": "questions you have not seen first",
    "strict": "strict timing: the clock runs on while examsim is closed",
}


def minutes_text(seconds: float | None) -> str:
    """"20 min", "1:30 min" (m:ss), "3 s", "0.06 s": a time under a minute in seconds."""
    if seconds is None:
        return "untimed"
    if seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    if seconds < 60:
        return f"{round(seconds, 2):g} s"
    return f"{clock_text(seconds)} min"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def describe(plan: AttemptPlan, assembly: Assembly) -> str:
    """ "12 questions · 20 min · exam", with a note when fewer than asked match."""
    count = len(assembly.question_ids)
    text = f"→ {plural(count, 'question')} · {minutes_text(assembly.time_limit)} · {plan.mode}"
    if plan.questions is not None and plan.questions > count:
        text += f" (only {count} to ask)"
    return text


class ModeButton(RadioButton):
    """A mode: ● when chosen, ○ when not, so it does not rest on colour (NO_COLOR)."""

    DEFAULT_CSS = """
    /* a ○ that reads (Textual draws it in a shade of the panel), ● as well: the mark
       says which mode is chosen, not the colour. !important: Textual's own defaults
       colour the button by state with more specific selectors (RadioSet, -on, :ansi) */
    ModeButton > .toggle--button { color: $text-muted !important; }
    """

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual's is a class attribute
        return "●" if self.value else "○"


class DomainList(OwnKeys, SelectionList[str]):
    """The domains: ✓ when ticked, blank when not (Textual draws X for both, apart only
    by colour)."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        ticked = selection.value in self.selected
        segments[1] = Segment("✓" if ticked else " ", segments[1].style)
        return Strip(segments, strip.cell_length)


class TopicList(DomainList):
    """The topics, none ticked at first (every topic); ticking some drills those."""


def topic_counts(bank: Bank) -> dict[str, int]:
    """Each topic of the bank with its number of questions, in case-blind order."""
    counts: dict[str, int] = {}
    for topics in bank.question_topics():  # the index: a cached bank makes no question
        for topic in topics:
            counts[topic] = counts.get(topic, 0) + 1
    return dict(sorted(counts.items(), key=lambda pair: pair[0].casefold()))


class ModeChoice(OwnKeys, RadioSet):
    """The mode: the arrows move the choice itself, no extra key to pick.

    The arrows get actions of their own: RadioSet calls ``action_next_button`` while it
    mounts, and pressing a button there left two buttons on (QA: down then up kept
    "practice" while "exam" showed chosen)."""

    BINDINGS = [
        Binding("down,right", "next_mode", "Next mode", show=False),
        Binding("up,left", "previous_mode", "Previous mode", show=False),
    ]

    def action_next_mode(self) -> None:
        self._move(1)

    def action_previous_mode(self) -> None:
        self._move(-1)

    def _move(self, step: int) -> None:
        """Choose the mode ``step`` away from the chosen one (wrapping); the cursor goes
        with it."""
        buttons = list(self.query(RadioButton))
        if not buttons:
            return
        index = (self.pressed_index + step) % len(buttons)
        self._selected = index
        buttons[index].value = True

    @property
    def mode(self) -> str:
        pressed = self.pressed_button
        return pressed.name if pressed is not None and pressed.name else "exam"


class FieldInput(OwnKeys, Input):
    """A number field of the form whose keys stay with it (see OwnKeys)."""


class StartScreen(ModalScreen[ExamSession | None]):
    """Choose how to take ``bank``; dismisses with the started session, or None."""

    DEFAULT_CSS = """
    StartScreen {
        align: center middle;
        #start-form {
            width: 78;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
            scrollbar-size-vertical: 1;
        }
        #start-title {
            height: auto;
            text-style: bold;
            margin: 0 0 1 0;
        }
        .start-row { height: auto; }
        #start-mode-row, #start-time-row, #start-domains-row, #start-topics-row {
            margin: 0 0 1 0;
        }
        .start-label {
            width: 12;
            height: auto;
            color: $text-accent;
        }
        .start-control {
            width: 1fr;
            height: auto;
        }
        #start-mode {
            width: 1fr;
            height: auto;
        }
        #start-about {
            height: auto;
            color: $text-muted;
        }
        #start-questions, #start-time {
            width: 10;
            background: $boost;
            &:focus { background: $primary 30%; }
            /* the placeholder is the number used when the field stays empty: it must read */
            & > .input--placeholder { color: $text-muted; }
        }
        .start-hint {
            width: 1fr;
            height: auto;
            padding: 0 0 0 2;
            color: $text-muted;
        }
        #start-domains {
            width: 1fr;
            height: auto;
            max-height: 8;
        }
        #start-topics {
            width: 1fr;
            height: auto;
            max-height: 6;
        }
        #start-topics-hint {
            height: auto;
            color: $text-muted;
        }
        #start-preview {
            height: auto;
            text-style: bold;
            color: $text-success;
            &.-error { color: $text-error; }
        }
        #start-buttons {
            height: auto;
            align-horizontal: right;
            Button { margin: 0 0 0 1; }
        }
    }
    """

    BINDINGS = [
        Binding("enter", "start", "Start", priority=True,
                tooltip="Start the attempt as shown"),
        Binding("escape", "cancel", "Cancel", priority=True, tooltip="Back, nothing started"),
        # priority: the focus moves before the next key is routed, so a key typed right
        # after tab lands in the next field (a non-priority binding runs only once the key
        # has bubbled up from the old field, by when the next key has gone there too)
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True,
                tooltip="Next field (shift+tab: previous)"),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False,
                priority=True, system=True),
        Binding("left,right", "noop", "Mode", show=False,
                tooltip="On the mode: pick the previous / next mode"),
        Binding("space", "noop", "Tick", show=False,
                tooltip="On the domains or topics: tick or untick the one under the cursor"),
        Binding("question_mark", "help", "Help", key_display="?", priority=True),
    ]

    def __init__(self, bank: Bank, services: Services, *, mode: str = "exam") -> None:
        super().__init__()
        self.bank = bank
        self.services = services
        self.initial_mode = mode if mode in MODES else "exam"
        self.counts = services.mode_counts(bank)
        self.assembly: Assembly | None = None
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        bank = self.bank
        with VerticalScroll(id="start-form"):
            yield Static(Content(f"Start: {shown(bank.title)}"), id="start-title")
            with Horizontal(classes="start-row", id="start-mode-row"):
                yield Static("Mode", classes="start-label", markup=False)
                with Vertical(classes="start-control"):
                    with ModeChoice(id="start-mode", compact=True):
                        for mode in MODES:
                            label = mode
                            if mode in self.counts:
                                label = f"{mode} ({self.counts[mode]})"
                            yield ModeButton(Content(label), value=mode == self.initial_mode,
                                             name=mode)
                    yield Static(id="start-about", markup=False)
            with Horizontal(classes="start-row"):
                yield Static("Questions", classes="start-label", markup=False)
                yield FieldInput(id="start-questions", type="integer", compact=True,
                            max_length=6, select_on_focus=False)
                yield Static(id="start-questions-hint", classes="start-hint", markup=False)
            with Horizontal(classes="start-row", id="start-time-row"):
                yield Static("Time (min)", classes="start-label", markup=False)
                yield FieldInput(id="start-time", type="number", compact=True, max_length=8,
                            select_on_focus=False)
                yield Static(id="start-time-hint", classes="start-hint", markup=False)
            if bank.domains:
                with Horizontal(classes="start-row", id="start-domains-row"):
                    yield Static("Domains", classes="start-label", markup=False)
                    yield DomainList(
                        *[
                            Selection(Content(shown(f"{d.label} ({len(bank.questions_in(d.id))})")),
                                      d.id, True)
                            for d in bank.domains
                        ],
                        id="start-domains", compact=True,
                    )
            topics = topic_counts(bank)
            if topics:
                with Horizontal(classes="start-row", id="start-topics-row"):
                    yield Static("Topics", classes="start-label", markup=False)
                    with Vertical(classes="start-control"):
                        yield TopicList(
                            *[Selection(Content(f"{shown(topic)} ({count})"), topic, False)
                              for topic, count in topics.items()],
                            id="start-topics", compact=True,
                        )
                        yield Static(id="start-topics-hint", markup=False)
            yield Static(id="start-preview", markup=False)
            with Horizontal(classes="start-row", id="start-extra-row"):
                yield Static("Extra time", classes="start-label", markup=False)
                yield FieldInput(id="start-extra", type="number", compact=True, max_length=6,
                                 select_on_focus=False)
                yield Static("min, an accommodation (e.g. 30); a full exam stays full",
                             classes="start-hint", markup=False)
            with Horizontal(classes="start-row", id="start-options-row"):
                yield Static("Options", classes="start-label", markup=False)
                yield TopicList(*[Selection(Content(text), key, False)
                                  for key, text in OPTIONS.items()],
                                id="start-options", compact=True)
            with Horizontal(id="start-buttons"):
                yield self._button("Start (enter)", "start", "primary")
                yield self._button("Cancel (esc)", "cancel", "default")
        yield Footer(compact=True)

    @staticmethod
    def _button(label: str, name: str, variant: ButtonVariant) -> Button:
        button = Button(Content(label), id=f"start-{name}-button", variant=variant,
                        compact=True)
        button.can_focus = False  # enter always starts, whatever the mouse touched last
        return button

    def on_mount(self) -> None:
        self.query_one(ModeChoice).focus()
        self.update_preview()

    # -- reading the form -------------------------------------------------------------

    def fields(self) -> FormFields:
        domains: tuple[str, ...] = ()
        if self.bank.domains:
            domains = tuple(self.query_one("#start-domains", SelectionList).selected)
        topics: tuple[str, ...] = ()
        for found in self.query("#start-topics").results(TopicList):
            chosen = set(found.selected)
            topics = tuple(topic for topic in topic_counts(self.bank) if topic in chosen)
        return FormFields(
            mode=self.query_one(ModeChoice).mode,
            questions=self.query_one("#start-questions", Input).value,
            time=self.query_one("#start-time", Input).value,
            domains=domains,
            all_domains=tuple(self.bank.domain_ids) if self.bank.domains else (),
            topics=topics,
            extra=self.query_one("#start-extra", Input).value,
            options=tuple(self.query_one("#start-options", SelectionList).selected),
        )

    def plan(self) -> AttemptPlan:
        """The plan as the form stands; FormError or ServiceError say why not."""
        plan = read_plan(self.fields())
        self.assembly = self.services.preview(self.bank, plan)
        return plan

    def update_preview(self) -> None:
        fields = self.fields()
        self.query_one("#start-about", Static).update(Content(ABOUT[fields.mode]))
        self._update_hints(fields)
        preview = self.query_one("#start-preview", Static)
        try:
            plan = self.plan()
        except (FormError, ServiceError) as exc:
            self.problem = str(exc)
            self.assembly = None
            preview.update(Content(f"✗ {self.problem}"))
            preview.set_class(True, "-error")
        else:
            self.problem = None
            assert self.assembly is not None
            preview.update(Content(shown(describe(plan, self.assembly))))
            preview.set_class(False, "-error")

    def _time_for(self, fields: FormFields, usual: FormFields, default: float) -> float:
        """The bank's time (seconds) for the question count typed, ``default`` (its time
        for the usual count) when none is typed or the count is not valid."""
        if not fields.questions.strip():
            return default
        try:
            typed = self.services.preview(self.bank, read_plan(replace(
                usual, questions=fields.questions)))
        except (FormError, ServiceError):
            return default
        return typed.time_limit if typed.time_limit is not None else default

    def _update_hints(self, fields: FormFields) -> None:
        """What an empty field means for this mode and these domains: the number as the
        field's placeholder, and a word beside it."""
        usual = FormFields(fields.mode, "", "", fields.domains, fields.all_domains,
                           fields.topics)
        questions_hint = time_hint = ""
        count_default = time_default = ""
        try:
            plan = read_plan(usual)
            assembly = self.services.preview(self.bank, plan)
            widest = self.services.preview(self.bank, replace(plan, questions=10**6))
        except (FormError, ServiceError):
            pass
        else:
            count_default = str(len(assembly.question_ids))
            questions_hint = f"of {len(widest.question_ids)}"
            if assembly.time_limit is None:
                time_default, time_hint = "none", "untimed unless you set one"
            else:
                time_default = f"{self._time_for(fields, usual, assembly.time_limit) / 60:g}"
                time_hint = ("the bank's time for that many questions"
                             if fields.mode == "exam" else "")
        if fields.time.strip():  # a time the user typed is not the bank's, nor "untimed"
            time_hint = ""
        questions = self.query_one("#start-questions", Input)
        questions.placeholder = count_default
        self.query_one("#start-time", Input).placeholder = time_default
        self.query_one("#start-questions-hint", Static).update(Content(questions_hint))
        self.query_one("#start-time-hint", Static).update(Content(time_hint))
        for hint in self.query("#start-topics-hint").results(Static):
            ticked = len(fields.topics)
            total = plural(len(topic_counts(self.bank)), "topic")
            hint.update(Content(f"{ticked} of {total} ticked: questions with any of them"
                                if ticked else f"{total}, none ticked: every topic "
                                "(space ticks)"))

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.update_preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.update_preview()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        self.update_preview()

    def on_input_submitted(self, event: Input.Submitted) -> None:  # enter is bound; kept safe
        event.stop()
        self.action_start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "start-start-button":
            self.action_start()
        else:
            self.action_cancel()

    # -- actions ------------------------------------------------------------------------

    def action_start(self) -> None:
        try:
            plan = self.plan()
            session = self.services.start(self.bank, plan)
        except (FormError, ServiceError) as exc:
            self.problem = str(exc)
            preview = self.query_one("#start-preview", Static)
            preview.update(Content(f"✗ {self.problem}"))
            preview.set_class(True, "-error")
            self.app.bell()
            return
        self.dismiss(session)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_noop(self) -> None:
        """Help rows only: the focused field does the work."""

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self, "Keys in the start form"))
