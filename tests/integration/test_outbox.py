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
from evn.services.outbox import Dispatcher

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
