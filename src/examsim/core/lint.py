"""Content lint: what can be checked about a valid bank beyond its format.

The format rules live in the bank model; these are editorial checks a bank author wants
(``examsim validate --lint``) and that the bundled banks must pass in the tests.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict

from .bank import Bank, Question
from .lint_content import Profile, check
from .lint_issue import CHOOSE, LintIssue
from .safe_text import bidi, controls, name, shown

MAX_STEM = 2500
MAX_OPTION = 500
NEAR_DUPLICATE = 0.8
SHINGLE = 5
WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}


def lint(bank: Bank, profile: Profile | None = None) -> list[LintIssue]:
    """Every finding; with a ``profile`` (lint_content.PROFILES) also the content figures
    that miss its limits."""
    issues: list[LintIssue] = []
    for question in bank.questions:
        issues.extend(_question(question))
    issues.extend(_near_duplicates(bank))
    issues.extend(_topics(bank))
    issues.extend(_domain_counts(bank))
    if profile is not None:
        issues.extend(check(bank, profile))
    return issues


Field = tuple[str | None, str, str | None, tuple[str | int, ...]]


def text_fields(bank: Bank) -> list[Field]:
    """Every text of the bank as (question id or None, field name, text, where in the
    file): the bank's id, title and description, each domain's id and name, each
    question's id, domain, topics, stem, options and their whys, explanation, references."""
    fields: list[Field] = []
    settings = bank.settings
    for field in ("id", "title", "description"):
        fields.append((None, f"bank.{field}", getattr(settings, field), ("bank", field)))
    for index, domain in enumerate(bank.domains):
        for field in ("id", "name"):
            fields.append((None, f"domain #{index + 1}: {field}", getattr(domain, field),
                           ("domains", index, field)))
    for index, q in enumerate(bank.questions):
        def at(field: str, index: int = index) -> tuple[str | int, ...]:
            return ("questions", index, field)

        fields.append((q.id, "id", q.id, at("id")))
        fields.append((q.id, "domain", q.domain, at("domain")))
        fields.extend((q.id, "topics", topic, at("topics")) for topic in q.topics)
        fields.append((q.id, "stem", q.stem, at("stem")))
        for letter, option in zip("ABCDEFGH", q.options, strict=False):
            fields.append((q.id, f"option {letter}", option.text, at("options")))
            fields.append((q.id, f"option {letter}.why", option.why, at("options")))
        fields.append((q.id, "explanation", q.explanation, at("explanation")))
        fields.extend((q.id, "references", ref, at("references")) for ref in q.references)
    return fields


def control_characters(bank: Bank) -> list[LintIssue]:
    """Control characters (but tab and newline) in any text of the bank: one issue per
    field that holds some. They never reach the screen (it shows placeholders such as ␛),
    but they are never what an author meant either. ``validate`` always checks this."""
    issues: list[LintIssue] = []
    for question, field, text, where in text_fields(bank):
        found = controls(text or "")
        if found:
            names = ", ".join(name(c) for c in found)
            plural = "s" if len(found) > 1 else ""
            pictures = "".join(shown(c) for c in found)
            issues.append(LintIssue(question, f"control character{plural} {names} (shown as "
                                              f"{pictures}); remove {'them' if plural else 'it'}",
                                    where=where, field=field))
    return issues


def bidi_controls(bank: Bank) -> list[LintIssue]:
    """Explicit bidi controls (U+202A-202E embeddings and overrides, U+2066-2069 isolates)
    in any text of the bank: one warning per field that holds some. They are valid text,
    but a terminal that does bidi would reorder what follows them ("Trojan Source"), so
    every screen spells them out (``\\u202e``) and the text never reads as the author
    meant. Right-to-left marks (U+200E, U+200F) are not reported. ``validate`` always
    checks this; a warning does not make the bank invalid."""
    issues: list[LintIssue] = []
    for question, field, text, where in text_fields(bank):
        found = bidi(text or "")
        if found:
            names = ", ".join(name(c) for c in found)
            several = len(found) > 1
            issues.append(LintIssue(
                question,
                f"bidi control{'s' if several else ''} {names} (shown spelled out "
                f"as {''.join(shown(c) for c in found)}); remove {'them' if several else 'it'}",
                severity="warning", where=where, field=field))
    return issues


def stated_choose(stem: str) -> int | None:
    """The N of a "(Choose N.)" in the stem, if it states one."""
    match = CHOOSE.search(stem)
    return WORD_NUMBERS[match.group(1).lower()] if match else None


