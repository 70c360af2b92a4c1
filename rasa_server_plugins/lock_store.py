"""Rasa's Redis lock store made safe for several processes, and serving when Redis is away.

Rasa's own RedisLockStore reads a conversation's lock, changes it in Python and writes it
back (RasaHQ/rasa#3933 says so: "far from atomic"). Two Rasa processes receiving a message of
the same conversation at once both read "no ticket", both issue ticket 0 and both go in: the
second save of the tracker then drops the first message's events. Here every change of a lock
(issuing a ticket, dropping expired ones, finishing) is one optimistic Redis transaction
(WATCH/MULTI/EXEC, retried when another process changed the lock meanwhile), and the key
expires shortly after its last ticket, so a crashed process leaves nothing behind.

When Redis is unreachable, every message would fail ("hệ thống đang gặp sự cố") since no
conversation could be locked; this store then locks in the process's memory and logs it: a
conversation is still taken one message at a time by each Rasa process, and only two
messages of the same conversation reaching two processes within the same second could
overlap. Back on Redis as soon as it answers. Named in the production profile's endpoints
(ops/endpoints.py) as `rasa_server_plugins.lock_store.FallbackRedisLockStore`, with a short socket
timeout.
"""
from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.client import Pipeline
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")
KEY_GRACE_SECONDS = 60  # a lock's key outlives its last ticket by this much, then Redis drops it


class FallbackRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        self.local = InMemoryLockStore()
        self._degraded = False

    def _fell_back(self, error: RedisError) -> None:
        if not self._degraded:
            logger.error("lock_store.redis.unreachable: locking in this process until Redis answers (%s)",
                         error.__class__.__name__)
        self._degraded = True

    def _back(self) -> None:
        if self._degraded:
            logger.warning("lock_store.redis.back: locking in Redis again")
        self._degraded = False

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, T]]) -> T:
        """Apply `change` to the stored lock as one transaction; retried if another process wrote it meanwhile."""
        key = self.key_prefix + conversation_id

        def transaction(pipe: Pipeline) -> T:
            raw = pipe.get(key)
            lock, result = change(TicketLock.from_dict(json.loads(raw)) if raw else None)
            pipe.multi()
            if lock is None or not lock.is_someone_waiting():
                pipe.delete(key)
            else:
                last_expiry = max(ticket.expires for ticket in lock.tickets)
                pipe.set(key, lock.dumps(), ex=max(1, math.ceil(last_expiry - time.time())) + KEY_GRACE_SECONDS)
            return result

        result: T = self.red.transaction(transaction, key, value_from_callable=True)
        self._back()
        return result

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            lock.remove_expired_tickets()
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except RedisError as error:
            self._fell_back(error)
        return self.local.issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        try:
            self._change(conversation_id, drop_expired)
        except RedisError as error:
            self._fell_back(error)
        self.local.update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        try:
            self._change(conversation_id, finish)
        except RedisError as error:
            self._fell_back(error)
        self.local.cleanup(conversation_id, ticket_number)

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        try:
            found = super().get_lock(conversation_id)
        except RedisError as error:
            self._fell_back(error)
            return self.local.get_lock(conversation_id)
        self._back()
        return found or self.local.get_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        try:
            super().save_lock(lock)
        except RedisError as error:
            self._fell_back(error)
            self.local.save_lock(lock)

    def delete_lock(self, conversation_id: str) -> None:
        self.local.delete_lock(conversation_id)
        try:
            super().delete_lock(conversation_id)
        except RedisError as error:
            self._fell_back(error)
