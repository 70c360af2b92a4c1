"""Without Redis, messages of a conversation still wait their turn; with Redis, the lock is there."""
from __future__ import annotations

import asyncio
import socket

import pytest
import redis
from rasa.utils.endpoints import EndpointConfig

from connectors.lock_store import FallbackRedisLockStore


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def serve_twice(store: FallbackRedisLockStore, conversation: str) -> list[str]:
    order: list[str] = []

    async def handle(name: str) -> None:
        async with store.lock(conversation, lock_lifetime=10, wait_time_in_seconds=0.01):
            order.append(f"{name} in")
            await asyncio.sleep(0.05)
            order.append(f"{name} out")

    await asyncio.gather(handle("a"), handle("b"))
    return order


def test_without_redis_messages_of_a_conversation_still_wait_their_turn():
    store = FallbackRedisLockStore(EndpointConfig(url="127.0.0.1", port=closed_port(), socket_timeout=0.5,
                                                  key_prefix="evn"))
    assert asyncio.run(serve_twice(store, "rest-x")) == ["a in", "a out", "b in", "b out"]
    assert store.local.get_lock("rest-x") is None  # cleaned up


def test_with_redis_the_lock_is_in_redis():
    client = redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1)
    try:
        client.ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    store = FallbackRedisLockStore(EndpointConfig(url="127.0.0.1", port=6379, db=0, key_prefix="evntest"))
    seen = []

    async def inside() -> None:
        async with store.lock("rest-y", lock_lifetime=10, wait_time_in_seconds=0.01):
            seen.append(client.exists("evntest:lock:rest-y") or client.keys("*evntest*"))

    asyncio.run(inside())
    assert seen and seen[0] and store.local.get_lock("rest-y") is None
