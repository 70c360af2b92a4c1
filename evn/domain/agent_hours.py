"""When people answer the chat: the desk's hours and days (evn/reference/agent_desk.yml), not on public holidays.

A handoff outside those hours says when an agent will be there and offers a callback,
so nobody waits through the night for an answer that comes in the morning.
AGENT_WORKING_HOURS overrides the hours; "00:00-24:00" is a round-the-clock desk, open
every day, public holidays too.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from evn.domain import linear_regex

_HOURS = linear_regex.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")
ALL_WEEK = frozenset(range(7))


@dataclass(frozen=True)
class DeskHours:
    opens: time
    closes: time | None  # None: until midnight (24:00)
    weekdays: frozenset[int]  # Monday = 0
    days_label: str = ""

    @classmethod
    def parse(cls, text: str, weekdays: Collection[int] = ALL_WEEK, days_label: str = "") -> DeskHours:
        """'07:30-17:00'; raises ValueError for anything else (24:00 only as the end)."""
        found = _HOURS.fullmatch(text or "")
        if found is None:
            raise ValueError("desk hours are HH:MM-HH:MM, e.g. 07:30-17:00 or 00:00-24:00")
        oh, om, ch, cm = (int(part) for part in found.groups())
        if oh > 23 or om > 59 or cm > 59 or ch > 24 or (ch == 24 and cm):
            raise ValueError("desk hours are HH:MM-HH:MM, e.g. 07:30-17:00 or 00:00-24:00")
        opens, closes = time(oh, om), None if ch == 24 else time(ch, cm)
        if closes is not None and closes <= opens:
            raise ValueError("the desk must close after it opens (overnight desks are not supported)")
        return cls(opens, closes, frozenset(weekdays), days_label)

    @property
    def round_the_clock(self) -> bool:
        return self.opens == time(0) and self.closes is None

    @property
    def hours_label(self) -> str:
        """'7:30–17:00' as customers read it."""
        closes = "24:00" if self.closes is None else f"{self.closes.hour}:{self.closes.minute:02d}"
        return f"{self.opens.hour}:{self.opens.minute:02d}–{closes}"

    def is_working_day(self, day: date, holidays: Collection[date] = ()) -> bool:
        return self.round_the_clock or (day.weekday() in self.weekdays and day not in holidays)

    def is_open(self, now_local: datetime, holidays: Collection[date] = ()) -> bool:
        clock = now_local.time()
        return self.is_working_day(now_local.date(), holidays) and self.opens <= clock and (
            self.closes is None or clock < self.closes)

    def back_at(self, now_local: datetime, holidays: Collection[date] = ()) -> datetime | None:
        """None while agents are at work (Vietnam local time); otherwise when they next start."""
        if self.is_open(now_local, holidays):
            return None
        day = now_local.date() if now_local.time() < self.opens else now_local.date() + timedelta(days=1)
        for _ in range(400):  # a desk with no working day at all never opens
            if self.is_working_day(day, holidays):
                return datetime.combine(day, self.opens)
            day += timedelta(days=1)
        raise ValueError("the desk has no working day")


STANDARD = DeskHours(time(7, 30), time(17, 0), frozenset(range(6)), "thứ Hai đến thứ Bảy")


def agents_back_at(now_local: datetime, holidays: Collection[date] = (), desk: DeskHours = STANDARD) -> datetime | None:
    """None while agents are at work (Vietnam local time); otherwise when they next start."""
    return desk.back_at(now_local, holidays)
