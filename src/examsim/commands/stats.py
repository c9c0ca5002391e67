"""``examsim stats [--bank ID] [--json]``: what the history says, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from ..core.safe_text import json_escaped
from ..storage.locations import history_path
from ..storage.report import RECALL_NOTE, bank_report, learning_text
from ..storage.report_model import StatsDocument
from . import CommandError, bank_by_id, open_history

if TYPE_CHECKING:
    from ..storage.report_model import BankReport, DomainAccuracy, ScoreSummary, TopicAccuracy

EMPTY = "No finished attempts yet: start one with `examsim run BANK`, and come back after."


def run(args: argparse.Namespace) -> int:

    path = history_path(args.data_dir)
    reports: list[BankReport] = []
    if path.exists():  # reading stats never creates a database
        with open_history(path, reading=True) as history:
            if history.notice:
                print(f"examsim: {history.notice}", file=sys.stderr)
            known = [bank_id for bank_id, _, _ in history.banks()]
            if args.bank is not None and known and args.bank not in known:
                raise CommandError(f"no finished attempts on bank {args.bank!r}; "
                                   f"banks in history: {', '.join(known)}")
            wanted = [args.bank] if args.bank in known else known
            reports = [bank_report(history, bank_id, bank_by_id(bank_id, args.data_dir))
                       for bank_id in wanted]
    if args.json:

        document = StatsDocument(banks=tuple(reports)).model_dump(mode="json")
        print(json_escaped(json.dumps(document, indent=2, ensure_ascii=False)))
    elif not reports:
        print(EMPTY)
    else:
        print("\n\n".join(render(report) for report in reports))
    return 0


def render(r: BankReport) -> str:
    """A readable summary of one bank's report."""
    lines = [f"{r.title} ({r.bank_id})"]
    extra = [f"{count} {name}" for count, name in
             ((r.in_progress, "in progress"), (r.abandoned, "abandoned")) if count]
    counts = f" ({', '.join(extra)})" if extra else ""
    lines.append(f"  attempts   {r.attempts} scored: {r.full_exams} full "
                 f"exam{'s' if r.full_exams != 1 else ''}, {r.sessions} "
                 f"session{'s' if r.sessions != 1 else ''}{counts}")
    lines.append(f"  best       {_score(r.best)}")
    trend = r.trend
    lines.append(f"  latest     {_score(r.latest)}; trend: {trend.direction}"
                 + (f" ({trend.points_per_attempt:+.1f} points per attempt)"
                    if r.full_exams > 1 else ""))
    lines.append("  domains    accuracy (all attempts, last 5)")
    width = max((len(d.label) for d in r.domains), default=0)
    for d in r.domains:
        lines.append(f"    {d.label:<{width}}  {d.percent:5.1f}%  {_pct(d.recent_percent)}"
                     f"  ({_asked(d)})")
    lines.append(f"  weakest topics (at least {r.min_answers} questions)")
    for t in r.weakest_topics:
        lines.append(f"    {t.topic}" + (f": {t.percent:.1f}% of {_asked(t)}"
                                          if t.questions else ""))
    if not r.weakest_topics:
        lines.append("    none yet")
    if r.miss_streaks:
        runs = ", ".join(f"{s.topic} ({s.run} wrong answers in a row)"
                         for s in r.miss_streaks)
        lines.append(f"  miss streaks  {runs}")
    s = r.strikes
    if s.struck:
        lines.append(f"  strikes    {s.accuracy:.1f}% right to strike out "
                     f"({s.struck} struck, {s.in_key} of them in the key)")
    else:
        lines.append("  strikes    none yet")
    p = r.pacing
    budget = f" (time limits allowed {p.budget_seconds:.0f} s)" if p.budget_seconds else ""
    lines.append(f"  pacing     {p.mean_seconds:.0f} s per question{budget}")
    for pace in p.per_domain:
        verdict = f", {pace.verdict}" if pace.verdict else ""
        lines.append(f"    {pace.label:<{width}}  {pace.mean_seconds:.0f} s{verdict}")

    for line in learning_text(r):
        lines.append(f"  {line}")
    due = r.due
    lines.append(f"  review     {due.today} due today, {due.week} this week "
                 f"(examsim run {r.bank_id} --mode due)")
    for m in r.memory:
        recall = "-" if m.recall_percent is None else f"{m.recall_percent:.0f}%"
        total = f" of {m.total}" if m.total is not None else ""
        lines.append(f"    {m.label:<{width}}  recall {recall:>4}, {m.learned} learned, "
                     f"{m.seen} seen{total}")
    if any(m.seen for m in r.memory):
        lines.append(f"    {RECALL_NOTE.replace('–', '-')}")
    if r.calibration:
        lines.append("  confidence how often each level was right")
        for c in r.calibration:
            lines.append(f"    {c.label:<8}  {c.percent:5.1f}% of {c.answered}"
                         f" ({c.verdict})")
    return "\n".join(lines)


def _asked(row: DomainAccuracy | TopicAccuracy) -> str:
    """ "12 questions, 9 answered" (unanswered questions count as wrong)."""
    questions = row.questions
    return f"{questions} question{'s' if questions != 1 else ''}, {row.answered} answered"


def _score(score: ScoreSummary | None) -> str:
    if score is None:
        return "-"
    scaled = f", scaled {score.scaled}" if score.scaled is not None else ""
    passed = "passed" if score.passed else "not passed"
    day = (score.finished or "")[:10]
    return f"{score.percent:.1f}%{scaled}, {passed} (attempt {score.attempt_id}, {day})"


def _pct(value: float | None) -> str:
    return f"{value:5.1f}%" if value is not None else "    -"
