"""A period's use from a meter's daily registers: so far, the days of highest use, and the bill it heads for.

Use on a day is its register less the day before's. A day not read leaves that day and the next
unknown one by one, but the total stays right, since the next register read carries both days.

The forecast adds to the use so far the days left at the rate of the last days read (at most
RATE_DAYS): recent weather says more about the next days than the month's start. Its range puts the
days left at the lowest and the highest weekly rate of the last weeks read (at most RANGE_WEEKS
whole weeks); with less than two whole weeks read, at the rate ±SHORT_RANGE. Each kWh figure is
priced as a bill is (evn.domain.tariff.compute_bill: the period's days under each price, its VAT).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from evn.domain.tariff import BillAmount, Tariff, VatRate, compute_bill

RATE_DAYS = 14
RANGE_WEEKS = 4
SHORT_RANGE = Decimal("0.15")
TOP_DAYS = 3


@dataclass(frozen=True)
class DayUse:
    day: date
    kwh: int | None  # None: the day, or the one before it, was not read


def day_uses(registers: Sequence[tuple[date, int | None]], opening: int | None, first: date) -> list[DayUse]:
    """Each day's use from `first` on, from the registers of those days (in order) and the one before them:
    `opening`, or else the register of the day before `first` when `registers` hold it."""
    by_day = dict(registers)
    last = max(by_day) if by_day else first - timedelta(days=1)
    uses, before = [], opening if opening is not None else by_day.get(first - timedelta(days=1))
    day = first
    while day <= last:
        register = by_day.get(day)
        used = register - before if register is not None and before is not None else None
        # A register below the day before's is no use: a meter replaced or reset (the load refuses it from the
        # export; data written otherwise must not make a negative day, which no tariff can price).
        uses.append(DayUse(day, used if used is not None and used >= 0 else None))
        before = register
        day += timedelta(days=1)
    return uses


@dataclass(frozen=True)
class SoFar:
    first: date  # the period's first day
    last: date  # the period's last day (its reading day)
    read_to: date | None  # the last day read; None when none of the period is
    kwh: int
    top: tuple[DayUse, ...]  # the days of highest use, highest first

    @property
    def days(self) -> int:
        """Days of the period up to the last one read."""
        return (self.read_to - self.first).days + 1 if self.read_to else 0

    @property
    def days_left(self) -> int:
        return (self.last - (self.read_to or self.first - timedelta(days=1))).days

    @property
    def average(self) -> Decimal:
        """kWh a day so far, to one decimal."""
        return (Decimal(self.kwh) / self.days).quantize(Decimal("0.1")) if self.days else Decimal(0)


def so_far(first: date, last: date, registers: Sequence[tuple[date, int | None]], opening: int | None) -> SoFar:
    """The period from `first` to `last` as read from `registers` (its days, and the day before it when read);
    `opening`: the register the day before, when `registers` lack it (the last bill's new reading)."""
    day_before = dict(registers).get(first - timedelta(days=1))
    opening = day_before if day_before is not None else opening
    inside = [(day, register) for day, register in registers if first <= day <= last and register is not None]
    if not inside or opening is None:
        return SoFar(first, last, None, 0, ())
    read_to, closing = inside[-1]
    known = [use for use in day_uses(registers, opening, first) if use.kwh is not None and use.day <= read_to]
    top = tuple(sorted(known, key=lambda use: (-(use.kwh or 0), use.day))[:TOP_DAYS])
    return SoFar(first, last, read_to, closing - opening, top)


@dataclass(frozen=True)
class Forecast:
    so_far: SoFar
    rate: Decimal  # kWh a day assumed for the days left
    kwh: int
    low_kwh: int
    high_kwh: int
    bill: BillAmount  # of `kwh`
    low_total: int
    high_total: int

    @property
    def tier(self) -> int:
        """The highest tier the expected kWh reach."""
        return max((line.tier for line in self.bill.lines), default=1)


def forecast(period: SoFar, recent: Sequence[DayUse], tariffs: Sequence[Tariff],
             vat_rates: Sequence[VatRate]) -> Forecast | None:
    """The bill `period` heads for; `recent`: the days read up to its last read day (from before the period
    too, for the rate of a period that has just begun). None before any day of the period is read."""
    if period.read_to is None or period.kwh < 0:  # a register below the period's opening: a meter changed
        return None
    known = [use.kwh for use in recent if use.kwh is not None and use.day <= period.read_to]
    if not known:
        return None
    rate = _mean(known[-RATE_DAYS:])
    weeks = [_mean(known[end - 7:end]) for end in range(len(known), 6, -7)][:RANGE_WEEKS]
    if len(weeks) >= 2:
        low_rate, high_rate = min(weeks + [rate]), max(weeks + [rate])
    else:
        low_rate, high_rate = rate * (1 - SHORT_RANGE), rate * (1 + SHORT_RANGE)
    left = period.days_left

    def expected(daily: Decimal) -> int:
        return period.kwh + int((daily * left).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    kwh = expected(rate)

    def priced(total: int) -> BillAmount:
        return compute_bill(total, period.first, period.last, tariffs, vat_rates)

    low, high = min(expected(low_rate), kwh), max(expected(high_rate), kwh)
    return Forecast(period, rate, kwh, low, high, priced(kwh), priced(low).total, priced(high).total)


def _mean(values: Sequence[int]) -> Decimal:
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class WeekChange:
    """A week of a period (its days 1–7, 8–14, …; the last one is what is left) against the same week of the
    period before."""

    first: date
    last: date
    kwh: int
    before: int

    @property
    def delta(self) -> int:
        return self.kwh - self.before


def weeks_compared(now: Sequence[DayUse], before: Sequence[DayUse]) -> list[WeekChange]:
    """Each week of `now` (a period's days in order) with the same week of `before`; a week with a day not read,
    on either side, is left out (its sum would be a guess), and so are days left that the other period lacks."""
    changes = []
    for start in range(0, len(now), 7):
        week, earlier = now[start:start + 7], before[start:start + 7]
        if len(earlier) != len(week) or any(use.kwh is None for use in (*week, *earlier)):
            continue  # the days left of a longer period have no match; a week not read in full, no sum
        changes.append(WeekChange(week[0].day, week[-1].day, sum(use.kwh or 0 for use in week),
                                  sum(use.kwh or 0 for use in earlier)))
    return changes


RISE_SHARE = Decimal("0.30")  # a bill this much above the period before or the same period last year...
RISE_FLOOR_KWH = 100  # ...and above this use (small bills swing by a few kWh) is explained as it is announced


@dataclass(frozen=True)
class Rise:
    against: str  # "previous" | "last_year"
    kwh: int
    against_kwh: int

    @property
    def percent(self) -> int:
        return round((self.kwh - self.against_kwh) * 100 / self.against_kwh)


def notable_rise(kwh: int, previous_kwh: int | None, last_year_kwh: int | None) -> Rise | None:
    """The rise a new bill's notice explains: against the period before first, else the same period last year."""
    if kwh <= RISE_FLOOR_KWH:
        return None
    for against, earlier in (("previous", previous_kwh), ("last_year", last_year_kwh)):
        if earlier and kwh >= earlier * (1 + RISE_SHARE):
            return Rise(against, kwh, earlier)
    return None
