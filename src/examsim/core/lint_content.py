"""Content figures of a bank, and the limits a professional-level exam bank holds them to.

``figures(bank)`` measures what a bank's difficulty and fairness can be read from: the
median stem length, how often the key of a single-answer question is its longest option,
how evenly the key letters are spread (bank letters, A = first option in the file, before
any shuffle on screen), questions without references, cost-qualified and choose-N
questions. ``examsim validate --lint`` prints these for every bank.

The limits (``PROFILES``) only make sense for a professional-level certification bank (a
short-stem quiz such as banks/sample.toml is a fine bank), so they apply only when asked
for: ``examsim validate --lint --profile professional``. docs/content.md gives the rules.

Bank text is hostile input: nothing here returns bank text (only numbers, letters and
question ids), and every measure is one linear pass (the regular expressions have only
bounded repeats).
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass

from .bank import LETTERS, Bank, Question
from .lint_issue import CHOOSE, LintIssue

# a sentence ends at . ! or ? followed by white space
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_COST = re.compile(
    r"\bmost\s+cost[-\s]?(?:effective|efficient)(?:ly)?\b"
    r"|\b(?:lowest|least)\s+(?:[a-z]+\s+){0,2}?(?:costs?|expensive|costly|price)\b"
    r"|\bcheapest\b"
    r"|\bminimi[sz]e[sd]?\s+(?:[a-z]+\s+){0,2}?costs?\b|\bminimi[sz]ing\s+(?:[a-z]+\s+){0,2}?costs?\b"
    r"|\breduces?\s+(?:[a-z]+\s+){0,3}?costs?\s+(?:[a-z]+\s+){0,2}?the\s+most\b"
    r"|\bmost\s+reduces?\s+(?:[a-z-]+\s+){0,4}?costs?\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Figures:
    """What ``figures`` measured; every count is of questions."""

    questions: int
    median_stem_words: float
    shortest_stem_words: int
    single: int                      # single-answer questions
    key_longest: int                 # ...whose key is at least as long as every other option
    key_letters: tuple[int, ...]     # single-answer keys per letter A.. (bank letters)
    expected_letters: tuple[float, ...]  # what an even spread would give per letter
    longest_run: int                 # most single-answer keys in a row with the same letter
    without_references: tuple[str, ...]  # ids, in file order
    cost_qualified: int
    choose_n: int

    @property
    def key_longest_share(self) -> float:
        return self.key_longest / self.single if self.single else 0.0

    def line(self) -> str:
        """One line for ``validate --lint``: numbers and letters only, no bank text."""
        letters = " ".join(f"{LETTERS[i]} {n}" for i, n in enumerate(self.key_letters))
        return (
            f"median stem {_number(self.median_stem_words)} words "
            f"(shortest {self.shortest_stem_words}), "
            f"key is the longest option in {self.key_longest}/{self.single} single-answer "
            f"({self.key_longest_share:.0%}), key letters {letters or 'none'} "
            f"(longest run {self.longest_run}), without references {len(self.without_references)}, "
            f"cost-qualified {self.cost_qualified}, choose-N {self.choose_n}"
        )


@dataclass(frozen=True, slots=True)
class Profile:
    """The limits a bank of one exam level is held to (docs/content.md)."""

    name: str
    min_median_stem_words: float
    max_key_longest_share: float
    letter_tolerance: float          # share of the even count a letter may miss it by...
    letter_slack: float              # ...but never less than this many questions
    max_run: int
    references_required: bool
    min_cost_share: float            # of all questions (rounded up)
    min_choose_share: float


PROFESSIONAL = Profile(
    name="professional",
    min_median_stem_words=140,
    max_key_longest_share=0.30,
    letter_tolerance=0.20,
    letter_slack=2,
    max_run=4,
    references_required=True,
    min_cost_share=12 / 75,
    min_choose_share=20 / 75,
)
PROFILES = {PROFESSIONAL.name: PROFESSIONAL}


def _number(value: float) -> str:
    """151, 35.5: a median of word counts is a whole number or a half (no exponent)."""
    return f"{value:.1f}".removesuffix(".0")


def stem_words(stem: str) -> int:
    return len(stem.split())


def question_sentence(stem: str) -> str:
    """The sentence that asks: the last one with a "?" (a trailing "(Choose N.)" aside),
    else the last sentence."""
    sentences = [s for s in _SENTENCE_END.split(CHOOSE.sub(" ", stem).strip()) if s]
    asking = [s for s in sentences if "?" in s]
    return (asking or sentences or [""])[-1]


def cost_qualified(stem: str) -> bool:
    """The question sentence asks for the MOST cost-effective, LOWEST cost, least
    expensive, cheapest, cost-minimising or most cost-reducing answer."""
    return _COST.search(question_sentence(stem)) is not None


def key_is_longest(question: Question) -> bool:
    """A single-answer key at least as long (characters, spacing squeezed) as every other
    option: a tie counts, as "pick the longest" still finds the key half the time."""
    lengths = [len(" ".join(option.text.split())) for option in question.options]
    key = LETTERS.index(question.answer[0])
    return all(lengths[key] >= n for i, n in enumerate(lengths) if i != key)


def figures(bank: Bank) -> Figures:
    questions = bank.questions
    words = [stem_words(q.stem) for q in questions]
    single = [q for q in questions if q.choose == 1]
    width = max((len(q.options) for q in single), default=0)
    letters = [0] * width
    expected = [0.0] * width
    run = longest = 0
    previous = ""
    for q in single:
        letter = q.answer[0]
        letters[LETTERS.index(letter)] += 1
        for i in range(len(q.options)):
            expected[i] += 1 / len(q.options)
        run = run + 1 if letter == previous else 1
        longest = max(longest, run)
        previous = letter
    return Figures(
        questions=len(questions),
        median_stem_words=statistics.median(words),
        shortest_stem_words=min(words),
        single=len(single),
        key_longest=sum(key_is_longest(q) for q in single),
        key_letters=tuple(letters),
        expected_letters=tuple(expected),
        longest_run=longest,
        without_references=tuple(q.id for q in questions if not q.references),
        cost_qualified=sum(cost_qualified(q.stem) for q in questions),
        choose_n=len(questions) - len(single),
    )


def check(bank: Bank, profile: Profile) -> list[LintIssue]:
    """The figures of ``bank`` that miss ``profile``'s limits, one error each."""
    f = figures(bank)
    level = profile.name
    issues: list[LintIssue] = []
    if f.median_stem_words < profile.min_median_stem_words:
        issues.append(LintIssue(None, f"median stem is {_number(f.median_stem_words)} words; a "
                                      f"{level} bank needs at least "
                                      f"{profile.min_median_stem_words:g}"))
    if f.key_longest_share > profile.max_key_longest_share:
        issues.append(LintIssue(None, f"the key is the longest option in {f.key_longest} of "
                                      f"{f.single} single-answer questions "
                                      f"({f.key_longest_share:.0%}); a {level} bank allows "
                                      f"at most {profile.max_key_longest_share:.0%}"))
    for i, (count, even) in enumerate(zip(f.key_letters, f.expected_letters, strict=True)):
        allowed = max(profile.letter_slack, profile.letter_tolerance * even)
        if abs(count - even) > allowed:
            issues.append(LintIssue(None, f"key letter {LETTERS[i]} is the key of {count} "
                                          f"single-answer questions; an even spread is "
                                          f"{even:.1f} (a {level} bank allows {allowed:.1f} "
                                          f"either way)"))
    if f.longest_run > profile.max_run:
        issues.append(LintIssue(None, f"{f.longest_run} single-answer questions in a row have "
                                      f"the same key letter; a {level} bank allows "
                                      f"{profile.max_run}"))
    if profile.references_required:
        issues.extend(LintIssue(qid, "no references") for qid in f.without_references)
    need = math.ceil(profile.min_cost_share * f.questions - 1e-9)
    if f.cost_qualified < need:
        issues.append(LintIssue(None, f"{f.cost_qualified} cost-qualified questions (MOST "
                                      f"cost-effective, LOWEST cost); a {level} bank of "
                                      f"{f.questions} needs at least {need}"))
    need = math.ceil(profile.min_choose_share * f.questions - 1e-9)
    if f.choose_n < need:
        issues.append(LintIssue(None, f"{f.choose_n} choose-N questions; a {level} bank of "
                                      f"{f.questions} needs at least {need}"))
    return issues
