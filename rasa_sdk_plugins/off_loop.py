"""Action calls run on worker threads, not on the action server's event loop.

rasa-sdk 3.6 calls a synchronous `run` (and a form's synchronous validate/extract
methods) inline on its one event loop, so one action waiting on the database stops
every other request of that process, health checks included. Here each action call
runs in a pool of ACTION_THREADS threads, each with an event loop of its own for the
actions that are coroutines; the server's loop only parses and answers HTTP.
ACTION_THREADS=0 keeps rasa-sdk's inline behaviour (for measuring the difference).
"""
from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from rasa_sdk.executor import ActionExecutor

_local = threading.local()
_INLINE_RUN = ActionExecutor.run


def _run_on_this_thread(executor: ActionExecutor, action_call: Any) -> Any:
    loop = getattr(_local, "loop", None)
    if loop is None:
        loop = _local.loop = asyncio.new_event_loop()
    return loop.run_until_complete(_INLINE_RUN(executor, action_call))


def install(threads: int) -> None:
    """From now on, ActionExecutor.run hands each call to one of `threads` workers (0: inline)."""
    if threads <= 0:
        ActionExecutor.run = _INLINE_RUN
        return
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="action")

    async def run(self: ActionExecutor, action_call: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(pool, _run_on_this_thread, self, action_call)

    ActionExecutor.run = run
