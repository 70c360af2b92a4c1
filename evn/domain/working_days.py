"""Due dates counted in working days, the unit EVN's service commitments use.

Saturdays, Sundays and the public holidays of evn/reference/holidays.yml are
not working days. The holidays are data because the Tết and Quốc khánh breaks
are decided year by year.
"""
from __future__ import annotations

from collections.abc import Set as AbstractSet
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from evn.reference import HERE as REFERENCE_DIR

DEFAULT_PATH = REFERENCE_DIR / "holidays.yml"


def is_working_day(day: date, holidays: AbstractSet[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: AbstractSet[date]) -> date:
    """The due date of something filed on `start` that takes `days` working days.

    The count starts on the next working day, so filing on Friday (evening or
    not) with 3 days is due Wednesday. 0 days means the filing day itself, or
    the next working day when filed on a day off.
    """
    if days < 0:
        raise ValueError(f"days must not be negative: {days}")
    day = start
    if days == 0:
        while not is_working_day(day, holidays):
            day += timedelta(days=1)
        return day
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def load_holidays(path: Path | str | None = None) -> frozenset[date]:
    """Every holiday date in the YAML (default: the shipped one), read once per path."""
    return _load(Path(path) if path is not None else DEFAULT_PATH)


@cache
def _load(path: Path) -> frozenset[date]:
    with open(path, encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)["holidays"]
    days: set[date] = set()
    for entry in entries:
        if "date" in entry:
            days.add(_as_date(entry["date"]))
            continue
        first, last = _as_date(entry["from"]), _as_date(entry["to"])
        if last < first:
            raise ValueError(f"holiday range ends before it starts: {entry}")
        days.update(first + timedelta(days=offset) for offset in range((last - first).days + 1))
    return frozenset(days)


def _as_date(value: Any) -> date:
    """YAML gives a date for 2026-01-01 and a string if it was quoted."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
