"""Every state keeps a contrast ratio of 4.5:1 (WCAG AA) in every theme examsim offers.

The ratios are measured on what the screen renders: every visible character of the
widgets that show a state (struck, chosen, cursor, flagged, verdicts, timer warning),
its composited foreground against its composited background.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.color import Color
from textual.theme import BUILTIN_THEMES
from textual.widget import Widget

from examsim.tui.app import ExamSimApp
from examsim.tui.contrast import (
    MINIMUM,
    contrast_ratio,
    readable,
    readable_variables,
)

from .helpers import FakeClock, FakeServices, make_app, make_session

LIGHT = ("textual-light", "solarized-light", "atom-one-light", "catppuccin-latte")
# borders and bars (box drawing and block elements) are not text: WCAG asks 3:1 of them
BOX_DRAWING = ("\u2500", "\u259f")


def offered_themes() -> list[str]:
    return list(ExamSimApp(services=FakeServices()).available_themes)


def low_contrast(widget: Widget, label: str) -> list[str]:
    """Each visible character of ``widget`` below the minimum, described."""
    strips = widget.screen._compositor.render_strips()
    region = widget.region
    found = []
    for y in range(max(0, region.y), min(len(strips), region.bottom)):
        for segment in strips[y].crop(region.x, region.right):
            text = "".join(ch for ch in segment.text if not BOX_DRAWING[0] <= ch <= BOX_DRAWING[1])
            if not text.strip() or segment.style is None:
                continue
            style = segment.style
            assert style.color is not None and style.bgcolor is not None, (label, segment)
            fg = Color(*style.color.get_truecolor())
            bg = Color(*style.bgcolor.get_truecolor())
            if style.reverse:
                fg, bg = bg, fg
            ratio = contrast_ratio(fg, bg)
            if ratio < MINIMUM:
                found.append(f"{label}: {segment.text.strip()!r} {fg.hex} on {bg.hex} "
                             f"= {ratio:.2f}")
    return found


async def measure_all_themes(app: ExamSimApp, pilot: Any, targets: dict[str, Any]) -> list[str]:
    """Switch through every theme and measure each target (label -> widget finder)."""
    problems: list[str] = []
    for theme in offered_themes():
        app.theme = theme
        await pilot.pause()
        for label, find in targets.items():
            problems += low_contrast(find(), f"{theme} {label}")
    return problems


# -- the arithmetic ----------------------------------------------------------------------


def test_contrast_ratio_follows_wcag() -> None:
    assert contrast_ratio(Color(0, 0, 0), Color(255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio(Color(119, 119, 119), Color(255, 255, 255)) == pytest.approx(
        4.48, abs=0.01)
    assert contrast_ratio(Color(9, 9, 9), Color(9, 9, 9)) == 1.0


def test_readable_keeps_a_colour_that_reads_and_moves_one_that_does_not() -> None:
    white, grey = Color(255, 255, 255), Color(224, 224, 224)
    dark = Color(30, 30, 30)
    assert readable(dark, [white, grey]) == dark
    moved = readable(Color(235, 235, 235), [grey, Color(245, 245, 245)])
    assert min(contrast_ratio(moved, grey), contrast_ratio(moved, Color(245, 245, 245))) >= 4.5


@pytest.mark.parametrize("name", LIGHT)
def test_light_themes_get_a_muted_text_that_reads(name: str) -> None:
    theme = BUILTIN_THEMES[name]
    variables = {**theme.to_color_system().generate(), **theme.variables}
    muted = Color.parse(readable_variables(variables)["text-muted"])
    for ground in ("background", "surface", "panel", "surface-lighten-1"):
        assert contrast_ratio(muted, Color.parse(variables[ground])) >= MINIMUM, ground


def test_the_ansi_themes_are_not_offered_the_light_ones_are() -> None:
    themes = offered_themes()
    assert "ansi-dark" not in themes and "ansi-light" not in themes
    assert set(LIGHT) <= set(themes)


# -- rendered screens --------------------------------------------------------------------


async def test_exam_states_read_in_every_theme() -> None:
    """Chosen, struck (also under the cursor), the strike control, the flagged line,
    and the timer in its warning and its error state."""
    clock = FakeClock()
    app = make_app(make_session(clock=clock, time_minutes=30))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b", "C", "m")
        for _ in range(8):  # the cursor onto the struck option C
            if "-cursor" in app.screen.query_one("AnswerOptions").states[2].classes:
                break
            await pilot.press("down")
        options = lambda: app.screen.query_one("AnswerOptions")  # noqa: E731
        where = lambda: app.screen.query_one("#where")  # noqa: E731
        timer = lambda: app.screen.query_one("ExamTimer")  # noqa: E731
        states = [row.classes for row in options().states]
        assert {"-chosen"} <= states[1] and {"-struck", "-cursor"} <= states[2]
        assert where().has_class("-flagged")
        problems = await measure_all_themes(app, pilot, {"options": options, "where": where})
        clock.advance(22 * 60)
        timer().update_time()
        assert timer().has_class("-warning")
        problems += await measure_all_themes(app, pilot, {"timer warning": timer})
        clock.advance(5 * 60)
        timer().update_time()
        assert timer().has_class("-error")
        problems += await measure_all_themes(app, pilot, {"timer error": timer})
    assert problems == [], "\n".join(problems)


async def test_review_grid_states_read_in_every_theme() -> None:
    app = make_app(make_session())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b", "m", "n", "n", "a", "r")
        await pilot.pause()
        grid = lambda: app.screen.query_one("Navigator")  # noqa: E731
        problems = await measure_all_themes(app, pilot, {"grid": grid})
    assert problems == [], "\n".join(problems)


async def test_practice_verdicts_read_in_every_theme() -> None:
    app = make_app(make_session(mode="practice"))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("a", "enter")  # wrong: the key B shows ✓, the choice A ✗
        await pilot.pause()
        options = lambda: app.screen.query_one("AnswerOptions")  # noqa: E731
        verdict = lambda: app.screen.query_one(".feedback-verdict")  # noqa: E731
        states = [row.classes for row in options().states]
        assert "-wrong" in states[0] and "-key" in states[1]
        problems = await measure_all_themes(app, pilot, {"options": options,
                                                         "verdict": verdict})
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("picks", ["bbbbbb", "aaaaaa"], ids=["passed", "failed"])
async def test_results_verdict_reads_in_every_theme(picks: str) -> None:
    session = make_session(make_session().bank)
    for position, letter in enumerate(picks):
        session.go(position)
        session.choose("abcdefgh".index(letter))
        if position == 1:
            session.choose(2)  # q2 is choose two: A + C
    session.submit()
    app = make_app(session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        verdict = lambda: app.screen.query_one("#results-verdict")  # noqa: E731
        problems = await measure_all_themes(app, pilot, {"verdict": verdict})
    assert problems == [], "\n".join(problems)


async def test_review_screen_reads_in_every_theme(tmp_path) -> None:
    """The list (its cursor row), the detail with verdicts, struck options and whys."""
    from examsim.tui.screens.review import ReviewScreen

    from .helpers import host, mixed_attempt, open_history, review_bank

    bank = review_bank()
    history = open_history(tmp_path)
    attempt_id = mixed_attempt(history, bank)
    app = host(lambda: ReviewScreen(history, bank, attempt_id))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        problems = await measure_all_themes(app, pilot, {
            "list": lambda: app.screen.query_one("ReviewList"),
            "detail": lambda: app.screen.query_one("ReviewDetail"),
            "filters": lambda: app.screen.query_one("#review-filters"),
        })
    assert problems == [], "\n".join(problems)


async def test_home_and_history_tables_read_in_every_theme(tmp_path) -> None:
    """Best / latest with ✓ and ✗, the cursor row, the headers; the history table."""
    from examsim.tui.screens.history import HistoryScreen

    from .helpers import ALL_RIGHT, host, mixed_attempt, open_history, review_bank, take
    from .test_home import Home, table

    home = Home(tmp_path / "home")
    home.finished_attempt(6)
    home.finished_attempt(1)
    app = home.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        problems = await measure_all_themes(app, pilot, {"banks": lambda: table(app, "banks")})
    home.history.close()
    bank = review_bank()
    history = open_history(tmp_path)
    mixed_attempt(history, bank)
    take(history, bank, ALL_RIGHT)
    app = host(lambda: HistoryScreen(history))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        problems += await measure_all_themes(
            app, pilot, {"history": lambda: app.screen.query_one("AttemptTable")})
    assert problems == [], "\n".join(problems)


async def test_results_help_and_end_dialog_read_in_every_theme() -> None:
    """The whole results screen (footer too), the help and the end dialog (their own
    panels: what a modal dims behind it is not read)."""
    session = make_session()
    session.choose(1)
    session.toggle_flag()
    session.submit()
    app = make_app(session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        problems = await measure_all_themes(app, pilot, {"results": lambda: app.screen})
    app = make_app(make_session())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        problems += await measure_all_themes(app, pilot, {"help": help_panel(app)})
        await pilot.press("escape", "b", "ctrl+s")
        await pilot.pause()
        problems += await measure_all_themes(
            app, pilot, {"end dialog": lambda: app.screen.query_one("#dialog")})
    assert problems == [], "\n".join(problems)


def help_panel(app: ExamSimApp) -> Any:
    from examsim.tui.screens.help import HelpScreen

    def find() -> Widget:
        assert isinstance(app.screen, HelpScreen)
        return app.screen.query_one("#help")

    return find


async def test_home_screen_and_start_form_read_in_every_theme(tmp_path) -> None:
    """The home screen with its footer and detail pane; the start form: modes chosen and
    not, the number fields' placeholders, the lists, the buttons."""
    from .test_home import Home, open_form

    home = Home(tmp_path / "home")
    home.finished_attempt(3)
    app = home.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        problems = await measure_all_themes(app, pilot, {"home": lambda: app.screen})
        await open_form(pilot, app)
        problems += await measure_all_themes(
            app, pilot, {"form": lambda: app.screen.query_one("#start-form")})
    home.history.close()
    assert problems == [], "\n".join(problems)
