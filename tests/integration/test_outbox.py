"""The outbox: a side effect written with the change that decides it, delivered once it can be.

A payment confirmed while Rasa is unreachable is announced once Rasa answers again,
never twice, whichever dispatcher or retry delivers it.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from evn.adapters import orm
from evn.adapters.unit_of_work import Factory
from evn.services.outbox import Dispatcher, Report

KIND = "payment_received"


class FlakyRasa:
    """Fails the first `failures` deliveries, then takes every one."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.delivered: list[dict] = []

    def __call__(self, payload: dict) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("Rasa is unreachable")
        self.delivered.append(payload)


def write(sessions, key: str = "payment:EVN1", clock=None) -> bool:
    uow = Factory(sessions)()
    with uow:
        added = uow.outbox.add(KIND, key, {"conversation_id": "rest-a", "amount": 1000}, clock.now)
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
    dispatcher = Dispatcher(Factory(sessions), {KIND: rasa}, clock=clock)
    assert dispatcher.run_once().failed == 1
    assert (
        row(sessions).status == "pending" and row(sessions).attempts == 1 and "unreachable" in row(sessions).last_error
    )
    assert dispatcher.run_once().failed == 0  # not due again before its backoff (2 s)
    clock.advance(seconds=2)
    assert dispatcher.run_once().failed == 1
    clock.advance(seconds=4)
    assert dispatcher.run_once().delivered == 1
    assert rasa.delivered == [{"conversation_id": "rest-a", "amount": 1000}]
    assert row(sessions).status == "delivered" and row(sessions).attempts == 3
    clock.advance(hours=1)
    assert dispatcher.run_once().delivered == 0 and len(rasa.delivered) == 1


def test_a_message_is_given_up_after_the_last_attempt_and_kept(sessions, clock):
    write(sessions, clock=clock)
    dispatcher = Dispatcher(Factory(sessions), {KIND: FlakyRasa(failures=99)}, clock=clock, max_attempts=3)
    for _ in range(3):
        dispatcher.run_once()
        clock.advance(minutes=20)
    assert row(sessions).status == "failed" and row(sessions).attempts == 3


def test_two_dispatchers_deliver_a_message_once(sessions, clock):
    write(sessions, clock=clock)
    rasa = FlakyRasa()
    first, second = (Dispatcher(Factory(sessions), {KIND: rasa}, clock=clock) for _ in range(2))
    with Factory(sessions)() as uow:
        (message,) = uow.outbox.due(clock.now, 10)
        message_id, attempts = message.id, message.attempts
    # The second dispatcher read the same due message, but the first claims it first.
    with Factory(sessions)() as uow:
        assert uow.outbox.claim(message_id, attempts, clock.now + timedelta(seconds=60))
        uow.commit()
    assert second.run_once().delivered == 0 and rasa.delivered == []
    clock.advance(minutes=2)  # the first one's lease ran out without a result (a crash): delivered again
    assert first.run_once().delivered == 1 and len(rasa.delivered) == 1


def test_a_kind_without_a_handler_is_retried_not_lost(sessions, clock):
    write(sessions, clock=clock)
    assert Dispatcher(Factory(sessions), {}, clock=clock).run_once().failed == 1
    assert "no handler" in row(sessions).last_error


def test_the_dispatcher_runs_its_scans_and_delivers_what_they_write_a_failing_scan_is_not_fatal(sessions, clock):
    import threading

    rasa = FlakyRasa()
    dispatcher = Dispatcher(Factory(sessions), {KIND: rasa}, clock=clock)
    stop = threading.Event()
    calls: list[str] = []

    def failing_scan() -> None:
        calls.append("failing")
        raise RuntimeError("database away")

    def scan() -> None:
        calls.append("scan")
        write(sessions, "payment:from-a-scan", clock)

    def stop_once_delivered() -> None:
        if rasa.delivered:
            stop.set()

    worker = threading.Thread(target=dispatcher.run_forever, args=(stop,),
                              kwargs={"interval": 0.05, "jobs": [failing_scan, scan, stop_once_delivered],
                                      "job_interval": 0.05})
    worker.start()
    worker.join(timeout=10)
    stop.set()
    assert not worker.is_alive()
    assert calls[:2] == ["failing", "scan"] and len(rasa.delivered) == 1


# --- a conversation's messages in the order they were written --------------------------------------------

JOINED, CLOSED = "agent_joined", "handoff_closed"


class RecordingRasa:
    """Takes every delivery, in order, except the first `failures[key]` of a message (matched by its key)."""

    def __init__(self, failures: dict[str, int] | None = None) -> None:
        self.failures = dict(failures or {})
        self.delivered: list[str] = []

    def handler(self, kind: str):
        def deliver(payload: dict) -> None:
            if self.failures.get(payload["key"], 0):
                self.failures[payload["key"]] -= 1
                raise ConnectionError("Rasa is unreachable")
            self.delivered.append(payload["key"])
        return deliver

    def handlers(self) -> dict:
        return {kind: self.handler(kind) for kind in (KIND, JOINED, CLOSED)}


def announce(sessions, clock, kind: str, key: str, conversation: str) -> None:
    with Factory(sessions)() as uow:
        assert uow.outbox.add(kind, key, {"conversation_id": conversation, "key": key}, clock.now)
        uow.commit()


