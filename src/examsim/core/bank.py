"""The bank format: pydantic models for a bank file and its questions.

A bank file has a ``[bank]`` table of settings, optional ``[[domains]]`` and one or more
``[[questions]]``. The models here validate one piece each; rules that span pieces
(unique ids, domain membership, weights, questions_per_exam) live in :func:`cross_check`
so that the loader can report every problem of a file, not only the first.

Letters: option letters are those of the bank file (A = first option in the file). The
screen may show options in another order; everything stored uses bank letters.
"""

from __future__ import annotations

import functools
import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Annotated, Any, overload

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    StringConstraints,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)

from .gc_pause import gc_paused
from .limits import MAX_QUESTIONS as MAX_QUESTIONS  # re-exported: the bank format's bound
from .limits import MAX_TIME_MINUTES

LETTERS = "ABCDEFGH"
MIN_OPTIONS = 2
MAX_OPTIONS = len(LETTERS)
WEIGHT_TOLERANCE = 0.01
# Every number of a bank has a bound (and inf / NaN are refused): a time limit of 1e308
# minutes would overflow the timer, a 5000-digit key count the database.
MAX_TIME_LIMIT = MAX_TIME_MINUTES  # minutes, about a week (the same bound as `run --time`)
MAX_SCALED = 1_000_000

# Characters that show nothing although str.isspace() says they are not blank: format
# characters (zero-width space U+200B, joiners, BOM, soft hyphen), controls, and fillers.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _visible(text: str) -> str:
    """Text with at least one character that shows; ASCII text passed the ``\\S``
    pattern already (the common case costs one isascii call)."""
    if text.isascii():
        return text
    first = text[0]
    if first.isprintable() and not first.isspace() and first not in _FILLERS:
        return text  # printable: not a format, control or separator character
    for char in text:
        if (not char.isspace() and char not in _FILLERS
                and unicodedata.category(char) not in _INVISIBLE_CATEGORIES):
            return text
    first = next((c for c in text if not c.isspace()), text[:1])
    raise ValueError(f"must not be empty: it holds only invisible characters "
                     f"(such as U+{ord(first):04X})")


NonEmptyStr = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]

# Answer letters as written (a-h or A-H) to their capital, and capitals to their index.
# Exactly the one-character strings whose .upper() is in LETTERS (a test checks every
# code point).
_UPPER = {**{c: c for c in LETTERS}, **{c.lower(): c for c in LETTERS}}
_INDEX = {c: i for i, c in enumerate(LETTERS)}


def _squeezed(text: str) -> str:
    """``" ".join(text.split())``: runs of whitespace as one space, none at either end.

    Printable ASCII text can hold no whitespace but the space; without a double space or
    one at either end it is already squeezed (the common case, about 10x cheaper).
    """
    if (
        text.isascii() and text.isprintable() and "  " not in text
        and text[:1] != " " and text[-1:] != " "
    ):
        return text
    return " ".join(text.split())


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, allow_inf_nan=False)


