"""The bank format: pydantic models that validate a bank file, then build the bank.

A bank file has a ``[bank]`` table of settings, optional ``[[domains]]`` and one or more
``[[questions]]``. The models here validate one piece each; rules that span pieces
(unique ids, domain membership, weights, questions_per_exam) live in :func:`cross_check`
so that the loader can report every problem of a file, not only the first.

A validated model is turned into the plain runtime objects of :mod:`examsim.core.bank`
(:func:`to_bank`); nothing outside validation holds a model. This module (and pydantic)
is imported by what validates: ``load_bank`` (core/formats/native.py), the importers'
writer, a bank cache miss, ``schema``, and tests through :func:`validate_bank`. The model
classes keep the names of the runtime classes: pydantic's messages ("a valid dictionary
or instance of Option") and the JSON Schema's ``$defs`` use them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from . import bank as runtime
from .bank import LETTERS, MAX_OPTIONS, MAX_QUESTIONS, MAX_SCALED, MAX_TIME_LIMIT, MIN_OPTIONS
from .bank import WEIGHT_TOLERANCE as WEIGHT_TOLERANCE

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


def _as_tuple(questions: Sequence[Question]) -> tuple[Question, ...]:
    return tuple(questions)


def _no_settings() -> BankSettings:
    return BankSettings.model_validate({})


class Bank(_Model):
    """A whole bank: settings, domains and questions, validated as one."""

    settings: BankSettings = Field(default_factory=_no_settings, alias="bank")
    domains: tuple[Domain, ...] = ()
    questions: Annotated[Sequence[Question], AfterValidator(_as_tuple)] = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)

    @model_validator(mode="after")
    def _cross(self) -> Bank:
        problems = cross_check(self.settings, self.domains, list(enumerate(self.questions)))
        if problems:
            raise ValueError(
                "; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in problems)
            )
        return self


def validate_bank(data: Any) -> runtime.Bank:
    """Validate a bank's data (a bank file's parsed keys) as one; raises pydantic's
    ``ValidationError`` (a ValueError). ``load_bank`` reports a bad file's problems one
    by one with their lines instead (core/formats/native.py)."""
    return to_bank(Bank.model_validate(data))


def to_bank(model: Bank) -> runtime.Bank:
    """The runtime bank of a validated model (validated values, so nothing is checked)."""
    questions = tuple(
        runtime.Question(
            id=q.id, domain=q.domain, topics=q.topics, stem=q.stem,
            options=tuple([runtime.Option(text=o.text, why=o.why) for o in q.options]),
            answer=q.answer, explanation=q.explanation, references=q.references)
        for q in model.questions)
    return runtime.Bank(settings=to_settings(model.settings),
                        domains=tuple(to_domain(d) for d in model.domains),
                        questions=questions)


def to_settings(model: BankSettings) -> runtime.BankSettings:
    scaled = model.scaled_score
    return runtime.BankSettings(
        id=model.id, title=model.title, description=model.description,
        time_limit=model.time_limit, questions_per_exam=model.questions_per_exam,
        pass_percent=model.pass_percent,
        scaled_score=None if scaled is None else runtime.ScaledScore(
            min=scaled.min, max=scaled.max, pass_mark=scaled.pass_mark),
        partial_credit=model.partial_credit, unscored=model.unscored)


def to_domain(model: Domain) -> runtime.Domain:
    return runtime.Domain(id=model.id, name=model.name, weight=model.weight)


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
