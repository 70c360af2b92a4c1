"""The outbox: a side effect written with the change that decides it, delivered once it can be.

A payment confirmed while Rasa is unreachable is announced once Rasa answers again,
never twice, whichever worker or retry delivers it.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from evn.adapters import orm
from evn.adapters.unit_of_work import Factory
from evn.domain import events
from evn.services.outbox import OutboxDelivery, Report

PAID = events.PaymentReceived("rest-a", 1000, "10/2026", "vnpay", "EVN1")


class FlakyRasa:
    """Fails the first `failures` deliveries, then takes every one."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.delivered: list[events.Event] = []

    def __call__(self, event: events.Event) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("Rasa is unreachable")
        self.delivered.append(event)


def write(sessions, event: events.Event = PAID, clock=None) -> bool:
    uow = Factory(sessions)()
    with uow:
        added = uow.outbox.add(event, clock.now)
        uow.commit()
    return added


def row(sessions, key: str = "payment:EVN1") -> orm.OutboxMessage:
    with sessions() as session:
        return session.execute(select(orm.OutboxMessage).where(orm.OutboxMessage.key == key)).scalar_one()


@pytest.fixture
def sessions(fresh_sessions):
    return fresh_sessions


def test_one_event_is_written_once(sessions, clock):
    assert write(sessions, clock=clock) and not write(sessions, clock=clock)


def test_a_message_waits_while_rasa_is_down_and_is_delivered_once_it_is_back(sessions, clock):
    write(sessions, clock=clock)
    rasa = FlakyRasa(failures=2)
    outbox = OutboxDelivery(Factory(sessions), {events.PaymentReceived: rasa}, clock=clock)
    assert outbox.run_once().failed == 1
    assert (
        row(sessions).status == "pending" and row(sessions).attempts == 1 and "unreachable" in row(sessions).last_error
    )
    assert outbox.run_once().failed == 0  # not due again before its backoff (2 s)
    clock.advance(seconds=2)
    assert outbox.run_once().failed == 1
    clock.advance(seconds=4)
    assert outbox.run_once().delivered == 1
    assert rasa.delivered == [PAID]  # the typed event, as written
    assert row(sessions).status == "delivered" and row(sessions).attempts == 3
    clock.advance(hours=1)
    assert outbox.run_once().delivered == 0 and len(rasa.delivered) == 1


def test_a_message_is_given_up_after_the_last_attempt_and_kept(sessions, clock):
    write(sessions, clock=clock)
    outbox = OutboxDelivery(Factory(sessions), {events.PaymentReceived: FlakyRasa(failures=99)}, clock=clock,
                                max_attempts=3)
    for _ in range(3):
        outbox.run_once()
        clock.advance(minutes=20)
    assert row(sessions).status == "failed" and row(sessions).attempts == 3


def test_two_workers_deliver_a_message_once(sessions, clock):
    write(sessions, clock=clock)
    rasa = FlakyRasa()
    first, second = (OutboxDelivery(Factory(sessions), {events.PaymentReceived: rasa}, clock=clock) for _ in range(2))
    with Factory(sessions)() as uow:
        (message,) = uow.outbox.due(clock.now, 10)
        message_id, attempts = message.id, message.attempts
    # The second worker read the same due message, but the first claims it first.
    with Factory(sessions)() as uow:
        assert uow.outbox.claim(message_id, attempts, clock.now + timedelta(seconds=60))
        uow.commit()
    assert second.run_once().delivered == 0 and rasa.delivered == []
    clock.advance(minutes=2)  # the first one's lease ran out without a result (a crash): delivered again
    assert first.run_once().delivered == 1 and len(rasa.delivered) == 1


def test_a_kind_without_a_handler_is_retried_not_lost(sessions, clock):
    write(sessions, clock=clock)
    assert OutboxDelivery(Factory(sessions), {}, clock=clock).run_once().failed == 1
    assert "no handler" in row(sessions).last_error


