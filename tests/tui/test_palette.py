"""The command palette, the remembered theme, the settings file and NO_COLOR."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen

from examsim.core.assemble import AttemptPlan
from examsim.core.session import ExamSession
from examsim.storage.settings import Settings
from examsim.tui.app import ExamSimApp
from examsim.tui.commands import palette_commands
from examsim.tui.screens.exam import ExamScreen
from examsim.tui.screens.history import ExportDialog, HistoryScreen
from examsim.tui.screens.results import ResultsScreen
from examsim.tui.screens.review import ReviewScreen
from examsim.tui.screens.stats import StatsScreen

from .helpers import (
    ALL_RIGHT,
    FakeClock,
    FakeServices,
    mixed_attempt,
    open_history,
    rendered_text,
    review_bank,
    take,
)


class Home(Screen[None]):
    """A stand-in for the home screen: what escape goes back to."""


def services_app(
    tmp_path: Path, data: Path | None = None, **kwargs: Any
) -> tuple[ExamSimApp, FakeServices]:
    bank = review_bank()
    history = open_history(tmp_path)
    mixed_attempt(history, bank)
    services = FakeServices(history, data or tmp_path / "data", bank, can_start=True)
    kwargs.setdefault("home", Home)
    return ExamSimApp(services=services, **kwargs), services


async def run_command(pilot: Pilot, query: str) -> None:
    await pilot.press("ctrl+p")
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    for _ in range(100):  # the palette searches in the background
        await pilot.pause(0.02)
        if pilot.app.screen.query_one("CommandList").option_count:
            break
    await pilot.press("enter")
    await pilot.pause()


def names(app: ExamSimApp) -> list[str]:
    return [name for name, _, _ in palette_commands(app)]


async def test_an_app_with_services_offers_the_main_actions(tmp_path: Path) -> None:
    app, _ = services_app(tmp_path, home=None)
    assert names(app)[0] == "Resume"  # no home screen: nothing to start from
    app, _ = services_app(tmp_path / "2")
    async with app.run_test(size=(100, 40)):
        assert names(app) == ["Start an exam", "Resume", "Stats", "History",
                              "Review the last attempt", "Export the last attempt to CSV",
                              "Change theme"]


def test_one_stats_entry_per_bank_when_there_are_several(tmp_path: Path) -> None:
    app, services = services_app(tmp_path)
    data = review_bank().model_dump(by_alias=True)
    data["bank"] = {**data["bank"], "id": "other", "title": "Other bank"}
    from examsim.core.bank_model import validate_bank

    take(services.history, validate_bank(data), ALL_RIGHT)
    assert [n for n in names(app) if n.startswith("Stats")] == [
        "Stats: Other bank", "Stats: TUI test bank"]


async def test_palette_opens_stats_history_review_and_export(tmp_path: Path) -> None:
    app, _ = services_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await run_command(pilot, "stats")
        assert isinstance(app.screen, StatsScreen) and app.screen.bank is not None
        await pilot.press("escape")
        await run_command(pilot, "history")
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape")
        await run_command(pilot, "review the last")
        assert isinstance(app.screen, ReviewScreen) and app.screen.attempt_id == 1
        await pilot.press("escape")
        await run_command(pilot, "export")
        assert isinstance(app.screen, ExportDialog)


async def test_every_help_lists_the_palette_key(tmp_path: Path) -> None:
    from examsim.tui.screens.help import HelpScreen

    app, _ = services_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        for command in ("stats", "history", "review the last"):
            await run_command(pilot, command)
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            assert app.screen.palette_rows() == [
                ("ctrl+p", "Command palette: start, resume, stats, history, theme…")]
            assert "ctrl+p" not in [keys for keys, _ in app.screen.rows()]
            closing = str(app.screen.query_one("#help-close").visual)
            assert closing == "escape closes this help · ctrl+p opens the palette"
            await pilot.press("escape", "escape")
            await pilot.pause()


async def test_palette_resumes_the_newest_unfinished_attempt(tmp_path: Path) -> None:
    app, services = services_app(tmp_path)
    attempt_id = take(services.history, services.bank, {0: "B"}, finish=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await run_command(pilot, "resume")
        assert services.resumed == [attempt_id]
        assert isinstance(app.screen, ExamScreen)


async def test_theme_chosen_in_the_palette_is_remembered(tmp_path: Path) -> None:
    app, services = services_app(tmp_path)
    settings_path = services.data / "settings.json"
    async with app.run_test(size=(100, 40)) as pilot:
        await run_command(pilot, "change theme")
        assert isinstance(app.screen, CommandPalette)  # now the theme list
        await pilot.press(*"nord")
        for _ in range(100):
            await pilot.pause(0.02)
            if app.screen.query_one("CommandList").option_count:
                break
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "nord"
    assert json.loads(settings_path.read_text(encoding="utf-8")) == {"theme": "nord"}
    again, _ = services_app(tmp_path / "again", data=services.data)
    async with again.run_test(size=(100, 40)):
        assert again.theme == "nord"


async def test_a_damaged_or_unknown_saved_theme_is_ignored(tmp_path: Path) -> None:
    app, services = services_app(tmp_path)
    services.data.mkdir(parents=True)
    (services.data / "settings.json").write_text("{not json", encoding="utf-8")
    async with app.run_test(size=(100, 40)) as pilot:
        assert app.theme == "textual-dark"
        assert any("is damaged" in n.message for n in app._notifications)
        app.theme = "gruvbox"
        await pilot.pause()
    assert (services.data / "settings.json.damaged").read_text() == "{not json"
    Settings(services.data / "settings.json").theme = "no-such-theme"
    app2, _ = services_app(tmp_path / "2", data=services.data)
    async with app2.run_test(size=(100, 40)):
        assert app2.theme == "textual-dark"


def test_settings_file_round_trip_and_damage(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "settings.json"
    settings = Settings(path)
    assert settings.theme is None and settings.load() == {} and not path.exists()
    settings.theme = "nord"
    settings.set("other", [1, 2])
    assert Settings(path).theme == "nord" and Settings(path).get("other") == [1, 2]
    settings.theme = None
    assert "theme" not in json.loads(path.read_text(encoding="utf-8"))
    path.write_text('["a list, not an object"]', encoding="utf-8")
    damaged = Settings(path)
    assert damaged.theme is None and damaged.notice and "damaged" in damaged.notice
    damaged.theme = "nord"
    assert Settings(path).theme == "nord"
    assert path.with_name("settings.json.damaged").exists()
    path.write_bytes(b"\xff\xfe\x00bad")
    assert Settings(path).theme is None
    assert list(tmp_path.glob("deep/.settings-*")) == []  # no temp files left


def test_settings_open_uses_the_data_dir(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("EXAMSIM_DATA_DIR", str(tmp_path / "env"))
    assert Settings.open().path == tmp_path / "env" / "settings.json"
    assert Settings.open(tmp_path / "flag").path == tmp_path / "flag" / "settings.json"


async def test_results_r_and_s_reach_review_and_stats(tmp_path: Path) -> None:
    bank = review_bank()
    history = open_history(tmp_path)
    clock = FakeClock()
    services = FakeServices(history, tmp_path / "data", bank)
    session = ExamSession.start(bank, AttemptPlan(seed=1, shuffle=False), clock=clock)
    attempt_id = history.start_attempt(session)
    services.know(session, attempt_id)
    session.choose(1)
    session.submit()
    history.finish(attempt_id, session)
    app = ExamSimApp(session, services=services)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 40)) as pilot:
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("r")
        assert isinstance(app.screen, ReviewScreen) and app.screen.attempt_id == attempt_id
        assert app.screen.bank is bank
        await pilot.press("escape", "s")
        assert isinstance(app.screen, StatsScreen) and app.screen.bank_id == bank.id


async def test_no_color_app_runs_and_the_palette_works(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app, _ = services_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        await run_command(pilot, "history")
        assert isinstance(app.screen, HistoryScreen)
        text = rendered_text(app.screen)
        assert "✗ fail" in text and "^p" in text


async def test_retry_from_review_and_drill_from_stats_start_attempts(tmp_path: Path) -> None:
    app, services = services_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await run_command(pilot, "stats")
        for _ in range(100):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if app.screen.query("#stats-summary"):
                break
        await pilot.press("d")
        assert isinstance(app.screen, ExamScreen)
        assert services.plans[-1].mode == "drill"
        assert services.plans[-1].topics == ("VPC", "IAM")


def test_bank_lookup_order(tmp_path: Path) -> None:
    """The session's bank on screen, else the services' one lookup (find_bank)."""
    app, services = services_app(tmp_path)
    assert app.bank_for("tui-test") is services.bank
    assert app.bank_for("unknown") is None
    on_screen = review_bank()
    app.session = ExamSession.start(on_screen, AttemptPlan(seed=1))
    assert app.bank_for("tui-test") is on_screen


WEIRD_TITLE = "Weird [b]bank[/b] [link=http://x]link[/link] $var \\ 🚀 日本語 [/]"


async def test_bank_titles_with_markup_show_literally_in_the_palette(tmp_path: Path) -> None:
    """QA #2: a title like markup crashed the palette (MarkupError); every name and help
    is literal text, in the list on opening and in the search results."""
    from examsim.core.bank_model import validate_bank

    app, services = services_app(tmp_path)
    data = review_bank().model_dump(by_alias=True)
    data["bank"] = {**data["bank"], "id": "weird", "title": WEIRD_TITLE}
    take(services.history, validate_bank(data), ALL_RIGHT)
    assert f"Stats: {WEIRD_TITLE}" in names(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        shown = app.screen.query_one("CommandList")
        prompts = [str(shown.get_option_at_index(i).prompt)
                   for i in range(shown.option_count)]
        assert any(f"Stats: {WEIRD_TITLE}" in prompt for prompt in prompts)
        await pilot.press("escape")
        await run_command(pilot, "weird")
        assert isinstance(app.screen, StatsScreen) and app.screen.bank_id == "weird"


async def test_page_down_typed_with_ctrl_p_does_not_crash(tmp_path: Path) -> None:
    """ctrl+p then page down at once: Textual's list was not laid out yet and failed
    (KeyError in OptionList._move_page, the app gone). The early page key is dropped;
    once the list is on screen, page keys work."""
    from textual import events
    from textual.command import CommandList

    app, _ = services_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.post_message(events.Key("ctrl+p", None))
        app.post_message(events.Key("pagedown", None))
        app.post_message(events.Key("pageup", None))
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        results = app.screen.query_one(CommandList)
        assert results.option_count > 1 and results.highlighted is not None
        await pilot.press("pagedown")
        await pilot.pause()
        assert results.highlighted > 0
    assert app.return_code in (0, None)


async def test_the_palette_lists_one_theme_command(tmp_path: Path) -> None:
    """Textual's own "Theme" command is left out: examsim's "Change theme" opens the
    same list and remembers the choice."""
    app, _ = services_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"theme")
        shown: list[str] = []
        for _ in range(100):  # the palette searches in the background
            await pilot.pause(0.02)
            found = app.screen.query_one("CommandList")
            shown = [str(found.get_option_at_index(i).prompt).splitlines()[0]
                     for i in range(found.option_count)]
            if shown:
                break
        themed = [name for name in shown if "theme" in name.lower()]
        assert themed == ["Change theme"], shown
