"""Selection of an attempt: weights, filters, modes, order, seeds and time limits."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examsim.core.assemble import (
    MAX_TIME_MINUTES,
    AssembleError,
    AttemptPlan,
    apportion,
    assemble,
    largest_remainder,
)
from examsim.core.bank import Bank

from .helpers import banks, make_bank, question, weighted_bank

AWS = {"org": 26, "new": 29, "imp": 25, "mig": 20}


def aws_bank(**settings) -> Bank:
    settings.setdefault("time_limit", 180)
    settings.setdefault("questions_per_exam", 75)
    return weighted_bank(dict.fromkeys(AWS, 60), AWS, **settings)


def domains_of(bank: Bank, ids) -> Counter:
    return Counter(bank.question(qid).domain for qid in ids)


# -- apportioning -----------------------------------------------------------------------


def test_largest_remainder_gives_spare_seats_to_largest_fractions():
    # quotas 19.5, 21.75, 18.75, 15 -> floors 73, two spare seats to new and imp
    assert largest_remainder(75, AWS) == {"org": 19, "new": 22, "imp": 19, "mig": 15}


def test_largest_remainder_ties_go_to_the_earlier_key():
    assert largest_remainder(1, {"a": 1, "b": 1}) == {"a": 1, "b": 0}
    assert largest_remainder(5, {"a": 1, "b": 1}) == {"a": 3, "b": 2}


def test_apportion_caps_a_short_domain_and_splits_its_share_by_weight():
    shares = apportion(75, AWS, {"org": 5, "new": 100, "imp": 100, "mig": 100})
    assert shares["org"] == 5
    assert sum(shares.values()) == 75
    assert shares == {"org": 5, "new": 27, "imp": 24, "mig": 19}  # 70 split 29:25:20


def test_apportion_cascades_when_a_second_domain_runs_short():
    shares = apportion(10, {"a": 50, "b": 30, "c": 20}, {"a": 1, "b": 2, "c": 100})
    assert shares == {"a": 1, "b": 2, "c": 7}


@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(1, 60), min_size=1),
       st.data())
@settings(max_examples=100, deadline=None)
def test_apportion_fills_exactly_without_exceeding_capacity(weights, data):
    capacity = {k: data.draw(st.integers(0, 30), label=k) for k in weights}
    count = data.draw(st.integers(0, sum(capacity.values())), label="count")
    shares = apportion(count, {k: float(w) for k, w in weights.items()}, capacity)
    assert sum(shares.values()) == count
    assert all(0 <= shares[k] <= capacity[k] for k in weights)


# -- exam -------------------------------------------------------------------------------


def test_exam_takes_questions_per_exam_split_by_weight():
    bank = aws_bank()
    got = assemble(bank, AttemptPlan(seed=1))
    assert len(got.question_ids) == 75
    assert len(set(got.question_ids)) == 75
    assert domains_of(bank, got.question_ids) == {"org": 19, "new": 22, "imp": 19, "mig": 15}


def test_questions_option_overrides_the_bank_count():
    bank = aws_bank()
    got = assemble(bank, AttemptPlan(questions=10, seed=1))
    assert domains_of(bank, got.question_ids) == {"org": 3, "new": 3, "imp": 2, "mig": 2}


def test_short_domain_gives_its_share_to_the_others():
    bank = weighted_bank({"org": 4, "new": 60, "imp": 60, "mig": 60}, AWS,
                         questions_per_exam=75)
    got = assemble(bank, AttemptPlan(seed=5))
    # org keeps its 4; the other 71 split 29:25:20 = 27.8, 24.0, 19.2
    assert domains_of(bank, got.question_ids) == {"org": 4, "new": 28, "imp": 24, "mig": 19}


def test_more_questions_than_available_are_capped():
    bank = weighted_bank({"a": 3, "b": 2}, {"a": 50, "b": 50})
    got = assemble(bank, AttemptPlan(questions=50, seed=2))
    assert sorted(got.question_ids) == sorted(q.id for q in bank.questions)


def test_bank_without_questions_per_exam_asks_everything():
    bank = weighted_bank({"a": 3, "b": 4}, {"a": 30, "b": 70})
    assert len(assemble(bank, AttemptPlan(seed=1)).question_ids) == 7


def test_domainless_bank_samples():
    bank = make_bank([question(f"q{i}") for i in range(20)], questions_per_exam=8)
    got = assemble(bank, AttemptPlan(seed=9))
    assert len(set(got.question_ids)) == 8
    assert assemble(bank, AttemptPlan(seed=9)) == got


def test_exam_with_domain_filter_uses_only_those_domains():
    bank = aws_bank()
    got = assemble(bank, AttemptPlan(domains=("org", "mig"), questions=23, seed=3))
    # weights 26:20 among the two chosen domains
    assert domains_of(bank, got.question_ids) == {"org": 13, "mig": 10}


def test_practice_selects_like_exam_but_untimed():
    bank = aws_bank()
    exam = assemble(bank, AttemptPlan(seed=4))
    practice = assemble(bank, AttemptPlan(mode="practice", seed=4))
    assert practice.question_ids == exam.question_ids
    assert practice.time_limit is None
    assert assemble(bank, AttemptPlan(mode="practice", time_minutes=30, seed=4)).time_limit \
        == 1800


# -- seeds and order --------------------------------------------------------------------


def test_same_seed_same_attempt_and_other_seed_another():
    bank = aws_bank()
    first = assemble(bank, AttemptPlan(seed=42))
    assert assemble(bank, AttemptPlan(seed=42)) == first
    other = assemble(bank, AttemptPlan(seed=43))
    assert other.question_ids != first.question_ids


def test_seed_is_drawn_and_recorded_when_not_given():
    bank = aws_bank()
    got = assemble(bank, AttemptPlan())
    assert isinstance(got.seed, int)
    assert assemble(bank, AttemptPlan(seed=got.seed)) == got


def test_order_is_random_but_domains_are_mixed():
    bank = aws_bank()
    ids = assemble(bank, AttemptPlan(seed=1)).question_ids
    first_ten = {bank.question(qid).domain for qid in ids[:10]}
    assert len(first_ten) > 1  # not grouped domain by domain


def test_options_are_shuffled_per_question_as_permutations():
    bank = aws_bank()
    got = assemble(bank, AttemptPlan(seed=1))
    assert all(sorted(order) == [0, 1, 2, 3] for order in got.option_orders)
    assert any(order != (0, 1, 2, 3) for order in got.option_orders)


def test_no_shuffle_keeps_file_order_of_questions_and_options():
    bank = aws_bank()
    got = assemble(bank, AttemptPlan(seed=1, shuffle=False))
    file_order = [q.id for q in bank.questions]
    positions = [file_order.index(qid) for qid in got.question_ids]
    assert positions == sorted(positions)
    assert all(order == (0, 1, 2, 3) for order in got.option_orders)


# -- time -------------------------------------------------------------------------------


def test_full_exam_gets_the_bank_time_limit():
    assert assemble(aws_bank(), AttemptPlan(seed=1)).time_limit == 180 * 60


def test_time_limit_scales_with_the_number_asked():
    got = assemble(aws_bank(), AttemptPlan(questions=25, seed=1))
    assert got.time_limit == pytest.approx(60 * 60)


def test_time_limit_is_for_all_questions_when_questions_per_exam_is_unset():
    bank = weighted_bank({"a": 10, "b": 10}, {"a": 50, "b": 50}, time_limit=40)
    assert assemble(bank, AttemptPlan(seed=1)).time_limit == 40 * 60
    assert assemble(bank, AttemptPlan(questions=5, seed=1)).time_limit == 10 * 60


def test_time_option_overrides_and_untimed_bank_is_untimed():
    assert assemble(aws_bank(), AttemptPlan(time_minutes=7.5, seed=1)).time_limit == 450
    bank = weighted_bank({"a": 4}, {"a": 100})
    assert assemble(bank, AttemptPlan(seed=1)).time_limit is None


@pytest.mark.parametrize("mode", ["practice", "drill", "missed", "flagged"])
def test_other_modes_are_untimed_unless_asked(mode):
    bank = aws_bank()
    plan = AttemptPlan(mode=mode, question_ids=("org-001",), seed=1)
    assert assemble(bank, plan).time_limit is None
    timed = AttemptPlan(mode=mode, question_ids=("org-001",), seed=1, time_minutes=2)
    assert assemble(bank, timed).time_limit == 120


# -- drill ------------------------------------------------------------------------------


def test_drill_by_domain_takes_every_question_of_it():
    bank = aws_bank()
    got = assemble(bank, AttemptPlan(mode="drill", domains=("imp",), seed=1))
    assert domains_of(bank, got.question_ids) == {"imp": 60}


def test_drill_by_topic_matches_any_listed_topic():
    bank = aws_bank()
    got = assemble(bank, AttemptPlan(mode="drill", topics=("t0", "t2"), seed=1))
    assert len(got.question_ids) == 160
    assert all(set(bank.question(q).topics) & {"t0", "t2"} for q in got.question_ids)


def test_drill_by_domain_and_topic_needs_both():
    bank = aws_bank()
    got = assemble(bank, AttemptPlan(mode="drill", domains=("org",), topics=("t1",), seed=1))
    assert len(got.question_ids) == 20
    assert {bank.question(q).domain for q in got.question_ids} == {"org"}


def test_drill_filters_ignore_case_and_questions_caps():
    bank = aws_bank()
    got = assemble(bank, AttemptPlan(mode="drill", domains=("ORG",), questions=5, seed=1))
    assert domains_of(bank, got.question_ids) == {"org": 5}


def test_unknown_domain_names_the_valid_ones():
    with pytest.raises(AssembleError, match="no question has domain 'net'; did you mean "
                                            "'new'\\? \\(domains are org, new, imp, mig\\)"):
        assemble(aws_bank(), AttemptPlan(mode="drill", domains=("net",)))


def test_unknown_topic_names_the_valid_ones():
    with pytest.raises(AssembleError, match="no question has topic 'SCP' \\(topics are t0, "
                                            "t1, t2\\)"):
        assemble(aws_bank(), AttemptPlan(mode="drill", topics=("SCP",)))


def test_unknown_topic_or_domain_suggests_the_nearest():
    with pytest.raises(AssembleError, match="did you mean 't1'"):
        assemble(aws_bank(), AttemptPlan(mode="drill", topics=("T-1",)))
    with pytest.raises(AssembleError, match="did you mean 'mig'"):
        assemble(aws_bank(), AttemptPlan(mode="drill", domains=("migr",)))


def test_nearest_prefers_a_name_that_contains_the_words_then_the_spelling():
    from examsim.core.assemble import nearest

    known = ["Transit Gateway", "SCP", "Direct Connect", "IAM"]
    assert nearest("transit", known) == "Transit Gateway"
    assert nearest("Trnsit Gatway", known) == "Transit Gateway"
    assert nearest("Direct Conect", known) == "Direct Connect"
    assert nearest("Kubernetes", known) is None


def test_filters_that_match_nothing_together_are_an_error():
    bank = make_bank([question("a", domain="x", topics=["k"]),
                      question("b", domain="y", topics=["l"])])
    with pytest.raises(AssembleError, match="no question is in domain 'x' and on topic 'l'"):
        assemble(bank, AttemptPlan(mode="drill", domains=("x",), topics=("l",)))


def test_domain_filter_on_a_bank_without_domains():
    bank = make_bank([question("a"), question("b")])
    with pytest.raises(AssembleError, match="no question has a domain"):
        assemble(bank, AttemptPlan(mode="drill", domains=("x",)))


# -- missed / flagged -------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["missed", "flagged"])
def test_listed_ids_in_order_unknown_skipped(mode):
    bank = aws_bank()
    ids = ("mig-003", "gone", "org-010", "mig-003", "new-001")
    got = assemble(bank, AttemptPlan(mode=mode, question_ids=ids, shuffle=False))
    assert got.question_ids == ("mig-003", "org-010", "new-001")


def test_listed_ids_are_shuffled_by_default():
    bank = aws_bank()
    ids = tuple(q.id for q in bank.questions[:30])
    got = assemble(bank, AttemptPlan(mode="missed", question_ids=ids, seed=1))
    assert sorted(got.question_ids) == sorted(ids)
    assert got.question_ids != ids


@pytest.mark.parametrize("ids, message", [
    ((), "there are no missed questions to ask"),
    (("gone", "away"), "none of the 2 missed questions is in this bank"),
])
def test_no_listed_question_left_is_an_error(ids, message):
    with pytest.raises(AssembleError, match=message):
        assemble(aws_bank(), AttemptPlan(mode="missed", question_ids=ids))


# -- bad plans --------------------------------------------------------------------------


@pytest.mark.parametrize("plan, message", [
    (AttemptPlan(questions=0), "--questions must be at least 1"),
    (AttemptPlan(time_minutes=0), "--time must be more than 0"),
    (AttemptPlan(time_minutes=MAX_TIME_MINUTES + 1), "--time must be at most 10000 minutes"),
    (AttemptPlan(mode="quiz"), "unknown mode 'quiz'"),  # type: ignore[arg-type]
])
def test_bad_plans(plan, message):
    with pytest.raises(AssembleError, match=message):
        assemble(aws_bank(), plan)


# -- properties -------------------------------------------------------------------------


@given(banks(max_questions=30), st.integers(1, 40), st.integers(0, 2**31 - 1),
       st.booleans(), st.sampled_from(["exam", "practice", "drill"]))
@settings(max_examples=100, deadline=None)
def test_assembly_properties(bank, asked, seed, shuffle, mode):
    plan = AttemptPlan(mode=mode, questions=asked, seed=seed, shuffle=shuffle)
    got = assemble(bank, plan)
    assert len(got.question_ids) == min(asked, len(bank.questions))
    assert len(set(got.question_ids)) == len(got.question_ids)
    for qid, order in zip(got.question_ids, got.option_orders, strict=True):
        assert sorted(order) == list(range(len(bank.question(qid).options)))
        if not shuffle:
            assert order == tuple(range(len(order)))
    assert assemble(bank, plan) == got


def test_bank_groups_questions_by_domain_in_file_order():
    bank = weighted_bank({"a": 3, "b": 2}, {"a": 50, "b": 50})
    assert [q.id for q in bank.questions_in("b")] == ["b-000", "b-001"]
    assert bank.questions_in("zzz") == ()
    plain = make_bank([question("x"), question("y")])
    assert [q.id for q in plain.questions_in(None)] == ["x", "y"]


def test_plan_lists_become_tuples():
    plan = AttemptPlan(domains=["org"], topics=["t1"], question_ids=["a"])  # type: ignore[arg-type]
    assert (plan.domains, plan.topics, plan.question_ids) == (("org",), ("t1",), ("a",))
