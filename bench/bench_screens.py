"""How long the stats, history and review screens take to open with 1,000 attempts.

    python bench/bench_screens.py [ATTEMPTS] [QUESTIONS]

Builds a history of ATTEMPTS finished attempts x QUESTIONS answers (bench_stats.generate,
then every answer points at a stored question version of a 400-question bank, so the
review finds stems, options and the bank's whys), then times, headless, in one app run
each: from ``push_screen`` to the first frame drawn with the content ("first paint":
stats with its worker's figures, history with its first rows, review with the list and
the first question's detail), and to the app idle after it ("settled": every history row
in, which go a chunk per refresh). Baseline, measured the same way in the same run:
pushing a screen with one Static. Also the stats figures read on their own
(``load_stats``, what the worker does off the UI thread). Medians of REPEAT runs.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_stats import BANK_QUESTIONS, DOMAINS, TOPICS, generate
from textual.app import App
from textual.screen import Screen
from textual.widgets import Static

from examsim.core.bank import Bank
from examsim.core.bank_model import validate_bank
from examsim.storage.history import History
from examsim.storage.records import question_hash, question_record
from examsim.tui.app import ExamSimApp
from examsim.tui.app_services import AppServices
from examsim.tui.screens.history import AttemptTable, HistoryScreen
from examsim.tui.screens.review import ReviewScreen
from examsim.tui.screens.stats import StatsScreen, load_glance, load_stats
from examsim.tui.widgets.review_detail import ReviewDetail

REPEAT = 9
SIZE = (100, 40)


def big_bank() -> Bank:
    """400 questions with the ids, domains and topics bench_stats.generate uses."""
    questions = []
    for i in range(BANK_QUESTIONS):
        questions.append({
            "id": f"q-{i:04d}", "domain": DOMAINS[i % 4], "topics": [TOPICS[i % 60]],
            "stem": f"Question {i}: " + "a realistic stem of some length " * 8,
            "options": [{"text": f"Option {k} of question {i}", "why": f"Why {k}."}
                        for k in "ABCDE"],
            "answer": ["A"], "explanation": "An explanation. " * 10,
            "references": ["https://docs.example/ref"],
        })
    return validate_bank({
        "bank": {"id": "big", "title": "Big bank", "time_limit": 180, "pass_percent": 75},
        "domains": [{"id": d, "name": f"Domain {d}", "weight": 25} for d in DOMAINS],
        "questions": questions,
    })


def link_questions(path: Path, bank: Bank) -> None:
    """Point every answer at a stored version of its bank question (as finish() does)."""
    with History(path) as history:
        conn = history._conn
        conn.execute("BEGIN")
        for question in bank.questions:
            conn.execute("INSERT OR IGNORE INTO questions VALUES (?, ?, ?, ?, ?)",
                         question_record(question))
            conn.execute("UPDATE answers SET question_hash = ? WHERE question_id = ?",
                         (question_hash(question), question.id))
        conn.execute("COMMIT")


class Baseline(Screen[None]):
    def compose(self):
        yield Static("One line of text.")


Ready = Callable[[Screen], bool]


async def open_time(app: App, make: Callable[[], Screen], ready: Ready) -> dict[str, list[float]]:
    """Milliseconds from push_screen to the first frame drawn with the screen ready
    ("first paint"), and to the app idle after it ("settled": chunks, workers), REPEAT
    times. Frames are caught where the app hands them to the terminal (App._display,
    called headless too)."""
    paint, settled = [], []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        display = app._display
        for _ in range(REPEAT):
            screen = make()
            painted = asyncio.Event()
            stamps: list[float] = []

            def spy(shown: Screen, renderable: object, screen: Screen = screen,
                    stamps: list[float] = stamps, painted: asyncio.Event = painted) -> None:
                display(shown, renderable)  # type: ignore[arg-type]
                if shown is screen and renderable is not None and not stamps \
                        and ready(screen):
                    stamps.append(time.perf_counter())
                    painted.set()

            app._display = spy  # type: ignore[method-assign]
            start = time.perf_counter()
            await app.push_screen(screen)
            await asyncio.wait_for(painted.wait(), 60)
            paint.append((stamps[0] - start) * 1000)
            await app.workers.wait_for_complete()
            await pilot.pause()
            settled.append((time.perf_counter() - start) * 1000)
            app._display = display  # type: ignore[method-assign]
            await app.pop_screen()
            await pilot.pause()
    return {"paint": paint, "settled": settled}


def stats_ready(screen: Screen) -> bool:
    return isinstance(screen, StatsScreen) and screen.data is not None \
        and not screen.query("#stats-loading")


def history_ready(screen: Screen) -> bool:
    return screen.query_one(AttemptTable).row_count > 0


def review_ready(screen: Screen) -> bool:
    return screen.query_one(ReviewDetail).item is not None


async def measure(
    history: History, bank: Bank, attempt_id: int
) -> dict[str, dict[str, list[float]]]:
    def app() -> ExamSimApp:  # the services over this history, its folder as the data dir
        return ExamSimApp(services=AppServices(history, history.path.parent))

    figures = {
        "baseline: a screen with one Static": await open_time(App(), Baseline,
                                                              lambda screen: True),
        "stats screen (figures on screen)": await open_time(
            app(), lambda: StatsScreen(history, "big", bank), stats_ready),
        "history screen (1,000 attempts)": await open_time(
            app(), lambda: HistoryScreen(history), history_ready),
        "review screen (75 questions)": await open_time(
            app(), lambda: ReviewScreen(history, bank, attempt_id), review_ready),
        "review screen, bank file gone": await open_time(
            app(), lambda: ReviewScreen(history, None, attempt_id), review_ready),
    }
    glance, loads = [], []
    for _ in range(REPEAT):
        start = time.perf_counter()
        load_glance(history, "big")
        glance.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        load_stats(history, "big")
        loads.append((time.perf_counter() - start) * 1000)
    figures["stats read: the glance (worker, step 1)"] = {"paint": glance, "settled": glance}
    figures["stats read: everything (steps 1 and 2)"] = {"paint": loads, "settled": loads}
    return figures


def main(attempts: int = 1000, per_attempt: int = 75) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.sqlite3"
        generate(path, attempts, per_attempt)
        bank = big_bank()
        link_questions(path, bank)
        with History(path) as history:
            figures = asyncio.run(measure(history, bank, attempts // 2))
    medians = {name: {kind: statistics.median(times) for kind, times in runs.items()}
               for name, runs in figures.items()}
    base = medians["baseline: a screen with one Static"]
    print(f"{attempts:,} attempts x {per_attempt} answers; median of {REPEAT} openings, "
          f"headless, {SIZE[0]}x{SIZE[1]}; ms from push_screen\n")
    print(f"{'':40} {'first paint':>11} {'x base':>7} {'settled':>9} {'x base':>7}")
    for name, ms in medians.items():
        print(f"{name:40} {ms['paint']:11.1f} {ms['paint'] / base['paint']:7.1f} "
              f"{ms['settled']:9.1f} {ms['settled'] / base['settled']:7.1f}")
    print("\nRESULTS " + json.dumps(
        {name: {k: round(v, 2) for k, v in ms.items()} for name, ms in medians.items()}))
    return medians


if __name__ == "__main__":
    numbers = [int(arg) for arg in sys.argv[1:3]]
    main(*numbers)
