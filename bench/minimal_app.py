"""The baseline of the terminal benchmarks: the least a Textual app can be.

A Header, one Static showing one line, a Footer. ``n`` replaces the line with the next
one, as the exam screen does with the next question:

    python bench/minimal_app.py        # shows "minimal question 0001 ready"; n: 0002 ...
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Footer, Header, Static


def line(number: int) -> str:
    return f"minimal question {number:04d} ready"


class MinimalApp(App[None]):
    BINDINGS = [("n", "next", "Next")]

    def __init__(self) -> None:
        super().__init__()
        self.number = 1

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(line(self.number), id="line")
        yield Footer()

    def action_next(self) -> None:
        self.number += 1
        self.query_one("#line", Static).update(line(self.number))


class TextApp(App[None]):
    """The same app whose Static holds a whole question's text (number, domain, stem,
    options, answer line: what the exam screen draws), read from a JSON list of texts;
    ``n`` replaces it with the next text. A second baseline: Textual drawing that much
    text, without examsim's widgets and logic.

        python bench/minimal_app.py TEXTS.json
    """

    BINDINGS = [("n", "next", "Next")]

    def __init__(self, texts: list[str]) -> None:
        super().__init__()
        self.texts = texts
        self.number = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(self.texts[0]), id="text")
        yield Footer()

    def action_next(self) -> None:
        self.number = min(self.number + 1, len(self.texts) - 1)
        self.query_one("#text", Static).update(Content(self.texts[self.number]))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].endswith(".json"):
        TextApp(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))).run()
    else:
        MinimalApp().run()