def test_a_row_no_event_reads_is_retried_with_its_reason_and_a_newer_payload_still_reads(sessions, clock):
    with sessions() as session:
        for key, kind, payload in (
            ("unknown:1", "refund_issued", {"conversation_id": "rest-u"}),
            ("damaged:1", "agent_joined", {"conversation_id": "rest-d"}),  # no handoff_id, no agent_name
            ("newer:1", "handoff_unanswered", {"conversation_id": "rest-n", "handoff_id": 7, "added_later": 1}),
        ):
            session.execute(insert(orm.OutboxMessage).values(
                kind=kind, key=key, payload=payload, status="pending", attempts=0, created_at=clock.now,
                next_attempt_at=clock.now))
        session.commit()
    rasa = FlakyRasa()
    report = OutboxDelivery(Factory(sessions), {events.HandoffUnanswered: rasa, events.AgentJoined: rasa},
                            clock=clock).run_once()
    assert report == Report(delivered=1, failed=2)
    assert rasa.delivered == [events.HandoffUnanswered("rest-n", 7)]
    assert "no event of kind 'refund_issued'" in row(sessions, "unknown:1").last_error
    assert "agent_joined" in row(sessions, "damaged:1").last_error


def test_the_outbox_runs_its_scans_and_delivers_what_they_write_a_failing_scan_is_not_fatal(sessions, clock):
    import threading

    rasa = FlakyRasa()
    outbox = OutboxDelivery(Factory(sessions), {events.PaymentReceived: rasa}, clock=clock)
    stop = threading.Event()
    calls: list[str] = []

    def failing_scan() -> None:
        calls.append("failing")
        raise RuntimeError("database away")

    def scan() -> None:
        calls.append("scan")
        write(sessions, events.PaymentReceived("rest-a", 1000, "10/2026", "vnpay", "from-a-scan"), clock)

    def stop_once_delivered() -> None:
        if rasa.delivered:
            stop.set()

    worker = threading.Thread(target=outbox.run_forever, args=(stop,),
                              kwargs={"interval": 0.05, "scans": [failing_scan, scan, stop_once_delivered],
                                      "scan_interval": 0.05})
    worker.start()
    worker.join(timeout=10)
    stop.set()
    assert not worker.is_alive()
    assert calls[:2] == ["failing", "scan"] and len(rasa.delivered) == 1


# --- a conversation's messages in the order they were written --------------------------------------------

def joined(conversation: str, handoff: int) -> events.AgentJoined:
    return events.AgentJoined(conversation, handoff, "Lan")


def closed(conversation: str, handoff: int) -> events.HandoffClosed:
    return events.HandoffClosed(conversation, handoff, "resolved")


def paid(conversation: str, reference: str) -> events.PaymentReceived:
    return events.PaymentReceived(conversation, 1000, "10/2026", "vnpay", reference)


class RecordingRasa:
    """Takes every delivery, in order, except the first `failures[key]` of a message (matched by its key)."""

    def __init__(self, failures: dict[str, int] | None = None) -> None:
        self.failures = dict(failures or {})
        self.delivered: list[str] = []

    def deliver(self, event: events.Event) -> None:
        if self.failures.get(event.key(), 0):
            self.failures[event.key()] -= 1
            raise ConnectionError("Rasa is unreachable")
        self.delivered.append(event.key())

    def handlers(self) -> dict:
        return {kind: self.deliver for kind in (events.PaymentReceived, events.AgentJoined, events.HandoffClosed)}


def announce(sessions, clock, event: events.Event) -> None:
    with Factory(sessions)() as uow:
        assert uow.outbox.add(event, clock.now)
        uow.commit()


def test_a_later_message_to_a_conversation_waits_for_an_earlier_one_that_failed(sessions, clock):
    """Issue 23: "agent joined" (pauses the bot) failed once and was retried after "handoff closed"
    (resumes it) had gone: the bot stayed paused with nobody holding the conversation."""
    announce(sessions, clock, joined("rest-held", 1))
    announce(sessions, clock, closed("rest-held", 1))
    rasa = RecordingRasa({"agent_joined:1": 1})
    outbox = OutboxDelivery(Factory(sessions), rasa.handlers(), clock=clock)
    assert outbox.run_once() == Report(failed=1)  # the close is not even tried
    assert rasa.delivered == [] and row(sessions, "handoff_closed:1").attempts == 0
    clock.advance(seconds=1)  # the join waits for its backoff (2 s): the close waits with it
    assert outbox.run_once() == Report()
    clock.advance(seconds=1)
    while outbox.run_once().delivered:
        pass
    assert rasa.delivered == ["agent_joined:1", "handoff_closed:1"]


