"""`examsim run` records its attempt after the first frame, and never loses a change."""

from __future__ import annotations

from pathlib import Path

from examsim.commands.app import AppServices, make_app, record_after_paint
from examsim.core.assemble import AttemptPlan
from examsim.core.formats.native import load_bank
from examsim.core.session import ExamSession
from examsim.storage.history import History

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
