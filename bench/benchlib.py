"""What every benchmark here shares: medians, results with their targets, fresh processes,
and a real terminal (tmux) to time what a user sees.

Every benchmark prints our figure, the baseline's figure measured in the same run, and
their ratio, as medians over several runs; with ``--json`` it also prints its results as
one JSON line (``RESULTS {...}``) that bench/run_all.py collects.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYTHON = sys.executable
EXAMSIM = str(Path(PYTHON).with_name("examsim"))
SAMPLE = REPO / "banks" / "sample.toml"


# -- results ----------------------------------------------------------------------------


@dataclass
class Result:
    """One comparison: our median against the baseline's median, from the same run."""

    name: str
    ours: float
    baseline: float
    unit: str  # "ms", "MB", "us"
    baseline_name: str
    target: str = ""  # "<= 1.3x", "<= +80 MB", "" (for information only)
    runs: int = 0
    note: str = ""
    samples: dict[str, list[float]] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool | None:
        if not self.target:
            return None
        amount = self.target.partition(" ")[2]
        if amount.endswith("x"):
            return self.ratio <= float(amount[:-1])
        if amount.startswith("+"):  # "+80 MB": ours at most the baseline plus that much
            return self.ours - self.baseline <= float(amount[1:].split()[0])
        raise ValueError(f"unknown target {self.target!r}")

    def line(self) -> str:
        met = {None: "", True: "  met", False: "  NOT MET"}[self.met]
        target = f"  target {self.target}" if self.target else ""
        return (f"{self.name:44} {_fmt(self.ours):>9} {self.unit:3} vs "
                f"{_fmt(self.baseline):>9} {self.unit:3} {self.baseline_name:28} "
                f"{self.ratio:6.2f}x{target}{met}")


def _fmt(value: float) -> str:
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def report(title: str, results: Iterable[Result], as_json: bool = False) -> None:
    results = list(results)
    print(f"\n== {title} (medians) ==")
    for result in results:
        print(result.line())
        if result.note:
            print(f"   {result.note}")
    if as_json:
        print("RESULTS " + json.dumps({"title": title, "results": [
            {**asdict(r), "ratio": r.ratio, "met": r.met} for r in results]}))
    sys.stdout.flush()


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def arguments(description: str, runs: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=runs, help=f"runs per case (default {runs})")
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes and one or two runs: checks the script still works")
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    return parser


# -- fresh processes ------------------------------------------------------------------------


PYCACHE = Path(tempfile.gettempdir()) / "examsim-bench" / "pycache"
BYTECODE = {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(PYCACHE)}


def time_in_fresh_process(setup: str, timed: str, env: dict[str, str] | None = None) -> float:
    """Seconds that ``timed`` takes in a new interpreter, after ``setup`` (not timed)."""
    code = (f"{setup}\nimport time as _t\n_s = _t.perf_counter()\n{timed}\n"
            f"_e = _t.perf_counter() - _s\nprint(repr(_e))\n")
    done = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **BYTECODE, **(env or {})}, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{done.stderr}")
    return float(done.stdout.strip().splitlines()[-1])


def generated_bank(count: int, suffix: str, folder: Path | None = None) -> Path:
    """A bank of ``count`` questions from bench/genbank.py (the same content in .toml and
    .json), kept in ``folder`` (default: a shared folder in the temp dir, so the
    benchmarks of one run generate it once; remade when genbank.py changes)."""
    sys.path.insert(0, str(BENCH))
    from genbank import write_bank

    folder = folder if folder is not None else Path(tempfile.gettempdir()) / "examsim-bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bank-{count}{suffix}"
    source = BENCH / "genbank.py"
    if not path.exists() or path.stat().st_mtime < source.stat().st_mtime:
        temp = path.with_name(f"{path.name}.{os.getpid()}.tmp{suffix}")
        write_bank(count, temp)
        os.replace(temp, path)
    return path


def workdir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"examsim-{prefix}-"))


# -- a real terminal ------------------------------------------------------------------------


class TmuxError(RuntimeError):
    pass


