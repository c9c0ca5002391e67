"""Pilot tests of the home screen and the start form, over a real history in tmp_path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomli_w
from textual.widgets import Input, SelectionList

from examsim.commands.app import AppServices, make_app
from examsim.core.assemble import MAX_TIME_MINUTES, AttemptPlan
from examsim.storage.history import History
from examsim.storage.locations import history_db
from examsim.tui.app import ExamSimApp
from examsim.tui.messages import OpenStats
from examsim.tui.screens.confirm import ConfirmScreen
from examsim.tui.screens.exam import ExamScreen
from examsim.tui.screens.help import HelpScreen
from examsim.tui.screens.home import HomeScreen, HomeTable
from examsim.tui.screens.results import ResultsScreen
from examsim.tui.screens.start import (
    FormError,
    FormFields,
    StartScreen,
    minutes_text,
    read_plan,
)

from .helpers import MARKUP_STEM, FakeClock, rendered_text

BANK_ID = "home-test"


def bank_data(bank_id: str = BANK_ID, title: str = "Home test bank", count: int = 6,
              stem: str | None = None) -> dict[str, Any]:
    questions = []
    for i in range(count):
        questions.append({
            "id": f"q{i + 1}",
            "domain": "net" if i % 2 == 0 else "sec",
            "topics": ["VPC"] if i % 2 == 0 else ["IAM"],
            "stem": stem if stem and i == 0 else f"Question {i + 1}: which option is right?",
            "options": [f"Option {k + 1} of question {i + 1}" for k in range(4)],
            "answer": ["B"],
        })
    return {
        "bank": {"id": bank_id, "title": title, "time_limit": 12, "pass_percent": 50},
        "domains": [{"id": "net", "name": "Networking", "weight": 50},
                    {"id": "sec", "name": "Security", "weight": 50}],
        "questions": questions,
    }


class Home:
    """A data dir with banks, its history and services, and the app over them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.banks = self.data / "banks"
        self.banks.mkdir(parents=True)
        self.write_bank(bank_data())
        self.clock = FakeClock()
        self.history = History(history_db(self.data))
        self.services = AppServices(self.history, self.data, self.clock, cwd=root)

    def write_bank(self, data: dict[str, Any], name: str | None = None) -> Path:
        path = self.banks / f"{name or data['bank']['id']}.toml"
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
        return path

    def app(self) -> ExamSimApp:
        return make_app(self.services, home=HomeScreen)

    def bank(self, bank_id: str = BANK_ID):
        found = self.services.find_bank(bank_id)
        assert found is not None
        return found

    def finished_attempt(self, right: int, bank_id: str = BANK_ID) -> int:
        """An exam of the bank, ``right`` questions answered right (B), then submitted."""
        session = self.services.start(self.bank(bank_id),
                                      AttemptPlan(seed=1, shuffle=False))
        for position in range(session.count):
            session.go(position)
            session.choose(1 if position < right else 0)
        session.submit()
        self.services.finish(session)
        attempt_id = self.services.attempt_id(session)
        assert attempt_id is not None
        return attempt_id


@pytest.fixture
def home(tmp_path: Path) -> Home:
    made = Home(tmp_path)
    yield made
    made.history.close()


def table(app: ExamSimApp, name: str) -> HomeTable:
    return app.screen.query_one(f"#home-{name}", HomeTable)


def row_texts(app: ExamSimApp, name: str) -> list[str]:
    found = table(app, name)
    return [" | ".join(str(cell) for cell in found.get_row_at(i)) for i in range(found.row_count)]


def screen_text(app: ExamSimApp) -> str:
    return rendered_text(app.screen)


async def open_form(pilot, app: ExamSimApp, bank_id: str = BANK_ID) -> StartScreen:
    home = app.screen
    assert isinstance(home, HomeScreen)
    home.select_bank(bank_id)
    table(app, "banks").focus()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, StartScreen)
    return app.screen


def preview(app: ExamSimApp) -> str:
    return str(app.screen.query_one("#start-preview").render())


# -- listing ---------------------------------------------------------------------------


