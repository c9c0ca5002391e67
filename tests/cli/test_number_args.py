"""Every number on the command line has a bound (issue 20, part 2): one usage line and
exit 2, never a traceback or a value the database cannot store."""

from __future__ import annotations

import pytest

from examsim.cli import main

BIG = "9" * 5000


@pytest.mark.parametrize("args, message", [
    (["run", "x", "--seed", "-1"], "argument --seed: '-1' must be at least 0"),
    (["run", "x", "--seed", str(2**63)], f"argument --seed: '{2**63}' must be at most {2**63 - 1}"),
    (["run", "x", "--seed", BIG], "argument --seed: '99999999999999999999999999999…' is not a "
                                  f"whole number from 0 to {2**63 - 1}"),
    (["run", "x", "--questions", "1000001"], "argument --questions: '1000001' must be at most "
                                             "1000000"),
    (["run", "x", "--questions", "0"], "argument --questions: '0' must be at least 1"),
    (["run", "x", "--time", "inf"], "argument --time: 'inf' must be a positive number"),
    (["run", "x", "--time", "nan"], "argument --time: 'nan' must be a positive number"),
    (["run", "x", "--time", "1e308"], "argument --time: '1e308' must be at most 10000 minutes"),
    (["resume", str(2**63)], f"argument ATTEMPT: '{2**63}' must be at most {2**63 - 1}"),
    (["review", "--attempt", "-3"], "argument --attempt: '-3' must be at least 1"),
    (["export", "--attempt", BIG], "argument --attempt: '99999999999999999999999999999…' is not "
                                   f"a whole number from 1 to {2**63 - 1}"),
    (["export", "--attempt", "0"], "argument --attempt: '0' must be at least 1"),
])
def test_numbers_out_of_bounds_are_usage_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_the_largest_seed_is_accepted() -> None:
    from examsim.cli import build_parser

    args = build_parser().parse_args(["run", "x", "--seed", str(2**63 - 1)])
    assert args.seed == 2**63 - 1


@pytest.mark.parametrize("questions, time, message", [
    ("1000001", "", "Questions: at most 1000000"),
    ("9" * 5000, "", "Questions: '9999"),
    ("", "inf", "Time: at most 10000 minutes"),
    ("", "nan", "Time: more than 0 minutes"),
])
def test_the_start_form_has_the_same_bounds(questions: str, time: str, message: str) -> None:
    from examsim.tui.screens.start import FormError, FormFields, read_plan

    with pytest.raises(FormError, match=message):
        read_plan(FormFields("exam", questions, time))
