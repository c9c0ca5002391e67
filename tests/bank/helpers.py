"""Small builders for bank files in tests."""

from __future__ import annotations

HEADER = """[bank]
title = "Test bank"
"""

GOOD_QUESTION = """
[[questions]]
id = "q1"
stem = "Which is right?"
options = ["Right", "Wrong"]
answer = "A"
"""


def question(qid: str = "q1", **fields: str) -> str:
    """A [[questions]] table; fields are raw TOML right-hand sides overriding defaults."""
    values = {
        "id": f'"{qid}"',
        "stem": '"Which is right?"',
        "options": '["Right", "Wrong", "Also wrong"]',
        "answer": '"A"',
    }
    values.update(fields)
    body = "\n".join(f"{k} = {v}" for k, v in values.items() if v is not None)
    return f"\n[[questions]]\n{body}\n"
