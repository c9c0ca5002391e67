"""HTML to readable plain text, for question text that comes from Moodle and GIFT.

Paragraphs and line breaks become newlines, list items ``- ``, table cells `` | ``;
``<pre>`` keeps its layout; entities are decoded; scripts, styles and comments vanish;
an image becomes a note ``[image: ALT (PATH)]``; a link keeps its address after the text.

Python's HTMLParser takes quadratic time on some broken HTML (``<a <a <a ...`` without a
``>``: at the end it looks for the end of each tag again from its start). So the text is
first made well-formed in one linear pass (:func:`tidy`): a ``<`` that does not start a
complete tag, comment or declaration (one that ends before the next ``<``) is text and
written ``&lt;``; only then does the parser see it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

PARAGRAPH = {
    "p", "div", "pre", "blockquote", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4",
    "h5", "h6", "section", "article", "header", "footer", "figure", "form", "fieldset",
}
LINE = {"br", "tr", "li", "dt", "dd", "hr", "caption", "figcaption"}
HIDDEN = {"script", "style", "head", "title", "template", "noscript"}
HTML_TAGS = PARAGRAPH | LINE | {
    "a", "b", "i", "u", "s", "em", "strong", "span", "font", "sub", "sup", "img", "code",
    "td", "th", "tbody", "thead", "small", "big", "tt", "kbd", "var", "mark", "strike",
    "center", "html", "body", "abbr", "cite", "q", "del", "ins", "label", "audio", "video",
}
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")
# A complete tag as the parser reads it, in one try that never passes the next "<" (no
# part of it matches "<"): name, attributes (quoted values hold no "<" or ">"), ">".
_WHOLE_TAG = re.compile(
    r"""</?[a-zA-Z][a-zA-Z0-9:-]*"""
    r"""(?:[\s/]+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))?)*[\s/]*>"""
)
_DECLARATION = re.compile(r"<[!?][^<>]*>")  # <!DOCTYPE ...>, <?xml ...?>: ignored
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
PLUGINFILE = "@@PLUGINFILE@@/"


def looks_like_html(text: str) -> bool:
    """True when text holds a known HTML tag or an entity such as ``&amp;``."""
    if _ENTITY.search(text):
        return True
    return any(m.group(1).lower() in HTML_TAGS for m in _TAG.finditer(text))


def image_note(path: str, alt: str = "") -> str:
    """``[image: PATH]``, or ``[image: ALT (PATH)]`` when the alt text says more."""
    path = path.strip()
    if path.startswith(PLUGINFILE):
        path = unquote(path[len(PLUGINFILE):])
    parts = urlsplit(path)
    if not parts.scheme and parts.query:
        path = path.split("?", 1)[0]
    alt = " ".join(alt.split())
    name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if not path:
        return f"[image: {alt}]" if alt else "[image]"
    if alt and alt.lower() not in {"image", "img", "picture", name.lower()}:
        return f"[image: {alt} ({path})]"
    return f"[image: {path}]"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.pre = 0
        self.hidden = 0
        self.links: list[tuple[str, int]] = []
        self.cells = 0

    def _trim(self) -> int:
        """Drop trailing spaces; return how many newlines end the text so far."""
        while self.out and not self.out[-1].strip(" \t"):
            if "\n" in self.out[-1]:
                break
            self.out.pop()
        if self.out:
            self.out[-1] = self.out[-1].rstrip(" \t")
        tail = "".join(self.out[-3:])
        return len(tail) - len(tail.rstrip("\n"))

    def _break(self, count: int) -> None:
        have = self._trim()
        if self.out:
            self.out.append("\n" * max(0, count - have))

    def _write(self, text: str) -> None:
        if self.hidden:
            return
        if self.pre:
            self.out.append(text)
            return
        text = re.sub(r"\s+", " ", text.replace("\xa0", " "))
        tail = "".join(self.out[-2:])
        if not tail or tail.endswith(("\n", " ")):
            text = text.lstrip(" ")
        if text:
            self.out.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in HIDDEN:
            self.hidden += 1
        elif tag == "pre":
            self._break(2)
            self.pre += 1
        elif tag in PARAGRAPH:
            self._break(2)
        elif tag == "tr":
            self._break(1)
            self.cells = 0
        elif tag in {"td", "th"}:
            if self.cells:
                self._write(" | ")
            self.cells += 1
        elif tag == "li":
            self._break(1)
            self._write("- ")
        elif tag == "br":
            self._trim()
            self.out.append("\n")
        elif tag in LINE:
            self._break(1)
        elif tag == "img":
            self._write(" " + image_note(values.get("src", ""), values.get("alt", "")) + " ")
        elif tag == "a":
            self.links.append((values.get("href", ""), len(self.out)))
        elif tag == "sup":
            self._write("^")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in {"img", "br", "hr"}:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self._break(2)
        elif tag in PARAGRAPH:
            self._break(2)
        elif tag in {"li", "tr", "dt", "dd"}:
            self._break(1)
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            # the link's text, or its last 64 pieces: links nested 1000s deep (broken
            # HTML) made this join quadratic
            shown = "".join(self.out[max(start, len(self.out) - 64):]).strip()
            if href.startswith(("http://", "https://")) and href not in shown and shown:
                self._write(f" ({href})")
            elif href.startswith(PLUGINFILE):
                self._write(f" [file: {unquote(href[len(PLUGINFILE):])}]")

    def handle_data(self, data: str) -> None:
        self._write(data)

    def text(self) -> str:
        lines = "".join(self.out).split("\n")
        text = "\n".join(line.rstrip() for line in lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def tidy(html: str) -> str:
    """``html`` with every ``<`` that starts no complete tag, comment or declaration
    written ``&lt;`` (linear: each ``<`` is tried once, and no try passes the next ``<``
    except a comment's, which looks for its ``-->`` once for all the comments after)."""
    out: list[str] = []
    last = 0
    comment_end = -2  # where the next "-->" is (-1: there is none left; -2: not looked)
    at = html.find("<")
    while at >= 0:
        end = -1
        if html.startswith("<!--", at):
            if comment_end != -1 and comment_end < at + 4:
                comment_end = html.find("-->", at + 4)
            end = comment_end + 3 if comment_end >= 0 else -1
        else:
            match = _WHOLE_TAG.match(html, at) or _DECLARATION.match(html, at)
            end = match.end() if match else -1
        if end < 0:
            out.append(html[last:at] + "&lt;")
            last = at + 1
            at = html.find("<", at + 1)
        else:
            at = html.find("<", end)
    out.append(html[last:])
    return "".join(out)


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML fragment."""
    parser = _Text()
    parser.feed(tidy(html))
    parser.close()
    return parser.text()
