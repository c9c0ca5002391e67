"""ExamSession: the state machine of one attempt.

The session holds the order of questions and options, answers, strikes, flags,
confidence and time per question. Every method that a key triggers is one call here;
the screen only renders :meth:`ExamSession.view`. Time comes from an injected clock
(monotonic seconds): the question on screen accrues the time between calls, nothing
accrues while paused or after the end, and a timed session ends itself ("time_up") at
the first call after its deadline. Time beyond the limit is never counted.

Rules of an answer, all in bank letters (display letters exist only in views):

- a single-answer question: choosing replaces; a "choose N" question: choosing toggles,
  and choosing more than N is refused;
- choosing a struck option unstrikes it; striking a chosen option unchooses it, so a
  struck option is never chosen; the last option left in cannot be struck;
- in feedback modes (all but ``exam``) :meth:`check` locks the answer and confidence of
  the question and reveals whether it was right;
- ``changes`` counts how often a complete answer was changed afterwards;
- once finished, nothing changes but the position (so a review can walk the attempt).

:meth:`ExamSession.snapshot` returns the whole state as a pydantic model (core/snapshot.py,
imported by that method and by restore only: starting an attempt needs no pydantic), and
:meth:`ExamSession.restore` rebuilds the session from it (or from its JSON dict); the
time used so far continues from the snapshot, time while nothing ran does not count.
No disk and no events here: callers decide when to save.

Lazy import points: the snapshot models (above), and the scoring of a whole attempt
(core/scoring.py, in :meth:`ExamSession.records` and :meth:`ExamSession.result`: an
attempt's end; a running session and its autosave use core/credit.py only): neither is
on the way to question 1 (docs/performance.md, "Lazy imports").
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from .assemble import Assembly, AttemptPlan, EndReason, Mode, assemble, is_full_exam
from .bank import LETTERS, Bank, Picked, Question
from .credit import credit
from .frozen import Frozen, _set
from .gc_pause import gc_paused
from .limits import MAX_SECONDS as MAX_SECONDS  # re-exported: a snapshot's bounds
from .limits import MAX_SEED as MAX_SEED
from .limits import SNAPSHOT_VERSION
from .notes import MAX_NOTE

if TYPE_CHECKING:
    from .scoring import AnswerRecord, Result
    from .snapshot import QuestionState, SessionSnapshot

Clock = Callable[[], float]


class RestoreError(ValueError):
    """A snapshot that no longer fits the bank; the message is shown to the user."""


class BankChanged(RestoreError):
    """The bank (or examsim) changed since the save, not the save: putting the bank back
    as it was (or running the examsim that saved it) makes the attempt resumable again."""


class Outcome(Frozen):
    __slots__ = __match_args__ = ("ok", "reason")
    ok: bool
    reason: str  # shown to the user when not ok

    def __init__(self, ok: bool, reason: str = "") -> None:
        _set(self, "ok", ok)
        _set(self, "reason", reason)


OK = Outcome(True)


class DisplayOption(Frozen):
    __slots__ = __match_args__ = (
        "display", "letter", "bank_letter", "text", "why", "chosen", "struck", "in_key")
    display: int
    letter: str  # display letter A..
    bank_letter: str
    text: str
    why: str | None
    chosen: bool
    struck: bool
    in_key: bool

    def __init__(self, display: int, letter: str, bank_letter: str, text: str,
                 why: str | None, chosen: bool, struck: bool, in_key: bool) -> None:
        _set(self, "display", display)
        _set(self, "letter", letter)
        _set(self, "bank_letter", bank_letter)
        _set(self, "text", text)
        _set(self, "why", why)
        _set(self, "chosen", chosen)
        _set(self, "struck", struck)
        _set(self, "in_key", in_key)


class QuestionView(Frozen):
    __slots__ = __match_args__ = (
        "position", "count", "question", "options", "choose", "flagged", "confidence",
        "answered", "checked", "correct", "seconds", "note")
    position: int
    count: int
    question: Question
    options: tuple[DisplayOption, ...]
    choose: int
    flagged: bool
    confidence: int | None
    answered: bool  # as many options chosen as the question takes
    checked: bool
    correct: bool | None  # None until checked or finished
    seconds: float
    note: str  # the scratchpad note (key w), plain text

    def __init__(self, position: int, count: int, question: Question,
                 options: tuple[DisplayOption, ...], choose: int, flagged: bool,
                 confidence: int | None, answered: bool, checked: bool, correct: bool | None,
                 seconds: float, note: str = "") -> None:
        _set(self, "position", position)
        _set(self, "count", count)
        _set(self, "question", question)
        _set(self, "options", options)
        _set(self, "choose", choose)
        _set(self, "flagged", flagged)
        _set(self, "confidence", confidence)
        _set(self, "answered", answered)
        _set(self, "checked", checked)
        _set(self, "correct", correct)
        _set(self, "seconds", seconds)
        _set(self, "note", note)


def question_fingerprint(question: Question) -> str:
    """sha256 of what a question asks: stem, option texts and key (as storage hashes it)."""
    return question.fingerprint


@dataclass(frozen=True)
class QuestionProgress:
    """The part of one question's state that changes while the attempt runs (a
    QuestionState without id, fingerprint and order), as the store keeps it: one row
    per question that is not blank. Letters are bank letters, sorted."""

    position: int
    chosen: str = ""
    struck: str = ""
    flagged: bool = False
    confidence: int | None = None
    seconds: float = 0.0
    changes: int = 0
    checked: bool = False
    seen: bool | None = False  # None: saved before examsim kept it (see QuestionState)
    trail: tuple[str, ...] = ()
    note: str = ""
    credit: float = 0.0  # what the answer earns now (kept for an abandon without the bank)


class Unsaved(Frozen):
    """What a save writes (ExamSession.unsaved): the attempt's state (index, elapsed,
    paused, finished, end_reason: the snapshot's fields that change) and the questions
    whose state changed; ``compared``: the positions looked at."""

    __slots__ = __match_args__ = ("state", "questions", "compared")
    state: dict[str, Any]
    questions: tuple[QuestionProgress, ...]
    compared: frozenset[int]

    def __init__(self, state: dict[str, Any], questions: tuple[QuestionProgress, ...],
                 compared: frozenset[int]) -> None:
        _set(self, "state", state)
        _set(self, "questions", questions)
        _set(self, "compared", compared)


class _Mark:
    """The mutable state of one question in a running session (a plain class with slots,
    not a dataclass: cheaper to define, docs/performance.md, session 7)."""

    __slots__ = __match_args__ = (
        "chosen", "struck", "flagged", "confidence", "seconds", "changes", "checked", "seen",
        "trail", "note")
    __hash__ = None  # type: ignore[assignment]  # mutable: unhashable, as the dataclass was

    def __init__(
        self, chosen: set[str] | None = None, struck: set[str] | None = None,
        flagged: bool = False, confidence: int | None = None, seconds: float = 0.0,
        changes: int = 0, checked: bool = False, seen: bool = False,
        trail: list[str] | None = None, note: str = "",
    ) -> None:
        self.chosen: set[str] = set() if chosen is None else chosen
        self.struck: set[str] = set() if struck is None else struck
        self.flagged = flagged
        self.confidence = confidence
        self.seconds = seconds
        self.changes = changes
        self.checked = checked
        self.seen = seen  # shown on screen at least once
        self.trail: list[str] = [] if trail is None else trail  # complete answers, in order
        self.note = note  # the scratchpad note (key w)

    def _values(self) -> tuple[object, ...]:
        return tuple([getattr(self, name) for name in self.__match_args__])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            assert isinstance(other, _Mark)
            return self._values() == other._values()
        return NotImplemented

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
        return f"_Mark({fields})"

    @property
    def touched(self) -> bool:
        """Whether the user did anything to the question (time alone is not; a note is)."""
        return bool(self.chosen or self.struck or self.flagged
                    or self.confidence is not None or self.checked or self.note.strip())


class ExamSession:
    """One attempt. Build it with :meth:`start` or :meth:`restore`."""

    def __init__(
        self, bank: Bank, plan: AttemptPlan, assembly: Assembly, clock: Clock,
        wall: Clock = time.time,
    ) -> None:
        self.bank = bank
        self.plan = plan
        self.unscored = frozenset(assembly.unscored)
        self._unscored_ids = assembly.unscored
        self._wall = wall
        # strict timing counts from the wall-clock start (the clock runs while closed)
        self.wall_start: float | None = wall() if plan.strict else None
        self.mode: Mode = plan.mode
        self.seed = assembly.seed
        self.feedback = plan.mode != "exam"
        self.time_limit = assembly.time_limit
        self.question_ids = assembly.question_ids
        self.option_orders = assembly.option_orders
        self.count = len(assembly.question_ids)
        self.full = is_full_exam(bank, plan, len(assembly.question_ids), assembly.time_limit)
        self._index = 0
        self.finished = False
        self.end_reason: EndReason | None = None
        self.paused = False
        self.checks = 0  # answers checked in this run (a practice check reviews its card)
        # each question is looked up in the bank when used (a cached bank makes it then):
        # a resumed 100,000-question attempt makes the questions it shows
        self._questions = Picked(assembly.question_ids, bank.question)
        self._marks = [_Mark() for _ in assembly.question_ids]
        if self._marks:
            self._marks[0].seen = True  # the first question is on screen from the start
        self._clock = clock
        self._used = 0.0
        self._since = clock()
        # saving (see unsaved): each question's state as last saved (absent: blank), and
        # the positions that may have changed since besides the one on screen
        self._saved: dict[int, QuestionProgress] = {}
        self._dirty: set[int] = set()

    @property
    def index(self) -> int:
        """The position of the question on screen (0-based)."""
        return self._index

    @index.setter
    def index(self, position: int) -> None:
        # every change of state is made to the question on screen: the questions left and
        # reached are the only ones a save must look at besides the current one
        self._dirty.add(self._index)
        self._dirty.add(position)
        self._index = position
        self._marks[position].seen = True

    # -- building ---------------------------------------------------------------------

    @classmethod
    def start(
        cls, bank: Bank, plan: AttemptPlan, clock: Clock = time.monotonic,
        recency: Mapping[str, int] | None = None, wall: Clock = time.time,
    ) -> ExamSession:
        """A new attempt; raises AssembleError when the plan does not fit the bank.
        ``recency``: when each question was last seen, for ``plan.prefer_fresh``;
        ``wall``: epoch seconds, for strict timing."""
        return cls(bank, plan, assemble(bank, plan, recency), clock, wall)

    @classmethod
    def restore(
        cls, bank: Bank, snapshot: SessionSnapshot | dict[str, Any], clock: Clock = time.monotonic,
        wall: Clock = time.time, *, fits: bool = False,
    ) -> ExamSession:
        """Rebuild a session from a snapshot; raises RestoreError when it no longer fits.

        ``fits``: the caller knows that every saved question is in the bank with as many
        options as its saved order holds (storage: the save was written against this
        very bank file), so the bank's questions are not made to count their options;
        only the questions with letters saved, or whose order is not one, or whose id the
        bank lacks, are checked (the same checks, the same errors)."""
        with gc_paused():  # a big attempt's snapshot and marks: many objects, no cycles
            return cls._restore(bank, _validated(snapshot), clock, wall, fits)

    @classmethod
    def _restore(cls, bank: Bank, snap: SessionSnapshot, clock: Clock, wall: Clock,
                 fits: bool) -> ExamSession:
        if snap.bank_id != bank.id:
            raise BankChanged(f"it was taken on bank {snap.bank_id!r}, not {bank.id!r}")
        orders: dict[tuple[int, ...], bool] = {}  # few distinct orders: judged once each
        for state in snap.questions:
            if fits and not (state.chosen or state.struck) and bank.has_question(state.id):
                whole = orders.get(state.order)
                if whole is None:
                    whole = orders[state.order] = sorted(state.order) == list(
                        range(len(state.order)))
                if whole:
                    continue
            _check_fits(bank, state)
        if snap.index >= len(snap.questions):
            raise RestoreError("its saved state is damaged: position out of range")
        assembly = Assembly(
            question_ids=tuple(s.id for s in snap.questions),
            option_orders=tuple(s.order for s in snap.questions),
            time_limit=snap.time_limit,
            seed=snap.seed,
            unscored=snap.unscored,
        )
        session = cls(bank, snap.plan, assembly, clock, wall)
        session.wall_start = snap.wall_start
        partial = bank.settings.partial_credit
        for position, (mark, state) in enumerate(zip(session._marks, snap.questions,
                                                     strict=True)):
            if state.seen is False and position and not _changed(state):
                continue  # blank, as the mark is already (the first one starts seen)
            if state.seen is not False or _changed(state):  # the store has its row
                session._saved[position] = QuestionProgress(
                    position, state.chosen, state.struck, state.flagged, state.confidence,
                    state.seconds, state.changes, state.checked, state.seen, state.trail,
                    state.note, credit(bank.question(state.id), state.chosen, partial)
                    if state.chosen else 0.0)
            mark.chosen, mark.struck = set(state.chosen), set(state.struck)
            mark.flagged, mark.confidence = state.flagged, state.confidence
            mark.seconds, mark.changes, mark.checked = state.seconds, state.changes, state.checked
            mark.seen = state.seen if state.seen is not None else (
                mark.touched or mark.seconds > 0)
            mark.trail = list(state.trail)
            mark.note = state.note
        session.index = snap.index
        session._used = snap.elapsed
        if snap.plan.strict and snap.time_limit is not None and snap.wall_start is not None:
            # strict timing: the clock ran on while examsim was closed (credited to no
            # question); out of time already: the attempt ends now, as it stood
            away = wall() - snap.wall_start
            session._used = min(snap.time_limit, max(snap.elapsed, away))
        session.paused = snap.paused
        session.finished = snap.finished
        session.end_reason = snap.end_reason
        session._advance()  # out of time already: ends now
        return session

    def snapshot(self) -> SessionSnapshot:
        # lazy point (docs/architecture.md): the snapshot models, and with them pydantic,
        # only when a snapshot is taken or validated, never to start an attempt
        from .snapshot import QuestionState, SessionSnapshot

        self._advance()
        return SessionSnapshot(
            bank_id=self.bank.id,
            plan=self.plan,
            seed=self.seed,
            time_limit=self.time_limit,
            questions=tuple(
                QuestionState(
                    id=question.id,
                    fingerprint=question_fingerprint(question),
                    order=order,
                    chosen="".join(sorted(mark.chosen)),
                    struck="".join(sorted(mark.struck)),
                    flagged=mark.flagged,
                    confidence=mark.confidence,
                    seconds=mark.seconds,
                    changes=mark.changes,
                    checked=mark.checked,
                    seen=mark.seen,
                    trail=tuple(mark.trail),
                    note=mark.note,
                )
                for question, order, mark in zip(
                    self._questions, self.option_orders, self._marks, strict=True
                )
            ),
            index=self.index,
            elapsed=self._used,
            paused=self.paused,
            finished=self.finished,
            end_reason=self.end_reason,
            unscored=self._unscored_ids,
            wall_start=self.wall_start,
        )

    # -- saving -----------------------------------------------------------------------
    #
    # The store keeps an attempt in progress in three parts (storage/progress.py): its
    # outline (what never changes, written once when it starts), one row per question
    # whose state is not blank, and the attempt's small state (position, time, ...). A
    # save writes the state and the rows of the questions that changed since the last
    # one; restoring joins the parts back into a SessionSnapshot.

    def outline(self) -> dict[str, Any]:
        """What the snapshot holds that never changes during the attempt: version,
        bank_id, plan, seed, time_limit, unscored, wall_start, as the snapshot's
        ``model_dump(mode="json")`` has them (lists for tuples)."""
        plan = {key: list(value) if isinstance(value, tuple) else value
                for key, value in asdict(self.plan).items()}
        return {
            "version": SNAPSHOT_VERSION,
            "bank_id": self.bank.id,
            "plan": plan,
            "seed": self.seed,
            "time_limit": self.time_limit,
            "unscored": list(self._unscored_ids),
            "wall_start": self.wall_start,
        }

    def question_list(self) -> list[tuple[Question, tuple[int, ...]]]:
        """Each question of the attempt in order, with its option order."""
        return list(zip(self._questions, self.option_orders, strict=True))

    def unsaved(self, everything: bool = False) -> Unsaved:
        """What a save writes: the attempt's state and each question whose state differs
        from the last save confirmed with :meth:`saved` (``everything``: from a question
        never shown, for the first save of an attempt; O(questions), else O(changes)).

        Every session method changes the question on screen only, so only it and the
        questions moved between since the last save are compared, not the whole attempt.
        Nothing is forgotten until :meth:`saved` confirms it, so a failed save loses
        nothing.
        """
        self._advance()
        if everything:  # a question never shown and never restored is blank
            marks = self._marks
            positions = {p for p in range(len(marks)) if marks[p].seen or marks[p].seconds
                         or marks[p].touched or marks[p].changes or marks[p].trail}
        else:
            positions = {*self._dirty, self._index}
        changed = []
        for position in sorted(positions):
            now = self._progress(position)
            before = None if everything else self._saved.get(position)
            if now != (before or QuestionProgress(position)):  # (a restored seen=None
                # question is not blank: restore made it seen or not, True or False)
                changed.append(now)
        state = {"index": self._index, "elapsed": self._used, "paused": self.paused,
                 "finished": self.finished, "end_reason": self.end_reason}
        return Unsaved(state, tuple(changed), frozenset(positions))

    def saved(self, unsaved: Unsaved) -> None:
        """Confirm that ``unsaved`` was written: its questions need no save until they
        change again."""
        for progress in unsaved.questions:
            self._saved[progress.position] = progress
        for position in unsaved.compared:
            if position != self._index and self._progress(position) == self._saved.get(
                    position, QuestionProgress(position)):
                self._dirty.discard(position)

    def _progress(self, position: int) -> QuestionProgress:
        mark, question = self._marks[position], self._questions[position]
        chosen = "".join(sorted(mark.chosen))
        return QuestionProgress(
            position=position,
            chosen=chosen,
            struck="".join(sorted(mark.struck)),
            flagged=mark.flagged,
            confidence=mark.confidence,
            seconds=mark.seconds,
            changes=mark.changes,
            checked=mark.checked,
            seen=mark.seen,
            trail=tuple(mark.trail),
            note=mark.note,
            credit=credit(question, chosen, self.bank.settings.partial_credit) if chosen else 0.0,
        )

    # -- time -------------------------------------------------------------------------

    def _advance(self) -> None:
        """Credit the time since the last call to the question on screen; end when due."""
        now = self._clock()
        spent = max(0.0, now - self._since)
        self._since = now
        if self.finished or self.paused:
            return
        if self.time_limit is not None:
            spent = min(spent, max(0.0, self.time_limit - self._used))
        self._used += spent
        self._marks[self.index].seconds += spent
        if self.time_limit is not None and self._used >= self.time_limit:
            self._end("time_up")

    def elapsed(self) -> float:
        """Seconds used so far (never more than the time limit)."""
        self._advance()
        return self._used

    def remaining(self) -> float | None:
        """Seconds left (0 at the end); None when untimed."""
        self._advance()
        if self.time_limit is None:
            return None
        return max(0.0, self.time_limit - self._used)

    def tick(self) -> bool:
        """Account time; True when the session has ended because time ran out."""
        self._advance()
        return self.end_reason == "time_up"

    def submit(self, reason: EndReason = "submitted") -> None:
        """End the attempt (a no-op when it has ended already)."""
        if reason not in ("submitted", "time_up"):
            raise ValueError(f"end reason is 'submitted' or 'time_up', not {reason!r}")
        self._advance()
        if not self.finished:
            self._end(reason)

    def _end(self, reason: EndReason) -> None:
        self.finished = True
        self.end_reason = reason
        self.paused = False

    # -- answering --------------------------------------------------------------------

    def choose(self, display: int) -> Outcome:
        """Choose the option shown at ``display`` (key a = 0); toggles for "choose N"."""
        refused = self._refuse_change(display)
        if refused:
            return refused
        mark, question = self._marks[self.index], self._questions[self.index]
        letter = self._bank_letter(self.index, display)
        if question.choose == 1:
            chosen = {letter}
        elif letter in mark.chosen:
            chosen = mark.chosen - {letter}
        elif len(mark.chosen) >= question.choose:
            return Outcome(False, f"This question takes {question.choose} answers; "
                                  "unselect one first")
        else:
            chosen = mark.chosen | {letter}
        mark.struck.discard(letter)
        self._set_chosen(mark, question, chosen)
        return OK

    def toggle_strike(self, display: int) -> Outcome:
        """Strike the option shown at ``display`` out, or back in."""
        refused = self._refuse_change(display)
        if refused:
            return refused
        mark, question = self._marks[self.index], self._questions[self.index]
        letter = self._bank_letter(self.index, display)
        if letter in mark.struck:
            mark.struck.discard(letter)
            return OK
        if len(mark.struck) + 1 >= len(question.options):
            return Outcome(False, "At least one option must stay in")
        self._set_chosen(mark, question, mark.chosen - {letter})
        mark.struck.add(letter)
        return OK

    def _set_chosen(self, mark: _Mark, question: Question, chosen: set[str]) -> None:
        if chosen == mark.chosen:
            return
        if len(mark.chosen) == question.choose:  # a complete answer changed
            mark.changes += 1
        mark.chosen = chosen
        if len(chosen) == question.choose:
            answer = "".join(sorted(chosen))
            if not mark.trail or mark.trail[-1] != answer:
                mark.trail.append(answer)

    def _refuse_change(self, display: int | None = None) -> Outcome | None:
        """Why the current question's answer cannot change now (None: it can)."""
        self._advance()
        if self.finished:
            return Outcome(False, "Time is up" if self.end_reason == "time_up"
                           else "The exam has ended")
        if self.paused:
            return Outcome(False, "Paused; resume to go on")
        if self._marks[self.index].checked:
            return Outcome(False, "This answer has been checked")
        options = len(self._questions[self.index].options)
        if display is not None and not 0 <= display < options:
            return Outcome(False, f"There is no option {_letter(display)}")
        return None

    def check(self) -> Outcome:
        """Feedback modes: lock the current answer and reveal whether it is right."""
        if not self.feedback:
            self._advance()
            return Outcome(False, "Answers are checked at the end of an exam")
        refused = self._refuse_change()
        if refused:
            return refused
        mark, question = self._marks[self.index], self._questions[self.index]
        if not mark.chosen:
            return Outcome(False, "Choose an answer first")
        missing = question.choose - len(mark.chosen)
        if missing > 0:
            return Outcome(False, f"This question takes {question.choose} answers; "
                                  f"choose {missing} more")
        mark.checked = True
        self.checks += 1
        return OK

    def set_note(self, text: str) -> Outcome:
        """The current question's scratchpad note (plain text, cut to MAX_NOTE characters);
        kept until the end of the attempt, then fixed as the answers are."""
        self._advance()
        if self.finished:
            return Outcome(False, "The exam has ended")
        if self.paused:
            return Outcome(False, "Paused; resume to go on")
        self._marks[self.index].note = str(text)[:MAX_NOTE]
        return OK

    def toggle_flag(self) -> Outcome:
        """Mark the current question for review, or unmark it."""
        self._advance()
        if self.finished:
            return Outcome(False, "The exam has ended")
        if self.paused:
            return Outcome(False, "Paused; resume to go on")
        mark = self._marks[self.index]
        mark.flagged = not mark.flagged
        return OK

    def set_confidence(self, level: int | None) -> Outcome:
        """1 sure, 2 think so, 3 guessing, None to clear; fixed once the answer is checked."""
        if level not in (None, 1, 2, 3):
            raise ValueError(f"confidence is 1, 2, 3 or None, not {level!r}")
        refused = self._refuse_change()
        if refused:
            return refused
        self._marks[self.index].confidence = level
        return OK

    # -- navigation -------------------------------------------------------------------

    def go(self, position: int) -> None:
        """Show the question at ``position`` (0-based); raises IndexError when out of range."""
        if not 0 <= position < self.count:
            raise IndexError(f"position {position} is outside 0..{self.count - 1}")
        self._advance()
        if not self.paused:
            self.index = position

    def next(self) -> bool:
        """Go to the next question; False at the last one (or while paused)."""
        if self.index + 1 >= self.count or self.paused:
            return False
        self.go(self.index + 1)
        return True

    def previous(self) -> bool:
        """Go to the previous question; False at the first one (or while paused)."""
        if self.index == 0 or self.paused:
            return False
        self.go(self.index - 1)
        return True

    # -- reading ----------------------------------------------------------------------

    def view(self, position: int | None = None) -> QuestionView:
        """What the screen shows for one question (default: the current one)."""
        self._advance()
        position = self.index if position is None else position
        if not 0 <= position < self.count:
            raise IndexError(f"position {position} is outside 0..{self.count - 1}")
        question, mark = self._questions[position], self._marks[position]
        key = set(question.answer)
        options = tuple(
            DisplayOption(
                display=display,
                letter=LETTERS[display],
                bank_letter=LETTERS[index],
                text=question.options[index].text,
                why=question.options[index].why,
                chosen=LETTERS[index] in mark.chosen,
                struck=LETTERS[index] in mark.struck,
                in_key=LETTERS[index] in key,
            )
            for display, index in enumerate(self.option_orders[position])
        )
        revealed = mark.checked or self.finished
        return QuestionView(
            position=position,
            count=self.count,
            question=question,
            options=options,
            choose=question.choose,
            flagged=mark.flagged,
            confidence=mark.confidence,
            answered=len(mark.chosen) >= question.choose,
            checked=mark.checked,
            correct=(mark.chosen == key) if revealed else None,
            seconds=mark.seconds,
            note=mark.note,
        )

    @property
    def answered(self) -> int:
        """Questions with as many options chosen as they take."""
        return sum(len(mark.chosen) >= self._questions[position].choose
                   for position, mark in enumerate(self._marks) if mark.chosen)

    @property
    def unanswered(self) -> int:
        """Questions without a complete answer (partly answered ones included)."""
        return self.count - self.answered

    @property
    def partly_answered(self) -> int:
        """Choose-N questions with some but not all of their options chosen."""
        return sum(len(mark.chosen) < self._questions[position].choose
                   for position, mark in enumerate(self._marks) if mark.chosen)

    @property
    def flagged_count(self) -> int:
        return sum(mark.flagged for mark in self._marks)

    def records(self) -> list[AnswerRecord]:
        """The answers so far, in attempt order, for scoring."""
        from .scoring import AnswerRecord  # lazy point (module docstring)

        return [
            AnswerRecord(
                question_id=question.id,
                chosen="".join(sorted(mark.chosen)),
                struck="".join(sorted(mark.struck)),
                flagged=mark.flagged,
                confidence=mark.confidence,
                seconds=mark.seconds,
                changes=mark.changes,
                seen=mark.seen,
                trail=">".join(mark.trail),
                scored=question.id not in self.unscored,
                note=mark.note,
            )
            for question, mark in zip(self._questions, self._marks, strict=True)
        ]

    def result(self) -> Result:
        """The score of the current state (of the whole attempt once finished): a full
        exam scores every question, any other attempt the questions seen (scoring.py)."""
        from .scoring import score  # lazy point (module docstring)

        self._advance()
        return score(self.bank, self.records(), full=self.full)

    @property
    def seen(self) -> int:
        """Questions shown on screen so far."""
        return sum(mark.seen for mark in self._marks)

    @property
    def touched(self) -> bool:
        """Whether the user did anything at all (an answer, strike, flag or confidence):
        an attempt without it has nothing to resume."""
        return any(mark.touched for mark in self._marks)

    def _bank_letter(self, position: int, display: int) -> str:
        return LETTERS[self.option_orders[position][display]]


