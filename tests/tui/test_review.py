"""The review screen, over a history built with the real engine (ExamSession + History).

The builders (``review_bank``, ``take``, ``host``...) are in helpers.py, shared with
test_stats.py, test_history_screen.py and test_palette.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from examsim.core.bank_model import validate_bank
from examsim.storage.review import review_items, status_of
from examsim.tui.app import ExamSimApp
from examsim.tui.screens.review import ReviewList, ReviewScreen
from examsim.tui.widgets.review_detail import ReviewDetail, ReviewOptionText

from .helpers import (
    ALL_RIGHT,
    MARKUP_STEM,
    FakeServices,
    flat,
    host,
    make_bank,
    mixed_attempt,
    open_history,
    rendered_text,
    review_bank,
    take,
)


def review_app(tmp_path: Path) -> ExamSimApp:
    """The review screen alone, on mixed_attempt of review_bank."""
    bank = review_bank()
    history = open_history(tmp_path)
    attempt_id = mixed_attempt(history, bank)
    return host(lambda: ReviewScreen(history, bank, attempt_id))


def detail_text(app: ExamSimApp) -> str:
    return flat(rendered_text(app.screen.query_one(ReviewDetail)))


def list_lines(app: ExamSimApp) -> list[str]:
    listing = app.screen.query_one(ReviewList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


# -- the review data --------------------------------------------------------------------


def test_status_of_each_kind_of_answer(tmp_path: Path) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    attempt_id = mixed_attempt(history, bank)
    statuses = [status_of(row) for row in history.answers(attempt_id)]
    assert statuses == ["wrong", "partly", "unanswered", "right", "right", "right"]


def test_review_items_use_the_bank_and_keep_strikes_and_whys(tmp_path: Path) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    attempt, items = review_items(history, mixed_attempt(history, bank), bank)
    first = items[0]
    assert attempt.bank_id == bank.id and first.in_bank and not first.changed
    assert [(o.letter, o.chosen, o.in_key, o.struck) for o in first.options] == [
        ("A", True, False, False), ("B", False, True, False),
        ("C", False, False, True), ("D", False, False, False),
    ]
    assert first.options[1].why == "Why option 2."
    assert first.explanation == "Explanation of question 1."
    assert first.references == ("https://docs.example/q1",)


def test_review_items_without_the_bank_show_what_history_kept(tmp_path: Path) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    _, items = review_items(history, mixed_attempt(history, bank), None)
    first = items[0]
    assert first.stem == "Question 1: which option is right?"
    assert [o.text for o in first.options][:2] == ["Option 1 of question 1",
                                                   "Option 2 of question 1"]
    assert all(o.why is None for o in first.options)
    assert first.explanation == "" and not first.in_bank


def test_review_items_notice_an_edited_question(tmp_path: Path) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    attempt_id = mixed_attempt(history, bank)
    data = bank.model_dump(by_alias=True)
    data["questions"] = list(data["questions"])
    options = list(data["questions"][0]["options"])
    options[3] = {"text": "A brand new option D", "why": "New."}
    data["questions"][0] = {**data["questions"][0], "options": options,
                            "stem": "Question 1, reworded: which option is right?"}
    edited = validate_bank(data)
    _, items = review_items(history, attempt_id, edited)
    first, second = items[0], items[1]
    assert first.changed and first.in_bank
    assert first.stem == "Question 1: which option is right?"   # the version answered
    assert first.options[3].text == "Option 4 of question 1"
    assert first.options[3].why is None                          # that option changed
    assert first.options[1].why == "Why option 2."               # this one did not
    assert not second.changed


# -- the screen ---------------------------------------------------------------------------


async def test_list_shows_status_symbols_and_the_first_question(tmp_path: Path) -> None:
    app = review_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        lines = list_lines(app)
        assert [line[:2] for line in lines] == ["✗⚑", "◐ ", "–⚑", "✓ ", "✓ ", "✓ "]
        text = detail_text(app)
        assert "✗ Wrong · your answer A · the answer B" in text
        assert "Question 1: which option is right?" in text
        assert "A ●" in text and "B ○✓" in text
        assert "You struck this out." in text
        assert "Why option 2." in text
        assert "Explanation of question 1." in text
        assert "https://docs.example/q1" in text
        assert "Time on it 0:42" in text and "confidence: guessing" in text
        filters = str(app.screen.query_one("#review-filters").visual)
        assert "[1 All 6]" in filters and "2 Wrong 2" in filters
        assert "3 Flagged 2" in filters and "4 Unanswered 1" in filters


async def test_filters_by_number_and_by_cycling(tmp_path: Path) -> None:
    app = review_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("2")
        assert [item.position for item in screen.shown] == [0, 1]
        await pilot.press("3")
        assert [item.position for item in screen.shown] == [0, 2]
        await pilot.press("4")
        assert [item.position for item in screen.shown] == [2]
        assert "– Not answered · the answer B" in detail_text(app)
        await pilot.press("1")
        assert len(screen.shown) == 6
        for expected in ("wrong", "flagged", "unanswered", "all"):
            await pilot.press("f")
            assert screen.active == expected


async def test_moving_through_the_list_updates_the_detail(tmp_path: Path) -> None:
    app = review_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("down")
        text = detail_text(app)
        assert "◐ Partly right · your answer A, D · the answer A, C (1 of 2 right)" in text
        assert "choose 2" in text and "A ■✓" in text and "D ■✗" in text
        await pilot.press("n", "n")
        assert "✓ Right · your answer B" in detail_text(app)
        await pilot.press("p")
        assert "Not answered" in detail_text(app)
        await pilot.press("2", "n", "n")  # stays on the last of the filtered list
        assert app.screen.query_one(ReviewList).highlighted == 1


async def test_struck_option_rows_are_marked_in_words_and_by_class(tmp_path: Path) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    attempt_id = take(history, bank, {0: "A"}, strikes={0: "B"})  # struck the key
    app = host(lambda: ReviewScreen(history, bank, attempt_id))
    async with app.run_test(size=(100, 40)):
        rows = [row for row in app.screen.query(ReviewOptionText) if row.display]
        assert len(rows) == 4
        assert rows[1].has_class("-struck") and rows[1].has_class("-key")
        assert rows[0].has_class("-wrong") and rows[0].has_class("-chosen")
        assert "You struck this out, but it is in the key." in detail_text(app)


async def test_without_the_bank_it_says_so_and_shows_the_stored_options(
    tmp_path: Path,
) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    attempt_id = mixed_attempt(history, bank)
    app = host(lambda: ReviewScreen(history, None, attempt_id))
    async with app.run_test(size=(100, 40)):
        text = detail_text(app)
        assert "The bank file is not at hand" in text
        assert "Option 2 of question 1" in text
        assert "Explanation" not in text
        assert not app.screen.check_action("retry", ())  # nothing to start it from


async def test_stem_only_when_history_kept_no_options(tmp_path: Path) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    attempt_id = mixed_attempt(history, bank)
    history._conn.execute("UPDATE questions SET options = 'not json'")
    app = host(lambda: ReviewScreen(history, None, attempt_id))
    async with app.run_test(size=(100, 40)):
        text = detail_text(app)
        assert "Question 1: which option is right?" in text
        assert "The options are unavailable." in text


async def test_a_changed_question_has_a_note(tmp_path: Path) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    attempt_id = mixed_attempt(history, bank)
    data = bank.model_dump(by_alias=True)
    data["questions"] = [{**data["questions"][0], "stem": "Reworded question 1"},
                         *data["questions"][1:]]
    edited = validate_bank(data)
    app = host(lambda: ReviewScreen(history, edited, attempt_id))
    async with app.run_test(size=(100, 40)) as pilot:
        assert "has changed in the bank since you answered it" in detail_text(app)
        assert "Question 1: which option is right?" in detail_text(app)
        await pilot.press("down")
        assert "has changed" not in detail_text(app)


async def test_retry_starts_exactly_the_filtered_questions(tmp_path: Path) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    attempt_id = mixed_attempt(history, bank)
    for show, expected in (("2", ("q1", "q2")), ("3", ("q1", "q3"))):
        services = FakeServices(history, tmp_path, bank, can_start=True)
        app = host(lambda: ReviewScreen(history, bank, attempt_id), services)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.press(show, "r")
            await pilot.pause()
        assert [(p.mode, p.question_ids) for p in services.plans] == [("missed", expected)]


async def test_retry_key_hidden_with_nothing_to_retry(tmp_path: Path) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    attempt_id = take(history, bank, ALL_RIGHT)
    services = FakeServices(history, tmp_path, bank, can_start=True)
    app = host(lambda: ReviewScreen(history, bank, attempt_id), services)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("2")      # no wrong answers: nothing to retry
        footer = rendered_text(app.screen.query_one("Footer"))
        assert "Retry" not in footer
        await pilot.press("r")  # nothing happens, nothing breaks
        await pilot.pause()
        assert services.plans == [] and isinstance(app.screen, ReviewScreen)
        assert app.screen.check_action("retry", ()) is False
        assert "No wrong answers in this attempt." in detail_text(app)
        await pilot.press("1")
        assert app.screen.check_action("retry", ()) is True


async def test_retry_through_the_services_opens_the_exam(tmp_path: Path) -> None:
    from examsim.tui.screens.exam import ExamScreen

    bank = review_bank()
    history = open_history(tmp_path)
    attempt_id = mixed_attempt(history, bank)
    services = FakeServices(history, tmp_path, bank, can_start=True)
    app = host(lambda: ReviewScreen(history, bank, attempt_id), services=services)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("2", "r")
        await pilot.pause()
        assert services.plans[0].mode == "missed"
        assert services.plans[0].question_ids == ("q1", "q2")
        assert isinstance(app.screen, ExamScreen)
        assert app.screen.session.count == 2


async def test_open_review_finds_the_bank_file(tmp_path: Path) -> None:
    source = tmp_path / "banks" / "review.json"
    source.parent.mkdir()
    bank = review_bank()
    source.write_text(bank.model_dump_json(by_alias=True, exclude_none=True))
    from examsim.core.formats.native import load_bank

    loaded = load_bank(source)
    history = open_history(tmp_path)
    attempt_id = mixed_attempt(history, loaded)
    from examsim.tui.app_services import AppServices

    services = AppServices(history, tmp_path / "data", cwd=tmp_path / "elsewhere")
    attempt = history.attempt(attempt_id)
    found = services.find_bank(loaded.id, attempt)
    assert found is not None and found.id == loaded.id
    assert services.find_bank(loaded.id) is not None  # the bank's newest attempt's file
    source.unlink()
    assert services.find_bank(loaded.id, attempt) is None


async def test_unknown_attempt_says_so(tmp_path: Path) -> None:
    history = open_history(tmp_path)
    app = host(lambda: ReviewScreen(history, None, 99))
    async with app.run_test(size=(80, 24)):
        assert "there is no attempt 99" in rendered_text(app.screen)


async def test_an_attempt_in_progress_says_so(tmp_path: Path) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    attempt_id = take(history, bank, {0: "B"}, finish=False)
    app = host(lambda: ReviewScreen(history, bank, attempt_id))
    async with app.run_test(size=(80, 24)):
        assert "This attempt is still in progress" in detail_text(app)


async def test_escape_quits_when_review_is_the_only_screen(tmp_path: Path) -> None:
    app = review_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert "Keys on the review screen" in rendered_text(app.screen)
        await pilot.press("escape", "escape")
        await pilot.pause()
    assert app.return_code == 0


async def test_markup_like_bank_text_is_shown_literally(tmp_path: Path) -> None:
    bank = make_bank(markup=True)
    history = open_history(tmp_path)
    attempt_id = take(history, bank, {0: "B"})
    app = host(lambda: ReviewScreen(history, bank, attempt_id))
    async with app.run_test(size=(120, 50)):
        text = detail_text(app)
        assert "Literal [b]bold[/b], [/] and [link=https://x.example]link[/link]" in text
        assert "[b]not bold[/b] [/] $x" in text
        assert "[link=y]not a link[/link]" in text
        assert "[b]explained[/b] [/]" in text
        assert MARKUP_STEM[:20] in list_lines(app)[0]


async def test_no_color_keeps_every_meaning(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = review_app(tmp_path)
    async with app.run_test(size=(100, 40)):
        assert app.no_color
        text = detail_text(app)
        assert "✗ Wrong" in text and "B ○✓" in text and "You struck this out." in text
        assert [line[:2] for line in list_lines(app)][:3] == ["✗⚑", "◐ ", "–⚑"]


def test_snapshot_review(snap_compare, tmp_path: Path, utc: None) -> None:
    app = review_app(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24))


def test_snapshot_review_wrong_filter_partly_right(snap_compare, tmp_path: Path, utc: None) -> None:
    app = review_app(tmp_path)
    assert snap_compare(app, press=["2", "down"], terminal_size=(80, 24))


async def test_list_rows_tell_questions_apart_when_stems_start_alike(tmp_path: Path) -> None:
    """47 of the 75 AWS stems start "A company ...": a row shows the question's id and
    topics before the stem, so the rows differ in what fits at 80 columns."""
    data = review_bank().model_dump(by_alias=True)
    data["questions"] = [
        {**q, "stem": "A company runs a large fleet of web servers in several regions and "
                      f"wants something else number {i}.", "topics": [f"Topic {i}"]}
        for i, q in enumerate(data["questions"])]
    bank = validate_bank(data)
    history = open_history(tmp_path)
    attempt_id = mixed_attempt(history, bank)
    app = host(lambda: ReviewScreen(history, bank, attempt_id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listing = app.screen.query_one(ReviewList)
        shown = [line.strip("▊▎ ") for line in rendered_text(listing).splitlines()
                 if any(mark in line for mark in "✗◐–✓")]
        texts = {re.sub(r"^\S+\s+\d+\s+", "", line) for line in shown}  # after the number
        assert len(shown) == 6 and len(texts) == 6, shown
        assert shown[0].startswith("✗⚑  1 Topic 0 · q1"), shown


async def test_the_review_shows_the_first_answer_beside_the_final_one(tmp_path: Path) -> None:
    """An exam where question 1 was answered B, then changed to the key's wrong twin:
    the review's verdict line names the first answer too, and the attempt line carries
    the certainty-based marks of its rated answers."""
    from examsim.core.assemble import AttemptPlan
    from examsim.core.session import ExamSession

    bank = review_bank()
    history = open_history(tmp_path)
    session = ExamSession.start(bank, AttemptPlan(seed=1, shuffle=False), lambda: 0.0)
    attempt_id = history.start_attempt(session)
    session.choose(1)  # B: the key
    session.set_confidence(1)
    session.choose(0)  # then A: a change, right -> wrong
    session.submit()
    history.finish(attempt_id, session)
    app = host(lambda: ReviewScreen(history, bank, attempt_id))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert "✗ Wrong · first answer B · your answer A · the answer B" in detail_text(app)
        line = str(app.screen.query_one("#review-attempt").visual)
        assert "certainty-based -6 over 1 rated" in line


async def test_a_session_reviews_the_questions_it_never_reached_as_not_reached(
    tmp_path: Path,
) -> None:
    """Newcomer run 6: a session counts only the questions seen, so one it never showed
    is "not reached" (not counted), neither under Unanswered nor Wrong; a seen question
    left blank is still "Not answered"."""
    from examsim.core.assemble import AttemptPlan
    from examsim.core.session import ExamSession

    from .helpers import FakeClock

    bank = review_bank()
    history = open_history(tmp_path)
    session = ExamSession.start(bank, AttemptPlan(mode="practice", seed=1, shuffle=False),
                                clock=FakeClock())
    attempt_id = history.start_attempt(session)
    assert session.choose(0).ok  # question 1: A, wrong
    session.go(1)  # question 2 seen, left blank; questions 3-6 never shown
    session.submit()
    history.finish(attempt_id, session)
    attempt = history.attempt(attempt_id)
    assert attempt is not None and attempt.unanswered == 1 and attempt.total == 2
    app = host(lambda: ReviewScreen(history, bank, attempt_id))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        filters = str(screen.query_one("#review-filters").visual)
        assert "[1 All 6]" in filters and "2 Wrong 1" in filters
        assert "4 Unanswered 1" in filters  # as the results and history say
        assert [line[:2] for line in list_lines(app)] == ["✗ ", "– ", "○ ", "○ ", "○ ", "○ "]
        await pilot.press("down")
        assert "– Not answered · the answer A, C" in detail_text(app)
        await pilot.press("down")
        assert "○ Not reached (not counted) · the answer B" in detail_text(app)
        await pilot.press("4")
        assert [item.position for item in screen.shown] == [1]


def test_a_full_exam_still_counts_the_questions_it_never_reached_as_unanswered(
    tmp_path: Path,
) -> None:
    """A full exam scores every question, seen or not: unseen ones stay "Not answered"."""
    from examsim.core.assemble import AttemptPlan
    from examsim.core.session import ExamSession
    from examsim.storage.review import counts

    from .helpers import FakeClock

    bank = review_bank()
    history = open_history(tmp_path)
    session = ExamSession.start(bank, AttemptPlan(seed=1, shuffle=False), clock=FakeClock())
    attempt_id = history.start_attempt(session)
    assert session.choose(1).ok
    session.submit()
    history.finish(attempt_id, session)
    attempt, items = review_items(history, attempt_id, bank)
    assert attempt.full and attempt.unanswered == 5
    assert counts(items)["unanswered"] == 5
    assert [item.status for item in items][1:] == ["unanswered"] * 5
