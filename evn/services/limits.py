"""Per-source limits checked and counted inside the unit of work of the action they limit."""
from __future__ import annotations

from datetime import datetime

from evn.domain import rate_limits
from evn.services.errors import RateLimited
from evn.services.unit_of_work import UnitOfWork


def blocked_until(repos: UnitOfWork, scope: str, conversation_id: str, address_key: str | None,
                  now: datetime) -> datetime | None:
    """When this source may act again, or None when it may now (nothing counted)."""
    limit = rate_limits.LIMITS[scope]
    ends = [
        until
        for kind, key in rate_limits.source_keys(conversation_id, address_key)
        if (until := rate_limits.blocked_until(limit, kind, repos.rate_limits.count(scope, key, now - limit.window),
                                               now)) is not None
    ]
    return max(ends) if ends else None


def admit(repos: UnitOfWork, scope: str, conversation_id: str, address_key: str | None, now: datetime) -> None:
    """Counts one `scope` action of this source, or raises RateLimited (nothing counted then)."""
    until = blocked_until(repos, scope, conversation_id, address_key, now)
    if until is not None:
        raise RateLimited(scope, until)
    for _, key in rate_limits.source_keys(conversation_id, address_key):
        repos.rate_limits.add(scope, key, now)
