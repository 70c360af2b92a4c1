"""Per-source limits checked and counted inside the unit of work of the action they limit."""
from __future__ import annotations

from datetime import datetime

from evn.domain import rate_limits
from evn.services.errors import RateLimited
from evn.services.unit_of_work import UnitOfWork


def admit(repos: UnitOfWork, scope: str, conversation_id: str, address_key: str | None, now: datetime) -> None:
    """Counts one `scope` action of this source, or raises RateLimited (nothing counted then)."""
    limit = rate_limits.LIMITS[scope]
    keys = rate_limits.source_keys(conversation_id, address_key)
    ends = [
        until
        for kind, key in keys
        if (until := rate_limits.blocked_until(limit, kind, repos.rate_limits.count(scope, key, now - limit.window),
                                               now)) is not None
    ]
    if ends:
        raise RateLimited(scope, max(ends))
    for _, key in keys:
        repos.rate_limits.add(scope, key, now)
