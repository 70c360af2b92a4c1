"""The demo's daily readings: each period's kWh spread over its days, as a remotely read meter reports them.

The days of a billed period add up to its bill exactly (the register at the period's last day is the
bill's new reading). A day's share follows the week (more at weekends), a weather-like drift shared by
a power company's customers, a few heat-wave weeks in the hot months, and the household's own noise.
Periods not billed yet are drawn as the billing run will bill them (evn.demo.billing_run.consumption),
up to the last day read, so a later billing run agrees with the days. A few days are missing (not read),
never a period's last day. Which customers have a remotely read meter is a share of them (default 70 %,
chosen by their code, so the other rows of the seed do not change with it); the demo customers always do.
"""
from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from evn.demo.billing_run import consumption
from evn.domain.daily_readings import Quality
from evn.domain.periods import Period

WEEKDAY = (0.96, 0.95, 0.95, 0.96, 0.98, 1.08, 1.12)  # Monday first
MISSING_SHARE = 0.004
HEAT_WAVES = {  # (month, day) a week of heat starts on, every year; the north's summer is later than the south's
    "EVNHANOI": ((5, 25), (6, 15), (7, 13)),
    "EVNHCMC": ((4, 12), (5, 3)),
}
HEAT = 1.45


def has_daily_readings(code: str, share: float) -> bool:
    """Whether this customer's meter is read remotely: a fixed draw per code (no other draw of the seed moves)."""
    draw = int.from_bytes(hashlib.sha256(f"daily|{code}".encode()).digest()[:4], "big") / 2**32
    return draw < share


@dataclass(frozen=True)
class Span:
    first: date
    last: date
    kwh: int  # for the whole span, even when only its first days are read


class Weather:
    """Per power company, each day's factor: a slow drift around 1, and the heat-wave weeks."""

    def __init__(self, first: date, last: date) -> None:
        self.first = first
        self.factors: dict[str, list[float]] = {}
        days = (last - first).days + 1
        for company, waves in HEAT_WAVES.items():
            rng = random.Random(f"weather|{company}")
            level, factors = 0.0, []
            for offset in range(days):
                day = first + timedelta(days=offset)
                level = 0.8 * level + rng.gauss(0, 0.04)
                hot = any(date(day.year, month, start) <= day < date(day.year, month, start) + timedelta(days=7)
                          for month, start in waves)
                factors.append(max(0.6, 1 + level) * (HEAT if hot else 1))
            self.factors[company] = factors

    def factor(self, company: str, day: date) -> float:
        factors = self.factors.get(company) or self.factors["EVNHCMC"]
        return factors[(day - self.first).days]


class DailyUse:
    """Rows of daily_readings for one customer at a time: (meter_id, read_on, register, quality)."""

    def __init__(self, first_read_on: date, until: date) -> None:
        self.first_read_on, self.until = first_read_on, until
        self.weather = Weather(first_read_on, max(until, first_read_on) + timedelta(days=62))

    def spans(self, code: str, billed: Sequence[tuple[Period, int]]) -> list[Span]:
        """The billed periods, then the periods after them up to `until`, priced as the billing run will."""
        spans = [Span(period.first_day, period.last_day, kwh) for period, kwh in billed]
        period, kwh = billed[-1]
        while period.last_day < self.until:
            following = period.shift(1)
            kwh = consumption(code, following, kwh, period.month)
            spans.append(Span(following.first_day, following.last_day, kwh))
            period = following
        return spans

    def rows(self, meter_id: int, code: str, company: str, first_register: int,
             billed: Sequence[tuple[Period, int]]) -> list[tuple]:
        rng = random.Random(f"days|{code}")
        rows: list[tuple] = [(meter_id, self.first_read_on.isoformat(), first_register, Quality.ACTUAL.value)]
        register = first_register
        for span in self.spans(code, billed):
            days = [span.first + timedelta(days=offset) for offset in range((span.last - span.first).days + 1)]
            weights = [WEEKDAY[day.weekday()] * self.weather.factor(company, day) * rng.uniform(0.8, 1.2)
                       for day in days]
            for day, used in zip(days, _spread(span.kwh, weights), strict=True):
                if day > self.until:
                    return rows
                register += used
                if day != span.last and rng.random() < MISSING_SHARE:
                    rows.append((meter_id, day.isoformat(), None, Quality.MISSING.value))
                else:
                    rows.append((meter_id, day.isoformat(), register, Quality.ACTUAL.value))
        return rows


def _spread(total: int, weights: Sequence[float]) -> list[int]:
    """`total` in whole kWh over the days by weight, adding up exactly (largest remainders)."""
    scale = total / sum(weights)
    exact = [weight * scale for weight in weights]
    whole = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(exact)), key=lambda index: exact[index] - whole[index], reverse=True)
    for index in by_remainder[:total - sum(whole)]:
        whole[index] += 1
    return whole
