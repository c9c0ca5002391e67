"""The content lint, on small banks made here and on every bundled bank."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsim.core.bank import Bank
from examsim.core.bank_model import validate_bank
from examsim.core.formats.native import load_bank
from examsim.core.lint import bidi_controls, lint, stated_choose

BANKS = Path(__file__).resolve().parents[2] / "banks"


def q(qid: str, stem: str, answer: list[str], **extra) -> dict:
    data = {
        "id": qid, "stem": stem, "answer": answer, "topics": ["T"],
        "options": [{"text": f"opt {i}", "why": "because"} for i in range(5)],
        "explanation": "explained",
    }
    data.update(extra)
    return data


def messages(bank: Bank) -> list[str]:
    return [str(i) for i in lint(bank)]


def test_stated_choose() -> None:
    assert stated_choose("Which two? (Choose two.)") == 2
    assert stated_choose("(Select 3)") == 3
    assert stated_choose("Which is best?") is None


def test_choose_n_must_be_stated_and_match() -> None:
    bank = validate_bank({"questions": [
        q("a", "Which ones?", ["A", "B"]),
        q("b", "Which others? (Choose three.)", ["A", "B"]),
        q("c", "Which of them? (Choose two.)", ["A", "C"]),
    ]})
    found = messages(bank)
    assert any("question a:" in m and "does not say" in m for m in found)
    assert any("question b:" in m and "says choose 3" in m for m in found)
    assert not any("question c:" in m for m in found)


def test_missing_why_explanation_topics_and_long_text() -> None:
    opts = [{"text": "x"}, {"text": "y", "why": "ok"}]
    bank = validate_bank({"questions": [
        q("a", "Stem?", ["A"], options=opts, explanation="", topics=[]),
        q("b", "S" * 3000, ["A"]),
    ]})
    found = messages(bank)
    assert "question a: option(s) A have no why" in found
    assert "question a: no explanation" in found
    assert "question a: no topics" in found
    assert any("question b: stem is 3000 characters" in m for m in found)


def test_near_duplicate_stems() -> None:
    base = "A company runs a fleet of web servers behind a load balancer in two regions"
    bank = validate_bank({"questions": [
        q("a", base + " and needs failover.", ["A"]),
        q("b", base + " and needs failover!", ["A"]),
        q("c", "Something else entirely about storage tiers and lifecycle rules here.", ["A"]),
    ]})
    found = messages(bank)
    assert "question b: stem is a near duplicate of a" in found
    assert not any("question c" in m for m in found)


def test_stems_that_differ_only_by_choose_n_case_or_punctuation_are_near_duplicates() -> None:
    bank = validate_bank({"questions": [
        q("a", "Which services store objects?", ["A"]),
        q("b", "Which services store objects? (Choose two.)", ["A", "B"]),
        q("c", "which services store  objects", ["A"]),
        q("d", "Which services store files?", ["A"]),
        q("e", "Which two services store objects durably across regions and "
               "accounts? (Select two)", ["A", "B"]),
        q("f", "Which two services store objects durably across regions and accounts?",
          ["A"]),
    ]})
    found = [m for m in messages(bank) if "near duplicate" in m]
    assert any(m.startswith("question b: stem is a near duplicate of a") for m in found)
    assert any(m.startswith("question c: stem is a near duplicate of a") for m in found)
    assert any(m.startswith("question f: stem is a near duplicate of e") for m in found)
    assert not any(m.startswith("question d") for m in found)
    assert len(found) == 3, found  # each pair once


def test_topic_spellings_and_single_use() -> None:
    qs = [q(f"q{i}", f"Distinct stem number {i} about subject {i * 7}", ["A"],
            topics=["Transit Gateway"]) for i in range(20)]
    qs.append(q("odd", "A stem about a rarely used topic", ["A"], topics=["Transit gateway"]))
    qs.append(q("once", "A stem about another rarely used topic", ["A"], topics=["Athena"]))
    qs.append(q("typo", "A stem about a misspelt topic tag", ["A"], topics=["Transit Gateways"]))
    issues = lint(validate_bank({"questions": qs}))
    found = [str(i) for i in issues]
    assert any("spelled several ways" in m for m in found)
    assert ("question typo: topic 'Transit Gateways' is used once and looks like a misspelling "
            "of 'Transit Gateway'") in found
    note = next(i for i in issues if i.question == "once")
    assert note.severity == "note" and str(note) == (
        "note: question once: topic 'Athena' is used only once")


def test_domain_counts_follow_weights() -> None:
    qs = [q(f"q{i}", f"Unique stem {i} with words {i * 3}", ["A"], domain="a") for i in range(8)]
    qs += [q(f"b{i}", f"Other domain stem {i} details {i * 5}", ["A"], domain="b")
           for i in range(2)]
    bank = validate_bank({
        "domains": [{"id": "a", "weight": 50}, {"id": "b", "weight": 50}], "questions": qs})
    found = messages(bank)
    assert any("domain 'a' has 8 questions" in m for m in found)


@pytest.mark.parametrize("path", sorted(BANKS.glob("*.toml")), ids=lambda p: p.name)
def test_bundled_banks_pass_the_lint(path: Path) -> None:
    assert [str(i) for i in lint(load_bank(path)) if i.severity == "error"] == []


def test_bidi_controls_are_found_per_field_as_warnings() -> None:
    bank = validate_bank({
        "bank": {"title": "T", "description": "d \u2066x\u2069"},
        "questions": [{"id": "q1", "stem": "s \u202dx\u202c and \u202e", "topics": ["t\u2068"],
                       "options": ["a", {"text": "b\u202b", "why": "w"}], "answer": "A",
                       "explanation": "right-to-left mark \u200f only"}],
    })
    found = [(i.question, i.field, i.severity, i.where) for i in bidi_controls(bank)]
    assert found == [
        (None, "bank.description", "warning", ("bank", "description")),
        ("q1", "topics", "warning", ("questions", 0, "topics")),
        ("q1", "stem", "warning", ("questions", 0, "stem")),
        ("q1", "option B", "warning", ("questions", 0, "options")),
    ]
    messages = [i.message for i in bidi_controls(bank)]
    assert messages[2].startswith("bidi controls LRO (U+202D), PDF (U+202C), "
                                  "RLO (U+202E) (shown spelled out as \\u202d\\u202c\\u202e)")
    assert str(bidi_controls(bank)[2]).startswith("question q1: stem: bidi controls LRO")
    assert "FSI (U+2068)" in messages[1] and "RLE (U+202B)" in messages[3]
