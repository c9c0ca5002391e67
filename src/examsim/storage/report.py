"""A bank's stats as typed models (storage/report_model.py): what `examsim stats` prints,
the stats screen shows; ``bank_report(...).model_dump(mode="json")`` is one bank of
`examsim stats --json` (schema and rules: docs/stats-json.md).

Counts say what they count: ``questions`` is how many were asked, that is *seen*
(shown on screen) in scored attempts (percentages are over them: an unanswered question
scores as wrong), ``answered`` how many got an answer. ``best``, ``latest`` and the
trend count full exams only; ``attempts`` counts every scored attempt, ``full_exams``
and ``sessions`` split it. A miss
streak's ``run`` counts wrong answers in a row; unanswered questions do not enter it.

``bank_report`` reads everything at once. The stats screen (tui/screens/stats.py) reads
the same figures in two steps through the public pieces: ``glance`` (scores, trend,
domains, miss streaks), then ``more`` (``details``: strikes, pacing, confidence;
``review_plan``; ``learning_report``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta

from ..core import learning
from ..core.bank import Bank
from ..core.due import end_of_day
from ..core.insights import MIN_ANSWERS, Trend, top_streaks
from ..core.learning import MIN_FRESH
from ..core.scoring import pass_percent
from ..core.spaced import memory
from . import history_stats
from .history import History
from .records import AttemptRow
from .report_model import (
    AnswerChanges,
    AnswerTally,
    BankReport,
    ConfidenceLevel,
    Details,
    DomainAccuracy,
    DomainChanges,
    DomainMemory,
    DomainPacing,
    DomainStrikes,
    Due,
    Glance,
    Habits,
    Learning,
    MissStreak,
    Pacing,
    Readiness,
    ReviewPlan,
    ScoreSummary,
    Strikes,
    TopicAccuracy,
    TrendSummary,
)

RECENT = 5        # "recent" accuracy: the last this many scored attempts
WEAKEST = 5

Label = Callable[[str | None], str]


def bank_report(history: History, bank_id: str, bank: Bank | None = None) -> BankReport:
    """Everything the stats summary shows for one bank (scored attempts only); ``bank``
    (when found) gives each domain's question count in ``memory``."""
    attempts = history.attempts(bank_id)
    label = domain_label(domain_names(attempts, bank))
    report = glance(history, bank_id, attempts, label, history_stats.trend(history, bank_id),
                    history.miss_streaks(bank_id), weakest=True)
    return BankReport.merged(report, more(history, bank_id, label, bank))


def more(history: History, bank_id: str, label: Label, bank: Bank | None = None) -> Details:
    """Everything after the glance: strikes, pacing, confidence, spaced review, learning."""
    return Details.merged(details(history, bank_id, label),
                          review_plan(history, bank_id, label, bank),
                          learning_report(history, bank_id, label, bank))


def learning_report(
    history: History, bank_id: str, label: Label, bank: Bank | None = None
) -> Learning:
    """Fresh vs repeat accuracy, answers that look remembered, answer changes, and the
    readiness estimate (core/learning.py; the estimate needs the bank: its blueprint
    and pass mark; without it ``readiness`` is None)."""

    counted = history.fresh_tallies(bank_id)  # per domain and fresh: answers, credit
    fresh = learning.Tally(sum(n for _, f, n, _ in counted if f),
                           sum(c for _, f, _, c in counted if f))
    repeat = learning.Tally(sum(n for _, f, n, _ in counted if not f),
                            sum(c for _, f, _, c in counted if not f))
    rate = learning.fresh_rate(history_stats.seen_answers(history, bank_id, "fresh answered"))
    remembered = 0 if rate is None else history.fast_repeats(
        bank_id, learning.REMEMBERED_SHARE * rate)
    per_domain: dict[str | None, learning.Changes] = {}
    for answer in history_stats.seen_answers(history, bank_id, "changed"):
        found = learning.changes(answer.trail, answer.key)
        per_domain[answer.domain] = per_domain.get(answer.domain, learning.Changes()) + found
    overall = sum(per_domain.values(), learning.Changes())
    ready = None if bank is None else _readiness(counted, bank, label)
    return Learning(
        fresh=AnswerTally(answers=fresh.answers, percent=round1(fresh.percent)),
        repeat=AnswerTally(answers=repeat.answers, percent=round1(repeat.percent)),
        remembered=remembered,
        readiness=ready,
        answer_changes=AnswerChanges(
            wrong_to_right=overall.wrong_to_right,
            right_to_wrong=overall.right_to_wrong,
            wrong_to_wrong=overall.wrong_to_wrong,
            reading=overall.reading,
            per_domain=tuple(
                DomainChanges(id=key, label=label(key), wrong_to_right=c.wrong_to_right,
                              right_to_wrong=c.right_to_wrong, wrong_to_wrong=c.wrong_to_wrong)
                for key, c in sorted(per_domain.items(), key=lambda i: i[0] or "")
                if c.total >= learning.MIN_CHANGES
            ),
        ),
    )


