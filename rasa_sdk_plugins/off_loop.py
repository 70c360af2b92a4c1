"""Action calls run on worker threads, not on the action server's event loop; each call is timed.

rasa-sdk 3.6 calls a synchronous `run` (and a form's synchronous validate/extract
methods) inline on its one event loop, so one action waiting on the database stops
every other request of that process, health checks included. Here each action call
runs in a pool of ACTION_THREADS threads, each with an event loop of its own for the
actions that are coroutines; the server's loop only parses and answers HTTP.
ACTION_THREADS=0 keeps rasa-sdk's inline behaviour (for measuring the difference).

Every call's time, and the part of it spent in database statements, is added to
`TIMINGS` per action (GET /timings on the action server, with its token): the load
test reads it to say where a turn's time goes.
"""
from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from rasa_sdk.executor import ActionExecutor

from evn.adapters import db_timing

_local = threading.local()
_INLINE_RUN = ActionExecutor.run


@dataclass
class Timing:
    calls: int = 0
    seconds: float = 0.0
    db_seconds: float = 0.0
    statements: int = 0


class Timings:
    """Per-action totals since the process started (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_action: dict[str, Timing] = {}

    def add(self, action: str, seconds: float, db_seconds: float, statements: int) -> None:
        with self._lock:
            timing = self._by_action.setdefault(action, Timing())
            timing.calls += 1
            timing.seconds += seconds
            timing.db_seconds += db_seconds
            timing.statements += statements

    def snapshot(self) -> dict[str, dict[str, float]]:
        with self._lock:
            return {name: {"calls": t.calls, "ms": round(t.seconds * 1000, 1), "db_ms": round(t.db_seconds * 1000, 1),
                           "statements": t.statements} for name, t in self._by_action.items()}


TIMINGS = Timings()


async def _timed(executor: ActionExecutor, action_call: Any) -> Any:
    db_timing.reset()
    started = time.perf_counter()
    try:
        return await _INLINE_RUN(executor, action_call)
    finally:
        db_seconds, statements = db_timing.read()
        name = action_call.get("next_action") if isinstance(action_call, dict) else None
        TIMINGS.add(str(name), time.perf_counter() - started, db_seconds, statements)


def _run_on_this_thread(executor: ActionExecutor, action_call: Any) -> Any:
    loop = getattr(_local, "loop", None)
    if loop is None:
        loop = _local.loop = asyncio.new_event_loop()
    return loop.run_until_complete(_timed(executor, action_call))


def install(threads: int) -> None:
    """From now on, ActionExecutor.run hands each call to one of `threads` workers (0: inline)."""
    if threads <= 0:
        ActionExecutor.run = _timed
        return
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="action")

    async def run(self: ActionExecutor, action_call: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(pool, _run_on_this_thread, self, action_call)

    ActionExecutor.run = run
