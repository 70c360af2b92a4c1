"""What the channels must remember across restarts and processes.

Zalo's refresh token is single-use: after a refresh only the new pair works, so it
is kept in the database, and every Rasa process starts from the newest pair. A
redelivered webhook (same platform message id) must be answered once, whichever
process receives it and even after a restart.
"""
from __future__ import annotations

import hashlib
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from evn.services.clock import utcnow
from evn.services.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

SEEN_FOR = timedelta(days=2)  # platforms redeliver within minutes to hours
PURGE_EVERY = 1000


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_at: datetime | None = None


def seed_of(configured_refresh_token: str) -> str:
    """Names the configured pair a stored pair grew from, without storing it again."""
    return hashlib.sha256(configured_refresh_token.encode()).hexdigest()


class ChannelStateService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Callable[[], datetime] = utcnow) -> None:
        self.uow = uow
        self.clock = clock
        self._inserts = itertools.count(1)

    def current_tokens(self, channel: str, configured: TokenPair) -> TokenPair:
        """The newest pair grown from the configured one; a newly configured pair replaces the stored one."""
        seed = seed_of(configured.refresh_token)
        with self.uow() as uow:
            row = uow.channel_state.tokens(channel)
            if row is not None and row.seed == seed:
                return TokenPair(row.access_token, row.refresh_token, row.expires_at)
            uow.channel_state.save_tokens(
                channel, seed, configured.access_token, configured.refresh_token, configured.expires_at, self.clock()
            )
            uow.commit()
        return configured

    def stored_tokens(self, channel: str) -> TokenPair | None:
        with self.uow() as uow:
            row = uow.channel_state.tokens(channel)
            return TokenPair(row.access_token, row.refresh_token, row.expires_at) if row else None

    def refreshed(self, channel: str, configured_refresh_token: str, pair: TokenPair) -> None:
        with self.uow() as uow:
            uow.channel_state.save_tokens(
                channel, seed_of(configured_refresh_token), pair.access_token, pair.refresh_token, pair.expires_at,
                self.clock(),
            )
            uow.commit()

    def first_delivery(self, channel: str, message_id: str) -> bool:
        """True the first time `message_id` arrives on `channel`; False for a redelivery."""
        now = self.clock()
        with self.uow() as uow:
            first = uow.channel_state.add_seen(channel, message_id[:128], now)
            if first and next(self._inserts) % PURGE_EVERY == 0:
                uow.channel_state.forget_seen_before(now - SEEN_FOR)
            uow.commit()
        return first
