"""Background work kept in order per user, with a bounded backlog.

Webhooks answer at once and the message is handled afterwards; one user's messages
must still be handled in the order they came, and one user sending hundreds at once
must not occupy the server: beyond `max_pending` waiting messages, new ones are
refused (the caller says so politely) until the backlog drains.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

logger = logging.getLogger(__name__)

Work = Callable[[], Awaitable[Any]]


class OrderedBackground:
    def __init__(self, name: str, max_pending: int = 20) -> None:
        self.name = name
        self.max_pending = max_pending
        self._tasks: set[asyncio.Task] = set()
        self._tails: dict[str, asyncio.Task] = {}
        self._pending: dict[str, int] = {}

    def submit(self, key: str, work: Work) -> bool:
        """Run `work` after `key`'s earlier work; False (nothing scheduled) when its backlog is full."""
        if self._pending.get(key, 0) >= self.max_pending:
            return False
        previous = self._tails.get(key)
        self._pending[key] = self._pending.get(key, 0) + 1

        async def run() -> None:
            if previous is not None and not previous.done():
                await asyncio.wait([previous])
            try:
                await work()
            except Exception:  # noqa: BLE001 - one failing message must not stop the next
                logger.exception("%s: background work failed", self.name)

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        self._tails[key] = task

        def forget(done: asyncio.Task) -> None:
            self._tasks.discard(done)
            self._pending[key] -= 1
            if not self._pending[key]:
                del self._pending[key]
            if self._tails.get(key) is done:
                del self._tails[key]

        task.add_done_callback(forget)
        return True

    async def drain(self) -> None:
        """Wait for the work submitted so far (tests, shutdown)."""
        while self._tasks:
            await asyncio.wait(list(self._tasks))
