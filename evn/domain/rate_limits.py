"""How often one source may file requests, report outages or ask for a person.

Limits are per conversation and per client address (widget, REST), so one visitor
cannot flood the queue from one chat or by opening many; others are not affected.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

SERVICE_REQUEST, OUTAGE_REPORT, HANDOFF = "service_request", "outage_report", "handoff"
PICTURE = "picture"  # a picture fetched or uploaded: each costs a download and a decoding


@dataclass(frozen=True)
class Limit:
    per_conversation: int
    per_address: int
    window: timedelta


LIMITS = {
    SERVICE_REQUEST: Limit(per_conversation=5, per_address=10, window=timedelta(hours=1)),
    OUTAGE_REPORT: Limit(per_conversation=3, per_address=10, window=timedelta(hours=1)),
    HANDOFF: Limit(per_conversation=3, per_address=10, window=timedelta(hours=1)),
    PICTURE: Limit(per_conversation=10, per_address=30, window=timedelta(hours=1)),
}


def source_keys(conversation_id: str, address_key: str | None) -> list[tuple[str, str]]:
    """(kind, key) pairs a counted action is recorded under."""
    keys = [("conversation", f"c:{conversation_id}")]
    if address_key:
        keys.append(("address", f"a:{address_key}"))
    return keys


def blocked_until(limit: Limit, kind: str, times: Sequence[datetime], now: datetime) -> datetime | None:
    """When this source may act again, or None if it may now."""
    allowed = limit.per_conversation if kind == "conversation" else limit.per_address
    recent = sorted(t for t in times if now - t < limit.window)
    if len(recent) < allowed:
        return None
    return recent[-allowed] + limit.window
