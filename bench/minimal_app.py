"""The baseline of the terminal benchmarks: the least a Textual app can be.

A Header, one Static showing one line, a Footer. ``n`` replaces the line with the next
one, as the exam screen does with the next question:

    python bench/minimal_app.py        # shows "minimal question 0001 ready"; n: 0002 ...
"""

from __future__ import annotations

from textual.app import App, ComposeResult
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


if __name__ == "__main__":
    MinimalApp().run()
