"""Drive the app with Pilot and save an SVG (and a PNG, when rsvg-convert is there) per screen.

Run from the repository root:  python screenshots/make.py [--bank banks/sample.toml]

The clock is frozen and the seed fixed, so the pictures only change when the screens do.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from examsim.commands.app import make_app
from examsim.core.assemble import AttemptPlan
from examsim.core.formats.native import load_bank
from examsim.core.session import ExamSession
from examsim.tui.widgets.timer import ExamTimer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = 4


class FrozenClock:
    def __init__(self, now: float = 10_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


Scene = Callable[[Pilot, ExamSession, FrozenClock], Awaitable[None]]


async def exam(pilot: Pilot, session: ExamSession, clock: FrozenClock) -> None:
    clock.now += 95


async def exam_strikes_flag(pilot: Pilot, session: ExamSession, clock: FrozenClock) -> None:
    await pilot.press("b", "n")
    clock.now += 140
    await pilot.press("A", "D", "m", "c", "2")


async def choose_two(pilot: Pilot, session: ExamSession, clock: FrozenClock) -> None:
    for position in range(session.count):
        if session.view(position).choose > 1:
            session.go(position)
            break
    pilot.app.screen.show_view()  # type: ignore[attr-defined]
    await pilot.press("a", "E")


async def practice_checked(pilot: Pilot, session: ExamSession, clock: FrozenClock) -> None:
    await pilot.press("c", "1", "enter")


async def review_grid(pilot: Pilot, session: ExamSession, clock: FrozenClock) -> None:
    await pilot.press("b", "n", "m", "n", "a", "n", "n", "d", "m", "r", "right", "right")


async def end_dialog(pilot: Pilot, session: ExamSession, clock: FrozenClock) -> None:
    await pilot.press("b", "n", "a", "m", "ctrl+s")


async def results(pilot: Pilot, session: ExamSession, clock: FrozenClock) -> None:
    for position in range(session.count):
        view = session.view(position)
        key = [o.display for o in view.options if o.in_key]
        wrong = [o.display for o in view.options if not o.in_key]
        session.go(position)
        for display in key if position % 3 else wrong[: view.choose]:
            session.choose(display)
    clock.now += 14 * 60 + 5
    await pilot.press("ctrl+s", "y")


async def exam_light(pilot: Pilot, session: ExamSession, clock: FrozenClock) -> None:
    """Strikes, a choice, the cursor and the flag in a light theme (they must all read)."""
    pilot.app.theme = "textual-light"
    await exam_strikes_flag(pilot, session, clock)
    await pilot.press("down")


async def help_screen(pilot: Pilot, session: ExamSession, clock: FrozenClock) -> None:
    await pilot.press("question_mark")


async def time_low(pilot: Pilot, session: ExamSession, clock: FrozenClock) -> None:
    await pilot.press("b", "n", "c")
    clock.now += (session.time_limit or 0) - 4 * 60
    pilot.app.screen.query_one(ExamTimer).update_time()


SCENES: list[tuple[str, str, Scene, tuple[int, int]]] = [
    ("exam", "exam", exam, (80, 24)),
    ("exam-strikes-flag", "exam", exam_strikes_flag, (80, 24)),
    ("exam-light", "exam", exam_light, (80, 24)),
    ("exam-choose-two", "exam", choose_two, (80, 24)),
    ("exam-time-low", "exam", time_low, (80, 24)),
    ("practice-checked", "practice", practice_checked, (80, 24)),
    ("review-grid", "exam", review_grid, (80, 24)),
    ("end-dialog", "exam", end_dialog, (80, 24)),
    ("results", "exam", results, (80, 24)),
    ("help", "exam", help_screen, (80, 24)),
    ("exam-60x20", "exam", exam_strikes_flag, (60, 20)),
    ("exam-wide", "practice", practice_checked, (120, 36)),
]


def recording(clock: FrozenClock) -> Any:
    """The app's services over a new history in a temporary folder (dates fixed), as
    `examsim run` records an attempt."""
    import tempfile
    from datetime import UTC, datetime

    from examsim.storage.history import History
    from examsim.storage.locations import history_db
    from examsim.tui.app_services import AppServices

    data = Path(tempfile.mkdtemp(prefix="examsim-screenshots-"))
    history = History(history_db(data), now=lambda: datetime(2025, 3, 14, 9, 30, tzinfo=UTC))
    return AppServices(history, data, clock, cwd=data)


async def shoot(bank_path: Path, out: Path) -> list[Path]:
    bank = load_bank(bank_path)
    saved = []
    for name, mode, scene, size in SCENES:
        clock = FrozenClock()
        plan = AttemptPlan(mode=mode, seed=SEED)  # type: ignore[arg-type]
        services = recording(clock)
        session = services.start(bank, plan)
        app = make_app(services, session)
        saved.append(await capture(app, size, out, name,
                                   lambda pilot, f=scene, s=session, c=clock: f(pilot, s, c)))
    return saved


async def capture(
    app: App[Any], size: tuple[int, int], out: Path, name: str,
    act: Callable[[Pilot], Awaitable[object]],
) -> Path:
    """Run ``app`` at ``size``, do ``act``, let it settle and save ``out/name.svg``."""
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await act(pilot)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        app.save_screenshot(f"{name}.svg", str(out))
    return out / f"{name}.svg"


def to_png(svg: Path) -> Path | None:
    """PNG through rsvg-convert; spaces are preserved so leading blanks keep their width."""
    tool = shutil.which("rsvg-convert")
    if tool is None:
        return None
    text = svg.read_text(encoding="utf-8").replace("<svg ", '<svg xml:space="preserve" ', 1)
    png = svg.with_suffix(".png")
    subprocess.run([tool, "-o", str(png)], input=text.encode("utf-8"), check=True)
    return png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", type=Path, default=ROOT / "banks" / "sample.toml")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    svgs = asyncio.run(shoot(args.bank, args.out))
    svgs += asyncio.run(shoot_home(args.out))
    svgs += asyncio.run(shoot_history_screens(args.out))
    svgs += asyncio.run(shoot_aws(args.out))
    pngs = [to_png(svg) for svg in svgs]
    for svg, png in zip(svgs, pngs, strict=True):
        print(svg.relative_to(ROOT) if svg.is_relative_to(ROOT) else svg,
              "+ png" if png else "(no rsvg-convert: no png)")
    return 0


async def shoot_aws(out: Path) -> list[Path]:
    """The AWS practice exam: a full exam's score report, and a stem with the reading aid."""
    bank = load_bank(ROOT / "banks" / "aws-sap-practice-1.toml")

    async def reading_aid(pilot: Pilot, session: ExamSession, clock: FrozenClock) -> None:
        """A short stem that asks for the MOST cost-effective design, with figures."""
        wanted = [p for p in range(1, session.count)
                  if "cost-effective" in session.view(p).question.stem]
        shortest = min(wanted, key=lambda p: len(session.view(p).question.stem))
        session.go(shortest - 1)
        await pilot.press("n", "u")

    saved = []
    for name, scene, size in (("aws-score-report", results, (100, 40)),
                              ("exam-reading-aid", reading_aid, (100, 30))):
        clock = FrozenClock()
        services = recording(clock)
        session = services.start(bank, AttemptPlan(seed=SEED))
        app = make_app(services, session)
        saved.append(await capture(app, size, out, name,
                                   lambda pilot, f=scene, s=session, c=clock: f(pilot, s, c)))
    return saved


