"""Delivering what the outbox holds: each message handed to its handler, retried until it lands.

Messages are the typed events of evn.domain.events, written in the transaction that decides
them (a payment, an agent's join, words or close). The delivery claims a due message (moving
its next attempt a lease ahead, so a second worker or a crash mid-delivery cannot lose or
double it beyond at-least-once), reads it back as its event, calls the handler mapped to the
event's type (evn.bootstrap), and records the result:
delivered, or a failed attempt retried with exponential backoff, given up after
MAX_ATTEMPTS (the row stays, with its last error, for an operator).

A conversation's messages are delivered in the order they were written: a later one is
neither due nor claimable while an earlier one to the same conversation is pending (in
its backoff, or leased to a worker), so an "agent joined" that pauses the bot is
never retried after the "handoff closed" that resumes it. A message given up holds the
later ones back no longer (at most ~47 minutes of backoff with the defaults).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from evn.domain import events, linear_regex
from evn.services.clock import utcnow
from evn.services.polling import poll
from evn.services.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

Handler = Callable[[Any], None]  # takes the event of the type it is mapped to
Handlers = Mapping[type, Handler]
MAX_ATTEMPTS = 12
LEASE = timedelta(seconds=60)


_QUERY = linear_regex.compile(r"\?[^\s'\"()]*")


def error_text(error: BaseException) -> str:
    """An error as it may be stored and logged: no query strings (tokens travel in them), 300 characters."""
    return _QUERY.sub("?…", f"{error.__class__.__name__}: {error}")[:300]


def backoff(attempt: int) -> timedelta:
    """2 s, 4 s, 8 s … capped at 15 minutes: a short outage is bridged at once, a long one patiently."""
    return timedelta(seconds=min(2 ** attempt, 900))


@dataclass(frozen=True)
class Report:
    delivered: int = 0
    failed: int = 0
    given_up: int = 0


class OutboxDelivery:
    def __init__(
        self, uow: UnitOfWorkFactory, handlers: Handlers, clock: Callable[[], datetime] = utcnow,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.uow = uow
        self.handlers = dict(handlers)
        self.clock = clock
        self.max_attempts = max_attempts

    def run_once(self, limit: int = 50) -> Report:
        """Delivers what is due now; returns what happened."""
        now = self.clock()
        with self.uow() as uow:
            due = [(m.id, m.kind, dict(m.payload), m.attempts) for m in uow.outbox.due(now, limit)]
        delivered = failed = given_up = 0
        for message_id, kind, payload, attempts in due:
            with self.uow() as uow:
                claimed = uow.outbox.claim(message_id, attempts, now + LEASE)
                uow.commit()
            if not claimed:
                continue  # another worker took it
            error = self._deliver(kind, payload)
            with self.uow() as uow:
                if error is None:
                    uow.outbox.delivered(message_id, self.clock())
                    delivered += 1
                elif attempts + 1 >= self.max_attempts:
                    uow.outbox.failed(message_id, error, None)
                    given_up += 1
                    log.error("outbox: message %s (%s) given up after %d attempts: %s", message_id, kind,
                              attempts + 1, error)
                else:
                    uow.outbox.failed(message_id, error, self.clock() + backoff(attempts + 1))
                    failed += 1
                    log.warning("outbox: message %s (%s) failed, attempt %d: %s", message_id, kind, attempts + 1, error)
                uow.commit()
        return Report(delivered, failed, given_up)

    def run_forever(self, stop: threading.Event, interval: float = 0.2, scans: Sequence[Callable[[], object]] = (),
                    scan_interval: float = 5.0) -> None:
        """Polls until `stop` is set (every 0.2 s when idle: an agent's words wait at most that long).

        `scans` write the outbox on a schedule (a handoff nobody took in time), run every
        `scan_interval` seconds in this same loop, so they too run once.
        """
        poll(stop, lambda: self.run_once().delivered, name="outbox", interval=interval, scans=scans,
             scan_interval=scan_interval)

    def _deliver(self, kind: str, payload: dict[str, Any]) -> str | None:
        try:
            event = events.read(kind, payload)
        except events.UnknownEvent as error:
            return error_text(error)
        handler = self.handlers.get(type(event))
        if handler is None:
            return f"no handler for {kind}"
        try:
            handler(event)
        except Exception as error:  # noqa: BLE001 - recorded and retried
            return error_text(error)
        return None
