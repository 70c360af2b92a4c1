"""Time in one place: stored as naive UTC, shown in Vietnam time (UTC+7)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_vietnam(moment_utc: datetime) -> datetime:
    return moment_utc.replace(tzinfo=timezone.utc).astimezone(VIETNAM)


def today_in_vietnam() -> date:
    return to_vietnam(utcnow()).date()
