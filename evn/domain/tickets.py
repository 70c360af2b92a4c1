"""Ticket numbers customers quote back to us: YC-20261128-0001.

Prefix YC (yêu cầu) for service requests, MD (mất điện) for outage reports;
then the filing date and a per-day sequence. Customers retype them in every
shape ("yc 20261128 0001", "YC202611280001"), so parsing is tolerant and
always returns the canonical form used as the database key.
"""
from __future__ import annotations

from datetime import date

from evn.domain import linear_regex

SERVICE_REQUEST = "YC"
OUTAGE_REPORT = "MD"
PREFIXES = (SERVICE_REQUEST, OUTAGE_REPORT)

# Same boundaries as the request_id regex in data/nlu/entities.yml, which only
# knows YC-?\d{8}-?\d{4}; this also takes MD and spaces around the dashes.
_TICKET = linear_regex.compile(
    r"(?<![A-Za-z0-9])(YC|MD)[\s\-]{0,3}(\d{8})[\s\-]{0,3}(\d{4})(?![A-Za-z0-9])",
    linear_regex.IGNORECASE,
)


def ticket_number(prefix: str, day: date, sequence: int) -> str:
    """'YC', 2026-11-28, 1 -> 'YC-20261128-0001'.

    Sequence 0 is allowed so callers can take the day's stem ("YC-20261128-")
    from the same function; numbers given to customers start at 1.
    """
    prefix = prefix.upper()
    if prefix not in PREFIXES:
        raise ValueError(f"unknown ticket prefix: {prefix}")
    if not 0 <= sequence <= 9999:
        raise ValueError(f"sequence out of range 0-9999: {sequence}")
    return f"{prefix}-{day:%Y%m%d}-{sequence:04d}"


def parse_ticket_number(text: str) -> str | None:
    """The first ticket number in free text, in canonical form, or None."""
    match = _TICKET.search(text or "")
    if not match:
        return None
    prefix, day, sequence = match.groups()
    return f"{prefix.upper()}-{day}-{sequence}"