class Tmux:
    """A private tmux server (its own socket), driven through one control-mode client.

    Commands go over the control client's stdin, so polling ``capture-pane`` costs no
    process start: a poll is a round trip to the server, well under a millisecond.
    """

    def __init__(self, width: int = 100, height: int = 30) -> None:
        if shutil.which("tmux") is None:
            raise TmuxError("tmux is not installed")
        self.width, self.height = width, height
        self.socket = f"examsim-bench-{os.getpid()}"
        self._runs = 0
        base = ["tmux", "-L", self.socket, "-f", "/dev/null"]
        subprocess.run([*base, "new-session", "-d", "-s", "keeper", "-x", str(width),
                        "-y", str(height), "cat"], check=True)
        self._base = base
        self._ctl = subprocess.Popen([*base, "-C", "attach-session", "-t", "keeper"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     bufsize=0)
        # (sessions the control client is not attached to keep their -x/-y size;
        # "window-size manual" would be the explicit way, but it stops tmux 3.3a's server)
        self.command(f"set-option -g default-size {width}x{height}")
        self.command("set-option -g status off")

    def command(self, line: str) -> list[str]:
        """Run one tmux command; returns its output lines."""
        assert self._ctl.stdin is not None and self._ctl.stdout is not None
        self._ctl.stdin.write(line.encode() + b"\n")
        out: list[str] = []
        inside = False
        while True:
            raw = self._ctl.stdout.readline()
            if not raw:
                raise TmuxError(f"tmux control client ended during {line!r}")
            text = raw.decode("utf-8", "replace").rstrip("\n")
            if not inside:
                # "%begin TIME NUMBER FLAGS": flags 1 marks the reply to our own command
                if text.startswith("%begin") and text.split()[-1] == "1":
                    inside = True
                    out = []
                continue
            if text.startswith(("%end", "%error")):
                if text.startswith("%error"):
                    raise TmuxError(f"{line!r}: {' '.join(out)}")
                return out
            out.append(text)

    def launch(self, argv: list[str], env: dict[str, str] | None = None) -> Pane:
        """Start ``argv`` in a new session of width x height; timing starts just before."""
        self._runs += 1
        name = f"run{self._runs}"
        folder = Path(tempfile.mkdtemp(prefix="examsim-pane-"))
        script = folder / "run.sh"
        pidfile = folder / "pid"
        exports = "".join(f"export {k}={shlex.quote(v)}\n" for k, v in (env or {}).items())
        # COLUMNS/LINES out: Textual sizes itself to them over the pane when they are set
        script.write_text(f"#!/bin/sh\necho $$ > {shlex.quote(str(pidfile))}\n"
                          f"unset COLUMNS LINES\n{exports}exec {shlex.join(argv)}\n")
        script.chmod(0o755)
        started = time.perf_counter()
        self.command(f"new-session -d -s {name} -x {self.width} -y {self.height} "
                     f"{shlex.quote(str(script))}")
        return Pane(self, name, started, pidfile, folder)

    def close(self) -> None:
        socket = None
        with contextlib.suppress(TmuxError):
            socket = self.command("display-message -p '#{socket_path}'")[0]
        with contextlib.suppress(TmuxError):
            self.command("kill-server")
        if self._ctl.stdin is not None:
            self._ctl.stdin.close()
        try:
            self._ctl.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._ctl.kill()
        if socket and Path(socket).name == self.socket:  # the server leaves it behind
            Path(socket).unlink(missing_ok=True)

    def __enter__(self) -> Tmux:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Pane:
    """A program running in its own tmux session."""

    POLL = 0.002  # seconds between two captures

    def __init__(self, tmux: Tmux, name: str, started: float, pidfile: Path,
                 folder: Path) -> None:
        self.tmux, self.name, self.started = tmux, name, started
        self._pidfile, self._folder = pidfile, folder

    def text(self) -> str:
        return "\n".join(self.tmux.command(f"capture-pane -p -t {self.name}"))

    def wait_for(self, *needles: str, since: float | None = None,
                 timeout: float = 60.0) -> float:
        """Seconds from ``since`` (default: the launch) until every needle is on screen."""
        since = self.started if since is None else since
        deadline = time.perf_counter() + timeout
        while True:
            screen = self.text()
            now = time.perf_counter()
            if all(needle in screen for needle in needles):
                return now - since
            if now > deadline:
                raise TmuxError(f"{self.name}: {needles!r} not on screen after {timeout} s; "
                                f"the screen:\n{screen}")
            time.sleep(self.POLL)

    def press(self, key: str, *needles: str, timeout: float = 10.0) -> float:
        """Seconds from sending ``key`` until every needle is on screen."""
        start = time.perf_counter()
        self.tmux.command(f"send-keys -t {self.name} {key}")
        return self.wait_for(*needles, since=start, timeout=timeout)

    @property
    def pid(self) -> int:
        for _ in range(500):
            text = self._pidfile.read_text().strip() if self._pidfile.exists() else ""
            if text:
                return int(text)
            time.sleep(0.01)
        raise TmuxError(f"{self.name}: no pid")

    def memory_mb(self) -> tuple[float, float]:
        """(peak RSS, current RSS) of the program, in MB (VmHWM and VmRSS)."""
        fields = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            fields[key] = value.strip()
        return (int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024)

    def close(self) -> None:
        """End the program (the session's SIGHUP) and wait until it has gone."""
        pid = self.pid
        with contextlib.suppress(TmuxError):
            self.tmux.command(f"kill-session -t {self.name}")
        for _ in range(500):
            if not _alive(pid):
                break
            time.sleep(0.01)
        else:
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self._folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def app_env(data: Path, cache: Path) -> dict[str, str]:
    """The environment of a timed app: its own data and cache dirs, a colour terminal, and
    bytecode caching on, as an installed examsim has it (with PYTHONDONTWRITEBYTECODE set,
    every launch would compile examsim's modules again). The .pyc files go to a folder of
    their own (PYTHONPYCACHEPREFIX), for the baseline app as for ours, not into the tree."""
    return {"EXAMSIM_DATA_DIR": str(data), "EXAMSIM_CACHE_DIR": str(cache),
            "TERM": "tmux-256color", "COLORTERM": "truecolor", "TEXTUAL_ANIMATIONS": "none",
            **BYTECODE}


def minimal_app_argv(lines: int = 0) -> list[str]:
    return [PYTHON, str(BENCH / "minimal_app.py"), *([str(lines)] if lines else [])]


def first_questions(bank_path: Path, count: int, seed: int, asked: int | None) -> list[str]:
    """The stems of the first ``count`` questions that ``examsim run BANK --seed SEED``
    asks, in order (the same plan the command builds)."""
    from examsim.core.assemble import AttemptPlan, assemble
    from examsim.core.formats.native import load_bank

    bank = load_bank(bank_path)
    assembly = assemble(bank, AttemptPlan(questions=asked, seed=seed))
    return [bank.question(qid).stem.strip() for qid in assembly.question_ids[:count]]


def stem_marker(stem: str, width: int = 40) -> str:
    """The start of a stem as the screen shows it on its first line."""
    first = stem.strip().splitlines()[0]
    return first[:width].rstrip()


def interleave(cases: dict[str, Callable[[], float]], runs: int) -> dict[str, list[float]]:
    """Run each case once per round, rounds in turn, so drift hits every case alike."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, case in cases.items():
            samples[name].append(case())
    return samples
