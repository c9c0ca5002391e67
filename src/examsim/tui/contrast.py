"""Readable colours in every theme: text keeps a contrast ratio of 4.5:1 (WCAG AA).

Textual's themes pick their text colours for the plain background. examsim also draws
text on the cursor row, on a chosen option, on the panel bars and on the muted warning
and error backgrounds of the timer, where some themes fall short (textual-light's
struck options were rgb(235,235,235) on rgb(224,224,224)). :func:`readable_variables`
takes the CSS variables of a theme and returns the text colours that need a change,
each moved toward black or white just far enough to read on all those backgrounds.
The app applies it in ``get_css_variables``; a test measures the rendered screens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from textual.color import Color

MINIMUM = 4.5  # WCAG AA for normal text
BLACK = Color(0, 0, 0)
WHITE = Color(255, 255, 255)
# the share of the foreground in the muted text (struck options, hints, the strike control)
MUTED = 0.6

# the backgrounds examsim draws text on (over the theme's background when translucent)
BACKGROUNDS = ("background", "surface", "panel", "surface-lighten-1", "primary-muted",
               "boost", "block-cursor-blurred-background")
# the text colours examsim uses, with extra backgrounds each one sits on
TEXT_COLOURS: dict[str, tuple[str, ...]] = {
    "foreground": (),
    "button-foreground": (),  # a copy of the foreground, made before it was changed
    "text-muted": (),
    "text-primary": (),
    "text-secondary": (),
    "text-accent": (),
    "text-success": ("success-muted",),
    "text-warning": ("warning-muted",),
    "text-error": ("error-muted",),
}


@cache  # a theme's check asks it of the same ~30 colours ~1,500 times (on every start)
def luminance(color: Color) -> float:
    """Relative luminance (WCAG 2) of an opaque colour."""

    def channel(value: int) -> float:
        share = value / 255
        return share / 12.92 if share <= 0.03928 else ((share + 0.055) / 1.055) ** 2.4

    red, green, blue = color.rgb
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast_ratio(first: Color, second: Color) -> float:
    """The WCAG contrast ratio of two opaque colours, 1.0 to 21.0."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(color: Color, backgrounds: Iterable[Color], minimum: float = MINIMUM) -> Color:
    """``color`` when it reads on every background; else ``color`` moved toward black
    or white (whichever reads better on the backgrounds) in small steps until it does,
    at most all the way."""
    grounds = list(backgrounds)
    if not grounds or all(contrast_ratio(color, ground) >= minimum for ground in grounds):
        return color
    target = max((BLACK, WHITE),
                 key=lambda end: min(contrast_ratio(end, ground) for ground in grounds))
    for step in range(1, 21):
        moved = color.blend(target, step / 20)
        if all(contrast_ratio(moved, ground) >= minimum for ground in grounds):
            return moved
    return target


def _colour(value: str | None, under: Color) -> Color | None:
    """A variable's colour, laid over ``under`` when translucent; None for ``auto``."""
    if not value or value.startswith("auto"):
        return None
    try:
        color = Color.parse(value)
    except Exception:  # not a colour (a text style); nothing to check
        return None
    return under + color if color.a < 1 else color


def readable_variables(variables: Mapping[str, str]) -> dict[str, str]:
    """The text colours of a theme's ``variables`` that must change to read (as
    ``#RRGGBB``), with ``text-muted`` always concrete (Textual's ``auto 60%`` is worked
    out against whatever the style system thinks lies below, which was wrong for the
    option rows)."""
    base = _colour(variables.get("background"), BLACK)
    foreground = _colour(variables.get("foreground"), base or BLACK)
    if base is None or foreground is None:
        return {}
    # a translucent background (the blurred cursor, boost) is laid over each opaque one
    unders = [base] + [colour for name in ("surface", "panel")
                       if (colour := _colour(variables.get(name), base)) is not None]
    grounds = [colour for name in BACKGROUNDS for under in unders
               if (colour := _colour(variables.get(name), under)) is not None]
    changes: dict[str, str] = {}
    for name, extra in TEXT_COLOURS.items():
        if name == "text-muted":
            shade: Color | None = base.blend(foreground, MUTED)
        else:
            shade = _colour(variables.get(name), base)
        if shade is None:
            continue
        on = grounds + [ground for extra_name in extra
                        if (ground := _colour(variables.get(extra_name), base)) is not None]
        fixed = readable(shade, on)
        if fixed != shade or name == "text-muted":
            changes[name] = fixed.hex
    changes["foreground-muted"] = changes["text-muted"]  # a translucent foreground else
    changes.update(_block_cursor(variables, base))
    changes.update(_footer(variables, base))
    primary = _colour(variables.get("primary"), base)
    if primary is not None:  # the text of a primary button (Start, End exam)
        changes["button-color-foreground"] = text_on(primary).hex
    return changes


def _footer(variables: Mapping[str, str], base: Color) -> dict[str, str]:
    """The footer's keys and their descriptions, on the footer's own background."""
    ground = _colour(variables.get("footer-background"), base)
    if ground is None:
        return {}
    changes = {}
    for name in ("footer-key-foreground", "footer-description-foreground",
                 "footer-foreground"):
        colour = _colour(variables.get(name), ground)
        if colour is not None and (fixed := readable(colour, [ground])) != colour:
            changes[name] = fixed.hex
    return changes


def text_on(ground: Color) -> Color:
    """Black or white text for ``ground``: the one Textual's ``auto`` picks when it reads,
    else the one that reads better."""
    usual = WHITE if ground.get_contrast_text(1.0).brightness > 0.5 else BLACK
    if contrast_ratio(usual, ground) >= MINIMUM:
        return usual
    return max((BLACK, WHITE), key=lambda end: contrast_ratio(end, ground))


def _block_cursor(variables: Mapping[str, str], base: Color) -> dict[str, str]:
    """The focused cursor (the review grid's, lists'): black or white text, whichever
    reads better (Textual's ``auto 87%`` fell short on a saturated cursor); the cursor
    itself moves away from that text when even that is not enough."""
    cursor = _colour(variables.get("block-cursor-background"), base)
    if cursor is None:
        return {}
    text = text_on(cursor)
    changes = {"block-cursor-foreground": text.hex}
    if contrast_ratio(text, cursor) < MINIMUM:
        away = WHITE if text == BLACK else BLACK
        changes["block-cursor-background"] = readable(cursor.blend(away, 0.05), [text]).hex
    return changes
