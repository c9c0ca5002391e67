"""Paths for the importer tests: the project's fixtures, and the shared real files."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def realdata() -> Path:
    """../shared/realdata next to the repository; the test skips when it is absent."""
    if not REALDATA.is_dir():
        pytest.skip(f"real files not found at {REALDATA} (they live beside the repository, "
                    "not in it; see docs/importers.md)")
    return REALDATA
