"""Fixtures of the end-to-end tests.

Every e2e test ends with no examsim of its own left running: the sessions it did not kill
are killed, and a test fails when one of its examsim processes outlived its terminal (the
harness then kills it, so nothing is left for the next test either).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from . import tmux


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of the examsim under test: data and cache under tmp_path, UTF-8."""
    return {
        "EXAMSIM_DATA_DIR": str(tmp_path / "data"),
        "EXAMSIM_CACHE_DIR": str(tmp_path / "cache"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }


@pytest.fixture(autouse=True)
def no_examsim_left_behind(tmp_path: Path) -> Iterator[None]:
    """After each test: kill its sessions still open, then fail if an examsim of its own
    is still running (killed with SIGKILL first)."""
    known = len(tmux.LEFT_BEHIND)
    yield
    for session in list(tmux.LIVE):
        session.kill()
    stray = tmux.examsim_processes(tmp_path / "data")
    killed = tmux.reap(stray, tmux.GONE_WAIT)
    left = tmux.LEFT_BEHIND[known:] + [f"pid {pid} (data dir {tmp_path})" for pid in killed]
    assert not left, f"examsim processes left running after the test (killed now): {left}"
