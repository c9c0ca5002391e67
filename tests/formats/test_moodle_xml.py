"""Moodle XML: multichoice, truefalse, categories; parsed with defusedxml."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsim.core.formats import moodle_xml
from examsim.core.formats.common import FormatError


def test_sample_file(fixtures: Path) -> None:
    result = moodle_xml.read((fixtures / "sample.xml").read_text(encoding="utf-8"))
    assert [q.id_hint for q in result.questions] == ["sec-hash", "Two ciphers", "TLS"]
    assert result.questions[0].question == {
        "domain": "Security",
        "topics": ["crypto"],
        "stem": "Which of these is a hash function?\n\n[image: A digest (hash.png)]",
        "options": [{"text": "SHA-256", "why": "Right."},
                    {"text": "AES", "why": "A cipher, not a hash."}, "a < b"],
        "answer": ["A"],
        "explanation": "SHA-256 & friends.",
    }
    assert result.questions[1].question["answer"] == ["A", "C"]
    tls = result.questions[2].question
    assert tls["stem"] == "TLS 1.0 is still recommended."
    assert tls["options"] == [{"text": "True", "why": "It is deprecated."}, "False"]
    assert tls["answer"] == ["B"]
    assert [(s.where.line, s.where.name, s.reason) for s in result.skipped] == [
        (42, "Port", "Moodle short-answer questions are not multiple choice"),
        (47, "No full marks", "no answer is fully right (100%); the best is worth 50%"),
    ]


def test_entity_declarations_are_refused() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><quiz>&b;</quiz>')
    with pytest.raises(FormatError, match="refused"):
        moodle_xml.read(bomb)


@pytest.mark.parametrize(("text", "message"), [
    ("<quiz><question></quiz>", "XML syntax error"),
    ("<html></html>", "the root element is <html>, not <quiz>"),
    ("", "XML syntax error"),
])
def test_unreadable_files(text: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        moodle_xml.read(text)


def test_bad_fraction_and_true_false_without_key() -> None:
    text = """<quiz>
<question type="multichoice"><questiontext><text>Q?</text></questiontext>
<answer fraction="lots"><text>a</text></answer><answer fraction="0"><text>b</text></answer>
</question>
<question type="truefalse"><questiontext><text>T?</text></questiontext>
<answer fraction="0"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
</question>
</quiz>"""
    result = moodle_xml.read(text)
    assert [(s.where.line, s.reason) for s in result.skipped] == [
        (2, "answer 1 has fraction 'lots', not a number"),
        (5, "a true/false question needs exactly one of true/false worth 100%"),
    ]
