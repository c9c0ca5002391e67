"""Content figures and the professional profile's limits, on banks with known figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsim.cli import build_parser, main
from examsim.core.bank import Bank
from examsim.core.bank_model import validate_bank
from examsim.core.formats.native import load_bank
from examsim.core.lint import lint
from examsim.core.lint_content import (
    PROFESSIONAL,
    PROFILES,
    check,
    cost_qualified,
    figures,
    key_is_longest,
    question_sentence,
)

BANKS = Path(__file__).resolve().parents[2] / "banks"
AWS_BANKS = sorted(BANKS.glob("aws-sap-practice-*.toml"))


def words(n: int, tail: str = "Which is right?") -> str:
    """A stem of exactly n words, the last ones being ``tail``."""
    tail_words = tail.split()
    return " ".join(["word"] * (n - len(tail_words)) + tail_words)


def question(qid: str, *, stem: str | None = None, answer: str | list[str] = "A",
             options: list[str] | None = None, refs: bool = True) -> dict:
    data: dict = {
        "id": qid,
        "stem": stem or words(150),
        "options": options or ["aa", "bb", "cc", "dd"],
        "answer": answer,
        "topics": ["T"],
        "explanation": "x",
    }
    if refs:
        data["references"] = ["https://docs.aws.amazon.com/"]
    return data


def bank(*questions: dict) -> Bank:
    return validate_bank({"questions": list(questions)})


def messages(b: Bank) -> list[str]:
    return [str(issue) for issue in check(b, PROFESSIONAL)]


# ---------------------------------------------------------------- figures


def test_stem_words_median_and_shortest() -> None:
    f = figures(bank(question("a", stem=words(10)), question("b", stem=words(31)),
                     question("c", stem=words(20)), question("d", stem=words(25))))
    assert f.median_stem_words == 22.5  # (20 + 25) / 2
    assert f.shortest_stem_words == 10
    assert f.questions == 4


def test_key_is_longest_counts_ties_and_squeezes_spacing() -> None:
    longest = question("a", options=["the longest one", "b", "c", "d"])
    tie = question("b", options=["abcd", "ab", "wxyz", "c"])  # A ties C (4 characters)
    shorter = question("c", options=["a", "much longer text", "b", "c"])
    spaced = question("d", options=["a    b", "abcd", "x", "y"])  # "a b" (3) < "abcd"
    assert [key_is_longest(bank(q).questions[0]) for q in (longest, tie, shorter, spaced)] == [
        True, True, False, False]
    f = figures(bank(longest, tie, shorter, spaced,
                     question("e", answer=["A", "B"], options=["long long long", "b", "c", "d"],
                              stem=words(150, "Which two? (Choose two.)"))))
    assert (f.key_longest, f.single, f.choose_n) == (2, 4, 1)  # choose-N not measured
    assert f.key_longest_share == 0.5


def test_key_letters_in_file_order_with_the_even_spread_and_longest_run() -> None:
    two = ["aa", "bb"]
    f = figures(bank(
        question("1", answer="A"), question("2", answer="B"), question("3", answer="B"),
        question("4", answer="B"), question("5", answer="D"),
        question("6", answer="B", options=two),
    ))
    assert f.key_letters == (1, 4, 0, 1)
    # five four-option questions give 1.25 per letter; the two-option one 0.5 to A and B
    assert f.expected_letters == pytest.approx((1.75, 1.75, 1.25, 1.25))
    assert f.longest_run == 3  # questions 2-4; 6 is B again but after a D


def test_without_references_and_choose_n() -> None:
    f = figures(bank(question("a"), question("b", refs=False), question("c", refs=False),
                     question("d", answer=["A", "C", "D"],
                              stem=words(150, "Which three? (Choose three.)"))))
    assert f.without_references == ("b", "c")
    assert f.choose_n == 1


@pytest.mark.parametrize("sentence", [
    "Which solution meets these requirements MOST cost-effectively?",
    "Which purchase option is the MOST cost-effective for these requirements?",
    "Which approach is most cost efficient?",
    "Which actions meet these requirements at the LOWEST cost?",
    "Which design has the lowest total cost?",
    "Which option is the least expensive?",
    "Which option is cheapest?",
    "Which change will minimize storage costs?",
    "Which combination of actions will reduce cost the MOST while meeting the policy?",
    "Which solution will reduce snapshot storage cost the MOST?",
    "Which combination of changes will MOST reduce origin load and cost?",
    "Which solution is the MOST cost-effective? (Choose two.)",
])
def test_cost_qualified_question_sentences(sentence: str) -> None:
    assert cost_qualified("A company pays too much. It has 40 servers. " + sentence)


@pytest.mark.parametrize("stem", [
    # cost in the scenario, not in the question sentence
    "The company wants the lowest cost. Which solution has the LEAST operational overhead?",
    "Which solution meets these requirements with the LEAST operational overhead?",
    "Which solution keeps costs predictable and has the MOST resilience?",
    "The CFO asks for the MOST cost-effective design. Which design meets the RTO?",
])
def test_not_cost_qualified(stem: str) -> None:
    assert not cost_qualified(stem)


def test_question_sentence() -> None:
    assert question_sentence("A B. C d? (Choose two.)") == "C d?"
    assert question_sentence("First. Select the best option.") == "Select the best option."
    assert question_sentence("Is it? Yes. Which is right?\nMore text.") == "Which is right?"


def test_figures_line_holds_numbers_and_letters_only() -> None:
    hostile = "[bold red]\x1b[31mevil[/] $(rm -rf) " * 40 + "Which is MOST cost-effective?"
    b = bank(question("a", stem=hostile, options=["[b]x[/b]", "\x1b[2J", "cc", "dd"]))
    line = figures(b).line()
    assert line == (
        "median stem 164 words (shortest 164), key is the longest option in 1/1 "
        "single-answer (100%), key letters A 1 B 0 C 0 D 0 (longest run 1), without "
        "references 0, cost-qualified 1, choose-N 0")


def test_pathological_text_is_measured_in_one_pass() -> None:
    """Long runs of the words the cost pattern looks for, in one 600k-character sentence:
    bounded repeats only, so this is linear (a backtracking pattern would not finish)."""
    stem = "reduce lowest most " * 30_000 + "cost?"
    b = bank(question("a", stem=stem, options=["a " * 200, "b", "c", "d"]))
    f = figures(b)
    assert f.median_stem_words == 90_001
    assert f.line().startswith("median stem 90001 words (shortest 90001)")  # no exponent
    assert f.cost_qualified == 1  # "lowest most cost?" at the end


# ---------------------------------------------------------------- limits


def passing(n: int = 15, choose: int = 4, cost: int = 3) -> list[dict]:
    """n questions that meet every professional limit: letters A-D in turn, the key never
    the longest, references everywhere, ``choose`` choose-two and ``cost`` cost-qualified."""
    qs = []
    for i in range(n):
        tail = "Which is MOST cost-effective?" if i < cost else "Which is right?"
        if i >= n - choose:
            qs.append(question(f"q{i}", answer=["A", "B"], options=["a", "b", "cc", "dd", "ee"],
                               stem=words(150, tail + " (Choose two.)")))
        else:
            letter = "ABCD"[i % 4]
            opts = ["xxxx"] * 4
            opts = [f"{o}{j}" for j, o in enumerate(opts)]
            opts["ABCD".index(letter)] = "k"  # the key is the shortest
            qs.append(question(f"q{i}", answer=letter, options=opts, stem=words(150, tail)))
    return qs


def test_a_bank_meeting_every_limit_has_no_findings() -> None:
    assert messages(bank(*passing())) == []


def test_median_stem_limit_is_inclusive() -> None:
    qs = passing()
    at = [dict(q, stem=words(140, q["stem"].split("word ")[-1])) for q in qs]
    assert messages(bank(*at)) == []
    below = [dict(q, stem=words(139, q["stem"].split("word ")[-1])) for q in qs]
    assert messages(bank(*below)) == [
        "median stem is 139 words; a professional bank needs at least 140"]


def test_key_longest_share_limit() -> None:
    qs = passing(n=14, choose=4, cost=3)  # 10 single-answer questions
    for i in range(3):  # 3 of 10 = 30%: allowed
        qs[i]["options"] = ["k" * 9 if o == "k" else o for o in qs[i]["options"]]
    assert messages(bank(*qs)) == []
    qs[3]["options"] = ["k" * 9 if o == "k" else o for o in qs[3]["options"]]  # 40%
    assert messages(bank(*qs)) == [
        "the key is the longest option in 4 of 10 single-answer questions (40%); "
        "a professional bank allows at most 30%"]


def test_letter_balance_limit() -> None:
    # 40 single-answer questions: 10 per letter is even; 20% of 10 = 2 either way
    qs = passing(n=60, choose=20, cost=10)
    keys = [q for q in qs if isinstance(q["answer"], str)]
    assert len(keys) == 40
    assert messages(bank(*qs)) == []

    def move(count: int, src: str, dst: str) -> None:
        moved = 0
        for q in keys:
            if q["answer"] == src and moved < count:
                q["answer"] = dst
                q["options"] = ["k" if o == q["options"]["ABCD".index(src)] else o
                                for o in q["options"]]
                moved += 1

    move(2, "B", "C")  # B 8, C 12: within 2
    found = messages(bank(*qs))
    assert not any("key letter" in m for m in found)
    move(1, "B", "D")  # B 7: 3 under
    found = messages(bank(*qs))
    assert [m for m in found if "key letter" in m] == [
        "key letter B is the key of 7 single-answer questions; an even spread is 10.0 "
        "(a professional bank allows 2.0 either way)"]


def test_run_limit() -> None:
    qs = passing(n=20, choose=6, cost=4)
    singles = [q for q in qs if isinstance(q["answer"], str)]
    for q in singles[:4]:  # the fifth is an A
        q["answer"] = "D"
    assert not any("in a row" in m for m in messages(bank(*qs)))
    singles[4]["answer"] = "D"
    assert ("5 single-answer questions in a row have the same key letter; a professional "
            "bank allows 4") in messages(bank(*qs))


def test_missing_references_are_named_per_question() -> None:
    qs = passing()
    del qs[2]["references"]
    assert messages(bank(*qs)) == ["question q2: no references"]


def test_cost_and_choose_n_counts_scale_with_the_bank() -> None:
    # 75 questions need 12 cost-qualified and 20 choose-N; 15 need 3 and 4
    assert messages(bank(*passing(n=75, choose=20, cost=12))) == []
    assert messages(bank(*passing(n=75, choose=19, cost=11))) == [
        "11 cost-qualified questions (MOST cost-effective, LOWEST cost); a professional "
        "bank of 75 needs at least 12",
        "19 choose-N questions; a professional bank of 75 needs at least 20",
    ]
    assert messages(bank(*passing(n=15, choose=4, cost=3))) == []
    found = messages(bank(*passing(n=15, choose=3, cost=2)))
    assert any("bank of 15 needs at least 3" in m for m in found)
    assert any("bank of 15 needs at least 4" in m for m in found)


def test_lint_applies_a_profile_only_when_asked() -> None:
    short = bank(question("a", stem="Which is right?", refs=False))
    assert not any("references" in str(i) for i in lint(short))
    assert "question a: no references" in [str(i) for i in lint(short, PROFESSIONAL)]


# ---------------------------------------------------------------- the bundled banks


def test_there_are_three_aws_banks() -> None:
    assert [p.name for p in AWS_BANKS] == [
        "aws-sap-practice-1.toml", "aws-sap-practice-2.toml", "aws-sap-practice-3.toml"]


@pytest.mark.parametrize("path", AWS_BANKS, ids=lambda p: p.name)
def test_aws_banks_meet_the_professional_limits(path: Path) -> None:
    assert [str(i) for i in lint(load_bank(path), PROFESSIONAL)
            if i.severity == "error"] == []


def test_the_sample_bank_is_not_a_professional_bank() -> None:
    found = [str(i) for i in lint(load_bank(BANKS / "sample.toml"), PROFESSIONAL)]
    assert any(m.startswith("median stem is") for m in found)


def test_cli_profile_names_are_the_profiles() -> None:
    args = build_parser().parse_args(["validate", "--profile", "professional"])
    assert args.profile == "professional" and args.lint is False
    validate = next(a for a in build_parser()._subparsers._group_actions[0].choices.values()
                    if any(o.dest == "profile" for o in a._actions))
    profile = next(o for o in validate._actions if o.dest == "profile")
    assert set(profile.choices) == set(PROFILES)


def test_validate_lint_prints_figures_and_profile_checks_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    sample = BANKS / "sample.toml"
    assert main(["validate", "--lint", str(sample)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"{sample}: figures: median stem 35.5 words (shortest 25), key is the longest "
        "option in 4/8 single-answer (50%), key letters A 2 B 2 C 2 D 2 (longest run 1), "
        "without references 12, cost-qualified 0, choose-N 4")
    assert out[1].startswith(f"{sample}: ok: sample")

    assert main(["validate", "--profile", "professional", str(sample)]) == 2  # implies --lint
    err = capsys.readouterr().err.splitlines()
    assert (f"{sample}: error: median stem is 35.5 words; a professional bank needs at "
            "least 140") in err
    assert any(line.endswith("error: question basics-01 (#1): no references") for line in err)

    assert main(["validate", "--profile", "professional", *map(str, AWS_BANKS)]) == 0
    out = capsys.readouterr().out
    assert out.count(": figures: ") == 3 and out.count(": ok: ") == 3
