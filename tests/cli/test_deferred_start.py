"""`examsim run` records its attempt after the first frame, and never loses a change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events
from textual.screen import Screen

from examsim.commands.app import AppServices, make_app, record_after_paint
from examsim.core.assemble import AttemptPlan
from examsim.core.formats.native import load_bank
from examsim.core.session import ExamSession
from examsim.storage.history import History
from examsim.tui import app as tui_app
from examsim.tui.app import ExamSimApp
from examsim.tui.screens.exam import ExamScreen

SAMPLE = Path(__file__).resolve().parents[2] / "banks" / "sample.toml"


def started(tmp_path: Path) -> tuple[AppServices, ExamSession]:
    services = AppServices(History(tmp_path / "history.sqlite3"), tmp_path)
    session = ExamSession.start(load_bank(SAMPLE), AttemptPlan(seed=3))
    services.start_later(session)
    return services, session


def test_a_save_before_the_first_frame_records_the_attempt_with_the_change(
    tmp_path: Path,
) -> None:
    services, session = started(tmp_path)
    assert services.history.unfinished() == []
    session.choose(1)
    services.save(session)
    (attempt,) = services.history.unfinished()
    assert services.attempt_id(session) == attempt.id
    assert services.history.snapshot(attempt.id)["questions"][0]["chosen"]
    services.record_pending()  # the after-paint call finds nothing left to do
    assert len(services.history.unfinished()) == 1
    services.history.close()


def test_closing_records_an_attempt_never_saved(tmp_path: Path) -> None:
    services, session = started(tmp_path)
    session.choose(1)  # a change that no save has seen yet
    services.save_open()
    (attempt,) = services.history.unfinished()
    assert services.history.snapshot(attempt.id)["questions"][0]["chosen"]
    services.history.close()


def test_closing_an_attempt_with_nothing_done_leaves_nothing_to_resume(
    tmp_path: Path,
) -> None:
    services, session = started(tmp_path)
    services.record_pending()
    assert len(services.history.unfinished()) == 1
    session.next()  # moving about and time spent are not answers
    services.save(session)
    services.save_open()
    assert services.history.unfinished() == []
    assert services.history.attempts() == []
    services.history.close()


def test_an_attempt_with_a_flag_only_stays_resumable(tmp_path: Path) -> None:
    services, session = started(tmp_path)
    session.toggle_flag()  # something the user did: never lost
    services.save_open()
    assert len(services.history.unfinished()) == 1
    services.history.close()


async def test_the_app_records_the_attempt_after_its_first_refresh(tmp_path: Path) -> None:
    services, session = started(tmp_path)
    app = make_app(services, session)
    assert app.call_after_refresh(record_after_paint, app, services)
    async with app.run_test() as pilot:
        for _ in range(50):
            await pilot.pause(0.01)
            if services.history.unfinished():
                break
        assert len(services.history.unfinished()) == 1
        await pilot.press("b")  # a change after that is an autosave of the same attempt
        await pilot.pause()
        (attempt,) = services.history.unfinished()
        assert services.history.snapshot(attempt.id)["questions"][0]["chosen"]
    services.history.close()


class TypedAheadApp(ExamSimApp):
    """The app as `examsim run` builds it, with a key typed ahead: it is in the app's
    queue before anything the app queues itself while it starts (a key read from the
    terminal as Textual sets it up). Records the screen each key was handed to."""

    CSS_PATH = Path(tui_app.__file__).with_name(ExamSimApp.CSS_PATH)  # beside tui/app.py

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys_went_to: list[type[Screen[Any]]] = []

    def on_mount(self) -> None:
        self.post_message(events.Key("b", "b"))
        super().on_mount()

    async def on_event(self, event: events.Event) -> None:
        await super().on_event(event)  # Textual hands a key to the screen on top
        if isinstance(event, events.Key):
            self.keys_went_to.append(type(self.screen))


async def test_a_key_typed_before_the_exam_screen_opens_goes_to_it_and_is_saved(
    tmp_path: Path,
) -> None:
    """The first screen opens after Textual's startup batch (tui/app.py ``_open_first``,
    so that its first frame is not dropped); a key that comes before opens it first and
    goes to it, as when the screen was pushed in ``on_mount``."""
    services, session = started(tmp_path)
    app = TypedAheadApp(session, services=services, on_change=services.save,
                        on_finish=services.finish)
    async with app.run_test() as pilot:
        for _ in range(50):
            await pilot.pause(0.01)
            if session.touched:
                break
        assert app.keys_went_to[0] is ExamScreen
        assert [o.letter for o in session.view(0).options if o.chosen] == ["B"]
        (attempt,) = services.history.unfinished()  # the save recorded the attempt
        assert services.history.snapshot(attempt.id)["questions"][0]["chosen"]
    services.history.close()
