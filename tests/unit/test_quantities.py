"""Typed quantities: what can be used, and what is said to be wrong instead of guessed."""
from __future__ import annotations

import pytest

from evn.domain.language.quantities import NEGATIVE, NOT_A_NUMBER, TOO_LARGE, kwh_problem, parse_kwh


@pytest.mark.parametrize("text, problem", [
    ("1e308 kWh", NOT_A_NUMBER), ("dùng 1E3 số", NOT_A_NUMBER), ("NaN", NOT_A_NUMBER), ("inf kwh", NOT_A_NUMBER),
    ("-300", NEGATIVE), ("dùng -300 số", NEGATIVE), ("− 50 kwh", NEGATIVE),
    ("100001 kWh", TOO_LARGE), ("9" * 5000, TOO_LARGE), ("99999999999999999999", TOO_LARGE),
])
def test_impossible_quantities_are_named(text, problem):
    assert kwh_problem(text) == problem


@pytest.mark.parametrize("text, kwh", [("350 kWh", 350), ("1.200 số", 1200), ("275,5 kwh", 276), ("300", 300),
                                       ("từ 100-200 kwh", 100), ("0 kWh", 0)])
def test_usable_quantities_have_no_problem(text, kwh):
    assert kwh_problem(text) is None and parse_kwh(text) == kwh


@pytest.mark.parametrize(("text", "times"), [
    ("nếu xài gấp ba thì sao", 3), ("gấp đôi thì hết bao nhiêu", 2), ("xài gấp 3 lần", 3), ("x2 thì sao", 2),
    ("300 kWh", None), ("gấp", None),
])
def test_a_follow_up_multiplies_the_last_estimate(text, times):
    from evn.domain.language.quantities import multiplier

    assert multiplier(text) == times


@pytest.mark.parametrize(("text", "kwh"), [("1.2345 kwh", 1), ("1.234.5678", 1235), ("1.234,5 kwh", 1235)])
def test_a_dot_groups_thousands_only_before_exactly_three_digits(text, kwh):
    assert parse_kwh(text) == kwh


@pytest.mark.parametrize(("text", "problem"), [
    ("350 kwh nan", NOT_A_NUMBER), ("Infinity", NOT_A_NUMBER), ("infx 3", None), ("350 số, nhà cô Xuânan", None),
])
def test_nan_and_inf_count_only_as_whole_words(text, problem):
    assert kwh_problem(text) == problem
