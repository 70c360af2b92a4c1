"""Rasa's Redis lock store, which keeps serving when Redis is away.

With Rasa's own RedisLockStore every message fails ("hệ thống đang gặp sự cố") for as long
as Redis is unreachable, since no conversation can be locked. This one falls back to a lock
in the process's memory for that time and logs it: a conversation is still taken one
message at a time by each Rasa process, and only two messages of the same conversation
reaching two processes within the same second could overlap. Back on Redis as soon as it
answers. Named in the production profile's endpoints (tools/endpoints.py) as
`connectors.lock_store.FallbackRedisLockStore`, with a short socket timeout.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


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
