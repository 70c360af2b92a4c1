"""Time as the business sees it: moments stored as naive UTC, shown and reasoned about in Vietnam time."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")


def to_vietnam(moment_utc: datetime) -> datetime:
    return moment_utc.replace(tzinfo=timezone.utc).astimezone(VIETNAM)


def vietnam_date(moment_utc: datetime) -> date:
    """The calendar day in Vietnam of a naive UTC moment."""
    return to_vietnam(moment_utc).date()