async def test_banks_listed_with_counts_and_a_bad_file_with_its_first_problem(home) -> None:
    bad = home.banks / "broken.toml"
    bad.write_text('[bank]\ntitle = "Broken"\n\n[[questions]]\nid = "x"\nanwser = ["A"]\n',
                   encoding="utf-8")
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        rows = row_texts(app, "banks")
        assert any(row.startswith("Home test bank | 6 |") for row in rows)
        assert not any("Broken" in row for row in rows)
        text = screen_text(app)
        assert "1 file did not load" in text
        assert "broken.toml" in text
        problem = app.screen.query(".home-problem").first()
        assert "✗" in str(problem.render())


async def test_best_and_latest_scores_from_history(home) -> None:
    home.finished_attempt(right=6)
    home.finished_attempt(right=2)
    app = home.app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        row = next(r for r in row_texts(app, "banks") if r.startswith("Home test bank"))
        assert "100% ✓" in row.split(" | ")[2]
        assert "33% ✗" in row.split(" | ")[3]
        app.screen.select_bank(BANK_ID)
        await pilot.pause()
        detail = str(app.screen.query_one("#home-detail").render())
        assert "2 full exams" in detail and "best 100% ✓" in detail


async def test_no_unfinished_section_without_attempts_in_progress(home) -> None:
    app = home.app()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#home-continue").display
        assert app.focused is table(app, "banks")


async def test_bank_text_is_shown_literally(home) -> None:
    title = "[b]Bold?[/b] [/] [link=x]l[/link] $var \\ 🚀 日本語"
    home.write_bank(bank_data("markup", title, stem=MARKUP_STEM))
    app = home.app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        app.screen.select_bank("markup")
        await pilot.pause()
        assert title in str(app.screen.query_one("#home-detail").render())
        assert any(row.startswith(title) for row in row_texts(app, "banks"))
        await open_form(pilot, app, "markup")
        assert title in str(app.screen.query_one("#start-title").render())


# -- the start form ------------------------------------------------------------------------


