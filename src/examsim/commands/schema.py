"""``examsim schema``: the JSON Schema of the bank format, for editors."""

from __future__ import annotations

import argparse
import json

from ..core.bank_model import bank_json_schema


def run(args: argparse.Namespace) -> int:
    print(json.dumps(bank_json_schema(), indent=2, ensure_ascii=False))
    return 0
