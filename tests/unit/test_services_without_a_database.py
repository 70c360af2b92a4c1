"""Use cases on the fake unit of work: the rules of the service layer, with no database at all."""
from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from evn.domain import events
from evn.services import identity as outcome
from evn.services.errors import RateLimited
from evn.services.handoffs import HandoffService
from evn.services.identity import IdentityService
from evn.services.outbox import OutboxDelivery
from tests.fakes.unit_of_work import FakeFactory

T0 = datetime(2026, 11, 28, 3, 0)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def uow() -> FakeFactory:
    factory = FakeFactory()
    factory.store.customers["PE01000000001"] = SimpleNamespace(code="PE01000000001", phone="0901234567")
    factory.store.companies["PE"] = SimpleNamespace(hotline="1900 545454")
    return factory


def test_a_verification_is_committed_and_proves_the_conversation(uow):
    clock = Clock()
    identity = IdentityService(uow, clock=clock)
    assert identity.verify("PE01000000001", "0901 234 567", "rest-a").status == outcome.VERIFIED
    assert uow.commits == 1 and identity.is_verified("rest-a", "PE01000000001")
    assert not identity.is_verified("rest-b", "PE01000000001")
    clock.now += timedelta(minutes=31)
    assert not identity.is_verified("rest-a", "PE01000000001")


def test_misses_are_recorded_and_lock_the_conversation(uow):
    identity = IdentityService(uow, clock=Clock())
    results = [identity.verify("PE01000000001", f"090000000{i}", "rest-a").status for i in range(3)]
    assert results == [outcome.MISMATCH, outcome.MISMATCH, outcome.LOCKED]
    assert len(uow.store.attempts) == 3  # committed, each of them
    locked = identity.locked_until("PE01000000001", "rest-a")
    assert locked is not None and locked.hotline == "1900 545454" and locked.lock_reason == "conversation"
    assert identity.locked_until("PE01000000001", "rest-b") is None


def test_malformed_input_writes_nothing(uow):
    identity = IdentityService(uow, clock=Clock())
    assert identity.verify("PE123", "0901234567", "rest-a").status == outcome.INVALID_CODE
    assert identity.verify("PE01000000001", "12345", "rest-a").status == outcome.INVALID_PHONE
    assert uow.commits == 0 and uow.store.attempts == []


def test_a_refused_handoff_leaves_nothing_behind(uow):
    clock = Clock()
    handoffs = HandoffService(uow, clock=clock)
    for number in range(10):
        handoffs.request(f"web-{number}", "socketio", "asked", [{"from": "customer", "text": "sdt 0901234567"}],
                         address_key="a" * 32)
    before = (len(uow.store.handoffs), len(uow.store.rate_events))
    with pytest.raises(RateLimited):
        handoffs.request("web-99", "socketio", "asked", [], address_key="a" * 32)
    assert (len(uow.store.handoffs), len(uow.store.rate_events)) == before  # rolled back: not committed
    assert uow.store.handoffs[0].transcript == [{"from": "customer", "text": "sdt 090****567"}]


def test_the_outbox_retries_until_delivered(uow):
    clock = Clock()
    with uow() as work:
        work.outbox.add(events.PaymentReceived("rest-a", 1000, "10/2026", "vnpay", "1"), clock.now)
        work.commit()
    calls: list[events.PaymentReceived] = []

    def rasa(event: events.PaymentReceived) -> None:
        calls.append(event)
        if len(calls) == 1:
            raise ConnectionError("down")

    outbox = OutboxDelivery(uow, {events.PaymentReceived: rasa}, clock=clock)
    assert outbox.run_once().failed == 1
    clock.now += timedelta(seconds=2)
    assert outbox.run_once().delivered == 1 and len(calls) == 2
    assert outbox.run_once().delivered == 0
