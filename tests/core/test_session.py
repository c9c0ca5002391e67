"""ExamSession: answers, strikes, flags, confidence, navigation, time, feedback, snapshots."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examsim.core.assemble import AssembleError, AttemptPlan
from examsim.core.bank import LETTERS
from examsim.core.session import ExamSession, Outcome, RestoreError
from examsim.core.snapshot import SessionSnapshot

from .helpers import FakeClock, banks, make_bank, question

REFUSED_N = Outcome(False, "This question takes 2 answers; unselect one first")


def bank(**settings):
    settings.setdefault("time_limit", 10)  # minutes for the 3 questions
    return make_bank([
        question("single", answer="B"),
        question("double", answer=["B", "D"], options=5),
        question("pair", answer="A", options=2),
    ], **settings)


def start(mode="exam", shuffle=False, clock=None, **plan) -> ExamSession:
    plan.setdefault("seed", 1)
    return ExamSession.start(bank(), AttemptPlan(mode=mode, shuffle=shuffle, **plan),
                             clock or FakeClock())


def chosen(session, position=None):
    return "".join(o.bank_letter for o in session.view(position).options if o.chosen)


def struck(session, position=None):
    return "".join(o.bank_letter for o in session.view(position).options if o.struck)


# -- starting -----------------------------------------------------------------------------


def test_start_exposes_the_attempt():
    session = start()
    assert (session.count, session.index, session.mode, session.seed) == (3, 0, "exam", 1)
    assert session.feedback is False
    assert session.time_limit == 600
    assert not session.finished and session.end_reason is None and not session.paused
    assert session.question_ids == ("single", "double", "pair")
    assert start(mode="practice").feedback is True


def test_start_raises_assemble_error_for_a_bad_plan():
    with pytest.raises(AssembleError):
        start(mode="drill", topics=("nope",))


def test_same_seed_same_session():
    one, two = start(shuffle=True, seed=8), start(shuffle=True, seed=8)
    assert one.snapshot() == two.snapshot()


# -- choosing and striking ------------------------------------------------------------------


def test_single_answer_choice_replaces():
    session = start()
    assert session.choose(0) == Outcome(True)
    assert session.choose(2).ok
    assert chosen(session) == "C"
    assert session.choose(2).ok  # again: stays chosen
    assert chosen(session) == "C"


def test_choose_n_toggles_and_refuses_more_than_n():
    session = start()
    session.go(1)
    assert session.choose(1).ok and session.choose(3).ok
    assert chosen(session) == "BD"
    assert session.choose(0) == REFUSED_N
    assert chosen(session) == "BD"
    assert session.choose(3).ok  # toggles off
    assert chosen(session) == "B"
    assert session.choose(0).ok
    assert chosen(session) == "AB"


def test_choose_refuses_an_option_that_does_not_exist():
    session = start()
    assert session.choose(4) == Outcome(False, "There is no option E")
    assert session.toggle_strike(-1).ok is False


def test_strike_toggles():
    session = start()
    assert session.toggle_strike(0).ok and session.toggle_strike(3).ok
    assert struck(session) == "AD"
    assert session.toggle_strike(0).ok
    assert struck(session) == "D"


def test_choosing_a_struck_option_unstrikes_it():
    session = start()
    session.toggle_strike(1)
    session.choose(1)
    assert (chosen(session), struck(session)) == ("B", "")


def test_striking_a_chosen_option_unchooses_it():
    session = start()
    session.choose(1)
    session.toggle_strike(1)
    assert (chosen(session), struck(session)) == ("", "B")


def test_refused_choice_on_full_choose_n_leaves_a_strike_alone():
    session = start()
    session.go(1)
    session.toggle_strike(4)
    session.choose(0)
    session.choose(1)
    assert session.choose(4) == REFUSED_N
    assert struck(session) == "E"


def test_the_last_option_left_in_cannot_be_struck():
    session = start()
    session.go(2)  # two options
    assert session.toggle_strike(0).ok
    assert session.toggle_strike(1) == Outcome(False, "At least one option must stay in")
    assert struck(session) == "A"


def test_display_letters_follow_the_shuffle_and_answers_are_bank_letters():
    session = start(shuffle=True, seed=3)
    order = session.option_orders[0]
    assert order != (0, 1, 2, 3)
    view = session.view()
    assert [o.letter for o in view.options] == ["A", "B", "C", "D"]
    assert [o.bank_letter for o in view.options] == [LETTERS[i] for i in order]
    key_display = next(o.display for o in view.options if o.in_key)
    assert view.options[key_display].bank_letter == "B"
    session.choose(key_display)
    assert session.records()[0].chosen == "B"
    session.submit()
    assert session.result().questions[0].correct


# -- flags, confidence, counts ---------------------------------------------------------------


def test_flag_toggles_and_counts():
    session = start()
    session.toggle_flag()
    session.next()
    session.toggle_flag()
    assert session.flagged_count == 2 and session.view(0).flagged
    session.toggle_flag()
    assert session.flagged_count == 1


def test_confidence_sets_clears_and_rejects_nonsense():
    session = start()
    session.set_confidence(3)
    assert session.view().confidence == 3
    session.set_confidence(None)
    assert session.view().confidence is None
    with pytest.raises(ValueError, match="confidence is 1, 2, 3 or None"):
        session.set_confidence(4)


def test_answered_means_as_many_choices_as_the_question_takes():
    session = start()
    session.choose(0)
    session.next()
    session.choose(0)  # one of two
    assert (session.answered, session.unanswered) == (1, 2)
    assert not session.view().answered
    session.choose(1)
    assert (session.answered, session.unanswered) == (2, 1)


def test_changes_count_changes_of_a_complete_answer():
    session = start()
    session.choose(0)          # first answer
    session.choose(0)          # same: no change
    session.choose(1)          # 1
    session.toggle_strike(1)   # unchooses B: 2
    session.choose(2)          # answering again after nothing was chosen
    assert session.records()[0].changes == 2
    session.go(1)
    session.choose(0)
    session.choose(1)          # complete: AB
    session.choose(1)          # 1 (AB -> A)
    session.choose(3)          # A -> AD: completing, not a change
    assert session.records()[1].changes == 1


# -- navigation -------------------------------------------------------------------------------


def test_next_and_previous_stop_at_the_ends():
    session = start()
    assert session.previous() is False
    assert session.next() and session.next()
    assert session.next() is False
    assert session.index == 2
    assert session.previous() and session.index == 1
    session.go(0)
    assert session.index == 0
    with pytest.raises(IndexError):
        session.go(3)


def test_view_of_another_position():
    session = start()
    session.choose(1)
    session.next()
    view = session.view(0)
    assert (view.position, view.count, view.question.id) == (0, 3, "single")
    assert chosen(session, 0) == "B"
    assert session.view().position == 1


# -- time -------------------------------------------------------------------------------------


def test_time_is_counted_per_question_while_shown():
    clock = FakeClock()
    session = start(clock=clock)
    clock.advance(10)
    session.next()
    clock.advance(5)
    session.previous()
    clock.advance(2.5)
    assert session.view(0).seconds == 12.5
    assert session.view(1).seconds == 5
    assert session.elapsed() == 17.5
    assert session.remaining() == 600 - 17.5


def test_submit_and_snapshot_account_the_running_question():
    clock = FakeClock()
    session = start(clock=clock)
    clock.advance(4)
    assert session.snapshot().questions[0].seconds == 4
    clock.advance(6)
    session.submit()
    clock.advance(100)  # after the end nothing counts
    assert session.records()[0].seconds == 10
    assert session.elapsed() == 10


def test_time_up_ends_the_session_and_time_beyond_is_not_counted():
    clock = FakeClock()
    session = start(clock=clock)
    clock.advance(599)
    assert session.tick() is False
    assert session.remaining() == 1
    session.next()
    clock.advance(30)
    assert session.tick() is True
    assert session.finished and session.end_reason == "time_up"
    assert session.remaining() == 0
    assert session.view(1).seconds == 1
    assert session.elapsed() == 600
    assert session.tick() is True


def test_a_choice_after_the_deadline_is_refused():
    clock = FakeClock()
    session = start(clock=clock)
    clock.advance(601)
    assert session.choose(0) == Outcome(False, "Time is up")
    assert session.end_reason == "time_up"


def test_untimed_session_has_no_remaining_time_and_never_times_out():
    clock = FakeClock()
    session = start(mode="drill", clock=clock)
    clock.advance(10_000)
    assert session.remaining() is None
    assert session.tick() is False
    assert session.elapsed() == 10_000


# -- feedback ---------------------------------------------------------------------------------


def test_check_is_for_feedback_modes_only():
    session = start()
    session.choose(1)
    assert session.check() == Outcome(False, "Answers are checked at the end of an exam")
    assert session.view().correct is None


def test_check_needs_a_complete_answer():
    session = start(mode="practice")
    assert session.check() == Outcome(False, "Choose an answer first")
    session.go(1)
    session.choose(1)
    assert session.check() == Outcome(False, "This question takes 2 answers; choose 1 more")


def test_check_locks_the_answer_and_reveals_it():
    session = start(mode="practice")
    session.choose(0)
    assert session.view().correct is None
    assert session.check().ok
    view = session.view()
    assert view.checked and view.correct is False
    locked = Outcome(False, "This answer has been checked")
    assert session.choose(1) == locked
    assert session.toggle_strike(2) == locked
    assert session.check() == locked
    session.set_confidence(1)
    assert session.view().confidence is None  # confidence after the key is no confidence
    session.toggle_flag()
    assert session.view().flagged  # flags still work
    assert chosen(session) == "A"
    session.next()
    assert session.choose(1).ok  # other questions are open


# -- the end ----------------------------------------------------------------------------------


def test_nothing_changes_once_finished():
    session = start(mode="practice")
    session.choose(1)
    session.submit()
    before = session.snapshot()
    ended = Outcome(False, "The exam has ended")
    assert session.choose(0) == ended
    assert session.toggle_strike(0) == ended
    assert session.check() == ended
    session.toggle_flag()
    session.set_confidence(2)
    session.submit("time_up")
    assert session.end_reason == "submitted"
    assert session.snapshot() == before
    assert session.view(0).correct is True and session.view(1).correct is False
    assert session.next() and session.index == 1  # a review may still walk the attempt


def test_submit_rejects_an_unknown_reason():
    with pytest.raises(ValueError, match="end reason"):
        start().submit("bored")  # type: ignore[arg-type]


def test_a_plan_with_lists_snapshots_and_restores_identically():
    plan = AttemptPlan(mode="drill", topics=[], domains=[], seed=2)  # type: ignore[arg-type]
    session = ExamSession.start(bank(), plan, FakeClock())
    snap = session.snapshot()
    assert ExamSession.restore(bank(), snap.model_dump(mode="json"), FakeClock()).snapshot() \
        == snap


def test_result_scores_the_current_state():
    session = start()
    session.choose(1)
    session.next()
    session.choose(1)
    session.choose(3)
    session.submit()
    result = session.result()
    assert result.total == 3 and result.correct == 2
    assert [q.chosen for q in result.questions] == ["B", "BD", ""]


# -- snapshot and restore -----------------------------------------------------------------------


def busy_session(clock: FakeClock) -> ExamSession:
    session = start(mode="practice", shuffle=True, seed=5, clock=clock, time_minutes=20)
    for option in session.view().options:
        if option.in_key:
            session.choose(option.display)
        else:
            session.toggle_strike(option.display)
    session.set_confidence(2)
    assert session.check().ok
    clock.advance(7)
    session.next()
    session.toggle_flag()
    session.choose(2)
    clock.advance(3)
    return session


def test_snapshot_is_json_and_restores_identically():
    clock = FakeClock()
    session = busy_session(clock)
    snap = session.snapshot()
    data = json.loads(json.dumps(snap.model_dump(mode="json")))
    restored = ExamSession.restore(bank(), data, FakeClock(0))
    assert restored.snapshot() == snap
    assert restored.view(0).checked and restored.view(1).flagged
    assert restored.option_orders == session.option_orders
    assert restored.plan == session.plan
    assert ExamSession.restore(bank(), snap, FakeClock(0)).snapshot() == snap


def test_snapshot_holds_the_complete_state():
    snap = busy_session(FakeClock()).snapshot()
    assert (snap.bank_id, snap.seed, snap.index, snap.elapsed) == ("test", 5, 1, 10)
    assert (snap.paused, snap.finished, snap.end_reason, snap.time_limit) == (
        False, False, None, 1200)
    first = snap.questions[0]
    assert first.checked and first.confidence == 2 and first.seconds == 7
    q = bank().question(first.id)
    text = json.dumps([q.stem, [o.text for o in q.options], list(q.answer)],
                      ensure_ascii=False, separators=(",", ":"))
    assert first.fingerprint == hashlib.sha256(text.encode()).hexdigest()


def test_restored_time_continues_from_the_snapshot():
    session = busy_session(FakeClock())
    data = session.snapshot().model_dump(mode="json")
    clock = FakeClock(5_000_000)  # the program was not running meanwhile
    restored = ExamSession.restore(bank(), data, clock)
    assert restored.elapsed() == 10
    clock.advance(4)
    assert restored.remaining() == 1200 - 14
    assert restored.view().seconds == 7  # question 2: 3 before, 4 after


def test_restoring_an_expired_snapshot_ends_it():
    clock = FakeClock()
    session = start(clock=clock)
    clock.advance(599.5)
    data = session.snapshot().model_dump(mode="json")
    data["elapsed"] = 600
    restored = ExamSession.restore(bank(), data, FakeClock())
    assert restored.finished and restored.end_reason == "time_up"


def test_restore_refuses_a_bank_without_the_question():
    data = start().snapshot().model_dump(mode="json")
    smaller = make_bank([question("single", answer="B"), question("pair", answer="A",
                                                                   options=2)])
    with pytest.raises(RestoreError, match="question 'double' is no longer in the bank"):
        ExamSession.restore(smaller, data, FakeClock())


def test_restore_refuses_a_changed_option_count():
    data = start().snapshot().model_dump(mode="json")
    edited = make_bank([question("single", answer="B", options=3),
                        question("double", answer=["B", "D"], options=5),
                        question("pair", answer="A", options=2)])
    with pytest.raises(RestoreError, match="question 'single' now has 3 options, not 4"):
        ExamSession.restore(edited, data, FakeClock())


def test_restore_accepts_an_edited_stem():
    data = start().snapshot().model_dump(mode="json")
    edited = make_bank([question("single", answer="B", stem="Reworded?"),
                        question("double", answer=["B", "D"], options=5),
                        question("pair", answer="A", options=2)])
    restored = ExamSession.restore(edited, data, FakeClock())
    assert restored.snapshot().questions[0].fingerprint != data["questions"][0]["fingerprint"]


def test_restore_refuses_another_bank_and_damaged_data():
    data = start().snapshot().model_dump(mode="json")
    with pytest.raises(RestoreError, match="taken on bank 'test', not 'other'"):
        ExamSession.restore(make_bank(id="other"), data, FakeClock())
    with pytest.raises(RestoreError, match="saved state is damaged"):
        ExamSession.restore(bank(), {**data, "index": "x"}, FakeClock())
    with pytest.raises(RestoreError, match="saved state is damaged"):
        ExamSession.restore(bank(), {**data, "index": 9}, FakeClock())
    with pytest.raises(ValueError):
        ExamSession.restore(bank(), {"nonsense": True}, FakeClock())


def test_snapshot_model_validates_from_json():
    snap = busy_session(FakeClock()).snapshot()
    assert SessionSnapshot.model_validate_json(snap.model_dump_json()) == snap


# -- properties ---------------------------------------------------------------------------------

OPS = st.one_of(
    st.tuples(st.sampled_from(["choose", "strike"]), st.integers(0, 7)),
    st.tuples(st.just("go"), st.integers(0, 30)),
    st.tuples(st.just("wait"), st.floats(0, 90, allow_nan=False)),
    st.tuples(st.just("confidence"), st.sampled_from([None, 1, 2, 3])),
    st.tuples(st.sampled_from(["check", "roundtrip"])),
    st.tuples(st.sampled_from(["flag", "next", "previous", "tick", "submit"])),
)


def apply(session: ExamSession, clock: FakeClock, op: tuple) -> ExamSession:
    name, *args = op
    if name == "wait":
        clock.advance(args[0])
    elif name in ("choose", "strike"):
        options = len(session.view().options)
        method = session.choose if name == "choose" else session.toggle_strike
        method(args[0] % options)
    elif name == "go":
        session.go(args[0] % session.count)
    elif name == "confidence":
        session.set_confidence(args[0])
    elif name == "flag":
        session.toggle_flag()
    elif name == "roundtrip":
        snap = session.snapshot()
        restored = ExamSession.restore(session.bank, json.loads(snap.model_dump_json()), clock)
        assert restored.snapshot() == snap
        return restored
    else:
        getattr(session, name)()
    return session


def assert_consistent(session: ExamSession, counted: float) -> None:
    for position in range(session.count):
        view = session.view(position)
        picks = [o for o in view.options if o.chosen]
        assert not any(o.chosen and o.struck for o in view.options)
        assert not all(o.struck for o in view.options)
        assert len(picks) <= view.choose
    elapsed = session.elapsed()
    limit = session.time_limit
    assert elapsed == pytest.approx(counted if limit is None else min(counted, limit))
    total = sum(session.view(p).seconds for p in range(session.count))
    assert total == pytest.approx(elapsed)
    if limit is not None:
        assert session.remaining() == pytest.approx(max(0.0, limit - elapsed))


@given(banks(max_questions=4), st.sampled_from(["exam", "practice", "drill"]),
       st.one_of(st.none(), st.integers(1, 4)), st.booleans(), st.integers(0, 999),
       st.lists(OPS, min_size=10, max_size=60))
@settings(max_examples=100, deadline=None)
def test_random_key_sequences_keep_the_rules(bank, mode, minutes, shuffle, seed, ops):
    clock = FakeClock()
    plan = AttemptPlan(mode=mode, time_minutes=minutes, shuffle=shuffle, seed=seed)
    session = ExamSession.start(bank, plan, clock)
    counted = 0.0
    for op in ops:
        if op[0] == "wait" and not (session.finished or session.paused):
            counted += op[1]
        session = apply(session, clock, op)
        assert_consistent(session, counted)
    snap = session.snapshot()
    again = ExamSession.restore(bank, snap.model_dump(mode="json"), clock).snapshot()
    assert again == snap
    result = session.result()
    assert 0 <= result.correct <= result.total == (
        session.count if session.full else session.seen)
    assert session.seen >= 1


@given(banks(), st.integers(0, 10_000))
@settings(max_examples=100, deadline=None)
def test_shuffled_options_are_a_permutation_and_the_key_follows(bank, seed):
    session = ExamSession.start(bank, AttemptPlan(seed=seed), FakeClock())
    for position in range(session.count):
        view = session.view(position)
        question = view.question
        assert [o.letter for o in view.options] == list(LETTERS[:len(question.options)])
        assert sorted(o.bank_letter for o in view.options) == \
            list(LETTERS[:len(question.options)])
        for option in view.options:
            index = LETTERS.index(option.bank_letter)
            assert option.text == question.options[index].text
        keys = sorted(o.bank_letter for o in view.options if o.in_key)
        assert tuple(keys) == question.answer
        session.go(position)
        for option in view.options:
            if option.in_key:
                assert session.choose(option.display).ok
    session.submit()
    assert session.result().correct == session.count
    assert all(session.view(p).correct for p in range(session.count))


def test_flag_and_confidence_say_why_when_refused() -> None:
    from examsim.core.assemble import AttemptPlan
    from examsim.core.bank_model import validate_bank
    from examsim.core.session import ExamSession

    bank = validate_bank({"questions": [
        {"id": "q1", "stem": "s", "options": ["a", "b", "c"], "answer": ["A", "B"]},
        {"id": "q2", "stem": "t", "options": ["a", "b"], "answer": "A"},
    ]})
    now = [0.0]
    session = ExamSession.start(bank, AttemptPlan(mode="practice", shuffle=False), lambda: now[0])
    assert session.toggle_flag().ok and session.view().flagged
    assert session.set_confidence(2).ok and session.view().confidence == 2
    session.choose(0)
    assert session.partly_answered == 1 and session.unanswered == 2
    session.choose(1)
    assert session.partly_answered == 0 and session.unanswered == 1
    assert session.check().ok
    refused = session.set_confidence(1)
    assert not refused.ok and refused.reason == "This answer has been checked"
    session.submit()
    assert session.toggle_flag().reason == "The exam has ended"


def _busy_steps(session: ExamSession) -> list:
    return [lambda: None, lambda: session.choose(0), lambda: session.toggle_strike(1),
            session.toggle_flag, lambda: session.set_confidence(2), session.next,
            lambda: session.choose(0), lambda: session.choose(1), session.previous,
            lambda: session.set_note("ünï ✎"), session.next, session.next,
            lambda: session.choose(1), session.check, lambda: session.go(1),
            lambda: session.set_confidence(1), session.submit]


def _saving_session(clock: FakeClock) -> ExamSession:
    questions = [
        question("ünï-1", answer="B", topics=["Réseau", "IAM"]),
        question("q\"2\\", answer=["A", "C", "D"], options=6),
        question("q3", answer="A", options=2),
        question("q4", answer="B"),
    ]
    return ExamSession.start(
        make_bank(questions, id="bänk \"x\"", partial_credit=True, time_limit=9.5),
        AttemptPlan(seed=3, shuffle=True, mode="practice"), clock)


def _stored_snapshot(session: ExamSession, rows: dict, state: dict) -> dict:
    """What a store holding the outline, the saved rows and the state gives back."""
    from examsim.core.session import QuestionProgress

    questions = []
    for position, (item, order) in enumerate(session.question_list()):
        row = rows.get(position, QuestionProgress(position))
        questions.append({"id": item.id, "fingerprint": item.fingerprint, "order": list(order),
                          "chosen": row.chosen, "struck": row.struck, "flagged": row.flagged,
                          "confidence": row.confidence, "seconds": row.seconds,
                          "changes": row.changes, "checked": row.checked, "seen": row.seen,
                          "trail": list(row.trail), "note": row.note})
    return json.loads(json.dumps({**session.outline(), "questions": questions, **state}))


def test_saving_what_changed_keeps_the_whole_snapshot() -> None:
    """A store that writes the outline once, then after every change only the rows
    unsaved() gives and the state, holds exactly the snapshot: through choices, strikes,
    flags, confidences, notes, checks, partial credit, time and unicode ids."""
    clock = FakeClock()
    session = _saving_session(clock)
    first = session.unsaved(everything=True)
    rows = {item.position: item for item in first.questions}
    assert list(rows) == [0]  # a new attempt: only the question on screen is not blank
    session.saved(first)
    for step in _busy_steps(session):
        clock.advance(1.1)
        step()
        unsaved = session.unsaved()
        rows.update((item.position, item) for item in unsaved.questions)
        session.saved(unsaved)
        assert _stored_snapshot(session, rows, unsaved.state) == \
            session.snapshot().model_dump(mode="json")
        results = session.result().questions
        assert {p: row.credit for p, row in rows.items()} == {
            p: results[p].credit for p in rows}


def test_a_save_holds_only_what_changed() -> None:
    clock = FakeClock()
    session = _saving_session(clock)
    session.saved(session.unsaved(everything=True))
    assert session.unsaved().questions == ()  # nothing changed, no time passed
    session.choose(1)
    assert [q.position for q in session.unsaved().questions] == [0]
    session.saved(session.unsaved())
    session.next()
    session.next()  # moved through question 1 (now seen) to 2
    clock.advance(2)
    assert [q.position for q in session.unsaved().questions] == [1, 2]
    assert session.unsaved().state == {"index": 2, "elapsed": 2.0, "paused": False,
                                       "finished": False, "end_reason": None}


def test_a_save_not_confirmed_is_offered_again() -> None:
    """Until saved() confirms it (the store committed), nothing is forgotten: a failed
    save loses nothing."""
    clock = FakeClock()
    session = _saving_session(clock)
    session.saved(session.unsaved(everything=True))
    session.choose(1)
    lost = session.unsaved()  # the write fails: saved() is never called
    session.next()
    session.toggle_flag()
    again = session.unsaved()
    assert [q.position for q in lost.questions] == [0]
    assert [q.position for q in again.questions] == [0, 1]
    session.saved(again)
    assert session.unsaved().questions == ()
    session.previous()
    assert session.unsaved().questions == ()  # compared again, still as saved


def test_a_restored_session_takes_its_snapshot_as_saved() -> None:
    """Restored from what the store holds, a session saves only what changes next; the
    first save of an attempt (everything=True) writes every question not blank."""
    clock = FakeClock()
    session = _saving_session(clock)
    for step in _busy_steps(session)[:-1]:
        clock.advance(1)
        step()
    data = session.snapshot().model_dump(mode="json")
    restored = ExamSession.restore(session.bank, data, clock)
    assert restored.unsaved().questions == ()
    assert [q.position for q in restored.unsaved(everything=True).questions] == [0, 1, 2]
    restored.go(3)
    assert [q.position for q in restored.unsaved().questions] == [3]
