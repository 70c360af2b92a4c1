"""Use cases against real databases (SQLite and PostgreSQL), seeded by the project's seed."""
import uuid
from datetime import date, timedelta

import pytest

from evn.adapters.unit_of_work import Factory
from evn.domain.periods import Period
from evn.services import identity as outcome
from evn.services.billing import BillingService, NotVerified
from evn.services.identity import IdentityService

AN = ("PE01000000001", "0901234567")
BINH = ("PD01000000002", "0912345678")


@pytest.fixture
def identity(sessions, clock):
    return IdentityService(Factory(sessions), clock=clock)


@pytest.fixture
def billing(sessions, identity):
    return BillingService(Factory(sessions), identity, today=lambda: date(2026, 12, 1))


def conversation() -> str:
    return f"test-{uuid.uuid4().hex}"


def verified(identity, customer=AN) -> str:
    chat = conversation()
    assert identity.verify(customer[0], customer[1], chat).status == outcome.VERIFIED
    return chat


def test_registered_phone_in_any_format_verifies(identity):
    for phone in ("0901234567", "+84 901 234 567", "090.123.4567"):
        chat = conversation()
        result = identity.verify("pe01000000001", phone, chat)
        assert result.status == outcome.VERIFIED and result.customer_code == "PE01000000001"
        assert identity.is_verified(chat, "PE01000000001")


def test_wrong_phone_and_unknown_code_look_the_same(identity):
    wrong_phone = identity.verify(AN[0], "0909999999", conversation())
    unknown_code = identity.verify("PE09999999999", AN[1], conversation())
    assert wrong_phone.status == unknown_code.status == outcome.MISMATCH
    assert wrong_phone.attempts_left == unknown_code.attempts_left == 2


def test_malformed_input_is_not_counted_as_an_attempt(identity):
    chat = conversation()
    assert identity.verify("PE123", AN[1], chat).status == outcome.INVALID_CODE
    assert identity.verify(AN[0], "12345", chat).status == outcome.INVALID_PHONE
    assert identity.verify(AN[0], "0909999999", chat).attempts_left == 2


def test_three_misses_lock_the_code_in_that_conversation_for_15_minutes(identity, clock):
    chat = conversation()
    results = [identity.verify(BINH[0], f"091234567{i}", chat) for i in (0, 1, 2)]
    assert [r.status for r in results] == [outcome.MISMATCH, outcome.MISMATCH, outcome.LOCKED]
    assert results[-1].locked_until == clock.now + timedelta(minutes=15)
    assert results[-1].hotline == "1900 1288"
    # Even the right phone is refused while locked, and the refusal is not a new miss.
    assert identity.verify(*BINH, chat).status == outcome.LOCKED
    assert not identity.is_verified(chat, BINH[0])
    clock.advance(minutes=15, seconds=1)
    assert identity.verify(*BINH, chat).status == outcome.VERIFIED


def test_new_conversations_cannot_be_used_to_guess_the_phone(identity, clock):
    code, attacker = "PE03000000007", "a" * 32  # a synthetic customer; one client address
    for attempt in range(10):
        result = identity.verify(code, f"09000000{attempt:02d}", conversation(), attacker)
        clock.advance(minutes=1)
    assert result.status == outcome.LOCKED and result.lock_reason == "code"
    assert identity.verify(code, "0900000099", conversation(), attacker).status == outcome.LOCKED
    clock.advance(hours=1)
    assert identity.verify(code, "0900000099", conversation(), attacker).status == outcome.MISMATCH


def test_an_attack_on_a_code_does_not_lock_its_owner_out(identity, clock):
    code = BINH[0]
    for attempt in range(12):  # strangers, each from their own chat and address
        identity.verify(code, f"09000001{attempt:02d}", conversation(), f"{attempt:032d}")
        clock.advance(minutes=1)
    stranger = identity.verify(code, "0900000199", conversation(), f"{3:032d}")
    assert stranger.status == outcome.LOCKED and stranger.lock_reason == "code"
    assert identity.verify(*BINH, conversation(), "f" * 32).status == outcome.VERIFIED  # the owner, at home


def test_one_address_is_stopped_whatever_codes_it_tries(identity, clock):
    for attempt in range(20):
        identity.verify(f"PE0300000{attempt + 10:04d}", "0900000000", conversation(), "b" * 32)
    blocked = identity.verify("PE03000000031", "0900000000", conversation(), "b" * 32)
    assert blocked.status == outcome.LOCKED and blocked.lock_reason == "address"
    assert identity.verify("PE03000000031", "0900000000", conversation(), "c" * 32).status == outcome.MISMATCH


