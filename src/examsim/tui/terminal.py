"""The terminal going away: a driver whose output never blocks the exit, and the hang-up.

Why (issue #10/#13, seen with gdb on a process left alive after ``tmux kill-session``):
Textual's ``LinuxDriver`` writes through a ``WriterThread`` fed by a queue of 30 chunks.
When the terminal is gone, the thread's ``write`` raises ``OSError`` (EIO) and the thread
dies; the app keeps queueing frames until the queue is full, and then the main thread
waits for ever in ``queue.put`` (``LinuxDriver.close -> WriterThread.stop``). Waiting
there, it never returns to the asyncio loop, so a SIGTERM handled by the loop is never
run either. A SIGCONT (the kernel sends one with the hang-up) also made Textual start
"application mode" again without having stopped it: a second writer thread, and a
second input thread.

What examsim does instead:

- :class:`SafeWriterThread` survives a failed write: from then on it drops output and
  keeps emptying its queue, so no ``write`` waits on it. Once the app is told to hang up
  (:meth:`SafeWriterThread.give_up_after`), a full queue (a terminal that does not read)
  drops output after that moment instead of waiting, and ``stop`` waits a bounded time.
- :class:`SafeLinuxDriver` uses that thread and answers SIGCONT only after its own
  SIGTSTP (ctrl+z), as Textual means it to.
- :class:`HangUp`: SIGHUP and SIGTERM are caught by a plain signal handler (it runs in
  the main thread even when that waits on a lock). It bounds the output, asks the app to
  save and exit on its loop, and starts the last resort: if the process still runs
  :data:`GRACE` seconds after the signal, ``os._exit``.
  Python runs a signal handler only in the main thread, and only when that thread runs
  Python code; the kernel may deliver the signal to any thread. When it lands on another
  thread while the main thread sleeps in ``epoll_wait`` with nothing scheduled (an idle
  results screen has no timer), the handler waits for the next wake-up: seen in CI, 1 in
  20 closes under load, the process alive for ever. So the signal also reaches a *wake-up
  pipe* (``signal.set_wakeup_fd``: Python's C-level handler writes the signal number
  there at once, from whichever thread took it), and the watchdog thread reads that pipe:
  it starts the same steps without waiting for the main thread. Every answer is saved when it is
  made (one committed transaction per change), so the last resort loses at most the
  clock time since the last save (the app's exit saves it first when it gets there), and
  SQLite keeps an interrupted write atomic. The attempt's lock (storage/lease.py) is
  dropped by the kernel with the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import select
import signal
import threading
import time
from collections.abc import Callable
from typing import IO, Any

from textual.drivers._writer_thread import WriterThread

GRACE = 1.5  # seconds from SIGHUP/SIGTERM to the process ending, whatever happens
OUTPUT_WAIT = 0.5  # after a hang-up: how long output may still wait for the terminal
POLL = 0.05
WAKEUP_POLL = 0.5  # the wake-up pipe: a signal writes to it; the timeout only ends the thread


class SafeWriterThread(WriterThread):
    """Textual's writer thread, but a failed or stalled terminal never blocks a writer."""

    def __init__(self, file: IO[str]) -> None:
        super().__init__(file)
        self.discard = False  # True: the terminal is gone; output is dropped
        self.give_up_at: float | None = None  # monotonic: a full queue drops output then

    def give_up_after(self, seconds: float) -> None:
        """From now on a write waits at most until ``seconds`` from now."""
        at = time.monotonic() + seconds
        self.give_up_at = at if self.give_up_at is None else min(self.give_up_at, at)

    def _stalled(self) -> bool:
        if self.discard:
            return True
        if self.give_up_at is not None and time.monotonic() >= self.give_up_at:
            self.discard = True
            return True
        return False

    def write(self, text: str) -> None:
        while not self._stalled():
            try:
                self._queue.put(text, timeout=POLL)
                return
            except queue.Full:
                continue

    def run(self) -> None:
        get = self._queue.get
        while True:
            text = get()
            if text is None:
                break
            if self.discard:
                continue  # keep emptying the queue: nobody waits on a full one
            try:
                self._file.write(text)
                if self._queue.qsize() == 0:
                    self._file.flush()
            except (OSError, ValueError):  # EIO: the terminal is gone; ValueError: closed
                self.discard = True
        if not self.discard:
            try:
                self._file.flush()
            except (OSError, ValueError):
                self.discard = True

    def stop(self) -> None:
        """Stop the thread: waits for the output to be written, but never for ever."""
        if not self.is_alive():
            return
        self.give_up_after(OUTPUT_WAIT * 2)
        while True:
            try:
                self._queue.put(None, timeout=POLL)
                break
            except queue.Full:
                if self._stalled():
                    self._drain()
        assert self.give_up_at is not None
        self.join(max(0.0, self.give_up_at - time.monotonic()) + POLL)

    def _drain(self) -> None:
        """Empty the queue (the terminal does not take output): room for the stop."""
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            pass


def _linux_driver() -> type[Any]:
    from textual.drivers.linux_driver import LinuxDriver

    return LinuxDriver


try:
    _LinuxDriver: type[Any] = _linux_driver()
except ImportError:  # no termios (Windows): Textual's own driver is used there
    _LinuxDriver = object


def safe_driver_class(base: type[Any]) -> type[Any]:
    """The driver examsim uses in place of Textual's ``base`` (itself when not Linux's)."""
    if _LinuxDriver is object or base is not _LinuxDriver:
        return base
    return SafeLinuxDriver


