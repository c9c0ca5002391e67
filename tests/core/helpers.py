"""Bank builders, a fake clock and hypothesis strategies for the engine tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from examsim.core.bank import LETTERS, Bank
from examsim.core.bank_model import validate_bank


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def question(qid: str, answer: str | list[str] = "A", options: int = 4, **fields: Any) -> dict:
    data = {
        "id": qid,
        "stem": f"Stem of {qid}?",
        "options": [f"{qid} option {LETTERS[k]}" for k in range(options)],
        "answer": answer,
    }
    data.update(fields)
    return data


def make_bank(
    questions: list[dict] | None = None,
    domains: list[tuple[str, float]] | None = None,
    **settings: Any,
) -> Bank:
    """A bank from question dicts; ``domains`` as (id, weight); settings go to [bank]."""
    settings.setdefault("id", "test")
    data: dict[str, Any] = {"bank": settings, "questions": questions or [question("q1")]}
    if domains:
        data["domains"] = [{"id": d, "name": f"Domain {d}", "weight": w} for d, w in domains]
    return validate_bank(data)


def weighted_bank(per_domain: dict[str, int], weights: dict[str, float], **settings: Any) -> Bank:
    """A bank with ``per_domain[d]`` questions in each domain d, topics t0..t2 in turn."""
    questions = []
    for domain, count in per_domain.items():
        for i in range(count):
            questions.append(question(f"{domain}-{i:03d}", domain=domain,
                                      topics=[f"t{i % 3}"]))
    return make_bank(questions, list(weights.items()), **settings)


@st.composite
def banks(draw: st.DrawFn, max_questions: int = 12) -> Bank:
    """Random valid banks: 1..max questions, 2..8 options, choose 1..N, optional domains."""
    n_domains = draw(st.integers(0, 3))
    domains: list[tuple[str, float]] = []
    if n_domains:
        cuts = sorted(draw(st.sets(st.integers(1, 99), min_size=n_domains - 1,
                                   max_size=n_domains - 1)))
        bounds = [0, *cuts, 100]
        domains = [(f"d{i}", bounds[i + 1] - bounds[i]) for i in range(n_domains)]
    count = draw(st.integers(1, max_questions))
    questions = []
    for i in range(count):
        options = draw(st.integers(2, 8))
        answer = draw(st.lists(st.sampled_from(LETTERS[:options]), min_size=1,
                               max_size=options - 1 if options > 2 else 1, unique=True))
        extra: dict[str, Any] = {
            "topics": draw(st.lists(st.sampled_from(["t1", "t2", "t3"]), unique=True,
                                    max_size=2)),
        }
        if domains:
            extra["domain"] = draw(st.sampled_from([d for d, _ in domains]))
        questions.append(question(f"q{i}", answer=answer, options=options, **extra))
    settings: dict[str, Any] = {
        "partial_credit": draw(st.booleans()),
        "time_limit": draw(st.one_of(st.none(), st.integers(1, 120))),
    }
    if draw(st.booleans()):
        settings["scaled_score"] = {"min": 100, "max": 1000, "pass": 700}
    return make_bank(questions, domains, **settings)
