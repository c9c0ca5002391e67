"""Processes for the concurrency tests (run as a script, not collected by pytest).

    python workers.py autosave DB   autosave a real session in a loop, finishing an attempt
                                    every so often;
                                    prints "save ID N" / "finish ID" after each commit
    python workers.py finish DB K GO
                                    wait for the file GO, then start, autosave and finish K
                                    attempts; prints "done START END" (time.time())
"""

from __future__ import annotations

import os
import random
import sys
import time

from helpers import FakeSession, make_bank

from examsim.storage.history import History


def autosave_loop(path: str) -> None:
    """The real engine, untimed, its clock at N after the Nth change (elapsed = N)."""
    from examsim.core.assemble import AttemptPlan
    from examsim.core.session import ExamSession

    rnd = random.Random()
    bank = make_bank(20)
    clock = [0.0]
    with History(path) as history:
        while True:
            clock[0] = 0.0
            session = ExamSession.start(bank, AttemptPlan(mode="practice"), lambda: clock[0])
            attempt_id = history.start_attempt(session)
            for n in range(1, rnd.randint(20, 80)):
                clock[0] = float(n)
                session.go(rnd.randrange(session.count))
                session.choose(rnd.randrange(4))
                history.autosave(attempt_id, session)
                print(f"save {attempt_id} {n}", flush=True)
            session.submit()
            history.finish(attempt_id, session)
            print(f"finish {attempt_id}", flush=True)


def finish_many(path: str, count: int, go: str) -> None:
    rnd = random.Random()
    bank = make_bank(20)
    while not os.path.exists(go):
        time.sleep(0.005)
    start = time.time()
    with History(path) as history:
        for _ in range(count):
            session = FakeSession(bank).answer_all(rnd)
            attempt_id = history.start_attempt(session)
            for _ in range(3):
                history.autosave(attempt_id, session)
            session.submit()
            history.finish(attempt_id, session)
    print(f"done {start} {time.time()}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "autosave":
        autosave_loop(sys.argv[2])
    else:
        finish_many(sys.argv[2], int(sys.argv[3]), sys.argv[4])
