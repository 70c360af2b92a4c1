"""The outbox's rows: the events of evn.domain.events, stored and claimed in each conversation's order."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from evn.adapters import orm
from evn.adapters.repositories.base import LeasedQueue
from evn.domain import events
from evn.domain.statuses import (
    OutboxStatus,
)


class OutboxRepository(LeasedQueue):
    """Side effects waiting to be delivered (evn.services.outbox), as the typed events of evn.domain.events.

    A conversation's messages go in the order they were written: a message is due, and can be
    claimed, only while no earlier message to the same conversation (`payload.conversation_id`) is
    still pending, whether it waits for its backoff or is leased to a worker right now. One
    delivered or given up (failed) holds nothing back. Messages without a conversation are never held.
    """

    model = orm.OutboxMessage
    pending = OutboxStatus.PENDING.value

    def add(self, event: events.Event, at: datetime) -> bool:
        """False when the event was written already (its key exists): one event is announced once."""
        kind, key, payload = events.stored(event)
        try:
            with self.session.begin_nested():
                self.session.add(orm.OutboxMessage(
                    kind=kind, key=key, payload=payload, status=self.pending, attempts=0,
                    created_at=at, next_attempt_at=at,
                ))
        except IntegrityError:
            return False
        return True

    def _ready(self) -> tuple[Any, ...]:
        """No earlier message to the same conversation is pending (one condition, in the claim's own UPDATE:
        atomic however many workers claim at once). The conversation is read from the JSON payload
        (->> on PostgreSQL, json_extract on SQLite); NULL matches nothing, so a message without one waits
        for nobody."""
        message, earlier = orm.OutboxMessage, aliased(orm.OutboxMessage)
        return (~exists().where(
            earlier.status == self.pending,
            earlier.id < message.id,
            earlier.payload["conversation_id"].as_string() == message.payload["conversation_id"].as_string(),
        ),)

    def delivered(self, message_id: int, at: datetime) -> None:
        self.session.execute(
            update(orm.OutboxMessage).where(orm.OutboxMessage.id == message_id)
            .values(status=OutboxStatus.DELIVERED.value, delivered_at=at, last_error=None)
        )

    def failed(self, message_id: int, error: str, next_attempt_at: datetime | None) -> None:
        """Records a failed attempt; without a next attempt the message is given up."""
        values: dict[str, Any] = {"last_error": error[:300]}
        if next_attempt_at is None:
            values["status"] = OutboxStatus.FAILED.value
        else:
            values["next_attempt_at"] = next_attempt_at
        self.session.execute(update(orm.OutboxMessage).where(orm.OutboxMessage.id == message_id).values(**values))

    def by_key(self, key: str) -> orm.OutboxMessage | None:
        return self._one(select(orm.OutboxMessage).where(orm.OutboxMessage.key == key))
