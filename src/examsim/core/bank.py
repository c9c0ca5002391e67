"""A bank at run time: plain, immutable objects for the settings, domains and questions.

These classes validate nothing: they hold what was validated before. A bank file is
validated by the pydantic models of :mod:`examsim.core.bank_model` (``load_bank`` in
core/formats/native.py, the importers, ``bank_model.validate_bank``), which then build
these objects; the bank cache (storage/bank_cache.py) builds them from an entry written
after such a validation. So starting an exam from a cached bank imports no pydantic.

Each class has ``__slots__``, refuses assignment, is equal and hashable by its fields'
values and pickles by value. For tests and tools they keep the part of pydantic's API
that was used on the bank models: ``model_fields`` (the field names, in the file's
order), ``model_dump(mode=, by_alias=, exclude_unset=, exclude_none=)``,
``model_dump_json`` and ``model_fields_set``. A field counts as set when it differs from
its default (required fields always), so ``model_dump(exclude_unset=True)`` leaves out
what equals its default.

Letters: option letters are those of the bank file (A = first option in the file). The
screen may show options in another order; everything stored uses bank letters.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, Literal, overload

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


class FrozenError(ValueError):
    """Raised on an assignment to a bank object (a ValueError, as pydantic's was)."""


_REQUIRED: Any = object()  # the default of a required field: never equal to a value
_set = object.__setattr__  # how the constructors fill the slots of a frozen object


class _Value:
    """The base of the bank's classes: slots, immutable, equal and hashable by value.

    A subclass lists its fields in ``model_fields`` (the order of the bank file and of
    ``model_dump``), their defaults in ``_defaults`` and the keys of the file that differ
    from a field's name in ``_aliases``.
    """

    __slots__ = ()
    model_fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}
    _aliases: ClassVar[dict[str, str]] = {}

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.model_fields])

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenError(f"{type(self).__name__} is immutable: {name} cannot be set")

    def __delattr__(self, name: str) -> None:
        raise FrozenError(f"{type(self).__name__} is immutable: {name} cannot be deleted")

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            assert isinstance(other, _Value)
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.model_fields)
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), self._values())

    @property
    def model_fields_set(self) -> set[str]:
        """The fields that differ from their default (required fields always)."""
        defaults = self._defaults
        return {name for name in self.model_fields
                if getattr(self, name) != defaults.get(name, _REQUIRED)}

    def model_dump(
        self, *, mode: Literal["python", "json"] | str = "python", by_alias: bool = False,
        exclude_unset: bool = False, exclude_none: bool = False,
    ) -> dict[str, Any]:
        """The fields as a dict, nested objects as dicts, as pydantic's ``model_dump``
        made them: tuples stay tuples (``mode="json"``: lists)."""
        as_list = mode == "json"
        result: dict[str, Any] = {}
        fields = self.model_fields_set if exclude_unset else self.model_fields
        for name in self.model_fields:
            if name not in fields:
                continue
            value = getattr(self, name)
            if value is None and exclude_none:
                continue
            key = self._aliases.get(name, name) if by_alias else name
            result[key] = _dumped(value, as_list, by_alias, exclude_unset, exclude_none)
        return result

    def model_dump_json(self, *, by_alias: bool = False, exclude_unset: bool = False,
                        exclude_none: bool = False) -> str:
        """``model_dump(mode="json")`` as compact JSON text (as pydantic writes it)."""
        data = self.model_dump(mode="json", by_alias=by_alias, exclude_unset=exclude_unset,
                               exclude_none=exclude_none)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _dumped(value: Any, as_list: bool, by_alias: bool, exclude_unset: bool,
            exclude_none: bool) -> Any:
    if isinstance(value, _Value):
        return value.model_dump(mode="json" if as_list else "python", by_alias=by_alias,
                                exclude_unset=exclude_unset, exclude_none=exclude_none)
    if isinstance(value, tuple | LazyQuestions):
        items = [_dumped(item, as_list, by_alias, exclude_unset, exclude_none)
                 for item in value]
        return items if as_list else tuple(items)
    return value


def _rebuild(cls: type[_Value], values: tuple[Any, ...]) -> _Value:
    """An object of ``cls`` from its field values (how the bank's objects unpickle)."""
    return cls(**dict(zip(cls.model_fields, values, strict=True)))


class Option(_Value):
    """One answer option: its text and, optionally, why it is right or wrong."""

    __slots__ = ("text", "why")
    model_fields = ("text", "why")
    _defaults = {"why": None}
    text: str
    why: str | None

    def __init__(self, *, text: str, why: str | None = None) -> None:
        _set(self, "text", text)
        _set(self, "why", why)


