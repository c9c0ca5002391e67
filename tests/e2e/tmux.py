"""Drive a real terminal program in tmux: start it, send keys, read the screen, wait for text.

Every wait polls ``capture-pane`` (every 50 ms, up to a generous timeout) for what the
test expects to see, so no test sleeps a fixed time or depends on the machine's speed.

No examsim outlives its test: killing a session waits (up to :data:`GONE_WAIT`) for the
examsim processes it ran to end, kills with SIGKILL any still there and records them in
:data:`LEFT_BEHIND`; the e2e conftest fails the test that left one, and also looks for any
examsim process that runs with the test's data dir (:func:`examsim_processes`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

TIMEOUT = 20.0
POLL = 0.05
SOCKET = "examsim-e2e"  # a tmux server of our own: never the user's sessions
TMUX = ("tmux", "-u", "-L", SOCKET)
GONE_WAIT = 5.0  # how long a killed session's examsim may take to end (it takes < 2 s)

LEFT_BEHIND: list[str] = []  # examsim processes that outlived their session (then killed)
LIVE: set[Tmux] = set()  # sessions started and not killed yet


def examsim_command() -> Path:
    """The ``examsim`` script installed beside the running interpreter."""
    return Path(sys.executable).with_name("examsim")


def have_tmux() -> bool:
    return shutil.which("tmux") is not None


class Tmux:
    """One tmux session running one command; use as a context manager (kills it at exit)."""

    def __init__(
        self,
        command: Sequence[str | Path],
        *,
        env: Mapping[str, str],
        cwd: Path,
        size: tuple[int, int] = (100, 30),
        prefix: str = "examsim-e2e",
    ) -> None:
        self.name = f"{prefix}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.command = [str(part) for part in command]
        self.env = dict(env)
        self.cwd = cwd
        self.size = size
        self.started = False
        self.programs: set[int] = set()  # examsim pids seen running in this session

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> Tmux:
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in self.env.items())
        # COLUMNS and LINES out: a program that reads them (Textual does) would size
        # itself to them, not to the pane (under pytest they were 80 and 24, set at the C
        # level where os.environ does not show them, so every pane ran at 80x24)
        shell = (f"cd {shlex.quote(str(self.cwd))} && env -u COLUMNS -u LINES {exports} "
                 f"{shlex.join(self.command)}; echo \"[exited $?]\"; sleep 600")
        width, height = self.size
        command = [*TMUX, "new-session", "-d", "-x", str(width), "-y", str(height),
                   "-s", self.name, shell]
        # When the previous test killed the server's last session, the server exits on
        # its own, and a new-session that reaches it then fails ("server exited
        # unexpectedly"); the next try starts a fresh server.
        for attempt in range(5):
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            if result.returncode == 0:
                break
            time.sleep(0.1 * (attempt + 1))
        else:
            raise RuntimeError(f"tmux new-session failed 5 times: {result.stderr.strip()}")
        self.started = True
        LIVE.add(self)
        return self

    def kill(self) -> list[int]:
        """Close the session (its terminal: the program gets SIGHUP), then make sure the
        examsim processes it ran end; returns those that had to be killed (SIGKILL)."""
        if not self.started:
            return []
        with contextlib.suppress(subprocess.CalledProcessError, ValueError, IndexError):
            self.programs.update(pid for pid in _descendants(self.pane_pid())
                                 if "examsim" in _cmdline(pid))
        subprocess.run([*TMUX, "kill-session", "-t", self.name],
                       capture_output=True, check=False)
        self.started = False
        LIVE.discard(self)
        left = reap(self.programs, GONE_WAIT)
        LEFT_BEHIND.extend(f"pid {pid} of tmux session {self.name}" for pid in left)
        return left

    def __enter__(self) -> Tmux:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.kill()

    # -- talking to it ----------------------------------------------------------------

    def send(self, *keys: str) -> None:
        """tmux key names ("Enter", "Escape", "C-s", "Tab") or literal text, one by one."""
        for key in keys:
            subprocess.run([*TMUX, "send-keys", "-t", self.name, key], check=True)

    def type(self, text: str) -> None:
        subprocess.run([*TMUX, "send-keys", "-t", self.name, "-l", text], check=True)

    def screen(self, escapes: bool = False) -> str:
        """The visible screen as text; with ``escapes`` its colours and styles too."""
        flags = ["-p", "-e"] if escapes else ["-p"]
        result = subprocess.run([*TMUX, "capture-pane", *flags, "-t", self.name],
                                capture_output=True, text=True, check=False)
        return result.stdout

    def pane_pid(self) -> int:
        """The pid of the pane's shell (the parent of the program)."""
        out = subprocess.run([*TMUX, "list-panes", "-t", self.name, "-F", "#{pane_pid}"],
                             capture_output=True, text=True, check=True).stdout
        return int(out.split()[0])

    def program_pid(self, name: str = "examsim", timeout: float = TIMEOUT) -> int:
        """The pid of the program run by the pane's shell (its child named ``name``)."""
        shell = self.pane_pid()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for pid in _children(shell):
                if name in _cmdline(pid):
                    if name == "examsim":
                        self.programs.add(pid)
                    return pid
            time.sleep(POLL)
        raise AssertionError(f"no {name} process under pane pid {shell}")

    def burst(self, *keys: str) -> None:
        """Send several keys in one tmux command: they arrive as fast as typed ahead."""
        subprocess.run([*TMUX, "send-keys", "-t", self.name, *keys], check=True)

    def wait_for(
        self,
        expected: str | Callable[[str], bool],
        timeout: float = TIMEOUT,
        *,
        escapes: bool = False,
    ) -> str:
        """Poll the screen until ``expected`` (text, or a test of the screen) shows, then
        until the screen holds still: a capture can catch a frame half written (the
        question's stem drawn, its options not yet; "Results:" drawn, the score report
        not yet), so a screen is returned once the next capture is the same (or, if the
        next no longer shows ``expected``, the one that did)."""
        check = expected if callable(expected) else (lambda screen: expected in screen)
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen(escapes)
            if check(screen):
                return self._settled(screen, check, deadline, escapes)
            time.sleep(POLL)
        what = expected if isinstance(expected, str) else getattr(expected, "__name__", "test")
        raise AssertionError(f"{what!r} did not show within {timeout:g} s; screen:\n{screen}")

    def _settled(self, screen: str, check: Callable[[str], bool], deadline: float,
                 escapes: bool) -> str:
        while time.monotonic() < deadline:
            time.sleep(POLL)
            again = self.screen(escapes)
            if not check(again):
                return screen  # it showed, and has gone on since (a toast, a last frame)
            if again == screen:
                return again
            screen = again
        return screen

    def wait_gone(self, text: str, timeout: float = TIMEOUT) -> str:
        return self.wait_for(lambda screen: text not in screen, timeout)

    def press_until(self, key: str, expected: str, timeout: float = TIMEOUT) -> str:
        """Send ``key`` once, then wait for ``expected``."""
        self.send(key)
        return self.wait_for(expected, timeout)