async def test_enter_opens_the_form_and_enter_starts_the_attempt(home) -> None:
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(pilot, app)
        assert "6 questions · 12 min · exam" in preview(app)
        await pilot.press("tab", "3")
        await pilot.pause()
        assert "3 questions · 6 min · exam" in preview(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        session = app.screen.session
        assert session.count == 3 and session.time_limit == 360
        assert [a.id for a in home.history.unfinished()] == [home.services.attempt_id(session)]
        await pilot.press("b")
        assert home.history.snapshot(home.services.attempt_id(session))["questions"][0]["chosen"]


async def test_arrows_pick_the_mode_and_the_hints_follow(home) -> None:
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(pilot, app)
        await pilot.press("down")  # practice
        await pilot.pause()
        assert "6 questions · untimed · practice" in preview(app)
        assert "untimed" in str(app.screen.query_one("#start-time-hint").render())
        await pilot.press("tab", "tab", "1", "5")  # time 15 min
        await pilot.pause()
        assert "15 min · practice" in preview(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert app.screen.session.mode == "practice"
        assert app.screen.session.time_limit == 15 * 60


async def test_missed_mode_without_missed_questions_says_so(home) -> None:
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(pilot, app)
        await pilot.press("down", "down", "down")  # missed
        await pilot.pause()
        assert "missed (0)" in screen_text(app)
        assert "no missed questions on 'Home test bank' yet" in preview(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)  # nothing started
        assert home.history.unfinished() == []


async def test_missed_mode_asks_the_questions_answered_wrong(home) -> None:
    home.finished_attempt(right=4)  # q5 and q6 wrong
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(pilot, app)
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert "missed (2)" in screen_text(app)
        assert "2 questions · untimed · missed" in preview(app)
        await pilot.press("enter")
        await pilot.pause()
        assert sorted(app.screen.session.question_ids) == ["q5", "q6"]


async def test_bad_numbers_and_no_domain_are_refused_with_the_reason(home) -> None:
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(pilot, app)
        form = app.screen
        form.query_one("#start-questions", Input).value = "0"
        await pilot.pause()
        assert "Questions: at least 1" in preview(app)
        form.query_one("#start-questions", Input).value = "99"
        await pilot.pause()
        assert "6 questions" in preview(app) and "(only 6 to ask)" in preview(app)
        form.query_one("#start-time", Input).value = "0"
        await pilot.pause()
        assert "Time: more than 0 minutes" in preview(app)
        form.query_one("#start-time", Input).value = ""
        domains = form.query_one("#start-domains", SelectionList)
        domains.deselect_all()
        await pilot.pause()
        assert "Domains: tick at least one" in preview(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        domains.select("sec")
        await pilot.pause()
        assert "3 questions" in preview(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert {q for q in app.screen.session.question_ids} == {"q2", "q4", "q6"}


async def test_escape_cancels_the_form(home) -> None:
    app = home.app()
    async with app.run_test() as pilot:
        await open_form(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert home.history.unfinished() == []


async def test_form_help_lists_its_keys(home) -> None:
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for words in ("Start the attempt", "Back, nothing started", "Next field", "mode"):
            assert words in text


def test_read_plan() -> None:
    all_domains = ("net", "sec")
    plan = read_plan(FormFields("drill", " 4 ", "7.5", ("sec",), all_domains))
    assert (plan.mode, plan.questions, plan.time_minutes, plan.domains) == \
        ("drill", 4, 7.5, ("sec",))
    plan = read_plan(FormFields("exam", "", "", all_domains, all_domains))
    assert (plan.questions, plan.time_minutes, plan.domains) == (None, None, ())
    for fields, message in [
        (FormFields("exam", "x"), "Questions: 'x' is not a whole number"),
        (FormFields("exam", "-2"), "Questions: at least 1"),
        (FormFields("exam", "", "-1"), "Time: more than 0 minutes"),
        (FormFields("exam", "", "0"), "Time: more than 0 minutes"),
        (FormFields("exam", "", "100000"), f"Time: at most {MAX_TIME_MINUTES} minutes"),
        (FormFields("exam", "", "1e9"), f"Time: at most {MAX_TIME_MINUTES} minutes"),
        (FormFields("exam", "", "soon"), "Time: 'soon' is not a number"),
        (FormFields("exam", "", "", (), all_domains), "Domains: tick at least one"),
        (FormFields("quiz"), "Mode: choose one of"),
    ]:
        with pytest.raises(FormError, match=message):
            read_plan(fields)


def test_form_time_limit_is_the_clis_and_small_times_read_as_seconds() -> None:
    """QA #8: one upper limit for the form and --time; 0.001 min is not "0:01 min"."""
    plan = read_plan(FormFields("exam", "", str(MAX_TIME_MINUTES)))
    assert plan.time_minutes == MAX_TIME_MINUTES
    assert minutes_text(0.06) == "0.06 s"
    assert minutes_text(3) == "3 s"
    assert minutes_text(90) == "1:30 min"
    assert minutes_text(1200) == "20 min"


async def test_the_banks_time_hint_goes_once_a_time_is_typed(home) -> None:
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(pilot, app)
        hint = app.screen.query_one("#start-time-hint")
        assert "the bank's time" in str(hint.render())
        await pilot.press("tab", "tab", "9", "9", "9", "9", "9", "9")
        await pilot.pause()
        assert str(hint.render()).strip() == ""
        assert f"✗ Time: at most {MAX_TIME_MINUTES} minutes" in preview(app)


# -- resuming, finishing, abandoning --------------------------------------------------------


def unfinished_attempt(home: Home) -> tuple[int, Any]:
    session = home.services.start(home.bank(), AttemptPlan(seed=3, shuffle=False))
    session.choose(1)
    session.toggle_strike(2)
    session.toggle_flag()
    session.next()
    home.services.save(session)
    attempt_id = home.services.attempt_id(session)
    assert attempt_id is not None
    home.services.release(session)  # as if an earlier run left it: resumed from the save
    return attempt_id, session


async def test_unfinished_attempt_is_offered_and_enter_resumes_it(home) -> None:
    attempt_id, _ = unfinished_attempt(home)
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.focused is table(app, "unfinished")
        (row,) = row_texts(app, "unfinished")
        assert row.startswith("Home test bank | exam | 1/6 ⚑1 · at 2 | 12:00 left")
        detail = str(app.screen.query_one("#home-detail").render())
        assert f"Attempt {attempt_id}" in detail and "1 of 6 answered" in detail
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        session = app.screen.session
        assert session.index == 1
        first = session.view(0)
        assert [o.letter for o in first.options if o.chosen] == ["B"]
        assert [o.letter for o in first.options if o.struck] == ["C"]
        assert first.flagged


async def test_r_resumes_the_newest_from_the_bank_list(home) -> None:
    older, _ = unfinished_attempt(home)
    newer, _ = unfinished_attempt(home)
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert [int(k) for k in app.screen._unfinished] == [newer, older]
        await pilot.press("tab")
        assert app.focused is table(app, "banks")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert home.services.attempt_id(app.screen.session) == newer


async def test_finishing_from_home_then_escape_shows_the_new_score(home) -> None:
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        session = app.screen.session
        for _ in range(6):
            right = next(o for o in session.view().options if o.in_key)
            await pilot.press(right.letter.lower(), "n")
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        row = next(r for r in row_texts(app, "banks") if r.startswith("Home test bank"))
        assert "100% ✓" in row
        assert app.screen.selected_bank().bank.id == BANK_ID
        assert home.history.last_finished().percent == 100


async def test_x_abandons_after_asking(home) -> None:
    attempt_id, _ = unfinished_attempt(home)
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert home.history.attempt(attempt_id).status == "in_progress"
        await pilot.press("x", "y")
        await pilot.pause()
        assert home.history.attempt(attempt_id).status == "abandoned"
        assert not app.screen.query_one("#home-continue").display
        assert app.focused is table(app, "banks")


async def test_resume_of_a_bank_that_is_gone_says_why(home) -> None:
    attempt_id, _ = unfinished_attempt(home)
    (home.banks / f"{BANK_ID}.toml").unlink()
    app = home.app()
    notes: list[str] = []
    async with app.run_test(size=(100, 40)) as pilot:
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "which is not found" in notes[-1]
        assert home.history.attempt(attempt_id).status == "in_progress"


async def test_ctrl_q_while_answering_leaves_it_resumable(home) -> None:
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("c", "n")
        home.clock.advance(30)
        await pilot.press("ctrl+q")
        await pilot.pause()
    (attempt,) = home.history.unfinished()
    snapshot = home.history.snapshot(attempt.id)
    assert snapshot["index"] == 1 and snapshot["elapsed"] == 30
    assert snapshot["questions"][0]["chosen"] == app.session.view(0).options[2].bank_letter


# -- keys ---------------------------------------------------------------------------------


async def test_s_and_h_open_the_stats_of_the_bank_and_the_history(home) -> None:
    from examsim.tui.screens.history import HistoryScreen
    from examsim.tui.screens.stats import StatsScreen

    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.screen.select_bank(BANK_ID)
        await pilot.pause()
        shown = {b.binding.key for b in app.screen.active_bindings.values()
                 if b.enabled and b.binding.show}
        assert {"s", "h"} <= shown
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen) and app.screen.bank_id == BANK_ID
        await pilot.press("escape", "h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


async def test_help_lists_every_key_of_the_home_screen(home) -> None:
    unfinished_attempt(home)
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for words in ("Start an attempt on the selected bank", "Resume the selected attempt",
                      "Resume the newest", "Abandon the selected", "Move between",
                      "Quit examsim", "ctrl+q"):
            assert words in text, words


async def test_small_terminal_and_resizes(home) -> None:
    unfinished_attempt(home)
    bad = home.banks / "broken.json"
    bad.write_text("{", encoding="utf-8")
    app = home.app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        for size in [(200, 50), (60, 20), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await pilot.press("tab")
        app.screen.select_bank(BANK_ID)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        form = app.screen.query_one("#start-form")
        assert form.region.width <= 60 and form.region.height <= 20
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)


async def test_damaged_history_notice_is_shown(home, tmp_path: Path) -> None:
    data = tmp_path / "other"
    data.mkdir()
    history_db(data).write_bytes(b"not a database at all" * 10)
    history = History(history_db(data))
    try:
        assert history.notice
        services = AppServices(history, data, FakeClock(), cwd=tmp_path)
        app = make_app(services, home=HomeScreen)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert any("moved to" in n.message for n in app._notifications)
    finally:
        history.close()


async def test_back_home_with_an_attempt_running_saves_it_and_offers_it(home) -> None:
    """The palette's "Start an exam" goes home from the exam screen: the attempt is saved
    as it is, listed under Continue, and resumed from that save (not the old session)."""
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        old = app.screen.session
        await pilot.press("c", "n", "m")
        home.clock.advance(40)
        await app.go_home()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.session is None and home.services.attempt_id(old) is None
        (row,) = row_texts(app, "unfinished")
        assert "1/6 ⚑1 · at 2" in row
        home.clock.advance(600)  # time at home does not count
        await pilot.press("enter")
        await pilot.pause()
        resumed = app.screen.session
        assert resumed is not old and resumed.index == 1 and resumed.elapsed() == 40
        await pilot.press("ctrl+q")
    (attempt,) = home.history.unfinished()
    assert home.history.snapshot(attempt.id)["elapsed"] == 40


def test_services_track_one_live_session_per_attempt(home) -> None:
    first = home.services.start(home.bank(), AttemptPlan(seed=1))
    attempt_id = home.services.attempt_id(first)
    first.choose(0)
    home.services.save(first)
    assert home.services.resume(attempt_id) is first  # live: never a second copy
    home.services.release(first)  # left for home: resumed from its last save
    second = home.services.resume(attempt_id)
    assert second is not first
    assert home.services.attempt_id(second) == attempt_id
    assert home.services.attempt_id(first) is None
    assert home.services.open_sessions() == [(second, attempt_id)]
    home.services.release(second)
    assert home.services.open_sessions() == []


async def test_palette_resume_during_an_exam_goes_back_to_it_never_a_second_copy(home) -> None:
    """QA #1: palette Resume on the exam screen (or over stats above it) keeps the one
    exam screen and its clock; the saved time and answers are that session's."""
    from .test_palette import run_command

    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        exam = app.screen
        assert isinstance(exam, ExamScreen)
        await pilot.press("b")
        home.clock.advance(15)
        await run_command(pilot, "resume")
        await pilot.pause()
        assert app.screen is exam
        assert [s for s in app.screen_stack if isinstance(s, ExamScreen)] == [exam]
        assert exam.session.elapsed() == 15  # the clock did not go back
        app.post_message(OpenStats())
        await pilot.pause()
        assert app.screen is not exam
        await run_command(pilot, "resume")
        await pilot.pause(0.1)
        assert app.screen is exam
        assert [s for s in app.screen_stack if isinstance(s, ExamScreen)] == [exam]
        home.clock.advance(5)
        await pilot.press("n", "b")
        (attempt,) = home.history.unfinished()
        saved = home.history.snapshot(attempt.id)
        assert saved["elapsed"] == 20
        await pilot.press("ctrl+q")


async def test_no_banks_at_all_says_where_to_put_them(home, monkeypatch) -> None:
    import examsim.storage.locations as locations

    monkeypatch.setattr(locations, "bundled_banks_dir", lambda: None)
    (home.banks / f"{BANK_ID}.toml").unlink()
    app = home.app()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "No banks found" in str(app.screen.query_one("#home-empty").render())
        assert not table(app, "banks").display
        await pilot.press("enter", "r", "x", "down")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_results_escape_opens_home_when_started_without_it(home) -> None:
    """QA #9: ``examsim run`` / ``resume`` have no home screen under the results; escape
    opens one (the services list the banks) instead of quitting; ctrl+q still quits."""
    session = home.services.start(home.bank(), AttemptPlan(seed=1, shuffle=False))
    session.submit()
    home.services.finish(session)
    app = make_app(home.services, session)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 2
        assert "Home test bank" in " ".join(row_texts(app, "banks"))
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_start_form_mode_arrows_keep_one_mode_chosen(home) -> None:
    """Down then up comes back to exam, shown and used; one ● at a time (it was two, and
    up after down kept practice while exam showed chosen)."""
    from examsim.tui.screens.start import ModeButton, ModeChoice

    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(pilot, app)

        def chosen() -> list[str]:
            return [b.name or "" for b in form.query(ModeButton) if b._button.plain == "▐●▌"]

        assert chosen() == ["exam"]
        await pilot.press("down")
        await pilot.pause()
        assert chosen() == ["practice"] and form.query_one(ModeChoice).mode == "practice"
        assert "· practice" in preview(app)
        await pilot.press("up")
        await pilot.pause()
        assert chosen() == ["exam"] and form.query_one(ModeChoice).mode == "exam"
        assert "· exam" in preview(app)
        await pilot.press("down", "down", "right")
        await pilot.pause()
        assert chosen() == ["missed"] and form.fields().mode == "missed"


async def test_start_form_keys_typed_ahead_of_tab_land_in_the_next_field(home) -> None:
    """Tab then 3 arriving together (a fast typist; seen in CI through tmux): the 3 goes to
    the Questions field, not to the mode the Tab is leaving."""
    from textual import events

    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(pilot, app)
        for key, char in (("down", None), ("tab", "\t"), ("3", "3")):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        assert form.fields().questions == "3"
        assert "3 questions · untimed · practice" in preview(app)
        for key, char in (("shift+tab", None), ("up", None)):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        assert form.fields().mode == "exam"


async def test_start_form_opened_on_another_mode_moves_from_it(home) -> None:
    from examsim.tui.screens.start import ModeChoice, StartScreen

    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        bank = app.screen.selected_bank().bank
        app.push_screen(StartScreen(bank, app.screen.services, mode="practice"))
        await pilot.pause()
        choice = app.screen.query_one(ModeChoice)
        assert choice.mode == "practice"
        await pilot.press("down")
        await pilot.pause()
        assert choice.mode == "drill"


async def test_start_form_on_and_off_differ_by_glyph_not_colour_alone(home) -> None:
    """QA #14: NO_COLOR: the chosen mode is ● (others ○), ticked domains ✓ (others blank)."""
    from examsim.tui.screens.start import DomainList, ModeButton

    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_form(pilot, app)
        glyphs = {b.name: b._button.plain for b in app.screen.query(ModeButton)}
        assert glyphs["exam"] == "▐●▌" and glyphs["practice"] == "▐○▌"
        await pilot.press("tab", "tab", "tab", "space")  # untick the first domain
        await pilot.pause()
        domains = app.screen.query_one(DomainList)
        lines = [domains.render_line(y).text for y in range(2)]
        assert lines[0].startswith("▐ ▌") and lines[1].startswith("▐✓▌")


async def test_keys_typed_after_quit_are_dropped(home) -> None:
    """'q' then 's' at once: the stats screen opened while the app closed and crashed
    without its widgets (exit 1, a traceback). Now the app quits, cleanly."""
    from textual import events

    from examsim.tui.screens.stats import StatsScreen

    app = home.app()
    opened: list[object] = []
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.screen_stack[-1].app.push_screen = lambda screen, *a, **k: opened.append(screen)
        for key in ("q", "s", "h"):
            app.post_message(events.Key(key, key))
        await pilot.pause()
        assert not any(isinstance(screen, StatsScreen) for screen in opened), opened
        assert app.exiting
        assert not await app.run_action("app.open_stats")  # nothing runs any more
    assert app.return_code == 0


async def test_two_banks_with_one_id_are_listed_as_problems_naming_both(home) -> None:
    other = home.write_bank(bank_data(title="The same id again"), name="again")
    app = home.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not any("Home test bank" in row or "again" in row
                       for row in row_texts(app, "banks"))
        text = " ".join(screen_text(app).split())
        assert "2 files did not load" in text
        assert f"bank id '{BANK_ID}' is also the id of" in text and "again.toml" in text
    assert other.exists()


async def test_bank_table_fits_80_columns_with_best_and_latest_filled(home) -> None:
    """Scaled scores in Best and Latest (with the date) and an unfinished attempt: at 80
    columns every column shows whole, without a horizontal scrollbar, also after a wide
    terminal (DataTable's columns only grow)."""
    data = bank_data(bank_id="long", title="A bank with a title much longer than the room "
                     "for it at eighty columns", count=6)
    data["bank"]["scaled_score"] = {"min": 100, "max": 1000, "pass": 750}
    del data["bank"]["pass_percent"]
    home.write_bank(data)
    home.finished_attempt(6, "long")
    home.finished_attempt(1, "long")
    home.finished_attempt(4)
    unfinished_attempt(home)
    app = home.app()

    def whole(found: HomeTable) -> bool:
        """Every label and every cell but the (clipped) title is on screen in full."""
        shown = rendered_text(found)
        cells = [str(cell) for row in range(found.row_count)
                 for cell in found.get_row_at(row)[1:]]
        labels = [str(column.label) for column in found.columns.values()]
        return all(text in shown for text in labels + cells)

    async with app.run_test(size=(80, 24)) as pilot:
        for size in [(80, 24), (200, 50), (80, 24)]:
            await pilot.resize_terminal(*size)
            for name in ("banks", "unfinished"):
                found = table(app, name)
                for _ in range(50):  # the table measures its rows when idle: poll
                    await pilot.pause()
                    if whole(found) and not found.show_horizontal_scrollbar:
                        break
                assert whole(found), (size, name, rendered_text(found))
                assert not found.show_horizontal_scrollbar, (size, name)
                widths = sum(column.get_render_width(found)
                             for column in found.columns.values())
                assert widths <= found.scrollable_content_region.width, (size, name)
        assert "1000 100% ✓" in rendered_text(table(app, "banks"))


async def test_start_form_drills_the_topics_ticked(home) -> None:
    """No topic ticked: every topic; ticking IAM drills the IAM questions only."""
    app = home.app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app)
        await pilot.press("down", "down")  # drill
        await pilot.pause()
        assert "6 questions · untimed · drill" in preview(app)
        assert "none ticked: every topic" in flat_text(form)
        await pilot.press("tab", "tab", "tab", "tab")  # questions, time, domains, topics
        assert app.focused is form.query_one("#start-topics")
        await pilot.press("space")  # the first topic: IAM (q2, q4, q6)
        await pilot.pause()
        assert "3 questions · untimed · drill" in preview(app)
        assert "1 of 2 topics ticked" in flat_text(form)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        session = app.screen.session
        assert sorted(session.question_ids) == ["q2", "q4", "q6"]
        assert session.plan.topics == ("IAM",)


def flat_text(screen: Any) -> str:
    return " ".join(rendered_text(screen).split())


async def test_start_form_extra_time_and_options(home) -> None:
    """Extra time 30 and both switches ticked: an exam with 30 minutes more, fresh
    questions first and strict timing; a full exam stays full."""
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(pilot, app)
        form.query_one("#start-extra").value = "30"
        options = form.query_one("#start-options")
        options.select("fresh")
        options.select("strict")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        session = app.screen.session
        assert session.plan.extra_minutes == 30 and session.plan.prefer_fresh
        assert session.plan.strict and session.full
        assert session.time_limit == pytest.approx((12 + 30) * 60)


async def test_start_form_offers_due_with_its_count_and_home_says_what_is_due(home) -> None:
    """After an exam with 4 wrong answers: 'due (4)' on the start form, '4 due for review
    today' and the readiness line in the bank's detail on home."""
    home.finished_attempt(right=2)
    app = home.app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        app.screen.select_bank(BANK_ID)
        await pilot.pause()
        detail = " ".join(str(app.screen.query_one("#home-detail").render()).split())
        assert "4 due for review today" in detail
        assert "Ready: not enough fresh answers yet (6 of 30 needed)" in detail
        form = await open_form(pilot, app)
        assert "due (4)" in flat_text(form)


async def test_the_time_placeholder_follows_the_question_count_typed(home) -> None:
    """Newcomer run 6: 4 questions of 12 typed, the time field still offered the bank's
    time for all 12 ("20 · the bank's time for that many questions"); the exam then
    started with the time scaled to 4."""
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_form(pilot, app)
        time = form.query_one("#start-time", Input)
        full = time.placeholder
        plan = AttemptPlan(mode="exam", questions=2)
        scaled = form.services.preview(form.bank, plan).time_limit
        assert scaled is not None
        await pilot.press("tab", "2")
        await pilot.pause()
        assert time.placeholder == f"{scaled / 60:g}" != full
        assert "the bank's time" in str(form.query_one("#start-time-hint").render())
        await pilot.press("backspace")
        await pilot.pause()
        assert time.placeholder == full
