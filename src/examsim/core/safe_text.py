"""Text that is safe to show: control characters never reach a terminal.

Bank and import files are hostile input. A stem holding ``ESC ] 52 ; ...`` would write
the clipboard, ``ESC [ 2 J`` would blank the screen, ``ESC [ 6 n`` would make the
terminal type a reply. Every path from bank, history or user text to the screen or a
terminal stream goes through :func:`shown`: the C0 controls except tab and newline, DEL
and the C1 controls (U+0080..U+009F, which some terminals obey as 8-bit escapes) become
visible placeholders: the Control Pictures (U+2400..U+2421, e.g. ␛ for ESC) for C0 and
DEL, ``\\x9b`` spelled out for C1. A CR LF pair is a line end and becomes a newline.

Files that keep the data (CSV, JSON) escape the controls instead: :func:`escaped`
spells each one out (``\\x1b``), :func:`json_escaped` writes ``\\u001b`` inside JSON text.
:func:`controls` finds them, for ``validate`` and the importers; :func:`bidi` finds the
bidi controls, for ``validate``'s warnings.

:func:`shown` also spells out the explicit bidirectional controls (U+202A..U+202E
embeddings and overrides, U+2066..U+2069 isolates: ``\u202e``). They are not terminal
escapes, but a terminal that does bidi would reorder the text after them, so that a
stem or an option could read other than it is ("Trojan Source"). Marks that only hint a
direction (U+200E, U+200F) are left as they are: right-to-left text needs them.
"""

from __future__ import annotations

import re

# C0 without tab (09) and newline (0A), DEL, C1
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NAMES = {
    0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x0D: "CR", 0x1B: "ESC",
    0x7F: "DEL", 0x9B: "CSI", 0x9D: "OSC", 0x90: "DCS", 0x9C: "ST",
    0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO",
    0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
}


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ .. ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    if code > 0xFF:
        return f"\\u{code:04x}"  # a bidi control
    return f"\\x{code:02x}"


# C0 without tab and newline, DEL, C1, and the explicit bidi embeddings, overrides, isolates
SHOWN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """``text`` with every control character but tab and newline made visible, and the
    explicit bidi controls spelled out."""
    if SHOWN.search(text) is None:  # the common case: nothing to do
        return text
    return SHOWN.sub(_picture, text.replace("\r\n", "\n"))


def escaped(text: str) -> str:
    """``text`` with every control character but tab and newline spelled out (``\\x1b``),
    for files that keep the data (CSV)."""
    if CONTROL.search(text) is None:
        return text
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


_JSON_RAW = re.compile("[\x7f-\x9f]")


def json_escaped(json_text: str) -> str:
    """JSON text with DEL and C1 written as ``\\u`` escapes too (``json.dumps`` escapes
    C0 itself); they can only stand inside strings, where the escape means the same."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def name(char: str) -> str:
    """``ESC (U+001B)``: a control character named for a message."""
    code = ord(char)
    label = _NAMES.get(code)
    return f"{label} (U+{code:04X})" if label else f"U+{code:04X}"


def controls(text: str) -> list[str]:
    """The control characters in ``text`` (but tab and newline), each once, in order."""
    seen: dict[str, None] = {}
    for match in CONTROL.finditer(text):
        seen.setdefault(match.group(), None)
    return list(seen)


BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi(text: str) -> list[str]:
    """The explicit bidi controls in ``text`` (embeddings, overrides, isolates: what
    :func:`shown` spells out), each once, in order."""
    seen: dict[str, None] = {}
    for match in BIDI.finditer(text):
        seen.setdefault(match.group(), None)
    return list(seen)


def without_controls(text: str) -> str:
    """``text`` with the control characters dropped (CR LF kept as a newline)."""
    if CONTROL.search(text) is None:
        return text
    return CONTROL.sub("", text.replace("\r\n", "\n"))
