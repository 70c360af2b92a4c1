"""Action calls off the action server's event loop: a slow action no longer stops the others."""
from __future__ import annotations

import asyncio
import time

import pytest
from rasa_sdk.executor import ActionExecutor

from rasa_sdk_plugins import off_loop


def waits_on_the_database(dispatcher, tracker, domain):
    """Stands for an action blocked in a database call (a synchronous run, as ours are).

    A plain function, not an Action subclass: rasa-sdk registers every subclass it can see.
    """
    time.sleep(0.3)
    dispatcher.utter_message(text=f"xong {tracker.sender_id}")
    return []


def call(sender: str) -> dict:
    return {"next_action": "action_waits_for_test", "domain": {}, "tracker": {
        "sender_id": sender, "slots": {}, "latest_message": {}, "events": [], "paused": False,
        "followup_action": None, "active_loop": {}, "latest_action_name": None}}


async def ticks_while_running(executor: ActionExecutor, senders: list[str]) -> tuple[int, list[dict]]:
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    beat = asyncio.create_task(heartbeat())
    await asyncio.sleep(0)
    results = await asyncio.gather(*(executor.run(call(sender)) for sender in senders))
    beat.cancel()
    return ticks, [answer(result) for result in results]


def answer(result: object) -> dict:
    """What the action server sends back: rasa-sdk 3.21 returns a model the endpoint dumps, 3.6 the dict itself."""
    dump = getattr(result, "model_dump", None)
    return dump() if dump is not None else result


@pytest.fixture
def executor():
    executor = ActionExecutor()
    executor.register_function("action_waits_for_test", waits_on_the_database)
    yield executor
    off_loop.install(0)


def test_inline_actions_stop_the_loop_and_threaded_ones_do_not(executor):
    off_loop.install(0)
    inline_ticks, inline = asyncio.run(ticks_while_running(executor, ["a", "b"]))
    off_loop.install(4)
    threaded_ticks, threaded = asyncio.run(ticks_while_running(executor, ["a", "b"]))
    assert [r["responses"][0]["text"] for r in threaded] == ["xong a", "xong b"]
    assert threaded == inline  # the same answers either way
    assert inline_ticks <= 1  # the loop stood still for both calls, one after the other
    assert threaded_ticks >= 10  # the loop went on while both calls waited, side by side


def test_each_call_is_timed_with_its_database_part(executor, tmp_path):
    from sqlalchemy import text

    from evn.adapters.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'timing.sqlite3'}")

    def queries(dispatcher, tracker, domain):
        with engine.connect() as connection:
            for _ in range(3):
                connection.execute(text("SELECT 1"))
        return []

    executor.register_function("action_queries_for_test", queries)
    off_loop.install(2)
    before = off_loop.TIMINGS.snapshot().get("action_queries_for_test", {}).get("calls", 0)
    asyncio.run(executor.run({**call("a"), "next_action": "action_queries_for_test"}))
    timing = off_loop.TIMINGS.snapshot()["action_queries_for_test"]
    assert timing["calls"] == before + 1 and timing["statements"] >= 3
    assert 0 < timing["db_ms"] <= timing["ms"]
