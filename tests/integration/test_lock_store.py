"""Without Redis, messages of a conversation still wait their turn; with Redis, the lock is there."""
from __future__ import annotations

import asyncio
import socket
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from rasa.utils.endpoints import EndpointConfig

from rasa_server_plugins.lock_store import FallbackRedisLockStore

pytestmark = pytest.mark.rasa_environment  # Rasa's own code


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
    client = redis_or_skip()
    store = process_store()
    seen = []

    async def inside() -> None:
        async with store.lock("rest-y", lock_lifetime=10, wait_time_in_seconds=0.01):
            seen.append(client.exists("evntest:lock:rest-y") or client.keys("*evntest*"))

    asyncio.run(inside())
    assert seen and seen[0] and store.local.get_lock("rest-y") is None


def redis_or_skip() -> redis.Redis:
    client = redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1)
    try:
        client.ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    return client


def process_store() -> FallbackRedisLockStore:
    """What each Rasa process has: its own store and its own Redis connection."""
    return FallbackRedisLockStore(EndpointConfig(url="127.0.0.1", port=6379, db=0, key_prefix="evntest"))


def test_processes_issuing_tickets_at_once_never_get_the_same_one():
    redis_or_skip()
    conversation = f"rest-{uuid.uuid4().hex[:8]}"
    stores = [process_store() for _ in range(8)]
    start = threading.Barrier(len(stores))

    def issue(store: FallbackRedisLockStore) -> list[int]:
        start.wait()
        return [store.issue_ticket(conversation, 10) for _ in range(5)]

    with ThreadPoolExecutor(len(stores)) as pool:
        tickets = [ticket for issued in pool.map(issue, stores) for ticket in issued]
    assert sorted(tickets) == list(range(40))
    lock = stores[0].get_lock(conversation)
    assert lock is not None and len(lock.tickets) == 40


def test_processes_holding_one_conversation_take_it_one_at_a_time():
    """The lost update Rasa's own store allowed: a read-modify-write of shared state under the lock."""
    client = redis_or_skip()
    conversation = f"rest-{uuid.uuid4().hex[:8]}"
    counter = f"evntest:counter:{conversation}"
    inside = []

    async def turn(store: FallbackRedisLockStore) -> None:
        async with store.lock(conversation, lock_lifetime=10, wait_time_in_seconds=0.005):
            inside.append(1)
            assert len(inside) == 1, "two processes inside the same conversation's lock"
            value = int(client.get(counter) or 0)
            await asyncio.sleep(0.002)
            client.set(counter, value + 1)
            inside.pop()

    def process(store: FallbackRedisLockStore) -> None:
        start.wait()
        for _ in range(10):
            asyncio.run(turn(store))

    stores = [process_store() for _ in range(6)]
    start = threading.Barrier(len(stores))
    with ThreadPoolExecutor(len(stores)) as pool:
        list(pool.map(process, stores))
    assert int(client.get(counter)) == 60
    assert client.exists(stores[0].key_prefix + conversation) == 0  # the last one out removed the lock
    client.delete(counter)


def test_a_lock_left_by_a_crashed_process_expires_in_redis():
    client = redis_or_skip()
    conversation = f"rest-{uuid.uuid4().hex[:8]}"
    store = process_store()
    store.issue_ticket(conversation, 5)  # and never cleaned up
    ttl = client.ttl(store.key_prefix + conversation)
    assert 5 < ttl <= 5 + 60 + 1
    client.delete(store.key_prefix + conversation)