def _option_input(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class Option(_Model):
    """One answer option: its text and, optionally, why it is right or wrong."""

    text: NonEmptyStr
    why: str | None = None


def _answer_input(value: Any) -> Any:
    if isinstance(value, str):
        return [value]
    return value


class Domain(_Model):
    """A weighted part of a full exam."""

    id: NonEmptyStr
    name: str | None = None
    weight: float = Field(gt=0, le=100, description="share of a full exam, in percent")

    @property
    def label(self) -> str:
        return self.name or self.id


class ScaledScore(_Model):
    """A scaled score such as AWS's 100-1000 with 750 to pass."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)

    min: int = Field(ge=0, le=MAX_SCALED)
    max: int = Field(ge=0, le=MAX_SCALED)
    pass_mark: int = Field(alias="pass", ge=0, le=MAX_SCALED)

    @model_validator(mode="after")
    def _ordered(self) -> ScaledScore:
        if not self.min < self.max:
            raise ValueError(f"min ({self.min}) must be below max ({self.max})")
        if not self.min < self.pass_mark <= self.max:
            raise ValueError(
                f"pass ({self.pass_mark}) must be above min ({self.min}) "
                f"and at most max ({self.max})"
            )
        return self


class BankSettings(_Model):
    """The ``[bank]`` table."""

    id: NonEmptyStr | None = Field(None, description="defaults to the file name")
    title: NonEmptyStr | None = None
    description: str = ""
    time_limit: float | None = Field(None, ge=1, le=MAX_TIME_LIMIT,
                                     description="minutes for a full exam")
    questions_per_exam: int | None = Field(None, gt=0, le=MAX_QUESTIONS,
                                           description="default: all questions")
    pass_percent: float | None = Field(None, ge=0, le=100)
    scaled_score: ScaledScore | None = None
    partial_credit: bool = Field(
        False, description="choose-N questions earn a share of a point for each right letter"
    )
    unscored: int = Field(
        0, ge=0, le=1000,
        description="questions of a full exam drawn at random as unscored (not identified "
                    "during the exam; the real SAP-C02 has 10 of 75)",
    )

    @model_validator(mode="after")
    def _one_pass_rule(self) -> BankSettings:
        if self.pass_percent is not None and self.scaled_score is not None:
            raise ValueError("set pass_percent or scaled_score, not both")
        return self


class Question(_Model):
    """One multiple-choice question; several answer letters make it "choose N"."""

    id: NonEmptyStr = Field(description="stable: history follows it across bank edits")
    domain: str | None = None
    topics: tuple[NonEmptyStr, ...] = ()
    stem: NonEmptyStr
    options: tuple[
        Annotated[Option, BeforeValidator(_option_input, json_schema_input_type=str | Option)],
        ...,
    ] = Field(min_length=MIN_OPTIONS, max_length=MAX_OPTIONS)
    answer: Annotated[
        tuple[str, ...],
        BeforeValidator(_answer_input, json_schema_input_type=str | list[str]),
    ] = Field(min_length=1, description='one letter, or several for "choose N"')
    explanation: str = ""
    references: tuple[str, ...] = ()

    @field_validator("stem")
    @classmethod
    def _stem_shows(cls, stem: str) -> str:
        return _visible(stem)

    @field_validator("options")
    @classmethod
    def _distinct(cls, options: tuple[Option, ...]) -> tuple[Option, ...]:
        seen: dict[str, int] = {}
        for index, option in enumerate(options):
            try:
                _visible(option.text)
            except ValueError as exc:
                raise ValueError(f"option {LETTERS[index]}: {exc}") from None
            key = _squeezed(option.text)
            if key in seen:
                raise ValueError(
                    f"options {LETTERS[seen[key]]} and {LETTERS[index]} are identical"
                )
            seen[key] = index
        return options

    @field_validator("answer")
    @classmethod
    def _letters(cls, letters: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        upper = []
        for letter in letters:
            up = _UPPER.get(letter)
            if up is None:  # the same test as len(letter) == 1 and letter.upper() in LETTERS
                hint = f"; write {list(letter)!r}" if len(letter) > 1 and letter.isalpha() else ""
                raise ValueError(f"{letter!r} is not an option letter A-H{hint}")
            upper.append(up)
        if len(set(upper)) != len(upper):
            raise ValueError(f"letters repeat in {upper}")
        options = info.data.get("options")
        if options is not None:
            count = len(options)
            for letter in upper:
                if _INDEX[letter] >= count:
                    raise ValueError(
                        f"{letter!r} names no option (options are A-{LETTERS[count - 1]})"
                    )
        return tuple(sorted(upper))

    @functools.cached_property
    def fingerprint(self) -> str:
        """sha256 of what the question asks: stem, option texts and key, as the JSON
        ``[stem, [texts], [letters]]`` without spaces. Computed once per question (the
        history and snapshots key question versions by it on every autosave)."""
        data = [self.stem, [option.text for option in self.options], list(self.answer)]
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def choose(self) -> int:
        """How many options the answer needs (1 for a single-answer question)."""
        return len(self.answer)

    @property
    def key_indexes(self) -> frozenset[int]:
        return frozenset(LETTERS.index(letter) for letter in self.answer)


class LazyQuestions(Sequence[Question]):
    """A bank's questions, each one made the first time it is used.

    What finding, counting, filtering and drawing questions needs is known up front:
    every question's id, domain and topics, in file order. A question itself comes from
    ``load(i)`` (the bank cache rebuilds it from its entry) on first use and is kept, so
    the same position always gives the same object. Drawing a 75-question exam from a
    10,000-question bank makes 75 questions; iterating makes them all. Equal to any
    sequence of the same questions (a validated bank's tuple).

    Two threads asking for one question at once may both make it; one of the two equal
    objects is kept. ``load`` must not fail for a position below ``len``.
    """

    __slots__ = ("_load", "_made", "domains", "ids", "topics")

    def __init__(
        self,
        ids: tuple[str, ...],
        domains: tuple[str | None, ...],
        topics: tuple[tuple[str, ...], ...],
        load: Callable[[int], Question],
    ) -> None:
        self.ids = ids  # every question's id, domain and topics, in file order
        self.domains = domains
        self.topics = topics
        self._load: Callable[[int], Question] | None = load
        self._made: list[Question | None] = [None] * len(ids)

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Question: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Question, ...]: ...

    def __getitem__(self, index: int | slice) -> Question | tuple[Question, ...]:
        if isinstance(index, slice):
            return tuple(self.at(i) for i in range(len(self.ids))[index])
        return self.at(range(len(self.ids))[index])  # negative and out-of-range as a tuple

    def at(self, position: int) -> Question:
        """The question at ``position`` (0 <= position < len), made if not yet."""
        question = self._made[position]
        if question is None:
            load = self._load
            if load is None:  # another thread's pass made every question meanwhile
                question = self._made[position]
                assert question is not None
            else:
                question = self._made[position] = load(position)
        return question

    def __iter__(self) -> Iterator[Question]:
        # every question is made first, in one pass with the cyclic collector paused (it
        # would scan the new objects again and again); then they are handed out
        if self._load is not None:
            with gc_paused():
                for i in range(len(self.ids)):
                    self.at(i)
            self._load = None  # all made: the loader (and what it holds) can go
        return (self.at(i) for i in range(len(self.ids)))

    def made(self) -> int:
        """How many questions were made so far."""
        return sum(question is not None for question in self._made)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyQuestions | tuple | _Selection):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"LazyQuestions({len(self.ids)} questions)"

    def by_id(self) -> _ById:
        """Question id -> question, making only the questions looked up."""
        return _ById(self, {qid: i for i, qid in enumerate(self.ids)})

    def by_domain(self) -> dict[str | None, _Selection]:
        """Domain id (None: no domain) -> its questions in file order, made when used."""
        positions: dict[str | None, list[int]] = {}
        for i, domain in enumerate(self.domains):
            positions.setdefault(domain, []).append(i)
        return {domain: _Selection(self, tuple(found)) for domain, found in positions.items()}


class _Selection(Sequence[Question]):
    """Some questions of a :class:`LazyQuestions`, by position, made when used."""

    __slots__ = ("_all", "_positions")

    def __init__(self, questions: LazyQuestions, positions: tuple[int, ...]) -> None:
        self._all = questions
        self._positions = positions

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, index: int) -> Question: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Question, ...]: ...

    def __getitem__(self, index: int | slice) -> Question | tuple[Question, ...]:
        if isinstance(index, slice):
            return tuple(self._all.at(i) for i in self._positions[index])
        return self._all.at(self._positions[index])

    def __iter__(self) -> Iterator[Question]:
        return (self._all.at(i) for i in self._positions)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyQuestions | tuple | _Selection):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))


class _ById(Mapping[str, Question]):
    """Question id -> question of a :class:`LazyQuestions`, made when looked up."""

    __slots__ = ("_all", "_positions")

    def __init__(self, questions: LazyQuestions, positions: dict[str, int]) -> None:
        self._all = questions
        self._positions = positions

    def __getitem__(self, question_id: str) -> Question:
        return self._all.at(self._positions[question_id])

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._positions

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


def _as_tuple(questions: Sequence[Question]) -> tuple[Question, ...]:
    return tuple(questions)


def _no_settings() -> BankSettings:
    return BankSettings.model_validate({})


class Bank(_Model):
    """A whole bank: settings, domains and questions, validated as one."""

    settings: BankSettings = Field(default_factory=_no_settings, alias="bank")
    domains: tuple[Domain, ...] = ()
    # a tuple once validated; a bank rebuilt by the bank cache holds a LazyQuestions (the
    # same questions, each made when first used), hence a sequence
    questions: Annotated[Sequence[Question], AfterValidator(_as_tuple)] = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)

    _by_id: Mapping[str, Question] = PrivateAttr(default_factory=dict)
    _by_domain: Mapping[str | None, Sequence[Question]] = PrivateAttr(default_factory=dict)
    _source: str | None = PrivateAttr(None)
    _source_hash: str | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _cross(self) -> Bank:
        problems = cross_check(self.settings, self.domains, list(enumerate(self.questions)))
        if problems:
            raise ValueError(
                "; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in problems)
            )
        return self

    @field_serializer("questions", mode="wrap")
    def _dump_questions(
        self, questions: Sequence[Question], handler: SerializerFunctionWrapHandler
    ) -> Any:
        return handler(tuple(questions))  # a LazyQuestions is dumped as the tuple it equals

    def model_post_init(self, context: Any, /) -> None:
        if isinstance(self.questions, LazyQuestions):
            self._by_id = self.questions.by_id()
            self._by_domain = self.questions.by_domain()
            return
        self._by_id = {q.id: q for q in self.questions}
        by_domain: dict[str | None, list[Question]] = {}
        for question in self.questions:
            by_domain.setdefault(question.domain, []).append(question)
        self._by_domain = {key: tuple(group) for key, group in by_domain.items()}

    @property
    def source(self) -> str | None:
        """The file this bank was read from, when it came from a file."""
        return self._source

    @property
    def source_hash(self) -> str | None:
        """sha256 of the file's bytes, when it came from a file."""
        return self._source_hash

    def with_source(self, source: str, source_hash: str) -> Bank:
        self._source = source
        self._source_hash = source_hash
        return self

    @property
    def id(self) -> str:
        return self.settings.id or "bank"

    @property
    def title(self) -> str:
        return self.settings.title or self.id

    @property
    def domain_ids(self) -> list[str]:
        return [d.id for d in self.domains]

    def question(self, question_id: str) -> Question:
        return self._by_id[question_id]

    def has_question(self, question_id: str) -> bool:
        return question_id in self._by_id

    def question_ids(self) -> tuple[str, ...]:
        """Every question's id, in file order (without making a lazy bank's questions)."""
        if isinstance(self.questions, LazyQuestions):
            return self.questions.ids
        return tuple(q.id for q in self.questions)

    def question_domains(self) -> tuple[str | None, ...]:
        """Every question's domain, in file order (without making a lazy bank's questions)."""
        if isinstance(self.questions, LazyQuestions):
            return self.questions.domains
        return tuple(q.domain for q in self.questions)

    def question_topics(self) -> tuple[tuple[str, ...], ...]:
        """Every question's topics, in file order (without making a lazy bank's questions)."""
        if isinstance(self.questions, LazyQuestions):
            return self.questions.topics
        return tuple(q.topics for q in self.questions)

    def questions_in(self, domain_id: str | None) -> Sequence[Question]:
        """The questions of one domain (None: those without one), in file order."""
        return self._by_domain.get(domain_id, ())

    def domain_label(self, domain_id: str | None) -> str:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain.label
        return domain_id or "(no domain)"


Loc = tuple[str | int, ...]


def cross_check(
    settings: BankSettings | None,
    domains: tuple[Domain, ...] | list[Domain],
    questions: list[tuple[int, Question]],
    question_ids: list[tuple[int, str]] | None = None,
    other_domains: list[tuple[int, object]] | None = None,
) -> list[tuple[Loc, str]]:
    """Rules that span pieces of a bank. Returns (location, message) pairs.

    ``questions`` holds the valid questions with their index in the file;
    ``question_ids`` may add the ids of questions that failed validation, so that a
    duplicate id is still reported; ``other_domains`` the domain values (None when absent)
    of questions that failed validation, so that an unknown domain is reported together
    with their other problems, not only once those are fixed.
    """
    problems: list[tuple[Loc, str]] = []
    ids = question_ids if question_ids is not None else [(i, q.id) for i, q in questions]
    first_seen: dict[str, int] = {}
    for index, qid in ids:
        if qid in first_seen:
            problems.append(
                (("questions", index, "id"),
                 f"duplicate id {qid!r} (first used by question #{first_seen[qid] + 1})")
            )
        else:
            first_seen[qid] = index
    domain_ids: dict[str, int] = {}
    for index, domain in enumerate(domains):
        if domain.id in domain_ids:
            problems.append((("domains", index, "id"), f"duplicate domain id {domain.id!r}"))
        domain_ids.setdefault(domain.id, index)
    if domains:
        total = sum(d.weight for d in domains)
        if abs(total - 100) > WEIGHT_TOLERANCE:
            problems.append((("domains", "weight"), f"weights add up to {total:g}, not 100"))
        known = ", ".join(domain_ids)
        given = [(index, question.domain) for index, question in questions]
        given += [(index, value) for index, value in other_domains or ()
                  if value is None or isinstance(value, str)]  # other types: reported already
        for index, value in sorted(given, key=lambda pair: pair[0]):
            if value is None:
                problems.append(
                    (("questions", index, "domain"), f"missing; the bank's domains are {known}")
                )
            elif value not in domain_ids:
                problems.append(
                    (("questions", index, "domain"),
                     f"unknown domain {value!r}; the bank's domains are {known}")
                )
    if settings is not None and settings.questions_per_exam is not None:
        count = len(ids)
        if settings.questions_per_exam > count:
            problems.append(
                (("bank", "questions_per_exam"),
                 f"{settings.questions_per_exam} is more than the {count} questions in the bank")
            )
    if settings is not None and settings.unscored:
        exam = settings.questions_per_exam or len(ids)
        if settings.unscored >= exam:
            problems.append(
                (("bank", "unscored"),
                 f"{settings.unscored} unscored leaves no scored question of the {exam} in a "
                 "full exam")
            )
    return problems


def bank_json_schema() -> dict[str, Any]:
    """The JSON Schema of a bank file, for editors."""
    schema = Bank.model_json_schema(by_alias=True, mode="validation")
    schema["title"] = "examsim bank"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
