"""Blocking work (database, Rasa's HTTP API, password hashing) off the web app's event loop.

Most of it runs on the loop's default executor (`blocking`). Work that must not wait behind
the rest, or must not crowd it out, has a Lane of its own: the payment gateways' callbacks
(their answer is what confirms a payment) and the console's logins (each checks a costly
password hash; a flood of them is answered busy at once rather than queued without end).
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any


async def blocking(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, partial(function, *args, **kwargs))


class LaneFull(RuntimeError):
    """The lane has `limit` calls running or waiting already: answer busy."""


class Lane:
    """Threads of one kind of work, apart from the default executor, so no other work starves it.

    `limit`: at most that many calls running or waiting for a thread; one more raises LaneFull at
    once (None: no limit). A call counts until its thread is done with it, even when the request
    that made it has gone.
    """

    def __init__(self, name: str, threads: int, limit: int | None = None) -> None:
        self.name, self.limit = name, limit
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)
        self._lock = threading.Lock()
        self._in_flight = 0

    @property
    def in_flight(self) -> int:
        return self._in_flight

    async def run(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            if self.limit is not None and self._in_flight >= self.limit:
                raise LaneFull(self.name)
            self._in_flight += 1
        try:
            future = self._executor.submit(partial(function, *args, **kwargs))
        except BaseException:
            self._done(None)
            raise
        future.add_done_callback(self._done)
        return await asyncio.wrap_future(future)

    def _done(self, _future: Future | None) -> None:
        with self._lock:
            self._in_flight -= 1

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