def _changed(state: QuestionState) -> bool:
    """Whether anything but ``seen`` differs from a question never shown."""
    return bool(state.chosen or state.struck or state.flagged or state.confidence is not None
                or state.seconds or state.changes or state.checked or state.trail
                or state.note)


def _letter(display: int) -> str:
    return LETTERS[display] if 0 <= display < len(LETTERS) else str(display)


def _validated(snapshot: SessionSnapshot | dict[str, Any]) -> SessionSnapshot:
    from pydantic import ValidationError  # lazy point: see ExamSession.snapshot

    from .snapshot import SessionSnapshot

    if isinstance(snapshot, SessionSnapshot):
        return snapshot
    try:
        snap = SessionSnapshot.model_validate(snapshot)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RestoreError(f"its saved state is damaged ({where}: {first['msg']})") from exc
    if snap.version != SNAPSHOT_VERSION:
        raise BankChanged(f"it was saved by another version of examsim ({snap.version})")
    return snap


def _check_fits(bank: Bank, state: QuestionState) -> None:
    """Raise RestoreError when a saved question is gone or its options changed in number."""
    if not bank.has_question(state.id):
        raise BankChanged(f"question {state.id!r} is no longer in the bank")
    count = len(bank.question(state.id).options)
    if sorted(state.order) != list(range(count)):
        raise BankChanged(
            f"question {state.id!r} now has {count} options, not {len(state.order)}"
        )
    letters = set(state.chosen) | set(state.struck)
    if not letters <= set(LETTERS[:count]):
        raise RestoreError(f"its saved state is damaged (letters {''.join(sorted(letters))} "
                           f"on question {state.id!r})")
