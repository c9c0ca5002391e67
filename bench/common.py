"""What the terminal benchmarks (startup, keys, memory) share: their work folder, the
generated bank and environment, the apps they launch and what each shows first."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchlib import (
    BENCH,
    EXAMSIM,
    PYTHON,
    SAMPLE,
    Result,
    Tmux,
    app_env,
    arguments,
    first_questions,
    generated_bank,
    interleave,
    median,
    minimal_app_argv,
    report,
    stem_marker,
    workdir,
)
from minimal_app import line

__all__ = [
    "BENCH",
    "PYTHON",
    "SAMPLE",
    "SEED",
    "Result",
    "Tmux",
    "arguments",
    "compared_cases",
    "interleave",
    "median",
    "minimal_app_argv",
    "minimal_needles",
    "question_needles",
    "question_texts",
    "report",
    "run_argv",
    "terminal_bench",
]

SEED = 1


def run_argv(bank: Path) -> list[str]:
    """``examsim run BANK --seed SEED``."""
    return [EXAMSIM, "run", str(bank), "--seed", str(SEED)]


def question_needles(bank: Path, count: int = 1) -> list[list[str]]:
    """What shows that question k (1..count) is on screen: its number and stem start."""
    stems = first_questions(bank, count, SEED, None)
    return [[f"Question {k + 1}/", stem_marker(stem)] for k, stem in enumerate(stems)]


def minimal_needles(count: int = 1) -> list[list[str]]:
    """The minimal app's line after 0, 1, ... presses."""
    return [[line(k + 1)] for k in range(count)]


@contextmanager
def terminal_bench(name: str, quick: bool) -> Iterator[tuple[Path, Path, dict[str, str]]]:
    """(work folder, generated bank, app environment); the folder goes when done."""
    work = workdir(name)
    try:
        big = generated_bank(300 if quick else 10_000, ".toml")
        yield work, big, app_env(work / "data", work / "cache")
    finally:
        shutil.rmtree(work, ignore_errors=True)


Case = tuple[list[str], list[list[str]], dict[str, str]]


def compared_cases(examsim: str, work: Path, cases: dict[str, Case],
                   names: tuple[str, ...]) -> dict[str, Case]:
    """``NAME (compared)``: each of ``names`` run by another build's examsim script, with
    data and cache dirs of its own. The other build bundles a sample.toml of its own: its
    path in a source checkout (OTHER/.venv/bin/examsim -> OTHER/banks), else its id; it
    runs in the work folder, where no ./banks of ours clashes with it (env -C: one exec
    more, ~1 ms, against the compared build)."""
    other = app_env(work / "data-compared", work / "cache-compared")
    own = Path(examsim).absolute().parents[2] / "banks" / "sample.toml"
    compared: dict[str, Case] = {}
    for name in names:
        argv, needles, _ = cases[name]
        bank = argv[2]
        if Path(bank) == SAMPLE:
            bank = str(own) if own.is_file() else "sample"
        compared[f"{name} (compared)"] = (
            ["env", "-C", str(work), examsim, "run", bank, *argv[3:]], needles, other)
    return compared


def question_texts(bank_path: Path, count: int) -> list[str]:
    """The text of each of the first ``count`` questions that ``examsim run BANK --seed
    SEED`` asks, as much of it as the exam screen draws: the number, the domain and the
    progress, the stem, each option with its gutter and strike control, the answer line
    (for the text baseline of bench_keys: minimal_app.TextApp)."""
    from examsim.core.assemble import AttemptPlan, assemble
    from examsim.core.formats.native import load_bank

    bank = load_bank(bank_path)
    assembly = assemble(bank, AttemptPlan(seed=SEED))
    ids = assembly.question_ids
    texts = []
    for k, qid in enumerate(ids[:count]):
        question = bank.question(qid)
        options = "\n".join(f"  {chr(ord('A') + i)} ○ {option.text.strip()}  ✗"
                            for i, option in enumerate(question.options))
        texts.append(f"Question {k + 1}/{len(ids)}\n"
                     f"{bank.domain_label(question.domain)}   0/{len(ids)} answered · "
                     f"0 flagged\n\n{question.stem.strip()}\n\n{options}\n\nNot answered")
    return texts
