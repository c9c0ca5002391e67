"""The bounds the command line, the start form, the bank format and saved attempts share.

A module of its own, with no imports: the command line checks ``--questions`` and
``--time`` while it parses, before it knows whether it will load a bank at all; the bank
cache and a session use the bounds without importing the models that validate them.
"""

from __future__ import annotations

MAX_QUESTIONS = 1_000_000  # questions_per_exam, --questions
MAX_TIME_MINUTES = 10_000  # the longest time limit anyone may ask for (about a week)
# Bank and import files larger than this are refused before they are read or parsed
# (README: "Limits"); the 10,000-question bank of the benchmarks is 30 MB. Here, so that
# the bank cache checks it without importing the validation (pydantic).
MAX_BYTES = 50 * 1024 * 1024

# Bounds of a stored snapshot's numbers: a snapshot written by an older examsim (or
# edited) with a time limit of 1e308 or inf seconds must not reach the timer; it fails
# to restore, and the history keeps the attempt as abandoned.
MAX_SECONDS = 10**9  # about 31 years, for elapsed time
MAX_SEED = 2**63 - 1
SNAPSHOT_VERSION = 1  # of a saved attempt (core/snapshot.py), in every outline
