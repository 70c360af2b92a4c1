"""The channels' link to the business database (token pairs, message ids already handled) and to Rasa's
HTTP API as the outbox reaches it."""
from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import OrderedDict
from functools import cache
from typing import Protocol

from evn.adapters.rasa_notifier import RasaNotifier
from evn.bootstrap import Core, bootstrap
from evn.services.channel_state import ChannelStateService

logger = logging.getLogger(__name__)


@cache
def core() -> Core:
    """The Rasa process's one core, from the composition root (built on first use)."""
    return bootstrap()


def channel_state() -> ChannelStateService:
    return core().channel_state


@cache
def rasa_api() -> RasaNotifier:
    """Rasa's HTTP API (RASA_URL), called the way the worker calls it (blocking: off the loop)."""
    settings = core().settings
    return RasaNotifier(settings.rasa_url, settings.rasa_auth_token)


class Deduplicator(Protocol):
    async def first_time(self, message_id: str) -> bool: ...


class DatabaseDeduplicator:
    """Redeliveries are recognised across restarts and processes; off the event loop."""

    def __init__(self, channel: str, service: ChannelStateService | None = None) -> None:
        self.channel = channel
        self.service = service

    async def first_time(self, message_id: str) -> bool:
        service = self.service or channel_state()
        try:
            return await asyncio.to_thread(service.first_delivery, self.channel, message_id)
        except Exception:  # noqa: BLE001 - answering twice is better than not answering
            logger.warning("%s: cannot record message id; handling it anyway", self.channel)
            return True


class MemoryDeduplicator:
    """Ids seen by this process in the last `ttl` seconds (for tests and single-process tools)."""

    def __init__(self, ttl: float = 3600.0, capacity: int = 50_000) -> None:
        self.ttl, self.capacity = ttl, capacity
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    async def first_time(self, message_id: str) -> bool:
        return not self.seen_before(message_id)

    def seen_before(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            while self._seen:
                _oldest, at = next(iter(self._seen.items()))
                if now - at < self.ttl and len(self._seen) < self.capacity:
                    break
                self._seen.popitem(last=False)
            if key in self._seen:
                return True
            self._seen[key] = now
            return False