# the base is LinuxDriver, or object where there is none (typed Any for mypy)
class SafeLinuxDriver(_LinuxDriver):
    """Textual's LinuxDriver with :class:`SafeWriterThread` and a SIGCONT that only
    resumes what a SIGTSTP suspended."""

    @property  # LinuxDriver's attribute, made a property
    def _writer_thread(self) -> SafeWriterThread | None:
        return self.__dict__.get("_safe_writer")

    @_writer_thread.setter
    def _writer_thread(self, thread: WriterThread | None) -> None:
        # start_application_mode makes a WriterThread(self._file) and starts it: ours runs
        if thread is not None and not isinstance(thread, SafeWriterThread):
            thread = SafeWriterThread(self._file)
        self.__dict__["_safe_writer"] = thread

    def _sigcont_application(self, *args: Any) -> None:
        # Textual restarts application mode on any SIGCONT; the kernel sends one with a
        # hang-up: that made a second writer thread (and input thread) while running.
        if self._must_signal_resume:
            super()._sigcont_application(*args)

    def hang_up(self, seconds: float = OUTPUT_WAIT) -> None:
        """The terminal is going: output waits at most ``seconds`` more; no restart."""
        self._auto_restart = False
        writer = self._writer_thread
        if writer is not None:
            writer.give_up_after(seconds)


class HangUp:
    """SIGHUP / SIGTERM: bound the output, save and exit on the loop, and make sure the
    process ends within :data:`GRACE` seconds.

    ``on_signal`` is called on the app's loop (save, then exit); ``driver`` returns the
    running driver (or None). Install from the main thread. The steps start once, from
    whichever comes first: the Python handler (main thread) or the watchdog thread reading
    the wake-up pipe."""

    SIGNALS = ("SIGHUP", "SIGTERM")

    def __init__(
        self,
        on_signal: Callable[[], object],
        driver: Callable[[], Any],
        *,
        grace: float = GRACE,
        exit_now: Callable[[int], object] = os._exit,
    ) -> None:
        self.on_signal = on_signal
        self.driver = driver
        self.grace = grace
        self.exit_now = exit_now
        self.signum: int | None = None
        self._signalled = threading.Event()
        self._first = threading.Lock()  # held for good by the first to start the steps
        self._loop: Any = None
        self._wakeup: int | None = None  # read end of the wake-up pipe
        self._watchdog = threading.Thread(target=self._watch, name="examsim-hangup",
                                          daemon=True)

    @property
    def signums(self) -> set[int]:
        return {int(getattr(signal, name)) for name in self.SIGNALS if hasattr(signal, name)}

    def install(self) -> bool:
        """Catch the signals (False where that is not possible)."""

        try:
            self._loop = asyncio.get_running_loop()
            self._wakeup = self._wakeup_pipe()  # first: no signal may miss it
            for signum in self.signums:
                signal.signal(signum, self.handle)
        except (RuntimeError, ValueError, OSError):  # not the main thread, no loop
            return False
        self._watchdog.start()
        return True

    @staticmethod
    def _wakeup_pipe() -> int | None:
        """A pipe Python's C-level handler writes every caught signal's number to; returns
        its read end (None where the platform has no such thing)."""
        read, write = os.pipe()
        os.set_blocking(write, False)  # set_wakeup_fd wants it so; a full pipe drops bytes
        try:
            signal.set_wakeup_fd(write, warn_on_full_buffer=False)
        except (ValueError, OSError):
            os.close(read)
            os.close(write)
            return None
        return read

    def handle(self, signum: int, frame: object = None) -> None:
        """The signal handler: runs in the main thread between two bytecodes, so it only
        sets things in motion (a save here could land in the middle of another one)."""
        self._start(signum)

    def _start(self, signum: int) -> None:
        """Set the steps in motion, once (a second signal changes nothing)."""
        if not self._first.acquire(blocking=False):
            return  # the first one is being handled; the watchdog ends it in time
        self.signum = signum
        self._signalled.set()
        # a handler must not raise into the code it interrupted
        with contextlib.suppress(Exception):
            driver = self.driver()
            if driver is not None and callable(getattr(driver, "hang_up", None)):
                driver.hang_up()
        # a closed loop (the app has ended): the watchdog ends the process.
        # call_soon_threadsafe also wakes a loop asleep in epoll_wait.
        with contextlib.suppress(RuntimeError, AttributeError):
            self._loop.call_soon_threadsafe(self.on_signal)

    def _read_wakeups(self) -> None:
        """Until one of our signals arrives, read the wake-up pipe and start the steps
        (other caught signals, SIGWINCH, SIGCONT..., write there too and are skipped)."""
        if self._wakeup is None:
            return
        wanted = self.signums
        while not self._signalled.is_set():
            try:
                ready, _, _ = select.select([self._wakeup], [], [], WAKEUP_POLL)
                if not ready:
                    continue
                data = os.read(self._wakeup, 64)
            except InterruptedError:
                continue
            except (OSError, ValueError):
                return
            if not data:
                return
            for signum in data:
                if signum in wanted:
                    self._start(signum)
                    return

    def _watch(self) -> None:
        # A signal caught by the Python handler wrote to the pipe too (the C-level handler
        # writes first), so reading the pipe misses none; without a pipe: the event.
        self._read_wakeups()
        self._signalled.wait()
        time.sleep(self.grace)
        # still running: something waits that will not come back (a terminal that is
        # gone, a stuck thread). Everything the user did is saved already.
        self.exit_now(128 + (self.signum or signal.SIGTERM))