class Domain(_Value):
    """A weighted part of a full exam."""

    __slots__ = ("id", "name", "weight")
    model_fields = ("id", "name", "weight")
    _defaults = {"name": None}
    id: str
    name: str | None
    weight: float  # share of a full exam, in percent

    def __init__(self, *, id: str, weight: float, name: str | None = None) -> None:
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "weight", weight)

    @property
    def label(self) -> str:
        return self.name or self.id


class ScaledScore(_Value):
    """A scaled score such as AWS's 100-1000 with 750 to pass."""

    __slots__ = ("max", "min", "pass_mark")
    model_fields = ("min", "max", "pass_mark")
    _aliases = {"pass_mark": "pass"}
    min: int
    max: int
    pass_mark: int

    def __init__(self, *, min: int, max: int, pass_mark: int) -> None:
        _set(self, "min", min)
        _set(self, "max", max)
        _set(self, "pass_mark", pass_mark)


class BankSettings(_Value):
    """The ``[bank]`` table."""

    __slots__ = ("description", "id", "partial_credit", "pass_percent", "questions_per_exam",
                 "scaled_score", "time_limit", "title", "unscored")
    model_fields = ("id", "title", "description", "time_limit", "questions_per_exam",
                    "pass_percent", "scaled_score", "partial_credit", "unscored")
    _defaults = {"id": None, "title": None, "description": "", "time_limit": None,
                 "questions_per_exam": None, "pass_percent": None, "scaled_score": None,
                 "partial_credit": False, "unscored": 0}
    id: str | None  # defaults to the file name
    title: str | None
    description: str
    time_limit: float | None  # minutes for a full exam
    questions_per_exam: int | None  # default: all questions
    pass_percent: float | None
    scaled_score: ScaledScore | None
    partial_credit: bool  # choose-N questions earn a share of a point per right letter
    unscored: int  # questions of a full exam drawn at random as unscored

    def __init__(
        self, *, id: str | None = None, title: str | None = None,
        description: str = "", time_limit: float | None = None,
        questions_per_exam: int | None = None, pass_percent: float | None = None,
        scaled_score: ScaledScore | None = None, partial_credit: bool = False,
        unscored: int = 0,
    ) -> None:
        _set(self, "id", id)
        _set(self, "title", title)
        _set(self, "description", description)
        _set(self, "time_limit", time_limit)
        _set(self, "questions_per_exam", questions_per_exam)
        _set(self, "pass_percent", pass_percent)
        _set(self, "scaled_score", scaled_score)
        _set(self, "partial_credit", partial_credit)
        _set(self, "unscored", unscored)


class Question(_Value):
    """One multiple-choice question; several answer letters make it "choose N"."""

    __slots__ = ("_fingerprint", "answer", "domain", "explanation", "id", "options",
                 "references", "stem", "topics")
    model_fields = ("id", "domain", "topics", "stem", "options", "answer", "explanation",
                    "references")
    _defaults = {"domain": None, "topics": (), "explanation": "", "references": ()}
    id: str  # stable: history follows it across bank edits
    domain: str | None
    topics: tuple[str, ...]
    stem: str
    options: tuple[Option, ...]
    answer: tuple[str, ...]  # bank letters, sorted; several for "choose N"
    explanation: str
    references: tuple[str, ...]
    _fingerprint: str | None

    def __init__(
        self, *, id: str, stem: str, options: tuple[Option, ...],
        answer: tuple[str, ...], domain: str | None = None, topics: tuple[str, ...] = (),
        explanation: str = "", references: tuple[str, ...] = (),
    ) -> None:
        _set(self, "id", id)
        _set(self, "domain", domain)
        _set(self, "topics", topics)
        _set(self, "stem", stem)
        _set(self, "options", options)
        _set(self, "answer", answer)
        _set(self, "explanation", explanation)
        _set(self, "references", references)
        _set(self, "_fingerprint", None)

    @property
    def fingerprint(self) -> str:
        """sha256 of what the question asks: stem, option texts and key, as the JSON
        ``[stem, [texts], [letters]]`` without spaces. Computed once per question (the
        history and snapshots key question versions by it on every autosave)."""
        found = self._fingerprint
        if found is None:
            data = [self.stem, [option.text for option in self.options], list(self.answer)]
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            found = hashlib.sha256(text.encode("utf-8")).hexdigest()
            _set(self, "_fingerprint", found)
        return found

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
        if isinstance(other, LazyQuestions | tuple | Picked):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"LazyQuestions({len(self.ids)} questions)"

    def by_id(self) -> _ById:
        """Question id -> question, making only the questions looked up."""
        return _ById(self, {qid: i for i, qid in enumerate(self.ids)})

    def by_domain(self) -> dict[str | None, Picked]:
        """Domain id (None: no domain) -> its questions in file order, made when used."""
        positions: dict[str | None, list[int]] = {}
        for i, domain in enumerate(self.domains):
            positions.setdefault(domain, []).append(i)
        return {domain: Picked(tuple(found), self.at) for domain, found in positions.items()}