def review_plan(
    history: History, bank_id: str, label: Label, bank: Bank | None = None
) -> ReviewPlan:
    """Spaced review (core/spaced.py): ``due`` today (before local midnight) and this
    week (before the end of the sixth day from now), and per domain ``memory``: mean
    predicted recall (percent), learned, seen and total questions."""


    now = history.now()
    today = end_of_day(now)
    totals: dict[str | None, int] | None = None
    if bank is not None:
        totals = {d.id: len(bank.questions_in(d.id)) for d in bank.domains} if bank.domains \
            else {None: len(bank.questions)}
    cards = [(qid, domain, card) for qid, domain, card, _ in history.cards(bank_id)]
    return ReviewPlan(
        due=Due(today=history.due_count(bank_id, today),
                week=history.due_count(bank_id, today + timedelta(days=6))),
        memory=tuple(
            DomainMemory(id=m.key, label=label(m.key),
                         recall_percent=None if m.recall is None else round(100 * m.recall, 1),
                         learned=m.learned, seen=m.seen, total=m.total)
            for m in memory(cards, history.review_history(bank_id), now, totals)
        ),
    )


def glance(history: History, bank_id: str, all_attempts: Sequence[AttemptRow], label: Label,
           trend: Trend, runs: Mapping[str, int], *, weakest: bool = False) -> Glance:
    """Title, attempt counts, best and latest score, trend, domains and miss streaks, from
    what the caller has read already (``history.attempts``, the trend, the miss streaks);
    with ``weakest``, the weakest topics as well (else ``weakest_topics`` is None)."""
    scored = [a for a in all_attempts if a.scored]
    exams = [a for a in scored if a.full]  # best, latest and trend: full exams only
    best = max(exams, key=lambda a: (a.percent or 0.0, a.id), default=None)
    recent = {r.key: r.percent for r in history_stats.accuracy(history, bank_id, "domain", RECENT)}
    return Glance(
        bank_id=bank_id,
        title=all_attempts[0].bank_title if all_attempts else bank_id,
        attempts=len(scored),
        full_exams=len(exams),
        sessions=len(scored) - len(exams),
        in_progress=sum(a.status == "in_progress" for a in all_attempts),
        abandoned=sum(a.status == "abandoned" for a in all_attempts),
        best=score_summary(best),
        latest=score_summary(exams[0] if exams else None),
        trend=TrendSummary(direction=trend.direction,
                           points_per_attempt=round(trend.slope, 2)),
        domains=tuple(
            DomainAccuracy(id=r.key, label=label(r.key), questions=r.questions,
                           answered=r.answers, correct=r.correct,
                           percent=round(r.percent, 1),
                           recent_percent=round1(recent.get(r.key)))
            for r in history_stats.accuracy(history, bank_id, "domain")
        ),
        weakest_topics=tuple(
            TopicAccuracy(topic=r.key, questions=r.questions, answered=r.answers,
                          correct=r.correct, percent=round(r.percent, 1))
            for r in history_stats.weakest_topics(history, bank_id, WEAKEST)
        ) if weakest else None,
        min_answers=MIN_ANSWERS,
        miss_streaks=tuple(
            MissStreak(topic=topic, run=run) for topic, run in top_streaks(runs, WEAKEST)
        ),
    )


def details(history: History, bank_id: str, label: Label) -> Habits:
    """Strike accuracy, pacing and confidence calibration."""
    strikes = history_stats.strike_accuracy(history, bank_id)
    pacing = history_stats.pacing(history, bank_id)
    return Habits(
        strikes=Strikes(
            struck=strikes.overall.struck, in_key=strikes.overall.in_key,
            accuracy=round1(strikes.overall.accuracy),
            per_domain=tuple(
                DomainStrikes(id=key, label=label(key), struck=s.struck, in_key=s.in_key,
                              accuracy=round1(s.accuracy))
                for key, s in sorted(strikes.per_domain.items(), key=lambda i: i[0] or "")
            ),
        ),
        pacing=Pacing(
            questions=pacing.overall.questions,
            mean_seconds=round(pacing.overall.mean, 1),
            budget_seconds=round1(pacing.budget),
            per_domain=tuple(
                DomainPacing(id=p.key, label=label(p.key), questions=p.questions,
                             mean_seconds=round(p.mean, 1), verdict=pacing.verdict(p))
                for p in pacing.per_domain
            ),
        ),
        calibration=tuple(
            ConfidenceLevel(level=c.level, label=c.label, answered=c.answered,
                            percent=round(c.percent, 1), verdict=c.verdict)
            for c in history_stats.calibration(history, bank_id)
        ),
    )


