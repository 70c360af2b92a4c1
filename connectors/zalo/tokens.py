"""The OA's access and refresh tokens: shared by every sender in this process, kept in the database.

Zalo's refresh tokens are single use, so a refreshed pair must reach every output channel at
once (ZaloTokens) and survive a restart or a second Rasa process (TokenStore); the refresh
itself is an HTTP call to Zalo (api.py).
"""
from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

from connectors.zalo.config import CHANNEL
from evn.services.channel_state import ChannelStateService, TokenPair

logger = logging.getLogger(__name__)


@dataclass
class ZaloTokens:
    """The OA's current access and refresh tokens, shared by every output channel.

    A refresh replaces both (Zalo's refresh tokens are single use), so refreshes are
    serialised per event loop, and a caller whose token was already replaced by
    someone else's refresh just uses the new one.
    """

    access_token: str
    refresh_token: str
    expires_at: float | None = None
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = field(
        default_factory=weakref.WeakKeyDictionary, repr=False
    )

    def refresh_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        with self._guard:
            lock = self._locks.get(loop)
            if lock is None:
                lock = self._locks[loop] = asyncio.Lock()
            return lock

    def replace(self, access_token: str, refresh_token: str | None, expires_in: Any = None) -> None:
        with self._guard:
            self.access_token = access_token
            if refresh_token:
                self.refresh_token = refresh_token
            try:
                self.expires_at = time.time() + float(expires_in)
            except (TypeError, ValueError):
                self.expires_at = None


class TokenStore:
    """The OA's token pair in the database (evn.services.channel_state), so a refresh survives restarts."""

    def __init__(self, service: ChannelStateService, configured_refresh_token: str) -> None:
        self.service = service
        self.configured = configured_refresh_token

    def current(self, configured: TokenPair) -> TokenPair:
        return self.service.current_tokens(CHANNEL, configured)

    async def load(self) -> tuple[str, str] | None:
        pair = await asyncio.to_thread(self.service.stored_tokens, CHANNEL)
        return (pair.access_token, pair.refresh_token) if pair else None

    async def save(self, access_token: str, refresh_token: str) -> None:
        try:
            await asyncio.to_thread(
                self.service.refreshed, CHANNEL, self.configured, TokenPair(access_token, refresh_token)
            )
        except Exception:  # noqa: BLE001 - the pair still works in this process; say so loudly
            logger.exception("Zalo tokens refreshed but not saved: a restart would need new tokens")
