"""What both lints share: the finding they report and the "(Choose N.)" they read.

``lint`` (the editorial checks) runs ``lint_content.check`` (the content figures) for a
profile, and both report :class:`LintIssue`; it lives here so that neither module
imports the other back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHOOSE = re.compile(r"\(\s*(?:choose|select)\s+(two|three|four|five|[2-5])\b[^)]*\)", re.I)


@dataclass(frozen=True, slots=True)
class LintIssue:
    """A finding. Severity "error" makes the bank invalid; a "warning" (validate's bidi
    controls) and a "note" (lint) are worth a look but are not defects."""

    question: str | None
    message: str
    severity: str = "error"
    # where in the file, as the loader locates it: ("bank", "title"), ("domains", 0,
    # "name"), ("questions", 3, "stem"); () when the question (or nothing) says enough
    where: tuple[str | int, ...] = ()
    # the text the finding is about ("stem", "option B.why", "bank.title"), when one is
    field: str | None = None

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}" if self.field else self.message
        text = f"question {self.question}: {text}" if self.question else text
        return f"note: {text}" if self.severity == "note" else text
