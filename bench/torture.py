"""Torture run: random key bursts and kills on the real examsim in tmux (issue #19 §3).

Round after round, in a data dir of its own: start examsim (the home screen, an exam, a
practice run, a review, or ``examsim resume`` when an attempt is in progress: always
right after a kill) at 60x20, 80x24 or 120x40, send bursts of random keys (answers,
strikes, flags, navigation, the review grid, end dialogs, stats, help, the palette...),
and now and then kill it at a random moment: ``kill -9``, SIGTERM or closing the
terminal (SIGHUP). After each kill it checks

- that the process ends (within 5 s; else it is counted as hung and killed),
- ``PRAGMA integrity_check`` of the history database,
- when the kill came on a settled exam screen: that the answer the screen showed for
  its question is the one saved (a lost answer otherwise),
- that the next examsim resumes the attempt (not "open in another examsim"),

and at the end that no examsim process of the run is left. A crash (examsim exiting
non-zero without being killed, a traceback) is counted with the seed of its round, the
keys sent and the screen. The same --seed makes the same keys (timing still varies).

    python bench/torture.py --seconds 60             # the short run (.ci/run)
    python bench/torture.py --bursts 500 --kills 50  # before a release

Exit 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import random
import re
import signal
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("e2e_tmux", ROOT / "tests" / "e2e" / "tmux.py")
assert _spec is not None and _spec.loader is not None
tmux = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tmux)

SIZES = ((60, 20), (80, 24), (120, 40))
KEYS = (list("abcde") + list("ABCDE") + list("nnnppmr123xsfh?y")
        + ["Space", "Up", "Down", "Left", "Right", "Enter", "Enter", "Escape", "Escape",
           "Tab", "PageDown", "PageUp", "C-s", "C-p", "Home", "End"])
# rounds that stay on the exam screen (then answer, settle and kill: the answer is checked)
EXAM_KEYS = [*"abcdeABCDEnpmx123", "Space", "Up", "Down", "Left", "Right"]
QUIT = "C-q"  # rarely: a round may end by quitting
GONE_WAIT = 5.0
LETTERS = "ABCDEFGH"
QUESTION = re.compile(r"^ Question (\d+)/(\d+)", re.MULTILINE)
ANSWER = re.compile(r"Your answer: ([A-H](?:, [A-H])*)")


@dataclass
class Tally:
    rounds: int = 0
    bursts: int = 0
    kills: dict[str, int] = field(default_factory=lambda: {"SIGKILL": 0, "SIGTERM": 0,
                                                           "SIGHUP": 0})
    checked_answers: int = 0
    resumes: int = 0
    crashes: int = 0
    lost_answers: int = 0
    hung: int = 0
    left_behind: int = 0
    integrity_failures: int = 0
    refused_resumes: int = 0
    slowest_end: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def kill_count(self) -> int:
        return sum(self.kills.values())

    def fail(self, kind: str, seed: int, detail: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        self.failures.append(f"{kind} (round seed {seed}): {detail}")
        print(f"  FAIL {kind} (round seed {seed}): {detail}", flush=True)


class Run:
    def __init__(self, folder: Path, seed: int, tally: Tally) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.env = {"EXAMSIM_DATA_DIR": str(self.data), "EXAMSIM_CACHE_DIR":
                    str(folder / "cache"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
                    "TERM": "xterm-256color"}
        self.seed = seed
        self.tally = tally
        self.must_resume = False

    # -- the database, read from outside ------------------------------------------------

    def _db(self) -> sqlite3.Connection | None:
        path = self.data / "history.sqlite3"
        if not path.exists():
            return None
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)

    def in_progress(self) -> list[tuple[int, int | None, dict | None]]:
        """(id, owner pid, saved snapshot) of each attempt in progress, newest first."""
        from examsim.storage.progress import read_snapshot

        conn = self._db()
        if conn is None:
            return []
        try:
            return [(attempt, pid, read_snapshot(conn, attempt)) for attempt, pid in conn.execute(
                "SELECT id, owner_pid FROM attempts WHERE status = 'in_progress' "
                "ORDER BY id DESC").fetchall()]
        finally:
            conn.close()

    def finished_count(self) -> int:
        conn = self._db()
        if conn is None:
            return 0
        try:
            return conn.execute("SELECT count(*) FROM attempts WHERE status IN "
                                "('finished', 'timed_out')").fetchone()[0]
        finally:
            conn.close()

    def integrity(self) -> str:
        conn = self._db()
        if conn is None:
            return "ok"
        try:
            return conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()

    # -- one round ------------------------------------------------------------------------

    def command(self, rnd: random.Random) -> list[str]:
        exe = str(tmux.examsim_command())
        if self.must_resume or (self.in_progress() and rnd.random() < 0.3):
            return [exe, "resume"]
        choices = [[exe], [exe, "run", "sample", "--mode", "exam"],
                   [exe, "run", "sample", "--mode", "practice"],
                   [exe, "run", "sample", "--mode", "exam", "--no-shuffle", "--questions", "4"]]
        if self.finished_count():
            choices.append([exe, "review"])
        return rnd.choice(choices)

    def round(self, number: int, bursts_left: int, kills_left: int) -> None:
        seed = self.seed * 100_003 + number
        rnd = random.Random(seed)
        argv = self.command(rnd)
        on_exam = argv[1:2] in (["run"], ["resume"]) and rnd.random() < 0.5
        alphabet = EXAM_KEYS if on_exam else KEYS
        size = rnd.choice(SIZES)
        resuming = argv[-1] == "resume"
        sent: list[str] = []
        term = tmux.Tmux(argv, env=self.env, cwd=self.folder, size=size).start()
        try:
            screen = term.wait_for(lambda s: bool(s.strip()) and (
                "Question" in s or "Banks (" in s or "Review" in s or "Results" in s
                or "[exited" in s), timeout=30)
            if "[exited" in screen:
                if resuming and "open in another examsim" in screen:
                    self.tally.fail("refused_resumes", seed, screen.strip()[-300:])
                elif "[exited 0]" not in screen and not ("[exited 2]" in screen
                                                         and "nothing to resume" in screen):
                    self.tally.fail("crashes", seed, f"{argv[1:]}: {screen.strip()[-600:]}")
                self.must_resume = False
                return
            if resuming:
                self.tally.resumes += 1
            self.must_resume = False
            pid = term.program_pid(timeout=10)
            bursts = rnd.randint(3, 12)
            kill = kills_left > 0 and (rnd.random() < 0.8 or bursts_left <= bursts)
            for _ in range(min(bursts, max(1, bursts_left))):
                keys = [rnd.choice(alphabet) for _ in range(rnd.randint(3, 25))]
                if rnd.random() < 0.02 and not on_exam:
                    keys.append(QUIT)
                sent.append(" ".join(keys))
                term.burst(*keys)
                self.tally.bursts += 1
                screen = term.screen()
                if "[exited" in screen:
                    break
            settled = on_exam or rnd.random() < 0.3
            before = term.screen()
            if settled and QUESTION.search(before):  # answer, then the kill
                term.send(rnd.choice("abcde"))
                with contextlib.suppress(AssertionError):  # E on 4 options changes nothing
                    term.wait_for(lambda now: now != before, timeout=2)
            expected = self.settle(term, pid) if settled else None
            screen = term.screen()
            if "[exited" in screen:
                if "[exited 0]" not in screen:
                    self.tally.fail("crashes", seed, f"{argv[1:]} keys {sent}: "
                                    f"{self.crash_text(term, seed)}")
                return
            if not kill:
                term.send(QUIT)
                with contextlib.suppress(AssertionError):
                    term.wait_for("[exited", timeout=15)
                screen = term.screen()
                if "[exited 0]" not in screen:
                    self.tally.fail("crashes", seed, f"{argv[1:]} keys {sent} then ctrl+q: "
                                    f"{self.crash_text(term, seed)}")
                return
            time.sleep(rnd.choice((0.0, 0.0, 0.01, 0.05, 0.1, 0.2)) if not settled else 0)
            if not tmux.alive(pid):  # it ended by itself (a quit among the keys)
                screen = term.wait_for("[exited", timeout=10)
                if "[exited 0]" not in screen:
                    self.tally.fail("crashes", seed, f"{argv[1:]} keys {sent}: "
                                    f"{self.crash_text(term, seed)}")
                return
            how = rnd.choice(("SIGKILL", "SIGTERM", "SIGHUP"))
            self.tally.kills[how] += 1
            start = time.monotonic()
            if how == "SIGHUP":
                left = term.kill()  # closes the terminal; waits, SIGKILLs what stays
            else:
                with contextlib.suppress(ProcessLookupError):  # it may just have quit
                    os.kill(pid, signal.SIGKILL if how == "SIGKILL" else signal.SIGTERM)
                left = tmux.reap([pid], GONE_WAIT)
            took = time.monotonic() - start
            self.tally.slowest_end = max(self.tally.slowest_end, took)
            if left:
                self.tally.fail("hung", seed, f"{how} after keys {sent}: still running "
                                f"after {GONE_WAIT:.0f} s (killed)")
            self.check_after_kill(seed, pid, expected, how, sent)
            self.must_resume = bool(self.in_progress())
        finally:
            term.kill()

    @staticmethod
    def history(term: tmux.Tmux) -> str:
        """The pane with its scrollback (a traceback is longer than the screen)."""
        import subprocess

        return subprocess.run([*tmux.TMUX, "capture-pane", "-p", "-S", "-5000", "-t",
                               term.name], capture_output=True, text=True,
                              check=False).stdout

    def crash_text(self, term: tmux.Tmux, seed: int) -> str:
        """The end of the pane's text; all of it (the traceback's first frames say who
        called) goes to a file in the run's folder, named in the text."""
        text = self.history(term).strip()
        saved = self.folder / f"crash-{seed}.txt"
        saved.write_text(text + "\n", encoding="utf-8")
        return f"{text[-6000:]}\n(the whole pane: {saved})"

    def settle(self, term: tmux.Tmux, pid: int) -> tuple[int, int, str] | None:
        """Wait until the screen stops changing; on an exam screen showing its answer:
        (the attempt examsim ``pid`` holds, question number, the display letters shown)."""
        last = None
        same = 0
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and same < 3:  # the same for 0.6 s
            screen = term.screen()
            same = same + 1 if screen == last else 0
            last = screen
            time.sleep(0.2)
        screen = last or ""
        head = QUESTION.search(screen)
        if head is None or "answered ·" not in screen:
            return None
        held = [row[0] for row in self.in_progress() if row[1] == pid]
        if not held:
            return None
        answer = ANSWER.search(screen)
        if answer is None:
            return (held[0], int(head.group(1)), "") if "Not answered" in screen else None
        return held[0], int(head.group(1)), answer.group(1).replace(", ", "")

    def check_after_kill(self, seed: int, pid: int, expected: tuple[int, int, str] | None,
                         how: str, sent: list[str]) -> None:
        result = self.integrity()
        if result != "ok":
            self.tally.fail("integrity_failures", seed, f"integrity_check: {result}")
        if expected is None:
            return
        attempt, position, shown = expected
        rows = [row for row in self.in_progress() if row[0] == attempt]
        if not rows or not rows[0][2]:
            self.tally.fail("lost_answers", seed, f"{how}: attempt {attempt} is no longer "
                            "in progress with its state")
            return
        snapshot = rows[0][2]
        if position > len(snapshot["questions"]):
            return
        state = snapshot["questions"][position - 1]
        bank = "".join(sorted(LETTERS[state["order"][LETTERS.index(letter)]]
                              for letter in shown))
        self.tally.checked_answers += 1
        if bank != state["chosen"]:
            self.tally.fail("lost_answers", seed, f"{how}: question {position} showed "
                            f"{shown or 'no answer'} (bank {bank or '-'}), saved "
                            f"{state['chosen'] or '-'}; keys {sent}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=None,
                        help="stop after this long (default: when the counts are reached)")
    parser.add_argument("--bursts", type=int, default=500, help="key bursts (default 500)")
    parser.add_argument("--kills", type=int, default=50, help="kills (default 50)")
    parser.add_argument("--seed", type=int, default=None, help="default: random, printed")
    parser.add_argument("--json", action="store_true", help="the tally as JSON at the end")
    parser.add_argument("--crashes-warn", action="store_true",
                        help="a crash (a traceback on screen) is reported but does not fail "
                             "the run; lost answers, hangs, processes left behind and "
                             "integrity failures still do (to look for other failures "
                             "while a known crash is open; .ci/run does not use it)")
    args = parser.parse_args(argv)
    if not tmux.have_tmux():
        print("torture: skipped: tmux is not installed", file=sys.stderr)
        return 0
    if not tmux.examsim_command().exists():
        print("torture: examsim is not installed beside this python", file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    folder = Path(tempfile.mkdtemp(prefix="examsim-torture-"))
    tally = Tally()
    run = Run(folder, seed, tally)
    print(f"torture: seed {seed}, data dir {folder}", flush=True)
    started = time.monotonic()
    number = 0
    while True:
        if args.seconds is not None and time.monotonic() - started > args.seconds:
            break
        if args.seconds is None and tally.bursts >= args.bursts \
                and tally.kill_count >= args.kills:
            break
        run.round(number, max(1, args.bursts - tally.bursts),
                  args.kills - tally.kill_count if args.seconds is None else 1)
        number += 1
        tally.rounds = number
        if number % 10 == 0:
            print(f"  {number} rounds, {tally.bursts} bursts, {tally.kill_count} kills, "
                  f"{len(tally.failures)} failures", flush=True)
    leftover = tmux.examsim_processes(folder / "data")
    for pid in tmux.reap(leftover, GONE_WAIT):
        tally.fail("left_behind", seed, f"examsim pid {pid} still running at the end")
    tally.left_behind += len(tmux.LEFT_BEHIND)
    elapsed = time.monotonic() - started
    print(f"torture: seed {seed}: {tally.rounds} rounds in {elapsed:.0f} s, {tally.bursts} "
          f"bursts, {tally.kill_count} kills ({', '.join(f'{k} {v}' for k, v in tally.kills.items())}), "  # noqa: E501
          f"{tally.resumes} resumes, {tally.checked_answers} answers checked after a kill; "
          f"crashes {tally.crashes}, lost answers {tally.lost_answers}, hung {tally.hung}, "
          f"left behind {tally.left_behind}, integrity failures {tally.integrity_failures}, "
          f"refused resumes {tally.refused_resumes}; slowest end after a kill "
          f"{tally.slowest_end:.2f} s")
    if args.json:
        print(json.dumps({**tally.__dict__, "seed": seed, "seconds": round(elapsed, 1)}))
    fatal = [f for f in tally.failures
             if not (args.crashes_warn and f.startswith("crashes "))]
    if tally.crashes and args.crashes_warn:
        print(f"torture: WARNING: {tally.crashes} crash(es) reported above (seeds printed); "
              "not fatal with --crashes-warn", flush=True)
    return 1 if fatal else 0


if __name__ == "__main__":
    sys.exit(main())