def readiness(history: History, bank: Bank) -> Readiness:
    """The readiness part of ``learning_report`` alone (what the home screen shows): one
    aggregate query."""
    return _readiness(history.fresh_tallies(bank.id), bank, bank.domain_label)


def _readiness(
    counted: list[tuple[str | None, bool, int, float]], bank: Bank, label: Label
) -> Readiness:

    weights: dict[str | None, float] = (
        {d.id: d.weight for d in bank.domains} if bank.domains else {None: 1.0})
    tallies = {domain: learning.Tally(n, credit)
               for domain, is_fresh, n, credit in counted if is_fresh}
    r = learning.readiness(tallies, weights, pass_percent(bank))
    return Readiness(
        estimate=round1(r.estimate), low=round1(r.low), high=round1(r.high),
        pass_percent=round(r.pass_percent, 1), verdict=r.verdict,
        fresh_answers=r.fresh_answers,
        gain=None if r.estimate is None else label(r.gain),
    )


def readiness_text(readiness: Readiness | None) -> str:
    """ "ready: est. 71% (64-78), pass mark 75%: not yet · most to gain: Org" """
    if readiness is None:
        return "ready: the bank file is not at hand (its blueprint and pass mark are needed)"
    if readiness.estimate is None or readiness.low is None or readiness.high is None:
        return (f"ready: not enough fresh answers yet ({readiness.fresh_answers} of "
                f"{MIN_FRESH} needed)")
    return (f"ready: est. {readiness.estimate:.0f}% ({readiness.low:.0f}-"
            f"{readiness.high:.0f}), pass mark {readiness.pass_percent:.0f}%: "
            f"{readiness.verdict} · most to gain: {readiness.gain}")


RECALL_NOTE = ("recall: predicted chance of a right answer now, over the questions last "
               "reviewed a day or more ago (– until a day has passed)")
"""Said under the recall figures (stats screen, ``examsim stats``): core/spaced.py's rule."""


def learning_text(r: Learning) -> list[str]:
    """The readiness line, fresh vs repeat accuracy and what changing answers did."""
    lines = [readiness_text(r.readiness)]
    fresh, repeat = r.fresh, r.repeat
    line = f"fresh answers {fresh.answers}, {_percent(fresh.percent)} right"
    if repeat.answers:
        line += f" · repeats {repeat.answers}, {_percent(repeat.percent)} right"
        if r.remembered:
            line += f" ({r.remembered} possibly remembered)"
    lines.append(line)
    c = r.answer_changes
    total = c.wrong_to_right + c.right_to_wrong + c.wrong_to_wrong
    if total:
        noun = "answer" if total == 1 else "answers"
        lines.append(f"you changed {total} {noun}: {c.wrong_to_right} "
                     f"wrong->right, {c.right_to_wrong} right->wrong, "
                     f"{c.wrong_to_wrong} wrong->wrong: {c.reading}")
        for d in c.per_domain:
            lines.append(f"  {d.label}: {d.wrong_to_right} wrong->right, "
                         f"{d.right_to_wrong} right->wrong, {d.wrong_to_wrong} "
                         f"wrong->wrong")
    return lines


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def domain_names(attempts: Sequence[AttemptRow], bank: Bank | None = None) -> dict[str, str]:
    """Each domain id's name for the report: the bank's when it is found, else the newest
    attempt's that names it (an attempt keeps its bank's names as they were)."""
    names: dict[str, str] = {}
    for attempt in reversed(attempts):  # newest first: read oldest first, newest wins
        names.update(attempt.domains)
    if bank is not None:
        names.update({d.id: d.label for d in bank.domains})
    return names


def domain_label(labels: Mapping[str, str]) -> Label:
    """A domain id's name: from ``labels``, else the id; "(no domain)" for None."""
    def label(domain: str | None) -> str:
        return "(no domain)" if domain is None else labels.get(domain) or domain
    return label


def score_summary(attempt: AttemptRow | None) -> ScoreSummary | None:
    """One attempt's score as the report shows it ("best", "latest"); None for none."""
    if attempt is None:
        return None
    return ScoreSummary(attempt_id=attempt.id, finished=attempt.finished,
                        percent=round1(attempt.percent), scaled=attempt.scaled,
                        passed=attempt.passed, status=attempt.status)


def round1(value: float | None) -> float | None:
    """``value`` rounded to one decimal; None stays None."""
    return None if value is None else round(value, 1)