def test_a_later_message_to_a_conversation_waits_for_an_earlier_one_that_failed(sessions, clock):
    """Issue 23: "agent joined" (pauses the bot) failed once and was retried after "handoff closed"
    (resumes it) had gone: the bot stayed paused with nobody holding the conversation."""
    announce(sessions, clock, JOINED, "joined:1", "rest-held")
    announce(sessions, clock, CLOSED, "closed:1", "rest-held")
    rasa = RecordingRasa({"joined:1": 1})
    dispatcher = Dispatcher(Factory(sessions), rasa.handlers(), clock=clock)
    assert dispatcher.run_once() == Report(failed=1)  # the close is not even tried
    assert rasa.delivered == [] and row(sessions, "closed:1").attempts == 0
    clock.advance(seconds=1)  # the join waits for its backoff (2 s): the close waits with it
    assert dispatcher.run_once() == Report()
    clock.advance(seconds=1)
    while dispatcher.run_once().delivered:
        pass
    assert rasa.delivered == ["joined:1", "closed:1"]


def test_the_claim_itself_refuses_a_message_while_an_earlier_one_to_its_conversation_is_in_flight(sessions, clock):
    """A second dispatcher that read the later message as due (before the earlier one was written, say)
    cannot claim it while the earlier one is leased by another dispatcher."""
    announce(sessions, clock, JOINED, "joined:2", "rest-held")
    announce(sessions, clock, CLOSED, "closed:2", "rest-held")
    joined, closed = row(sessions, "joined:2"), row(sessions, "closed:2")
    with Factory(sessions)() as uow:
        assert [m.id for m in uow.outbox.due(clock.now, 10)] == [joined.id]
        assert uow.outbox.claim(joined.id, 0, clock.now + timedelta(seconds=60))  # in flight
        assert not uow.outbox.claim(closed.id, 0, clock.now + timedelta(seconds=60))
        uow.outbox.delivered(joined.id, clock.now)
        assert uow.outbox.claim(closed.id, 0, clock.now + timedelta(seconds=60))
        uow.commit()


def test_messages_to_other_conversations_are_not_held_back(sessions, clock):
    announce(sessions, clock, JOINED, "joined:3", "rest-held")
    announce(sessions, clock, CLOSED, "closed:3", "rest-held")
    announce(sessions, clock, KIND, "payment:other", "rest-other")
    announce(sessions, clock, CLOSED, "closed:other", "zalo-other")
    rasa = RecordingRasa({"joined:3": 5})
    assert Dispatcher(Factory(sessions), rasa.handlers(), clock=clock).run_once() == Report(delivered=2, failed=1)
    assert rasa.delivered == ["payment:other", "closed:other"]


def test_a_message_given_up_no_longer_holds_its_conversation_back(sessions, clock):
    announce(sessions, clock, JOINED, "joined:4", "rest-held")
    announce(sessions, clock, CLOSED, "closed:4", "rest-held")
    rasa = RecordingRasa({"joined:4": 99})
    dispatcher = Dispatcher(Factory(sessions), rasa.handlers(), clock=clock, max_attempts=2)
    assert dispatcher.run_once() == Report(failed=1)
    clock.advance(seconds=2)
    assert dispatcher.run_once() == Report(given_up=1)
    assert row(sessions, "joined:4").status == "failed"
    assert dispatcher.run_once() == Report(delivered=1) and rasa.delivered == ["closed:4"]


def test_dispatchers_side_by_side_keep_each_conversations_order(sessions, clock):
    """Four dispatchers at once over five conversations, Rasa failing now and then: every message is
    delivered, and each conversation's in the order written."""
    import threading

    conversations = [f"rest-c{n}" for n in range(5)]
    written: dict[str, list[str]] = {c: [] for c in conversations}
    for step in range(6):
        for conversation in conversations:
            key = f"{conversation}:{step}"
            announce(sessions, clock, (JOINED, KIND, CLOSED)[step % 3], key, conversation)
            written[conversation].append(key)
    rasa = RecordingRasa({f"rest-c{n}:{step}": 1 for n in range(5) for step in (0, 3) if (n + step) % 2})
    lock = threading.Lock()
    handlers = {kind: _serialised(lock, rasa.handler(kind)) for kind in (KIND, JOINED, CLOSED)}
    dispatchers = [Dispatcher(Factory(sessions), handlers, clock=clock) for _ in range(4)]
    expected = sum(len(keys) for keys in written.values())
    for _round in range(40):
        threads = [threading.Thread(target=d.run_once, kwargs={"limit": 3}) for d in dispatchers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        if len(rasa.delivered) == expected:
            break
        clock.advance(seconds=3)  # past any backoff of a first failure
    assert sorted(rasa.delivered) == sorted(key for keys in written.values() for key in keys)
    for conversation, keys in written.items():
        assert [key for key in rasa.delivered if key.startswith(f"{conversation}:")] == keys


def _serialised(lock, handler):
    import time

    def deliver(payload: dict) -> None:
        time.sleep(0.005)  # a delivery takes a moment: the dispatchers overlap
        with lock:
            handler(payload)
    return deliver
