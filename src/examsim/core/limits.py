"""The bounds the command line, the start form and the bank format share.

A module of its own, with no imports: the command line checks ``--questions`` and
``--time`` while it parses, before it knows whether it will load a bank at all.
"""

from __future__ import annotations

MAX_QUESTIONS = 1_000_000  # questions_per_exam, --questions
MAX_TIME_MINUTES = 10_000  # the longest time limit anyone may ask for (about a week)
