"""The one place that reads the wall clock; services take it as a parameter so tests can set it."""
from __future__ import annotations

from datetime import date, datetime, timezone

from evn.domain.time import vietnam_date


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def today_in_vietnam() -> date:
    return vietnam_date(utcnow())
