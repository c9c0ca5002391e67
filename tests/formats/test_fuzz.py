"""Fuzz: random text never makes an importer raise anything but FormatError, and
whatever it imports always makes a bank that validates."""

from __future__ import annotations

from types import ModuleType
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examsim.core.formats import aiken, csv_format, gift, markdown, moodle_xml, writer
from examsim.core.formats.common import FormatError

TOKENS = {
    gift: ["::", "{", "}", "~", "=", "#", "####", "%50%", "%-100%", "%100%", "\\", "->",
           "[html]", "[markdown]", "T", "FALSE", "//", "$CATEGORY:", "<p>", "_", ":"],
    aiken: ["ANSWER: ", "A) ", "B. ", "C)", "Z) ", "ANSWER:", "a, b", "I. "],
    markdown: ["#### Q1. ", "## ", "- [ ] ", "- [x] ", "- [X]", "```", "```python", "  ",
               "[Reference](http://x)", "![i](p.png)", "&amp;", "&shy;", "\\_", "`"],
    csv_format: ["question", "answer", ",", ";", "\t", '"', "A", "B", "option1",
                 "correct_answer", "wrong_answer1", "explanation", "B;D", "2"],
    moodle_xml: ['<question type="multichoice">', '<question type="truefalse">',
                 '<question type="category">', "</question>", "<quiz>", "</quiz>", "<text>",
                 "</text>", '<answer fraction="100">', '<answer fraction="-50">',
                 "</answer>", "<questiontext>", "</questiontext>", "<single>false</single>",
                 "<![CDATA[<p>x</p>]]>", "true", "false", "<category>", "</category>",
                 "<feedback>", "</feedback>", "<name>", "</name>", "&amp;", "<!--", "-->"],
}
COMMON = ["\n", "\n\n", "\r\n", "\r", " ", "x", "y", "Q?", "é", "\u00ad", "\x00", "<", ">",
          "&", "\\n"]


def soup(module: ModuleType) -> st.SearchStrategy[str]:
    tokens = st.sampled_from(TOKENS[module] + COMMON)
    return st.one_of(st.text(max_size=200), st.lists(tokens, max_size=60).map("".join))


def check(module: ModuleType, text: str) -> None:
    try:
        result = module.read(text)
    except FormatError as exc:
        assert exc.message
        return
    built = writer.build([("fuzz", result)], "fuzz")
    assert len(built.kept) + len(built.skipped) >= len(result.questions)
    if built.data["questions"]:
        writer.dumps(built.data)  # validates the whole bank, raises if it would not load


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("module", list(TOKENS), ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_random_text(module: ModuleType) -> None:
    @FUZZ
    @given(soup(module))
    def run(text: str) -> None:
        check(module, text)

    run()


@FUZZ
@given(st.lists(st.sampled_from(TOKENS[moodle_xml] + COMMON), max_size=40).map("".join))
def test_moodle_xml_inside_a_quiz(body: str) -> None:
    check(moodle_xml, f"<quiz>{body}</quiz>")


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
_ANSWER = st.builds(
    lambda fraction, text, why: f'<answer fraction="{fraction}"><text>{escape(text)}</text>'
                                f"<feedback><text>{escape(why)}</text></feedback></answer>",
    st.sampled_from(["100", "0", "50", "-100", "33.33333", "x", ""]), _TEXT, _TEXT)
_QUESTION = st.builds(
    lambda kind, stem, single, answers: f'<question type="{kind}"><questiontext format="html">'
    f"<text>{escape(stem)}</text></questiontext><single>{single}</single>"
    + "".join(answers) + "</question>",
    st.sampled_from(["multichoice", "truefalse", "category", "essay", ""]), _TEXT,
    st.sampled_from(["true", "false", "0"]), st.lists(_ANSWER, max_size=10))


@FUZZ
@given(st.lists(_QUESTION, max_size=5))
def test_moodle_xml_well_formed(questions: list[str]) -> None:
    check(moodle_xml, "<quiz>" + "".join(questions) + "</quiz>")
