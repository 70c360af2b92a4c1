from datetime import datetime, timedelta

import pytest

from evn.domain.identity import LockoutPolicy, find_customer_code, normalize_phone, phones_match

T0 = datetime(2026, 11, 1, 8, 0)
POLICY = LockoutPolicy()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0901234567", "0901234567"),
        ("0901 234 567", "0901234567"),
        ("090.123.4567", "0901234567"),
        ("+84 901 234 567", "0901234567"),
        ("84901234567", "0901234567"),
        ("sdt e la 0912-345-678 a", "0912345678"),
        ("024 3825 1234", "02438251234"),
    ],
)
def test_phone_formats_are_normalised(text, expected):
    assert normalize_phone(text) == expected


@pytest.mark.parametrize("text", ["12345", "0123456789", "090123456", "PE01000000001", "", "0901234567890"])
def test_not_a_vietnamese_phone(text):
    assert normalize_phone(text) is None


def test_customer_code_found_in_text_and_upper_cased():
    assert find_customer_code("ma kh cua e la pe01000000001 nhe") == "PE01000000001"
    assert find_customer_code("PE0100000000") is None
    assert find_customer_code("XPE01000000001") is None


def test_phone_comparison():
    assert phones_match("0901234567", "0901234567")
    assert not phones_match("0901234568", "0901234567")


def minutes(*values):
    return [T0 + timedelta(minutes=v) for v in values]


def test_two_misses_do_not_lock():
    assert POLICY.locked_until(minutes(0, 1), minutes(0, 1), T0 + timedelta(minutes=2)) is None
    assert POLICY.remaining_attempts(minutes(0, 1), T0 + timedelta(minutes=2)) == 1


def test_three_misses_lock_the_conversation_for_15_minutes():
    failures = minutes(0, 1, 2)
    assert POLICY.locked_until(failures, failures, T0 + timedelta(minutes=3)) == T0 + timedelta(minutes=17)
    assert POLICY.locked_until(failures, failures, T0 + timedelta(minutes=16, seconds=59)) is not None
    assert POLICY.locked_until(failures, failures, T0 + timedelta(minutes=17)) is None


def test_misses_spread_over_more_than_15_minutes_do_not_lock():
    failures = minutes(0, 10, 20)
    assert POLICY.locked_until(failures, failures, T0 + timedelta(minutes=21)) is None


def test_lock_lasts_from_the_third_miss_even_when_earlier_misses_age():
    failures = minutes(0, 10, 14)
    assert POLICY.locked_until(failures, failures, T0 + timedelta(minutes=20)) == T0 + timedelta(minutes=29)


def test_many_misses_across_conversations_lock_the_code():
    code_failures = minutes(*range(0, 50, 5))  # 10 misses in 45 minutes, from different chats
    now = T0 + timedelta(minutes=46)
    assert POLICY.locked_until([], code_failures, now) == T0 + timedelta(minutes=60)
    assert POLICY.locked_until([], code_failures, T0 + timedelta(minutes=61)) is None
