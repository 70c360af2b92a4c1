from datetime import datetime, timedelta

import pytest

from evn.domain.identity import (
    AttemptHistory,
    Lock,
    LockoutPolicy,
    find_customer_code,
    normalize_phone,
    phones_match,
)

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
        ("không chín không một hai ba bốn năm sáu bảy", "0901234567"),
        ("sdt khong chin mot hai, ba bon nam sau bay tam nha", "0912345678"),
    ],
)
def test_phone_formats_are_normalised(text, expected):
    assert normalize_phone(text) == expected


@pytest.mark.parametrize("text", ["12345", "0123456789", "090123456", "PE01000000001", "", "0901234567890",
                                  "năm nay hai ba bốn người", "một hai ba bốn năm sáu bảy tám chín không"])
def test_not_a_vietnamese_phone(text):
    assert normalize_phone(text) is None


def test_customer_code_found_in_text_and_upper_cased():
    assert find_customer_code("ma kh cua e la pe01000000001 nhe") == "PE01000000001"
    assert find_customer_code("PE0100000000") is None
    assert find_customer_code("XPE01000000001") is None


def test_a_code_typed_in_groups_as_printed_on_the_bill():
    assert find_customer_code("pe 0100 0000 001 sdt 090 123 4567") == "PE01000000001"
    assert find_customer_code("PD.0100.0000.002") == "PD01000000002"
    assert find_customer_code("PD 0100 0000 0023") is None  # twelve digits
    assert find_customer_code("ph 0901 234 567") is None  # a phone after two letters


def test_phone_comparison():
    assert phones_match("0901234567", "0901234567")
    assert not phones_match("0901234568", "0901234567")


def minutes(*values):
    return [T0 + timedelta(minutes=v) for v in values]


def at(minute: float) -> datetime:
    return T0 + timedelta(minutes=minute)


def test_two_misses_do_not_lock():
    assert POLICY.lock(AttemptHistory(conversation=minutes(0, 1), code=minutes(0, 1)), at(2)) is None
    assert POLICY.remaining_attempts(minutes(0, 1), at(2)) == 1


def test_three_misses_lock_the_conversation_for_15_minutes():
    history = AttemptHistory(conversation=minutes(0, 1, 2), code=minutes(0, 1, 2))
    assert POLICY.lock(history, at(3)) == Lock(at(17), "conversation")
    assert POLICY.locked_until(history, at(16.99)) is not None
    assert POLICY.locked_until(history, at(17)) is None


def test_misses_spread_over_more_than_15_minutes_do_not_lock():
    assert POLICY.lock(AttemptHistory(conversation=minutes(0, 10, 20)), at(21)) is None


def test_lock_lasts_from_the_third_miss_even_when_earlier_misses_age():
    assert POLICY.locked_until(AttemptHistory(conversation=minutes(0, 10, 14)), at(20)) == at(29)


def test_one_address_opening_new_chats_is_stopped_at_its_own_limit():
    history = AttemptHistory(address=minutes(*range(0, 40, 2)))  # 20 misses from one address, new chat each time
    assert POLICY.lock(history, at(41)) == Lock(at(60), "address")
    assert POLICY.lock(AttemptHistory(address=minutes(*range(0, 38, 2))), at(41)) is None  # 19: not yet


def test_an_attacked_code_still_lets_its_owner_in_from_a_source_that_has_not_missed():
    code_misses = minutes(*range(0, 50, 5))  # 10 misses on the code from 10 different chats
    owner = AttemptHistory(code=code_misses)
    attacker = AttemptHistory(code=code_misses, source_on_code=minutes(45))
    assert POLICY.lock(owner, at(46)) is None
    assert POLICY.lock(attacker, at(46)) == Lock(at(60), "code")  # until the code's count falls below 10
    assert POLICY.lock(attacker, at(61)) is None


def test_below_the_code_limit_a_source_that_missed_may_try_again():
    assert POLICY.lock(AttemptHistory(code=minutes(*range(0, 45, 5)), source_on_code=minutes(40)), at(41)) is None


def test_past_the_ceiling_the_code_is_locked_for_every_source():
    misses = [T0 + timedelta(seconds=30 * i) for i in range(60)]  # 60 misses in 30 minutes, all fresh sources
    assert POLICY.lock(AttemptHistory(code=misses), at(31)) == Lock(at(60), "code")
    assert POLICY.lock(AttemptHistory(code=misses[:59]), at(31)) is None