def _question(q: Question) -> list[LintIssue]:
    found: list[LintIssue] = []
    stated = stated_choose(q.stem)
    if q.choose > 1 and stated is None:
        found.append(LintIssue(q.id, f'the key has {q.choose} letters but the stem does not say '
                                     f'"(Choose {q.choose}.)"'))
    elif stated is not None and stated != q.choose:
        found.append(LintIssue(q.id, f"the stem says choose {stated} but the key has "
                                     f"{q.choose} letter(s)"))
    missing = [chr(65 + i) for i, o in enumerate(q.options) if not (o.why or "").strip()]
    if missing:
        found.append(LintIssue(q.id, f"option(s) {', '.join(missing)} have no why"))
    if not q.explanation.strip():
        found.append(LintIssue(q.id, "no explanation"))
    if not q.topics:
        found.append(LintIssue(q.id, "no topics"))
    if len(q.stem) > MAX_STEM:
        found.append(LintIssue(q.id, f"stem is {len(q.stem)} characters (over {MAX_STEM})"))
    for i, option in enumerate(q.options):
        if len(option.text) > MAX_OPTION:
            found.append(LintIssue(q.id, f"option {chr(65 + i)} is {len(option.text)} "
                                         f"characters (over {MAX_OPTION})"))
    return found


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    if len(words) < SHINGLE:
        return {tuple(words)}
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def comparable(stem: str) -> str:
    """A stem as the duplicate check sees it: without a "(Choose N.)", in lower case,
    words only (punctuation and spacing dropped)."""
    return " ".join(re.findall(r"[a-z0-9]+", CHOOSE.sub(" ", stem).lower()))


def _near_duplicates(bank: Bank) -> list[LintIssue]:
    """Pairs of stems that are the same but for a "(Choose N.)", case or punctuation, or
    whose 5-word shingles overlap by NEAR_DUPLICATE (Jaccard) or more. (Shingles alone
    missed short stems: one differing only by "(Choose two.)" shared too few of them.)"""
    texts = [comparable(q.stem) for q in bank.questions]
    issues = []
    first: dict[str, int] = {}
    for i, text in enumerate(texts):
        if text and text in first:
            qa, qb = bank.questions[first[text]], bank.questions[i]
            issues.append(LintIssue(qb.id, f"stem is a near duplicate of {qa.id}"))
        first.setdefault(text, i)
    group = [first[text] for text in texts]  # the same stems: reported above, once each
    sets = [_shingles(text) for text in texts]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, shingles in enumerate(sets):
        for s in shingles:
            index[s].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for members in index.values():
        if len(members) > 50:  # boilerplate phrase shared by many stems
            continue
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1 :]:
                shared[(a, b)] += 1
    for (a, b), common in shared.items():
        union = len(sets[a]) + len(sets[b]) - common
        if group[a] != group[b] and union and common / union >= NEAR_DUPLICATE:
            qa, qb = bank.questions[a], bank.questions[b]
            issues.append(LintIssue(qb.id, f"stem is a near duplicate of {qa.id}"))
    return issues


def _topics(bank: Bank) -> list[LintIssue]:
    counts = Counter(t for q in bank.questions for t in q.topics)
    issues = []
    by_fold: dict[str, set[str]] = defaultdict(set)
    for topic in counts:
        by_fold[" ".join(topic.casefold().split())].add(topic)
    for spellings in by_fold.values():
        if len(spellings) > 1:
            issues.append(LintIssue(None, f"topic spelled several ways: {sorted(spellings)}"))
    for topic, count in sorted(counts.items()):
        if count != 1:
            continue
        owner = next(q.id for q in bank.questions if topic in q.topics)
        others = [t for t in counts if t != topic]
        close = difflib.get_close_matches(topic, others, n=1, cutoff=0.85)
        if close:
            issues.append(LintIssue(owner, f"topic {topic!r} is used once and looks like a "
                                           f"misspelling of {close[0]!r}"))
        elif len(bank.questions) >= 20:
            issues.append(LintIssue(owner, f"topic {topic!r} is used only once", "note"))
    return issues


def _domain_counts(bank: Bank) -> list[LintIssue]:
    """In a bank that is one full exam, each domain holds its weight's share of questions."""
    total = len(bank.questions)
    per_exam = bank.settings.questions_per_exam or total
    if not bank.domains or per_exam != total:
        return []
    counts = Counter(q.domain for q in bank.questions)
    issues = []
    for domain in bank.domains:
        expected = domain.weight * total / 100
        if abs(counts[domain.id] - expected) >= 1:
            issues.append(LintIssue(None, f"domain {domain.id!r} has {counts[domain.id]} "
                                          f"questions; its weight {domain.weight:g}% of {total} "
                                          f"is {expected:.1f}"))
    return issues