STRUCK = re.compile(r"\x1b\[9m(?:\x1b\[[0-9;]*m)*[ ▸]*([A-H]) [○●■□]")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def struck_letters(escaped: str) -> str:
    """The option letters drawn struck through (SGR 9) on a screen captured with escapes."""
    return "".join(sorted(set(STRUCK.findall(escaped))))


def plain(escaped: str) -> str:
    return ANSI.sub("", escaped)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(part) for part in path.read_text().split()]
    except OSError:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True,
                             check=False).stdout
        return [int(part) for part in out.split()]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        out = subprocess.run(["ps", "-o", "args=", "-p", str(pid)], capture_output=True,
                             text=True, check=False).stdout
        return out


# -- processes ---------------------------------------------------------------------------


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not reaped, does not count)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        if not Path("/proc").is_dir():  # no /proc: ask the kernel
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                return True
            return True
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def wait_gone(pids: set[int] | list[int], timeout: float) -> list[int]:
    """Poll until none of ``pids`` runs or ``timeout`` passed; the pids still running."""
    deadline = time.monotonic() + timeout
    left = [pid for pid in pids if alive(pid)]
    while left and time.monotonic() < deadline:
        time.sleep(POLL)
        left = [pid for pid in left if alive(pid)]
    return left


def reap(pids: set[int] | list[int], timeout: float) -> list[int]:
    """Wait for ``pids`` to end; SIGKILL those still running after ``timeout``."""
    left = wait_gone(pids, timeout)
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return left


def examsim_processes(data_dir: Path) -> list[int]:
    """The examsim processes running with ``data_dir`` as their EXAMSIM_DATA_DIR."""
    wanted = f"EXAMSIM_DATA_DIR={data_dir}".encode()
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if b"examsim" not in (entry / "cmdline").read_bytes():
                continue
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if wanted in environ and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in _children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found
