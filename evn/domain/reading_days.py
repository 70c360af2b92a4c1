"""The day a customer's meter is read (lịch ghi chỉ số), from their own bills.

Each customer's reading day belongs to their route, and power companies move routes (EVNHANOI moved every
customer to the month's last day from the 02/2024 bill): it is never assumed, it is read from the periods
the customer was billed for. Bills that all end on their month's last day mean "the last day of the month";
otherwise the day the latest period ended on. A bill is issued from the day after the reading.
"""
from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

LAST = 0  # ReadingDay.day: the month's last day


@dataclass(frozen=True)
class ReadingDay:
    day: int  # 1..28, or LAST

    @property
    def month_end(self) -> bool:
        return self.day == LAST

    def in_month(self, year: int, month: int) -> date:
        last = calendar.monthrange(year, month)[1]
        return date(year, month, last if self.month_end else min(self.day, last))

    def next_on_or_after(self, day: date) -> date:
        reading = self.in_month(day.year, day.month)
        if reading >= day:
            return reading
        following = date(day.year, day.month, 1) + timedelta(days=32)
        return self.in_month(following.year, following.month)


def reading_day(period_ends: Sequence[date]) -> ReadingDay | None:
    """From the ends of the latest periods billed (newest first); None without any bill."""
    if not period_ends:
        return None
    if all(end == end.replace(day=calendar.monthrange(end.year, end.month)[1]) for end in period_ends):
        return ReadingDay(LAST)
    return ReadingDay(period_ends[0].day)


@dataclass(frozen=True)
class Schedule:
    """The period running and the one before, as the reading days make them."""

    reading_day: ReadingDay
    start: date  # the day after the latest bill's period
    reading: date  # the next reading: the end of the period running
    previous_start: date
    previous_end: date

    @property
    def issued(self) -> date:
        return self.reading + timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.reading - self.start).days + 1

    @property
    def previous_days(self) -> int:
        return (self.previous_end - self.previous_start).days + 1


def schedule(day: ReadingDay, latest_start: date, latest_end: date, today: date) -> Schedule:
    start = latest_end + timedelta(days=1)
    return Schedule(day, start, day.next_on_or_after(max(today, start)), latest_start, latest_end)
