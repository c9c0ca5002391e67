"""Bank text never drives the terminal (issue 20, part 1).

A bank with escape sequences in every field (OSC 0/2/8/52, CSI 2J, RIS, DSR, the C1 CSI
U+009B, DEL, NUL) is shown on every screen that shows bank or history text: no segment
of any drawn line holds a control character, and the ESC shows as its placeholder ␛.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from examsim.commands.app import AppServices, make_app
from examsim.core.assemble import AttemptPlan
from examsim.core.bank import Bank
from examsim.core.safe_text import shown
from examsim.storage.history import History
from examsim.storage.locations import history_db
from examsim.tui.app import ExamSimApp
from examsim.tui.screens.exam import ExamScreen
from examsim.tui.screens.history import HistoryScreen
from examsim.tui.screens.home import HomeScreen
from examsim.tui.screens.results import ResultsScreen
from examsim.tui.screens.review import ReviewScreen
from examsim.tui.screens.start import StartScreen
from examsim.tui.screens.stats import StatsScreen

from .helpers import FakeClock, rendered_text

# every sequence of the audit; a field holds all of them
SEQUENCES = {
    "OSC 0 title": "\x1b]0;PWN0\x07",
    "OSC 2 title": "\x1b]2;PWNTITLE\x1b\\",
    "OSC 8 link": "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "OSC 52 clipboard": "\x1b]52;c;UFdORUQ=\x1b\\",
    "CSI 2J": "\x1b[2J",
    "RIS": "\x1bc",
    "DSR": "\x1b[6n",
    "C1 CSI": "\x9b2J",
    "DEL": "x\x7fy",
    "NUL": "n\x00n",
    "bidi override": "\u202eevil\u202c",  # RLO ... PDF: would read backwards
    "bidi isolate": "\u2067iso\u2069",
}
EVIL = " ".join(SEQUENCES.values())
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def evil(label: str) -> str:
    return f"{label} {EVIL} end"


def evil_bank_data() -> dict:
    questions = []
    for i in range(3):
        questions.append({
            "id": evil(f"q{i + 1}"),
            "domain": "net" if i % 2 == 0 else "sec",
            "topics": [evil("topic")],
            "stem": evil(f"Stem {i + 1}"),
            "options": [{"text": evil(f"Option {k + 1}"), "why": evil(f"Why {k + 1}")}
                        for k in range(3)],
            "answer": "B",
            "explanation": evil("Explanation"),
            "references": [evil("Reference")],
        })
    return {
        "bank": {"id": "evil", "title": evil("Title"), "description": evil("Description"),
                 "time_limit": 10, "pass_percent": 50},
        "domains": [{"id": "net", "name": evil("Networking"), "weight": 50},
                    {"id": "sec", "name": evil("Security"), "weight": 50}],
        "questions": questions,
    }


def test_shown_makes_every_sequence_visible() -> None:
    for label, sequence in SEQUENCES.items():
        text = shown(sequence)
        assert RAW.search(text) is None, label
    assert shown("\x1b]2;x\x1b\\") == "␛]2;x␛\\"
    assert shown("a\x7fb\x9bc\x00d") == "a␡b\\x9bc␀d"
    assert shown("tab\tand\nnewline") == "tab\tand\nnewline"
    assert shown("cr lf\r\nlone\rcr") == "cr lf\nlone␍cr"
    assert shown("a\u202eb\u2066c\u2069") == "a\\u202eb\\u2066c\\u2069"
    hebrew = "\u05e9\u05dc\u05d5\u05dd \u200f"  # right-to-left text and a mark stay
    assert shown(hebrew) == hebrew


def test_the_guard_drops_controls_from_any_strip() -> None:
    import examsim.tui.app  # noqa: F401 - installs the guard

    strip = Strip([Segment("a\x1b]52;c;UFdORUQ=\x07b", Style(bold=True)),
                   Segment(" \x9b2J\x1b[6n")])
    output = strip.render(Console())
    # the only ESC left are the bold style's own SGR codes, made after the guard
    assert output == "\x1b[1ma]52;c;UFdORUQ=b\x1b[0m 2J[6n"


def assert_clean(app: ExamSimApp, where: str) -> str:
    """No drawn segment holds a control character; returns the screen's text."""
    lines = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            found = RAW.search(segment.text)
            assert found is None, (where, y, segment.text)
        lines.append(strip.text)
    return "\n".join(lines)


