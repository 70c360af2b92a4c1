"""What a use case refuses, for the entrypoints to answer in words."""
from __future__ import annotations

from datetime import datetime


class RateLimited(Exception):
    """This source acted too often; it may again at `until` (UTC)."""

    def __init__(self, scope: str, until: datetime) -> None:
        super().__init__(scope)
        self.scope = scope
        self.until = until
