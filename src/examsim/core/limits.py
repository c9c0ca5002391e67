"""The bounds the command line, the start form and the bank format share.

A module of its own, with no imports: the command line checks ``--questions`` and
``--time`` while it parses, before it knows whether it will load a bank at all.
"""

from __future__ import annotations

MAX_QUESTIONS = 1_000_000  # questions_per_exam, --questions
MAX_TIME_MINUTES = 10_000  # the longest time limit anyone may ask for (about a week)
# Bank and import files larger than this are refused before they are read or parsed
# (README: "Limits"); the 10,000-question bank of the benchmarks is 30 MB. Here, so that
# the bank cache checks it without importing the validation (pydantic).
MAX_BYTES = 50 * 1024 * 1024
