"""Shared fixtures: every test gets its own data dir and cache dir under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BANKS = REPO / "banks"
REALDATA = REPO.parent / "shared" / "realdata"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    base = tmp_path_factory.mktemp("examsim-home")
    monkeypatch.setenv("EXAMSIM_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("EXAMSIM_CACHE_DIR", str(base / "cache"))
    monkeypatch.delenv("EXAMSIM_DEBUG", raising=False)
    return base