async def shoot_home(out: Path) -> list[Path]:
    """The home screen (bundled banks, scores, an attempt in progress) and the start form.

    History lives in a fixed temporary folder with a fixed date, so the pictures repeat.
    """
    import tempfile
    from datetime import UTC, datetime

    from examsim.storage.history import History
    from examsim.storage.locations import history_db
    from examsim.tui.app_services import AppServices
    from examsim.tui.screens.home import HomeScreen

    data = Path(tempfile.gettempdir()) / "examsim-screenshots"
    shutil.rmtree(data, ignore_errors=True)
    clock = FrozenClock()
    history = History(history_db(data), now=lambda: datetime(2025, 3, 14, 9, 30, tzinfo=UTC))
    services = AppServices(history, data, clock, cwd=data)
    bank = services.find_bank("sample")
    assert bank is not None
    for right in (7, 10):
        session = services.start(bank, AttemptPlan(seed=SEED))
        for position in range(session.count):
            session.go(position)
            options = session.view().options
            pick = [o for o in options if o.in_key == (position < right)]
            for option in pick[: session.view().choose]:
                session.choose(option.display)
        clock.now += 11 * 60
        session.submit()
        services.finish(session)
    session = services.start(bank, AttemptPlan(seed=SEED + 1))
    for _ in range(4):
        session.choose(0)
        session.next()
    session.toggle_flag()
    clock.now += 5 * 60 + 20
    services.save(session)

    scenes = [("home", (), (80, 24)), ("home-start-form", ("tab", "down", "enter"), (80, 24)),
              ("home-wide", (), (120, 36))]
    saved = []
    for name, keys, size in scenes:
        app = make_app(services, home=HomeScreen)
        saved.append(await capture(app, size, out, name,
                                   lambda pilot, keys=keys: pilot.press(*keys)))
    history.close()
    return saved


