"""The stats screen over a history built with the real engine."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable

from examsim.core.bank import Bank
from examsim.core.bank_model import validate_bank
from examsim.storage.history import History
from examsim.tui.app import ExamSimApp
from examsim.tui.screens.history import HistoryScreen
from examsim.tui.screens.stats import (
    StatsScreen,
    load_details,
    load_glance,
    load_stats,
    pass_percent,
    sort_topics,
)
from examsim.tui.widgets.score_trend import PASS_LINE, ScoreTrend, plot_rows

from .helpers import (
    ALL_RIGHT,
    FakeServices,
    flat,
    host,
    mixed_attempt,
    open_history,
    rendered_text,
    review_bank,
    take,
)

VPC_WRONG = {0: "A", 1: "AC", 2: "A", 3: "B", 4: "A", 5: "B"}  # every VPC (net) answer wrong


def three_attempts(history: History, bank: Bank) -> None:
    """Attempt 1: net 1/3, sec 2/3. Attempt 2: all right. Attempt 3: net 0/3, sec 3/3.
    Overall: net 4/9 = 44 %, sec 8/9 = 89 %; VPC wrong 3 in a row at the end."""
    mixed_attempt(history, bank)
    take(history, bank, ALL_RIGHT, seconds=20)
    take(history, bank, VPC_WRONG, seconds=50)


async def settle(pilot: Pilot) -> None:
    """Wait until the stats worker has put its figures on screen."""
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, StatsScreen) and not screen.query("#stats-loading"):
            return
    raise AssertionError("the stats never loaded")


def screen_text(app: ExamSimApp, selector: str) -> str:
    return flat(rendered_text(app.screen.query_one(selector)))


async def stats_app(
    tmp_path: Path, *, can_start: bool = False
) -> tuple[ExamSimApp, Bank, History]:
    bank = review_bank()
    history = open_history(tmp_path)
    three_attempts(history, bank)
    services = FakeServices(history, tmp_path, bank, can_start=can_start)
    app = host(lambda: StatsScreen(history, bank.id, bank), services)
    return app, bank, history


# -- pieces ---------------------------------------------------------------------------


def test_plot_keeps_a_fixed_scale_and_draws_the_pass_line() -> None:
    rows, pass_row = plot_rows([0.0, 50.0, 100.0, None], 4, 70)
    assert pass_row == 1
    assert [row[0] for row in rows] == [PASS_LINE if i == 1 else " " for i in range(4)]
    assert [row[1] for row in rows] == [" ", PASS_LINE, "█", "█"]
    assert [row[2] for row in rows] == ["█"] * 4
    assert rows[1][3] == PASS_LINE  # the line runs through a gap


def test_pass_percent_from_the_bank() -> None:
    assert pass_percent(review_bank()) == 70
    data = review_bank().model_dump(by_alias=True)
    data["bank"] = {**data["bank"], "pass_percent": None,
                    "scaled_score": {"min": 100, "max": 1000, "pass": 750}}
    assert round(pass_percent(validate_bank(data)) or 0, 1) == 72.2
    assert pass_percent(None) is None


def test_topics_with_too_few_answers_are_never_ranked_first(tmp_path: Path) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    take(history, bank, {0: "A"})  # VPC and IAM have 3 answers each: both ranked
    data = load_stats(history, bank.id)
    from examsim.core.insights import Accuracy

    few = Accuracy("Rare", 2, 0.0)
    ordered = sort_topics([*data.topics, few], "weakest")
    assert ordered[-1].key == "Rare"


def test_the_two_steps_read_what_bank_report_reads(tmp_path: Path) -> None:
    from examsim.storage.report import bank_report
    from examsim.storage.report_model import BankReport

    bank = review_bank()
    history = open_history(tmp_path)
    three_attempts(history, bank)
    data = load_stats(history, bank.id)
    report = bank_report(history, bank.id)
    assert data.report.weakest_topics is None and data.details is not None  # not read
    assert BankReport.merged(data.report, data.details,
                             weakest_topics=report.weakest_topics) == report


def test_load_stats_figures(tmp_path: Path) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    three_attempts(history, bank)
    data = load_stats(history, bank.id)
    domains = {d.id: round(d.percent) for d in data.report.domains}
    assert domains == {"net": 44, "sec": 89}
    assert data.streaks == [("VPC", 3)]
    assert sorted(data.missed) == ["q1", "q3", "q5"]
    assert [round(p) for p, _ in data.scores] == [50, 100, 50]


# -- the screen ---------------------------------------------------------------------------


async def test_stats_show_what_to_study_and_the_per_domain_figures(tmp_path: Path) -> None:
    app, _, _ = await stats_app(tmp_path)
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        assert "3 full exams · latest 50% ✗ not passed · best 100%" in \
            screen_text(app, "#stats-summary")
        assert "Study next: VPC (44% of 9 asked), IAM (89% of 9 asked)" in \
            screen_text(app, "#stats-next")
        assert "3 questions missed the last time asked" in screen_text(app, "#stats-next")
        assert "⚠ 3 wrong in a row on VPC" in screen_text(app, "#stats-streaks")
        domains = screen_text(app, "#stats-domains")
        # percentages over the questions asked: 1 networking question went unanswered
        assert "Networking" in domains and "44% · 44% · 9 asked · 8 answers" in domains
        assert "Security" in domains and "89% · 89% · 9 asked · 9 answers" in domains
        assert "unanswered counts as wrong" in screen_text(app, "#stats")
        strikes = screen_text(app, "#stats-strikes")
        assert "100% of your strikes were right: 1 struck, 0 of them in the key" in strikes
        pacing = screen_text(app, "#stats-pacing")
        assert "37 s per question overall; the time limits allowed 300 s" in pacing
        assert "✓ within budget" in pacing
        trend = app.screen.query_one(ScoreTrend)
        assert [round(p) for p, _ in trend.scores] == [50, 100, 50]
        assert trend.pass_percent == 70
        plot = rendered_text(trend)
        assert "70% ┤" in plot and PASS_LINE in plot and "attempts 1–3" in plot


async def test_topic_table_sorts_weakest_first_and_by_key(tmp_path: Path) -> None:
    app, _, _ = await stats_app(tmp_path)
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#stats-topics", DataTable)

        def topics() -> list[str]:
            return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]

        assert topics() == ["VPC", "IAM"]
        assert [str(column.label) for column in table.columns.values()] == [
            "Topic", "Right", "Asked", "Answers", "Note"]
        # VPC: 4 of 9 right, 8 of the 9 answered (percentages over the questions asked)
        assert [str(cell) for cell in table.get_row_at(0)[:3]] == ["VPC", " 44%", "9"]
        assert str(table.get_row_at(0)[3]) == "8"
        assert "⚠ 3 wrong in a row" in str(table.get_row_at(0)[4])
        assert "ranked from 3 asked up" in screen_text(app, "#stats-topics-title")
        await pilot.press("o")   # most answers first (a tie: then the weaker)
        assert topics() == ["VPC", "IAM"]
        await pilot.press("o")   # by name
        assert topics() == ["IAM", "VPC"]
        assert "by name" in screen_text(app, "#stats-topics-title")
        await pilot.press("o")
        assert topics() == ["VPC", "IAM"]


async def test_drill_and_retry_missed_start_attempts(tmp_path: Path) -> None:
    from examsim.tui.screens.exam import ExamScreen

    bank = review_bank()
    history = open_history(tmp_path)
    three_attempts(history, bank)
    for key in ("d", "m"):
        services = FakeServices(history, tmp_path, bank, can_start=True)
        app = host(lambda: StatsScreen(history, bank.id, bank), services)
        async with app.run_test(size=(100, 60)) as pilot:
            await settle(pilot)
            footer = rendered_text(app.screen.query_one("Footer"))
            assert "Drill weakest" in footer and "Retry missed" in footer
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ExamScreen)
        (plan,) = services.plans
        if key == "d":
            assert (plan.mode, plan.topics) == ("drill", ("VPC", "IAM"))
        else:
            assert (plan.mode, plan.question_ids) == ("missed", ("q1", "q3", "q5"))


async def test_actions_hidden_without_the_bank(tmp_path: Path) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    three_attempts(history, bank)
    services = FakeServices(history, tmp_path, bank, can_start=True)
    app = host(lambda: StatsScreen(history, bank.id, None), services)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert app.screen.check_action("drill", ()) is False
        assert app.screen.check_action("retry_missed", ()) is False
        assert "Stats · TUI test bank" in screen_text(app, "#stats-title")
        assert app.screen.query_one(ScoreTrend).pass_percent is None


async def test_empty_history_is_friendly(tmp_path: Path) -> None:
    history = open_history(tmp_path)
    for bank_id in (None, "tui-test"):
        app = host(lambda bank_id=bank_id: StatsScreen(history, bank_id))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            text = screen_text(app, "#stats-empty")
            assert text.startswith("No finished attempts yet")
            assert app.screen.check_action("sort", ()) is False


async def test_h_opens_the_history_and_escape_comes_back(tmp_path: Path) -> None:
    app, _, _ = await stats_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, StatsScreen)


async def test_no_color_stats_keep_symbols_and_words(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app, _, _ = await stats_app(tmp_path)
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        assert app.no_color
        assert "✗ not passed" in screen_text(app, "#stats-summary")
        assert "⚠ 3 wrong in a row on VPC" in screen_text(app, "#stats-streaks")
        assert PASS_LINE in rendered_text(app.screen.query_one(ScoreTrend))


def test_snapshot_stats(snap_compare, tmp_path: Path, utc: None) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    three_attempts(history, bank)
    app = host(lambda: StatsScreen(history, bank.id, bank))
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_snapshot_stats_scrolled_to_topics(snap_compare, tmp_path: Path,
                                           utc: None) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    three_attempts(history, bank)
    app = host(lambda: StatsScreen(history, bank.id, bank))

    async def scrolled(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("end")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=scrolled)


async def test_every_footer_key_fits_at_80_columns(tmp_path: Path) -> None:
    """QA #14: at 80 columns the stats footer ended in "? He▏^p palette"."""
    from itertools import pairwise

    from textual.widgets._footer import FooterKey

    app, _, _ = await stats_app(tmp_path, can_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = [key for key in app.screen.query(FooterKey) if key.display]
        assert {key.key for key in keys} >= {"d", "m", "o", "h", "escape", "question_mark",
                                            "ctrl+p"}
        regions = sorted((key.region for key in keys), key=lambda region: region.x)
        for left, right in pairwise(regions):
            assert left.right <= right.x  # none drawn over another (the palette key docks)
        assert regions[-1].right <= 80


async def test_asked_and_answered_fit_80_columns(tmp_path: Path) -> None:
    """Both counts beside each percentage, and still one line per domain at 80x24."""
    app, _, _ = await stats_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        domains = app.screen.query_one("#stats-domains")
        lines = rendered_text(domains).splitlines()
        assert len(lines) == 2 and domains.region.height == 2  # no line wrapped
        assert "9 asked · 8 answers" in lines[0] and "9 asked · 9 answers" in lines[1]
        assert domains.region.right <= 80
        table = app.screen.query_one("#stats-topics", DataTable)
        assert table.virtual_size.width <= table.region.width  # no sideways scrolling
        assert app.screen.query_one("#stats-topics-title").region.height == 1


def test_domain_lines_fit_the_width_bar_first_then_words_then_names() -> None:
    from examsim.tui.screens.stats import BAR_WIDTH, MIN_BAR, MIN_LABEL, fit_domain_lines

    long = ["  0% ·   0% · 1 asked · 0 answers (too few to judge)"]
    short = ["  0% ·   0% · 1 asked · 0 answers (too few)"]
    # wide: everything whole, the full bar
    assert fit_domain_lines(28, long, short, 197) == (28, BAR_WIDTH, long)
    # narrower: the bar gives way, then the short words
    name, bar_width, texts = fit_domain_lines(28, long, short, 92)
    assert (name, texts) == (28, long) and MIN_BAR <= bar_width < BAR_WIDTH
    assert fit_domain_lines(28, long, short, 84)[2] == short
    # 80 columns (77 inside): the name is cut so that one line holds it all
    name, bar_width, texts = fit_domain_lines(28, long, short, 77)
    assert texts == short and bar_width == MIN_BAR
    assert name + 1 + bar_width + 1 + len(short[0]) <= 77 and name < 28
    # never below MIN_LABEL, however narrow (the line then wraps, as it must)
    assert fit_domain_lines(28, long, short, 30)[0] == MIN_LABEL


def test_study_next_never_names_a_topic_without_an_answer() -> None:
    from examsim.core.insights import Accuracy
    from examsim.tui.screens.stats import ranked

    assert not ranked(Accuracy("Skipped", 5, 0.0, answered=0))
    assert ranked(Accuracy("IAM", 5, 0.0, answered=1))


async def test_the_score_trend_without_a_full_exam_says_so(tmp_path: Path) -> None:
    """Newcomer run 6: after sessions only, the trend (full exams only) said "no attempts
    yet" under "0 full exams · 1 session"."""
    bank = review_bank()
    history = open_history(tmp_path)
    take(history, bank, ALL_RIGHT, mode="practice")
    app = host(lambda: StatsScreen(history, bank.id, bank), FakeServices(history, tmp_path, bank))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert "0 full exams · 1 session" in screen_text(app, "#stats-summary")
        trend = screen_text(app, "#stats-trend")
        assert "no full exam yet" in trend and "attempts" not in trend


async def test_h_and_s_go_back_instead_of_stacking_screens(tmp_path: Path) -> None:
    """Newcomer run 6: h on stats, s on the history, h, s... stacked a new screen at each
    press, so escape had to retrace them all. Now h on stats opened from the history (and
    s on a history opened from the same bank's stats) goes back to it."""
    app, _, _ = await stats_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        depth = len(app.screen_stack)
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        for _ in range(3):
            await pilot.press("s")
            await pilot.pause()
            assert isinstance(app.screen, StatsScreen)
            await pilot.press("h")
            await pilot.pause()
            assert isinstance(app.screen, HistoryScreen)
        assert len(app.screen_stack) == depth + 1
        await pilot.press("escape")
        assert isinstance(app.screen, StatsScreen) and len(app.screen_stack) == depth


async def test_recall_right_after_the_answers_is_a_dash_with_its_rule(tmp_path: Path) -> None:
    """Newcomer run 6, finding 15: "recall 100%" beside 0% accuracy right after wrong
    answers. Recall is read from questions reviewed a day or more ago (core/spaced.py)."""
    app, _, _ = await stats_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        for _ in range(100):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            if "reading" not in screen_text(app, "#stats-review"):
                break
        text = screen_text(app, "#stats-review")
        assert "Networking recall – ·" in text and "Security recall – ·" in text
        assert "100%" not in text
        assert "over the questions last reviewed a day or more ago" in text


async def test_going_back_to_the_stats_after_a_delete_reads_them_again(tmp_path: Path) -> None:
    """h, d (delete an attempt), s: the app goes back to the stats below, which read the
    figures again instead of counting the deleted attempt."""
    app, _, _ = await stats_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert "3 full exams" in screen_text(app, "#stats-summary")
        stats = app.screen
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("d", "y")
        await pilot.pause()
        await pilot.press("s")
        await settle(pilot)
        assert app.screen is stats
        assert "2 full exams" in screen_text(app, "#stats-summary")


def test_every_domain_is_named_in_the_details_even_one_nobody_answered(
        tmp_path: Path) -> None:
    """Newcomer run 7: the spaced-review lines named domains without answers by their ids
    ("basics", "sec") beside "Networking": the details took names only from the domains
    with accuracy rows. Names now come from the bank, else the attempts (domain_names)."""
    bank = review_bank()
    history = open_history(tmp_path)
    three_attempts(history, bank)
    data = bank.model_dump(by_alias=True)
    data["domains"] = [*({**d, "weight": 45} for d in data["domains"]),
                       {"id": "ops", "name": "Operations", "weight": 10}]
    data["questions"] = [*data["questions"], {**data["questions"][0], "id": "q-ops",
                                              "domain": "ops"}]
    grown = validate_bank(data)  # the bank now has a domain no attempt asked
    details = load_details(history, bank.id, load_glance(history, bank.id), grown).details
    assert details is not None
    names = {m.id: m.label for m in details.memory}
    assert names["ops"] == "Operations"
    assert names["net"] == "Networking" and names["sec"] == "Security"
