"""When people answer the chat: 7:30 to 17:00, Monday to Saturday, not on public holidays.

A handoff outside those hours says when an agent will be there, so nobody waits through
the night for an answer that comes in the morning.
"""
from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta

OPENS, CLOSES = time(7, 30), time(17, 0)
WORKING_WEEKDAYS = frozenset(range(6))  # Monday (0) to Saturday (5)


def is_working_day(day: date, holidays: Collection[date] = ()) -> bool:
    return day.weekday() in WORKING_WEEKDAYS and day not in holidays


def agents_back_at(now_local: datetime, holidays: Collection[date] = ()) -> datetime | None:
    """None while agents are at work (Vietnam local time); otherwise when they next start."""
    if is_working_day(now_local.date(), holidays) and OPENS <= now_local.time() < CLOSES:
        return None
    day = now_local.date() if now_local.time() < OPENS else now_local.date() + timedelta(days=1)
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return datetime.combine(day, OPENS)