class EvilHome:
    def __init__(self, root: Path) -> None:
        import tomli_w

        self.data = root / "data"
        banks = self.data / "banks"
        banks.mkdir(parents=True)
        (banks / "evil.json").write_text(__import__("json").dumps(evil_bank_data()),
                                         encoding="utf-8")
        (banks / "good.toml").write_text(tomli_w.dumps({
            "bank": {"id": "good"}, "questions": [{"id": "g1", "stem": "s",
                                                   "options": ["a", "b"], "answer": "A"}]}))
        self.history = History(history_db(self.data))
        self.services = AppServices(self.history, self.data, FakeClock(), cwd=root)

    def bank(self) -> Bank:
        found = self.services.find_bank("evil")
        assert found is not None
        return found

    def finished(self, mode: str = "exam") -> int:
        session = self.services.start(self.bank(), AttemptPlan(mode=mode, seed=1,
                                                                shuffle=False))
        session.toggle_flag()
        session.choose(0)
        session.submit()
        self.services.finish(session)
        attempt_id = self.services.attempt_id(session)
        assert attempt_id is not None
        return attempt_id


@pytest.fixture
def evil_home(tmp_path: Path) -> EvilHome:
    made = EvilHome(tmp_path)
    yield made
    made.history.close()


async def test_every_screen_shows_placeholders(evil_home: EvilHome) -> None:
    evil_home.finished()
    attempt_id = evil_home.finished()  # two attempts all wrong: a miss streak on the topic
    # one more in progress, for the home screen's "continue" list
    evil_home.services.start(evil_home.bank(), AttemptPlan(seed=2))
    app = make_app(evil_home.services, home=HomeScreen)
    async with app.run_test(size=(120, 60), notifications=True) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        home.select_bank("evil")
        await pilot.pause()
        text = assert_clean(app, "home")
        assert "Title ␛]0;PWN0␇" in text  # the bank and the attempt in progress
        app.screen.query_one("#home-banks").focus()
        home.select_bank("evil")
        await pilot.pause()
        text = assert_clean(app, "home, bank detail")
        assert "Description ␛" in text  # the detail of the selected bank

        app.notify(evil("Toast"), markup=False)
        await pilot.pause(0.3)
        text = assert_clean(app, "toast")
        assert "Toast ␛" in text

        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"title")
        await pilot.pause(0.3)
        assert_clean(app, "command palette")
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("enter")  # the start form of the selected bank
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        text = assert_clean(app, "start form")
        assert "Start: Title ␛" in text and "Networking ␛" in text
        await pilot.press("escape")
        await pilot.pause()

        app.push_screen(HistoryScreen(evil_home.history))
        await pilot.pause()
        assert "Title ␛" in assert_clean(app, "history")
        app.pop_screen()

        app.push_screen(StatsScreen(evil_home.history, "evil", bank=evil_home.bank()))
        for _ in range(400):  # the figures are read in workers (no time limit: load)
            await app.workers.wait_for_complete()
            await pilot.pause()
            if not app.screen.query("#stats-loading") and \
                    "reading" not in rendered_text(app.screen):
                break
        text = assert_clean(app, "stats")
        assert "Networking ␛" in text and "topic ␛" in text
        assert "wrong in a row on topic ␛" in text
        app.pop_screen()

        app.push_screen(ReviewScreen(evil_home.history, evil_home.bank(), attempt_id))
        await pilot.pause()
        text = assert_clean(app, "review")
        for label in ("Stem 1 ␛", "Option 1 ␛", "Why 1 ␛", "Explanation ␛", "Reference ␛",
                      "q1 ␛", "topics: topic"):  # (the topic's placeholders may wrap)
            assert label in text, label


async def test_exam_practice_and_results_show_placeholders(evil_home: EvilHome) -> None:
    session = evil_home.services.start(evil_home.bank(),
                                       AttemptPlan(mode="practice", seed=1, shuffle=False))
    app = make_app(evil_home.services, session)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        text = assert_clean(app, "exam")
        for label in ("Stem 1 ␛", "Option 1 ␛", "Option 3 ␛", "Networking ␛", "\\x9b2J",
                      "x␡y", "n␀n"):
            assert label in text, label
        await pilot.press("b", "enter")  # practice: check reveals the why, explanation, refs
        await pilot.pause()
        text = assert_clean(app, "practice feedback")
        for label in ("Why 2 ␛", "Explanation ␛", "Reference ␛"):
            assert label in text, label
        await pilot.press("r")  # the review grid
        await pilot.pause()
        assert_clean(app, "review grid")
        await pilot.press("escape", "ctrl+s")
        await pilot.pause()
        assert_clean(app, "end dialog")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        text = assert_clean(app, "results")
        assert "Results: Title ␛" in text and "Networking ␛" in text
