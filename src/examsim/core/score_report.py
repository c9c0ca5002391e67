"""The score report of a full exam, like the section table of a certification score report.

From plain per-question values (the session's results or the stored answers): the score
and verdict first, then per domain its blueprint weight, scored questions, right,
percent and a two-level classification: **meets the standard** when the domain's percent
is at least the pass percent (the scaled pass mark's share of the scale, else the bank's
pass_percent), else **needs improvement**. The score is compensatory: only the total
decides pass or fail, so a strong domain can make up for a weak one. Then time used,
unanswered, flagged and changed answers, the slowest domain (mean seconds per scored
question seen), and the unscored questions, revealed after the end. ``markdown`` renders
it for ``examsim export --report``; bank text in it is made safe by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MEETS = "meets the standard"
NEEDS = "needs improvement"
COMPENSATORY = ("The score is compensatory: only the total decides pass or fail, so a "
                "strong domain can make up for a weak one.")


@dataclass(frozen=True)
class Line:
    """One question as the report needs it."""

    domain: str | None
    scored: bool
    credit: float
    answered: bool
    flagged: bool
    seconds: float
    seen: bool
    changed: bool  # the complete answer was changed at least once


@dataclass(frozen=True)
class DomainRow:
    key: str | None
    label: str
    weight: float | None  # percent of the blueprint; None for a bank without weights
    questions: int
    right: float
    percent: float
    level: str  # MEETS or NEEDS


@dataclass(frozen=True)
class ScoreReport:
    title: str
    verdict: str  # "PASSED" / "NOT PASSED"
    scaled: int | None
    pass_label: str
    percent: float
    right: float
    total: int
    pass_percent: float
    domains: tuple[DomainRow, ...]
    elapsed: float
    time_limit: float | None
    unanswered: int
    flagged: int
    changed: int
    slowest: str | None  # label of the domain with the highest mean seconds
    unscored: int
    unscored_right: float
    notes: tuple[str, ...] = ()  # e.g. strict timing, extra time


def build(
    lines: Iterable[Line], *, title: str, passed: bool, scaled: int | None, pass_label: str,
    pass_percent: float, labels: Mapping[str | None, str], weights: Mapping[str, float],
    elapsed: float, time_limit: float | None, notes: tuple[str, ...] = (),
) -> ScoreReport:
    """The report of one full exam (``labels``/``weights``: the bank's domains, in order)."""
    every = list(lines)
    scored = [line for line in every if line.scored]
    total = len(scored)
    right = sum(line.credit for line in scored)
    order = list(labels) + sorted({ln.domain for ln in scored} - set(labels), key=str)
    weight_sum = sum(weights.values()) or 0.0
    rows = []
    paces: list[tuple[float, str]] = []
    for key in order:
        group = [line for line in scored if line.domain == key]
        if not group:
            continue
        got = sum(line.credit for line in group)
        percent = 100.0 * got / len(group)
        label = labels.get(key, key or "(no domain)")
        share = weights.get(key) if key is not None else None
        weight = (100.0 * share / weight_sum) if share is not None and weight_sum else None
        rows.append(DomainRow(key, label, weight, len(group), got, percent,
                              MEETS if percent >= pass_percent else NEEDS))
        timed = [line.seconds for line in group if line.seen]
        if timed:
            paces.append((sum(timed) / len(timed), label))
    unscored = [line for line in every if not line.scored]
    return ScoreReport(
        title=title, verdict="PASSED" if passed else "NOT PASSED", scaled=scaled,
        pass_label=pass_label, percent=100.0 * right / total if total else 0.0, right=right,
        total=total, pass_percent=pass_percent, domains=tuple(rows), elapsed=elapsed,
        time_limit=time_limit, unanswered=sum(not line.answered for line in scored),
        flagged=sum(line.flagged for line in every), changed=sum(ln.changed for ln in every),
        slowest=max(paces)[1] if len(paces) > 1 else None, unscored=len(unscored),
        unscored_right=sum(line.credit for line in unscored), notes=notes,
    )


def clock(seconds: float) -> str:
    """h:mm:ss (or m:ss under an hour)."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def summary_lines(report: ScoreReport) -> list[str]:
    """The lines under the domain table (plain text, for the screen and Markdown)."""
    used = clock(report.elapsed)
    if report.time_limit is not None:
        used += f" of {clock(report.time_limit)}"
    changed = f"{report.changed} answer{'s' if report.changed != 1 else ''} changed"
    lines = [f"Time used {used} · {report.unanswered} unanswered · {report.flagged} "
             f"flagged · {changed}"
             + (f" · slowest domain: {report.slowest}" if report.slowest else "")]
    if report.unscored:
        lines.append(f"{report.unscored} unscored questions (drawn at random, not counted, "
                     f"as on the real exam): {number(report.unscored_right)} right")
    lines.extend(report.notes)
    return lines


def markdown(report: ScoreReport, when: str = "") -> str:
    """The report as Markdown (one attempt); table cells have ``|`` escaped."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    score = f"scaled score {report.scaled} (pass {report.pass_label})" if report.scaled \
        is not None else f"{report.percent:.0f}% (pass {report.pass_label})"
    out = [f"# Score report: {cell(report.title)}", ""]
    if when:
        out += [when, ""]
    out += [f"**{report.verdict}** · {score} · {number(report.right)} of {report.total} "
            f"scored questions right ({report.percent:.0f}%)", "",
            "| Domain | Weight | Questions | Right | Percent | Classification |",
            "|---|---:|---:|---:|---:|---|"]
    for row in report.domains:
        weight = "" if row.weight is None else f"{row.weight:.0f}%"
        out.append(f"| {cell(row.label)} | {weight} | {row.questions} | {number(row.right)} "
                   f"| {row.percent:.0f}% | {row.level} |")
    out += ["", f"Classification: a domain meets the standard when its percent is at least "
            f"the pass percent ({report.pass_percent:.0f}%). {COMPENSATORY}", ""]
    out += [f"- {line}" for line in summary_lines(report)]
    return "\n".join(out) + "\n"
