"""The dataclasses a start defines (docs/performance.md, session 7, "cheaper class
definitions"): each costs ~1 ms to define (Python compiles each generated method apart),
so the value classes on the way to question 1 derive from core/frozen.py's ``Frozen``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "banks" / "sample.toml"

# `examsim run BANK` headless to its first frame, then every dataclass defined in an
# examsim module imported by then.
RUN = """
import json, sys
import examsim.commands.app as app_module
from examsim.cli import main


def run_app(app, services):
    app.call_after_refresh(app.exit)
    app.run(headless=True, size=(100, 30))
    services.save_open()
    services.history.close()
    return 0


app_module.run_app = run_app
code = main(["run", sys.argv[1], "--data-dir", sys.argv[2], "--seed", "1"])
found = sorted(
    f"{name}.{value.__qualname__}"
    for name, module in list(sys.modules.items()) if name.split(".")[0] == "examsim"
    for value in list(vars(module).values())
    if isinstance(value, type) and value.__module__ == name
    and "__dataclass_fields__" in vars(value)
)
print(json.dumps({"code": code, "dataclasses": found}))
"""

# Each kept for a reason: AttemptPlan is a field of the pydantic snapshot model and is
# used with dataclasses.replace and asdict; tests read QuestionProgress's dataclass
# fields and dataclasses.replace AnswerRow.
KEPT = [
    "examsim.core.assemble.AttemptPlan",
    "examsim.core.session.QuestionProgress",
    "examsim.storage.records.AnswerRow",
]


def test_a_start_defines_only_the_dataclasses_it_must(tmp_path: Path) -> None:
    env = {**os.environ, "EXAMSIM_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # the second start is warm (the bank cache is written)
        result = subprocess.run(
            [sys.executable, "-c", RUN, str(SAMPLE), str(tmp_path / "data")],
            capture_output=True, text=True, check=True, env=env, timeout=120)
        found = json.loads(result.stdout.strip().splitlines()[-1])
        assert found == {"code": 0, "dataclasses": KEPT}
