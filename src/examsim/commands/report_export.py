"""``examsim export --report [--attempt ID | --last | --all] [-o FOLDER | FILE.md]``: the
score report of full exams as Markdown, one file per attempt (core/score_report.py).

Without ``-o`` the files go into the data dir's ``exports/`` folder; ``-o FOLDER`` puts
them there; ``-o FILE.md`` (one attempt) names the file; ``-o -`` prints. Files are
named ``examsim-report-ID.md`` and never overwritten without ``--force``. Sessions (any
attempt that is not a full exam) have no score report: asked for one by id, this says
so; ``--all`` skips them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core import score_report
from ..core.bank import Bank
from ..core.scoring import DEFAULT_PASS_PERCENT, pass_percent
from ..storage.history import History
from ..storage.locations import data_dir, history_path
from ..storage.records import AttemptRow
from ..storage.safe_files import WriteError, write_file
from . import CommandError, bank_by_id
from .output import write_document


def run(args: argparse.Namespace) -> int:
    path = history_path(args.data_dir)
    if not path.exists():
        raise CommandError("no history yet: finish a full exam first")
    with History(path) as history:
        attempts = _attempts(history, args)
        banks: dict[str, Bank | None] = {}
        texts = []
        for attempt in attempts:
            if attempt.bank_id not in banks:
                banks[attempt.bank_id] = bank_by_id(attempt.bank_id, args.data_dir)
            texts.append((attempt, report_markdown(history, attempt, banks[attempt.bank_id])))
    target = args.output
    if target == "-":
        write_document("\n".join(text for _, text in texts))
        return 0
    folder = Path(target).expanduser() if target else data_dir(args.data_dir) / "exports"
    single = target and not folder.is_dir() and len(texts) == 1 and folder.suffix == ".md"
    if not single:
        folder.mkdir(parents=True, exist_ok=True)
    for attempt, text in texts:
        file = folder if single else folder / f"examsim-report-{attempt.id}.md"
        _write(file, text, args.force)
        print(f"wrote the score report of attempt {attempt.id} to {file}")
    return 0


def _attempts(history: History, args: argparse.Namespace) -> list[AttemptRow]:
    if args.all:
        found = [a for a in history.attempts(scored_only=True, full_only=True)][::-1]
        if not found:
            raise CommandError("no finished full exam yet: score reports are for full exams")
        return found
    if args.attempt is not None:
        attempt = history.attempt(args.attempt)
        if attempt is None:
            raise CommandError(f"there is no attempt {args.attempt}")
    else:
        exams = history.attempts(limit=1, scored_only=True, full_only=True)
        if not exams:
            raise CommandError("no finished full exam yet: score reports are for full exams")
        attempt = exams[0]
    if not attempt.scored:
        raise CommandError(f"attempt {attempt.id} is {attempt.status.replace('_', ' ')}: "
                           "only a finished attempt has a score report")
    if not attempt.full:
        raise CommandError(f"attempt {attempt.id} is a {attempt.mode} session, not a full "
                           "exam: score reports are for full exams")
    return [attempt]


def report_markdown(history: History, attempt: AttemptRow, bank: Bank | None) -> str:
    """One stored full exam's score report as Markdown (bank text made safe to show)."""
    answers = history.answers(attempt.id)
    lines = [score_report.Line(a.domain, a.scored, a.credit, a.answered, a.flagged,
                               a.seconds, a.seen, ">" in a.trail) for a in answers]
    labels: dict[str | None, str] = {key: label for key, label in attempt.domains.items()}
    weights: dict[str, float] = {}
    needed = DEFAULT_PASS_PERCENT
    pass_label = f"{needed:g}%"
    if bank is not None:
        labels = {d.id: d.label for d in bank.domains} or labels
        weights = {d.id: d.weight for d in bank.domains}
        needed = pass_percent(bank)
        rule = bank.settings.scaled_score
        pass_label = f"{rule.pass_mark}/{rule.max}" if rule is not None else f"{needed:g}%"
    report = score_report.build(
        lines, title=attempt.bank_title, passed=bool(attempt.passed), scaled=attempt.scaled,
        pass_label=pass_label, pass_percent=needed, labels=labels, weights=weights,
        elapsed=attempt.elapsed, time_limit=attempt.time_limit,
        notes=() if bank is not None else (
            "The bank file was not found: no domain weights; classification against 70%.",),
    )
    when = f"Attempt {attempt.id} · finished {attempt.finished or ''}"
    return _safe(score_report.markdown(report, when))


def _safe(text: str) -> str:
    """No control character of bank text reaches a file or a terminal (tab, newline kept)."""
    return "".join(ch if ch in "\t\n" or (ch >= " " and not "\x7f" <= ch <= "\x9f")
                   else f"\\x{ord(ch):02x}" for ch in text)


def _write(path: Path, text: str, force: bool) -> None:
    """Through a temporary file in the folder (storage/safe_files.py): a symlink planted
    at ``path`` is replaced, never written through; an existing file needs --force."""
    try:
        write_file(path, text, replace=force)
    except FileExistsError:
        raise CommandError(f"{path} exists; use --force to overwrite it") from None
    except WriteError as exc:
        raise CommandError(str(exc)) from None