class Picked(Sequence[Question]):
    """Some questions picked by key (a position in a :class:`LazyQuestions`, an id in a
    bank), in order, each fetched when used: a bank's questions of one domain
    (``LazyQuestions.by_domain``) and the questions of an attempt (core/session.py)."""

    __slots__ = ("_fetch", "_keys")

    def __init__(self, keys: tuple[Any, ...], fetch: Callable[[Any], Question]) -> None:
        self._keys = keys
        self._fetch = fetch

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> Question: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Question, ...]: ...

    def __getitem__(self, index: int | slice) -> Question | tuple[Question, ...]:
        if isinstance(index, slice):
            return tuple(map(self._fetch, self._keys[index]))
        return self._fetch(self._keys[index])

    def __iter__(self) -> Iterator[Question]:
        return map(self._fetch, self._keys)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyQuestions | tuple | Picked):
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


_NO_SETTINGS = BankSettings()


class Bank(_Value):
    """A whole bank: settings, domains and questions, validated before as one.

    ``questions`` is a tuple, or a :class:`LazyQuestions` in a bank from the bank cache
    (the same questions, each made when first used). Two banks are equal when their
    fields, file and file hash are; the hash is that of the fields.
    """

    __slots__ = ("_by_domain", "_by_id", "_source", "_source_hash", "domains", "questions",
                 "settings")
    model_fields = ("settings", "domains", "questions")
    _defaults = {"settings": _NO_SETTINGS, "domains": ()}
    _aliases = {"settings": "bank"}
    settings: BankSettings
    domains: tuple[Domain, ...]
    questions: Sequence[Question]
    _by_id: Mapping[str, Question]
    _by_domain: Mapping[str | None, Sequence[Question]]
    _source: str | None
    _source_hash: str | None

    def __init__(
        self, *, questions: Sequence[Question], settings: BankSettings = _NO_SETTINGS,
        domains: tuple[Domain, ...] = (),
    ) -> None:
        _set(self, "settings", settings)
        _set(self, "domains", domains)
        _set(self, "_source", None)
        _set(self, "_source_hash", None)
        if isinstance(questions, LazyQuestions):
            _set(self, "questions", questions)
            _set(self, "_by_id", questions.by_id())
            _set(self, "_by_domain", questions.by_domain())
            return
        questions = tuple(questions)
        _set(self, "questions", questions)
        _set(self, "_by_id", {q.id: q for q in questions})
        by_domain: dict[str | None, list[Question]] = {}
        for question in questions:
            by_domain.setdefault(question.domain, []).append(question)
        _set(self, "_by_domain", {key: tuple(group) for key, group in by_domain.items()})

    def __eq__(self, other: object) -> bool:
        if type(other) is Bank:
            return (self._source == other._source and self._source_hash == other._source_hash
                    and self._values() == other._values())
        return NotImplemented

    def __hash__(self) -> int:
        return super().__hash__()

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild_bank, (self.settings, self.domains, tuple(self.questions),
                               self._source, self._source_hash)

    @property
    def source(self) -> str | None:
        """The file this bank was read from, when it came from a file."""
        return self._source

    @property
    def source_hash(self) -> str | None:
        """sha256 of the file's bytes, when it came from a file."""
        return self._source_hash

    def with_source(self, source: str, source_hash: str) -> Bank:
        """This bank, read from ``source`` whose bytes have the sha256 ``source_hash``
        (a copy: the questions and the lookups are shared)."""
        bank = Bank.__new__(Bank)
        for name in Bank.__slots__:
            _set(bank, name, getattr(self, name))
        _set(bank, "_source", source)
        _set(bank, "_source_hash", source_hash)
        return bank

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


def _rebuild_bank(settings: BankSettings, domains: tuple[Domain, ...],
                  questions: tuple[Question, ...], source: str | None,
                  source_hash: str | None) -> Bank:
    """A bank from its pickled parts (see ``Bank.__reduce__``)."""
    bank = Bank(settings=settings, domains=domains, questions=questions)
    return bank if source is None or source_hash is None else bank.with_source(
        source, source_hash)
