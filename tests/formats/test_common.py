"""Shared pieces: decoding, HTML to text, slugs, keys from weights."""

from __future__ import annotations

import pytest

from examsim.core.formats.common import (
    FormatError,
    ImportResult,
    Skip,
    Where,
    decode,
    key_from_weights,
    slug,
)
from examsim.core.formats.htmltext import html_to_text, image_note, looks_like_html


def test_decode_utf8_bom_and_cp1252() -> None:
    assert decode("é".encode()) == ("é", None)
    assert decode(b"\xef\xbb\xbfabc") == ("abc", None)
    text, note = decode("caf\u00e9 \u2019\nna\u00efve".encode("cp1252"))
    assert text == "café ’\nnaïve"
    assert note is not None and "line 1" in note and "cp1252" in note
    assert decode("ok".encode("utf-16"))[0] == "ok"
    text, note = decode(b"\x81\x8d")  # undefined in cp1252
    assert note is not None and "Latin-1" in note
    with pytest.raises(FormatError, match="binary"):
        decode(b"abc\n\x00def")


@pytest.mark.parametrize(("html", "text"), [
    ("<p>One</p><p>Two</p>", "One\n\nTwo"),
    ("a<br>b<br/><br />c", "a\nb\n\nc"),
    ("<ul><li>x</li><li>y</li></ul>", "- x\n- y"),
    ("<pre>  keep\n    this</pre>", "keep\n    this"),
    ("a &amp; b&nbsp;c &lt;d&gt;", "a & b c <d>"),
    ("<script>alert(1)</script>ok<!-- hidden -->", "ok"),
    ('<a href="https://x.org/a">docs</a>', "docs (https://x.org/a)"),
    ('<a href="https://x.org/a">https://x.org/a</a>', "https://x.org/a"),
    ('<img src="@@PLUGINFILE@@/my%20pic.png" alt="">', "[image: my pic.png]"),
    ("x<sup>2</sup>", "x^2"),
    ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>",
     "a | b\nc | d"),
])
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_looks_like_html() -> None:
    assert looks_like_html("a <b>bold</b>") and looks_like_html("x &amp; y")
    assert not looks_like_html("List<String> and a < b")


def test_image_note() -> None:
    assert image_note("images/Q1.png?raw=png", "Q1") == "[image: images/Q1.png]"
    assert image_note("a/chart.png", "Sales by month") == "[image: Sales by month (a/chart.png)]"
    assert image_note("https://x.org/i.png?s=1") == "[image: https://x.org/i.png?s=1]"


def test_slug() -> None:
    assert slug("Jesus' hometown") == "jesus-hometown"
    assert slug("06- création d'instance") == "06-creation-dinstance"
    assert slug("日本語") == ""


def test_key_from_weights() -> None:
    result = ImportResult()
    where = Where(1, 1)
    assert key_from_weights([0, 100, 0], True, where, result) == ["B"]
    assert key_from_weights([50, -100, 50], False, where, result) == ["A", "C"]
    assert not result.notes
    assert key_from_weights([33.33333, 33.33333, 33.33333], False, where, result) == \
        ["A", "B", "C"]
    assert not result.notes
    assert key_from_weights([40, 40, 0], False, where, result) == ["A", "B"]
    assert "add up to 80%" in result.notes[-1].message
    with pytest.raises(Skip, match="no correct answer"):
        key_from_weights([0, 0], True, where, result)
    with pytest.raises(Skip, match="no correct answer"):
        key_from_weights([0, -50], False, where, result)