def test_verification_expires(identity, clock):
    chat = verified(identity)
    clock.advance(minutes=31)
    assert not identity.is_verified(chat, AN[0])


def test_verification_is_bound_to_conversation_and_code(identity):
    chat = verified(identity)
    assert not identity.is_verified(conversation(), AN[0])
    assert not identity.is_verified(chat, BINH[0])


def test_no_personal_data_before_verification(billing):
    chat = conversation()
    for call in (
        lambda: billing.bill(chat, AN[0], None),
        lambda: billing.consumption(chat, AN[0], 6),
        lambda: billing.explain_increase(chat, AN[0], None),
        lambda: billing.debt(chat, AN[0]),
        lambda: billing.customer(chat, AN[0]),
    ):
        with pytest.raises(NotVerified):
            call()


def test_bill_of_a_period(billing, identity):
    chat = verified(identity)
    latest = billing.bill(chat, AN[0], None)
    assert latest.bill.period == Period(2026, 10) and latest.bill.total == 979_560 and not latest.bill.paid
    assert latest.customer.masked_phone == "090****567"
    assert latest.customer.masked_address == "***, Quận 1, TP.HCM"
    september = billing.bill(chat, AN[0], "tháng 9")
    assert september.bill.total == 423_468 and september.bill.payments[0].channel == "momo"
    november = billing.bill(chat, AN[0], "tháng trước")  # today is in December: November is not issued yet
    assert november.not_issued_yet and not november.not_over_yet and november.requested == Period(2026, 11)
    assert november.bill.period == Period(2026, 10) and november.issued_in == Period(2026, 12)
    december = billing.bill(chat, AN[0], "tháng này")
    assert december.not_over_yet and december.bill.period == Period(2026, 10)
    assert billing.bill(chat, AN[0], "tháng 11 năm ngoái").bill.period == Period(2025, 11)
    before_the_range = billing.bill(chat, AN[0], "tháng 10 năm ngoái")
    assert before_the_range.bill is None and before_the_range.requested == Period(2025, 10)
    assert billing.bill(chat, AN[0], "9/2026").bill.kwh == 180
    assert billing.bill(chat, AN[0], "hôm qua").bill.period == Period(2026, 10)
    missing = billing.bill(chat, AN[0], "tháng 3/2024")
    assert missing.bill is None and missing.earliest == Period(2025, 11) and missing.latest == Period(2026, 10)


def test_consumption_history_newest_first(billing, identity):
    chat = verified(identity)
    _, bills = billing.consumption(chat, AN[0], 3)
    assert [b.kwh for b in bills] == [350, 180, 236]


def test_why_the_bill_rose(billing, identity):
    chat = verified(identity)
    explanation = billing.explain_increase(chat, AN[0], None)
    assert explanation.current.kwh == 350 and explanation.previous.kwh == 180
    assert [(line.tier, line.kwh) for line in explanation.extra_lines] == [(3, 20), (4, 100), (5, 50)]
    assert explanation.months_in_average == 6
    assert explanation.average_kwh == round((180 + 236 + 284 + 315 + 298 + 262) / 6)


def test_two_named_months_are_compared_with_each_other(billing, identity):
    """"sao tháng 8 nhiều hơn tháng 7": those two, in either order, not the month before the last named."""
    chat = verified(identity)
    for named in (("tháng 8", "tháng 7"), ("tháng 7", "tháng 8")):
        explanation = billing.explain_increase(chat, AN[0], named[0], against_text=named[1])
        assert (explanation.current.period, explanation.previous.period) == (Period(2026, 8), Period(2026, 7))
        assert (explanation.current.kwh, explanation.previous.kwh) == (236, 284)
    apart = billing.explain_increase(chat, AN[0], "tháng 10", against_text="tháng 6")
    assert (apart.current.kwh, apart.previous.kwh) == (350, 315)


def test_debt(billing, identity):
    an = billing.debt(verified(identity), AN[0])
    assert [b.period for b in an.unpaid] == [Period(2026, 10)] and an.total == 979_560
    assert an.last_payment.channel == "momo" and an.last_paid_period == Period(2026, 9)
    binh = billing.debt(verified(identity, BINH), BINH[0])
    assert binh.unpaid == () and binh.total == 0


def test_an_unknown_code_is_never_verified(billing):
    with pytest.raises(NotVerified):
        billing.bill(conversation(), "PE09999999999", None)


def test_tariff_and_estimate_need_no_verification(billing):
    view = billing.current_tariff()
    assert [t.price for t in view.tariff.tiers] == [1984, 2050, 2380, 2998, 3350, 3460]
    amount, _ = billing.estimate(350)
    assert amount.total == 979_560
