"""Fixtures of the end-to-end tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of the examsim under test: data and cache under tmp_path, UTF-8."""
    return {
        "EXAMSIM_DATA_DIR": str(tmp_path / "data"),
        "EXAMSIM_CACHE_DIR": str(tmp_path / "cache"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
