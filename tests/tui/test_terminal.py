"""The terminal going away (tui/terminal.py): output never blocks, the hang-up ends the
process in time. The tmux e2e tests (tests/e2e/test_hangup_e2e.py) run the real thing."""

from __future__ import annotations

import io
import signal
import sys
import threading
import time

import pytest
from textual.drivers._writer_thread import MAX_QUEUED_WRITES, WriterThread

from examsim.tui.terminal import HangUp, SafeWriterThread

unix_only = pytest.mark.skipif(sys.platform == "win32", reason="Textual's LinuxDriver")


class GoneTerminal(io.StringIO):
    """A terminal that hung up: every write fails with EIO."""

    def write(self, text: str) -> int:
        raise OSError(5, "Input/output error")


class StuckTerminal(io.StringIO):
    """A terminal that stopped reading: a write waits until released."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def write(self, text: str) -> int:
        self.release.wait(30)
        return len(text)


def run_bounded(action, seconds: float = 5.0) -> float:
    """Run ``action`` in a thread; fail when it does not return within ``seconds``."""
    done = threading.Event()
    start = time.monotonic()

    def target() -> None:
        action()
        done.set()

    threading.Thread(target=target, daemon=True).start()
    assert done.wait(seconds), "blocked"
    return time.monotonic() - start


def test_a_terminal_gone_never_blocks_a_writer() -> None:
    """Textual's writer thread dies on the first EIO, its queue fills and the next write
    (or the stop at exit) waits for ever; ours drops output and keeps emptying it."""
    writer = SafeWriterThread(GoneTerminal())
    writer.start()

    def write_a_lot() -> None:
        for _ in range(MAX_QUEUED_WRITES * 10):
            writer.write("frame")
        writer.stop()

    run_bounded(write_a_lot)
    assert writer.discard and not writer.is_alive()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_textuals_writer_blocks_where_ours_does_not() -> None:
    """The cause, shown: with Textual's own thread the same writes do not finish."""
    writer = WriterThread(GoneTerminal())
    writer.start()
    done = threading.Event()

    def write_a_lot() -> None:
        for _ in range(MAX_QUEUED_WRITES * 2):
            writer.write("frame")
        done.set()

    thread = threading.Thread(target=write_a_lot, daemon=True)
    thread.start()
    assert not done.wait(1.0)  # stuck on the full queue (a daemon thread: left there)


def test_a_terminal_that_does_not_read_blocks_only_until_given_up() -> None:
    terminal = StuckTerminal()
    writer = SafeWriterThread(terminal)
    writer.start()
    try:
        writer.give_up_after(0.3)

        def write_then_stop() -> None:
            for _ in range(MAX_QUEUED_WRITES * 3):
                writer.write("frame")
            writer.stop()

        took = run_bounded(write_then_stop)
        assert took < 3.0
        assert writer.discard
    finally:
        terminal.release.set()


def test_stop_writes_what_is_queued_when_the_terminal_reads() -> None:
    terminal = io.StringIO()
    writer = SafeWriterThread(terminal)
    writer.start()
    for n in range(100):
        writer.write(f"{n},")
    writer.stop()
    assert not writer.is_alive()
    assert terminal.getvalue() == "".join(f"{n}," for n in range(100))


@unix_only
def test_the_driver_runs_our_writer_and_ignores_a_stray_sigcont() -> None:
    from examsim.tui.terminal import SafeLinuxDriver

    driver = SafeLinuxDriver.__new__(SafeLinuxDriver)  # no terminal, no signal handlers
    driver._file = io.StringIO()
    driver._writer_thread = WriterThread(driver._file)  # as start_application_mode does
    assert isinstance(driver._writer_thread, SafeWriterThread)
    resumed = []
    driver.resume_application_mode = lambda: resumed.append(True)
    driver._auto_restart = True
    driver._must_signal_resume = False
    driver._sigcont_application(signal.SIGCONT, None)  # sent with a hang-up: ignored
    assert resumed == []
    driver._must_signal_resume = True  # after our own SIGTSTP (ctrl+z): resume
    driver._sigcont_application(signal.SIGCONT, None)
    assert resumed == [True]
    driver.hang_up(0.0)
    assert driver._auto_restart is False
    assert driver._writer_thread.give_up_at is not None


class FakeLoop:
    def __init__(self) -> None:
        self.calls: list[object] = []

    def call_soon_threadsafe(self, callback: object) -> None:
        self.calls.append(callback)


def test_a_hang_up_saves_on_the_loop_and_ends_the_process_in_time() -> None:
    exited: list[int] = []
    gone = threading.Event()

    def exit_now(code: int) -> None:
        exited.append(code)
        gone.set()

    class Driver:
        told = 0

        def hang_up(self) -> None:
            Driver.told += 1

    def save_and_exit() -> None:
        pass

    hang_up = HangUp(save_and_exit, Driver, grace=0.2, exit_now=exit_now)
    hang_up._loop = FakeLoop()
    hang_up._watchdog.start()
    assert not gone.wait(0.3)  # no signal: the watchdog waits
    start = time.monotonic()
    hang_up.handle(signal.SIGHUP)
    hang_up.handle(signal.SIGTERM)  # a second signal changes nothing
    assert hang_up._loop.calls == [save_and_exit]
    assert Driver.told == 1
    assert gone.wait(5)
    assert time.monotonic() - start >= 0.2
    assert exited == [128 + signal.SIGHUP]


def test_a_hang_up_after_the_loop_closed_still_ends() -> None:
    exited: list[int] = []

    class ClosedLoop:
        def call_soon_threadsafe(self, callback: object) -> None:
            raise RuntimeError("Event loop is closed")

    hang_up = HangUp(lambda: None, lambda: None, grace=0.0, exit_now=exited.append)
    hang_up._loop = ClosedLoop()
    hang_up._watchdog.start()
    hang_up.handle(signal.SIGTERM)  # must not raise into the code it interrupted
    hang_up._watchdog.join(5)
    assert exited == [128 + signal.SIGTERM]


SIGNAL_ON_ANOTHER_THREAD = r"""
import asyncio, os, signal, sys, time
from examsim.tui.terminal import HangUp

async def main():
    done = asyncio.get_running_loop().create_future()
    hang_up = HangUp(lambda: done.set_result("saved"), lambda: None, grace=0.3)
    assert hang_up.install()
    # The kernel may give a process-wide signal to any thread: here it can only be the
    # watchdog's, while the main thread sleeps in epoll_wait with nothing scheduled.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGHUP})
    os.kill(os.getpid(), signal.SIGHUP)
    print(await asyncio.wait_for(done, 30), flush=True)
    time.sleep(30)  # stuck after the save: the watchdog ends the process

asyncio.run(main())
"""


@unix_only
def test_a_hang_up_taken_by_another_thread_still_wakes_the_loop_and_ends() -> None:
    """Seen in CI: the SIGHUP landed on a thread other than the main one while the main
    thread slept in epoll_wait (an idle results screen); Python's handler waited for a
    wake-up that never came. The wake-up pipe read by the watchdog starts the steps."""
    import subprocess

    start = time.monotonic()
    result = subprocess.run([sys.executable, "-c", SIGNAL_ON_ANOTHER_THREAD],
                            capture_output=True, text=True, timeout=25, check=False)
    assert result.stdout.strip() == "saved", result.stderr
    assert result.returncode == 128 + signal.SIGHUP
    assert time.monotonic() - start < 20
