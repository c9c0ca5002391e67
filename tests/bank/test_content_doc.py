"""docs/content.md stays true: its figures are those lint_content measures on the banks,
and its coverage matrix lists every question of the three exams exactly once."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from examsim.core.formats.native import load_bank
from examsim.core.lint_content import figures

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
EXAMS = {n: load_bank(ROOT / "banks" / f"aws-sap-practice-{n}.toml") for n in (1, 2, 3)}


def table_row(label: str) -> list[str]:
    line = next(line for line in DOC.splitlines() if line.startswith(f"| {label} |"))
    return [cell.strip() for cell in line.strip("|").split("|")][1:]


def test_figures_table_matches_the_banks() -> None:
    expected: dict[str, list[str]] = {}
    for bank in EXAMS.values():  # exams 1, 2, 3 in turn
        f = figures(bank)
        counts = Counter(q.domain for q in bank.questions)
        domains = " / ".join(str(counts[d]) for d in ("org", "new", "imp", "mig"))
        for label, value in [
            ("Questions (org / new / imp / mig)", f"{f.questions} ({domains})"),
            ("Median stem, words (shortest)", f"{f.median_stem_words:g} ({f.shortest_stem_words})"),
            ("Key is the longest option, single-answer",
             f"{f.key_longest}/{f.single} ({f.key_longest_share:.0%})"),
            ("Key letters A / B / C / D (longest run)",
             " / ".join(map(str, f.key_letters)) + f" ({f.longest_run})"),
            ("Questions without references", str(len(f.without_references))),
            ("Cost-qualified questions", str(f.cost_qualified)),
            ("Choose-N questions", str(f.choose_n)),
        ]:
            expected.setdefault(label, []).append(value)
    for label, values in expected.items():
        assert table_row(label) == values, label


def test_coverage_matrix_lists_every_question_once() -> None:
    rows = [line for line in DOC.splitlines() if re.match(r"\| \*\*[1-4]\.[1-6]\*\* ", line)]
    assert len(rows) == 20  # the exam guide's task statements 1.1-1.5, 2.1-2.6, 3.1-3.5, 4.1-4.4
    main: list[str] = []
    for row in rows:
        task = row[4]  # "| **2.3** ...": the domain digit
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        listed = 0
        for n, cell in zip((1, 2, 3), cells[1:4], strict=True):
            ids = re.findall(r"\d:[a-z]+-\d+", re.sub(r"\(also [^)]*\)", "", cell))
            assert all(i.startswith(f"{n}:") for i in ids), (row, cell)
            domain = {"1": "org", "2": "new", "3": "imp", "4": "mig"}[task]
            assert all(i.split(":")[1].startswith(domain) for i in ids), (row, cell)
            main.extend(ids)
            listed += len(ids)
        assert cells[4].split()[0] == str(listed), row
    everything = [f"{n}:{q.id}" for n, bank in EXAMS.items() for q in bank.questions]
    assert sorted(main) == sorted(everything)
