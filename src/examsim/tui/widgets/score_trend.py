"""The score trend: one bar per attempt on a fixed 0-100 % scale, with the pass mark as a line.

Textual's Sparkline scales each plot from its own minimum to its maximum, so a line at
the pass mark would not stay put and three scores of 60, 62 and 65 % would look like a
climb from nothing to everything. This plot keeps 0-100 %, draws the pass mark as a
dotted line across the columns (over the bars that fall short of it), and labels the
axis at 100 %, the pass mark and 0 %. Passed attempts are drawn with full blocks in the
success colour, the others in the error colour; the line shows pass/fail without colour.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widget import Widget

EIGHTHS = " ▁▂▃▄▅▆▇█"
PASS_LINE = "┈"
AXIS_WIDTH = 6  # "100% " + the axis line


def plot_rows(
    values: Sequence[float | None], height: int, pass_percent: float | None
) -> tuple[list[str], int | None]:
    """The plot as ``height`` strings of ``len(values)`` cells, top row first, and the row
    index of the pass line (None without a pass mark). A None value is a gap."""
    rows = [[" "] * len(values) for _ in range(height)]
    pass_row: int | None = None
    if pass_percent is not None:
        level = max(0.0, min(100.0, pass_percent)) / 100 * height
        pass_row = height - 1 - min(height - 1, int(level))  # the row the mark falls in
    for column, value in enumerate(values):
        if value is None:
            if pass_row is not None:
                rows[pass_row][column] = PASS_LINE
            continue
        eighths = round(max(0.0, min(100.0, value)) / 100 * height * 8)
        for row in range(height):
            from_bottom = height - 1 - row
            fill = max(0, min(8, eighths - from_bottom * 8))
            rows[row][column] = EIGHTHS[fill]
        if pass_row is not None and rows[pass_row][column] == " ":
            rows[pass_row][column] = PASS_LINE
    return ["".join(row) for row in rows], pass_row


class ScoreTrend(Widget):
    """Percent scores of full exams, oldest first; the newest that fit the width are shown."""

    DEFAULT_CSS = """
    ScoreTrend {
        height: 6;
        width: 1fr;
        & > .score-trend--pass { color: $text-success; }
        & > .score-trend--fail { color: $text-error; }
        & > .score-trend--line { color: $text-warning; }
        & > .score-trend--axis { color: $text-muted; }
    }
    """
    COMPONENT_CLASSES = {
        "score-trend--pass", "score-trend--fail", "score-trend--line", "score-trend--axis",
    }

    def __init__(
        self,
        scores: Sequence[tuple[float, bool]] = (),
        pass_percent: float | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.scores = list(scores)
        self.pass_percent = pass_percent

    def columns(self) -> tuple[int, int]:
        """(how many scores fit, cells per score)."""
        room = max(1, self.size.width - AXIS_WIDTH)
        shown = min(len(self.scores), room)
        per = max(1, min(3, room // max(1, shown))) if shown else 1
        return shown, per

    def render(self) -> Content:
        height = max(2, self.size.height - 1)
        shown, per = self.columns()
        recent = self.scores[-shown:] if shown else []
        gap = per >= 2  # a blank column between attempts when there is room
        values: list[float | None] = [
            None if gap and cell == per - 1 else value
            for value, _ in recent for cell in range(per)
        ]
        passed = [ok for _, ok in recent for _ in range(per)]
        rows, pass_row = plot_rows(values, height, self.pass_percent)
        styles = {name: self.get_visual_style(f"score-trend--{name}")
                  for name in ("pass", "fail", "line", "axis")}
        lines: list[Content] = []
        for index, row in enumerate(rows):
            label = ""
            if index == 0:
                label = "100%"
            elif index == pass_row and self.pass_percent is not None:
                label = f"{self.pass_percent:.0f}%"
            elif index == height - 1 and pass_row != height - 1:
                label = "0%"
            parts: list[tuple[str, object] | str] = [
                (f"{label:>4} ", styles["axis"]), ("┤" if label else "│", styles["axis"]),
            ]
            for column, char in enumerate(row):
                if char == PASS_LINE:
                    parts.append((char, styles["line"]))
                elif char != " ":
                    parts.append((char, styles["pass" if passed[column] else "fail"]))
                else:
                    parts.append(char)
            lines.append(Content.assemble(*parts))  # type: ignore[arg-type]
        first = len(self.scores) - shown + 1
        if shown:
            span = f"attempt {first}" if shown == 1 else f"attempts {first}–{len(self.scores)}"
        else:
            span = "no full exam yet"  # the plot counts full exams only
        lines.append(Content.assemble(("      " + span, styles["axis"])))
        return Content("\n").join(lines)