def test_the_claim_itself_refuses_a_message_while_an_earlier_one_to_its_conversation_is_in_flight(sessions, clock):
    """A second worker that read the later message as due (before the earlier one was written, say)
    cannot claim it while the earlier one is leased by another worker."""
    announce(sessions, clock, joined("rest-held", 2))
    announce(sessions, clock, closed("rest-held", 2))
    first, later = row(sessions, "agent_joined:2"), row(sessions, "handoff_closed:2")
    with Factory(sessions)() as uow:
        assert [m.id for m in uow.outbox.due(clock.now, 10)] == [first.id]
        assert uow.outbox.claim(first.id, 0, clock.now + timedelta(seconds=60))  # in flight
        assert not uow.outbox.claim(later.id, 0, clock.now + timedelta(seconds=60))
        uow.outbox.delivered(first.id, clock.now)
        assert uow.outbox.claim(later.id, 0, clock.now + timedelta(seconds=60))
        uow.commit()


def test_messages_to_other_conversations_are_not_held_back(sessions, clock):
    announce(sessions, clock, joined("rest-held", 3))
    announce(sessions, clock, closed("rest-held", 3))
    announce(sessions, clock, paid("rest-other", "other"))
    announce(sessions, clock, closed("zalo-other", 5))
    rasa = RecordingRasa({"agent_joined:3": 5})
    assert OutboxDelivery(Factory(sessions), rasa.handlers(), clock=clock).run_once() == Report(delivered=2, failed=1)
    assert rasa.delivered == ["payment:other", "handoff_closed:5"]


def test_a_message_given_up_no_longer_holds_its_conversation_back(sessions, clock):
    announce(sessions, clock, joined("rest-held", 4))
    announce(sessions, clock, closed("rest-held", 4))
    rasa = RecordingRasa({"agent_joined:4": 99})
    outbox = OutboxDelivery(Factory(sessions), rasa.handlers(), clock=clock, max_attempts=2)
    assert outbox.run_once() == Report(failed=1)
    clock.advance(seconds=2)
    assert outbox.run_once() == Report(given_up=1)
    assert row(sessions, "agent_joined:4").status == "failed"
    assert outbox.run_once() == Report(delivered=1) and rasa.delivered == ["handoff_closed:4"]


def test_workers_side_by_side_keep_each_conversations_order(sessions, clock):
    """Four workers at once over five conversations, Rasa failing now and then: every message is
    delivered, and each conversation's in the order written."""
    import threading

    conversations = [f"rest-c{n}" for n in range(5)]
    written: dict[str, list[str]] = {c: [] for c in conversations}
    failing: dict[str, int] = {}
    for step in range(6):
        for n, conversation in enumerate(conversations):
            handoff = 100 + n * 10 + step
            event = (joined(conversation, handoff), paid(conversation, f"{conversation}:{step}"),
                     closed(conversation, handoff))[step % 3]
            announce(sessions, clock, event)
            written[conversation].append(event.key())
            if step in (0, 3) and (n + step) % 2:
                failing[event.key()] = 1
    rasa = RecordingRasa(failing)
    lock = threading.Lock()
    handlers = {kind: _serialised(lock, rasa.deliver) for kind in rasa.handlers()}
    workers = [OutboxDelivery(Factory(sessions), handlers, clock=clock) for _ in range(4)]
    expected = sum(len(keys) for keys in written.values())
    for _round in range(40):
        threads = [threading.Thread(target=d.run_once, kwargs={"limit": 3}) for d in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        if len(rasa.delivered) == expected:
            break
        clock.advance(seconds=3)  # past any backoff of a first failure
    assert sorted(rasa.delivered) == sorted(key for keys in written.values() for key in keys)
    for keys in written.values():
        assert [key for key in rasa.delivered if key in keys] == keys


def _serialised(lock, handler):
    import time

    def deliver(event: events.Event) -> None:
        time.sleep(0.005)  # a delivery takes a moment: the workers overlap
        with lock:
            handler(event)
    return deliver
