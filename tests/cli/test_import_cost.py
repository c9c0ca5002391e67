"""What starting examsim imports: modules whose cost every start would pay (see
docs/performance.md, "Lazy imports")."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import examsim.cli, examsim.commands.app, examsim.tui.app, examsim.tui.screens.exam
print(" ".join(sorted(name for name in sys.modules if name in WATCHED)))
"""


def loaded(watched: set[str]) -> set[str]:
    code = f"WATCHED = {sorted(watched)!r}\n" + PROBE
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return set(result.stdout.split())


def test_starting_builds_no_pydantic_validator_at_import() -> None:
    """A pydantic model built at import (no defer_build) makes pydantic look up its
    plugins (importlib.metadata over every installed package: ~40 ms per start). The
    report models did, once storage/overview.py imported the report."""
    assert loaded({"pydantic.plugin._loader", "importlib.metadata"}) == set()


def test_the_command_line_alone_imports_no_framework() -> None:
    code = ("import sys, examsim.cli; print(' '.join(sorted(n for n in sys.modules "
            "if n.split('.')[0] in ('pydantic', 'textual', 'sqlite3', 'fsrs'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == []


def test_starting_does_not_define_the_report_models() -> None:
    """The stats report's ~40 models cost 20-40 ms to define (pydantic evaluates each
    field's type); starting an exam needs none of them (storage/overview.py imports the
    report only for a bank with attempts)."""
    assert loaded({"examsim.storage.report", "examsim.storage.report_model"}) == set()
