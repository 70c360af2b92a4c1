"""Conversations that changed, heard from Rasa's event broker, so the agent console updates at once.

In the production profile every Rasa process publishes each tracker event to RabbitMQ's
fanout exchange (Rasa's Pika broker, `rasa-exchange`). Each web app binds its own
exclusive queue to it and wakes the console requests waiting on that conversation. When
RABBITMQ_URL is unset (`make run`) or the broker is away, nothing waits: the console
polls the tracker every second instead, so it works either way.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from typing import Any

log = logging.getLogger(__name__)

RASA_EXCHANGE = "rasa-exchange"  # rasa.core.brokers.pika.RABBITMQ_EXCHANGE
RECONNECT_SECONDS = 5.0


class ConversationChanges:
    """Waiters per conversation, woken by the broker's consumer (one per web app process)."""

    def __init__(self) -> None:
        self.live = False
        self._waiters: dict[str, set[asyncio.Event]] = defaultdict(set)

    def changed(self, conversation_id: str) -> None:
        for waiter in self._waiters.pop(conversation_id, set()):
            waiter.set()

    async def wait(self, conversation_id: str, timeout: float) -> bool:
        """True when the conversation changed within `timeout`; False at once when the broker is not live."""
        if not self.live:
            return False
        waiter = asyncio.Event()
        self._waiters[conversation_id].add(waiter)
        try:
            await asyncio.wait_for(waiter.wait(), timeout)
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            waiters = self._waiters.get(conversation_id)
            if waiters is not None:
                waiters.discard(waiter)
                if not waiters:
                    self._waiters.pop(conversation_id, None)

    async def consume(self, url: str) -> None:
        """Runs until cancelled; a lost connection is retried, and meanwhile the console polls."""
        import aio_pika

        while True:
            try:
                connection = await aio_pika.connect_robust(url, timeout=10)
                async with connection:
                    channel = await connection.channel()
                    exchange = await channel.declare_exchange(RASA_EXCHANGE, type=aio_pika.ExchangeType.FANOUT)
                    queue = await channel.declare_queue("", exclusive=True, auto_delete=True)
                    await queue.bind(exchange, "")
                    self.live = True
                    log.info("agent console: following conversations through RabbitMQ")
                    async with queue.iterator() as messages:
                        async for message in messages:
                            async with message.process():
                                self._heard(message.body)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - the console falls back to polling meanwhile
                log.warning("agent console: event broker unavailable (%s), polling the tracker",
                            error.__class__.__name__)
            self.live = False
            for conversation in list(self._waiters):
                self.changed(conversation)  # nobody waits on a broker that is gone
            await asyncio.sleep(RECONNECT_SECONDS)

    def _heard(self, body: bytes) -> None:
        try:
            event: Any = json.loads(body)
        except ValueError:
            return
        sender = event.get("sender_id") if isinstance(event, dict) else None
        if isinstance(sender, str):
            self.changed(sender)
