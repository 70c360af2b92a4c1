"""Usage-chart links: what a chart shows, in the link itself, signed and expiring.

A chat channel fetches an image by its URL, without our session: the link must carry its own
authority. The value is `<kind>-<customer id>-<period key>-<expiry, epoch seconds>`, signed for the
purpose "usage-chart" (never accepted as a payment-link token or a widget session). The internal
customer id, not the customer code, is in it: a link seen in a log names no one.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from evn.domain import linear_regex
from evn.domain.periods import Period
from evn.domain.signing import signed_ids

PURPOSE = "usage-chart"
_VALUE = linear_regex.compile(r"(days|periods)-([0-9]{1,12})-([0-9]{6})-([0-9]{1,12})")


class ChartKind(Enum):
    DAYS = "days"  # the period's days against the same days of the period before
    PERIODS = "periods"  # the last periods billed, month by month


@dataclass(frozen=True)
class ChartRef:
    kind: ChartKind
    customer_id: int
    period: Period  # DAYS: the period drawn; PERIODS: the latest period drawn
    expires_at: int  # epoch seconds

    def expired(self, now: float) -> bool:
        return now >= self.expires_at


def sign(ref: ChartRef, secret: str) -> str:
    value = f"{ref.kind.value}-{ref.customer_id}-{ref.period.key}-{ref.expires_at}"
    return signed_ids.sign(value, secret, PURPOSE)


def verify(token: object, secret: str) -> ChartRef | None:
    """What the token shows when it is genuine (expired or not: the caller tells the two apart), else None."""
    value = signed_ids.verify(token, secret, _VALUE, PURPOSE)
    found = _VALUE.fullmatch(value) if value else None
    if found is None:
        return None
    kind, customer_id, key, expires = found.groups()
    try:
        period = Period.from_key(int(key))
    except ValueError:
        return None
    return ChartRef(ChartKind(kind), int(customer_id), period, int(expires))