async def shoot_history_screens(out: Path) -> list[Path]:
    """Review, stats and history screens and the command palette, after three attempts
    of the sample bank (history in a fixed temporary folder, dates fixed and shown in UTC).
    """
    import os
    import tempfile
    import time
    from datetime import UTC, datetime, timedelta

    from textual.widgets import Input

    from examsim.storage.history import History
    from examsim.storage.locations import history_db
    from examsim.tui.app_services import AppServices
    from examsim.tui.screens.history import HistoryScreen
    from examsim.tui.screens.home import HomeScreen
    from examsim.tui.screens.review import ReviewScreen
    from examsim.tui.screens.stats import StatsScreen

    os.environ["TZ"] = "UTC"
    time.tzset()
    data = Path(tempfile.gettempdir()) / "examsim-screenshots-history"
    shutil.rmtree(data, ignore_errors=True)
    clock = FrozenClock()
    stamps = iter(datetime(2025, 3, 10, 18, 0, tzinfo=UTC) + timedelta(days=day, minutes=m)
                  for day in range(3) for m in range(0, 1000, 10))
    history = History(history_db(data), now=lambda: next(stamps))
    services = AppServices(history, data, clock, cwd=data)
    bank = services.find_bank("sample")
    assert bank is not None
    wrong = [{0, 4, 5, 8, 9, 10, 11}, {4, 6, 9, 10, 11}, {6, 9, 11}]  # bank positions
    for attempt, misses in enumerate(wrong):
        session = services.start(bank, AttemptPlan(seed=SEED + attempt, shuffle=False))
        for position in range(session.count):
            session.go(position)
            view = session.view()
            options = [o for o in view.options if o.in_key != (position in misses)]
            if position in (1, 3, 7, 10):  # strike an option not picked (some in the key)
                spare = [o for o in view.options if o not in options[: view.choose]]
                session.toggle_strike(spare[0 if position < 7 else -1].display)
            if position in (5, 9):
                session.toggle_flag()
            for option in options[: view.choose]:
                session.choose(option.display)
            clock.now += 40 + 7 * position
        session.submit()
        services.finish(session)
    last = history.last_finished()
    assert last is not None

    async def stats(pilot: Pilot) -> None:
        pilot.app.push_screen(StatsScreen(history, bank.id, bank))
        await settle(pilot)

    async def settle(pilot: Pilot) -> None:
        for _ in range(50):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    async def stats_topics(pilot: Pilot) -> None:
        await stats(pilot)
        await pilot.press("end")

    async def review(pilot: Pilot) -> None:
        pilot.app.push_screen(ReviewScreen(history, bank, last.id))
        await pilot.pause()

    async def review_wrong(pilot: Pilot) -> None:
        await review(pilot)
        await pilot.press("2", "down")

    async def history_list(pilot: Pilot) -> None:
        pilot.app.push_screen(HistoryScreen(history))
        await pilot.pause()

    async def export(pilot: Pilot) -> None:
        await history_list(pilot)
        await pilot.press("e")
        await pilot.pause()
        pilot.app.screen.query_one(Input).cursor_blink = False

    async def palette(pilot: Pilot) -> None:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)

    scenes = [("stats", stats, (80, 24)), ("stats-topics", stats_topics, (80, 24)),
              ("stats-wide", stats, (120, 40)), ("review", review, (80, 24)),
              ("review-wrong", review_wrong, (80, 24)), ("history", history_list, (80, 24)),
              ("history-export", export, (80, 24)), ("palette", palette, (80, 24))]
    saved = []
    for name, scene, size in scenes:
        app = make_app(services, home=HomeScreen)
        saved.append(await capture(app, size, out, name, scene))
    history.close()
    return saved


if __name__ == "__main__":
    sys.exit(main())
