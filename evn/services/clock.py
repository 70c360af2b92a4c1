"""The one place that reads the wall clock; services take it as a parameter so tests can set it."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone

from evn.domain.time import VIETNAM, vietnam_date


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def today_in_vietnam() -> date:
    return vietnam_date(utcnow())


def running_from(local_start: datetime) -> Callable[[], datetime]:
    """A clock that reads `local_start` (Vietnam time) now and runs on, for the demo and the tests
    (DEMO_NOW): every process started with it agrees on the day within the seconds between starts."""
    offset = local_start.replace(tzinfo=VIETNAM).astimezone(timezone.utc).replace(tzinfo=None) - utcnow()
    return lambda: utcnow() + offset
