"""Tiered residential tariff: how many kWh fall in each tier and what they cost.

Prices and VAT rates are data with effective dates (see reference/tariffs.yml);
this module only knows the rules for applying them. When a price change falls
inside a billing period, EVN splits the consumption and each tier's quota by
the number of days on either side of the change and prices each part with its
own tariff.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from evn.domain.formats import round_vnd


@dataclass(frozen=True)
class Tier:
    number: int
    upper_kwh: int | None  # cumulative upper bound; None = no bound (last tier)
    price: int  # đồng per kWh before VAT


@dataclass(frozen=True)
class Tariff:
    effective_from: date
    tiers: tuple[Tier, ...]
    decision: str = ""

    def __post_init__(self) -> None:
        bounds = [t.upper_kwh for t in self.tiers]
        if not self.tiers or bounds[-1] is not None or None in bounds[:-1]:
            raise ValueError("a tariff needs tiers with increasing bounds and an open last tier")
        closed = [bound for bound in bounds[:-1] if bound is not None]
        if any(b2 <= b1 for b1, b2 in zip(closed, closed[1:], strict=False)):
            raise ValueError("tier bounds must increase")


@dataclass(frozen=True)
class VatRate:
    effective_from: date
    percent: Decimal


@dataclass(frozen=True)
class TierLine:
    tier: int
    kwh: int
    price: int

    @property
    def amount(self) -> int:
        return self.kwh * self.price


@dataclass(frozen=True)
class BillAmount:
    kwh: int
    lines: tuple[TierLine, ...]
    vat_percent: Decimal
    amount_before_vat: int = field(init=False)
    vat: int = field(init=False)

    def __post_init__(self) -> None:
        before = sum(line.amount for line in self.lines)
        object.__setattr__(self, "amount_before_vat", before)
        object.__setattr__(self, "vat", round_vnd(Decimal(before) * self.vat_percent / 100))

    @property
    def total(self) -> int:
        return self.amount_before_vat + self.vat


def in_force(items: Sequence, on: date):
    """The item (tariff or VAT rate) whose effective date is the latest on or before `on`."""
    candidates = [item for item in items if item.effective_from <= on]
    if not candidates:
        raise LookupError(f"no rate in force on {on.isoformat()}")
    return max(candidates, key=lambda item: item.effective_from)


def split_into_tiers(kwh: int, tariff: Tariff, quota_scale: Decimal = Decimal(1)) -> list[TierLine]:
    """Fill the tiers in order; `quota_scale` shrinks each quota for part of a period."""
    if kwh < 0:
        raise ValueError("consumption cannot be negative")
    lines: list[TierLine] = []
    previous_bound = 0
    remaining = kwh
    for tier in tariff.tiers:
        if tier.upper_kwh is None:
            width = remaining
        else:
            bound = round_vnd(Decimal(tier.upper_kwh) * quota_scale)
            width = min(remaining, max(bound - previous_bound, 0))
            previous_bound = bound
        if width > 0:
            lines.append(TierLine(tier.number, width, tier.price))
            remaining -= width
        if remaining == 0:
            break
    return lines


def compute_bill(
    kwh: int,
    period_start: date,
    period_end: date,
    tariffs: Sequence[Tariff],
    vat_rates: Sequence[VatRate],
) -> BillAmount:
    """Price `kwh` consumed between two reading dates (both inclusive)."""
    if period_end < period_start:
        raise ValueError("period ends before it starts")
    total_days = (period_end - period_start).days + 1
    segments = _segments(period_start, period_end, tariffs)
    lines: list[TierLine] = []
    allotted = 0
    for index, (tariff, days) in enumerate(segments):
        share = Decimal(days) / Decimal(total_days)
        last = index == len(segments) - 1
        part_kwh = kwh - allotted if last else round_vnd(Decimal(kwh) * share)
        allotted += part_kwh
        scale = Decimal(1) if len(segments) == 1 else share
        lines.extend(split_into_tiers(part_kwh, tariff, scale))
    vat = in_force(vat_rates, period_end)
    return BillAmount(kwh=kwh, lines=tuple(lines), vat_percent=vat.percent)


def estimate(kwh: int, on: date, tariffs: Sequence[Tariff], vat_rates: Sequence[VatRate]) -> BillAmount:
    """A one-month bill for `kwh` at the prices in force on `on`."""
    return compute_bill(kwh, on, on, tariffs, vat_rates)


def _segments(start: date, end: date, tariffs: Sequence[Tariff]) -> list[tuple[Tariff, int]]:
    """Days of the period under each tariff, in order."""
    changes = sorted(t.effective_from for t in tariffs if start < t.effective_from <= end)
    boundaries = [start, *changes, end + timedelta(days=1)]
    return [
        (in_force(tariffs, segment_start), (segment_end - segment_start).days)
        for segment_start, segment_end in zip(boundaries, boundaries[1:], strict=False)
    ]


def marginal_tiers(previous_kwh: int, current_kwh: int, tariff: Tariff) -> list[TierLine]:
    """Which tiers the extra kWh between two months fell into (why a bill rose)."""
    if current_kwh <= previous_kwh:
        return []
    before = {line.tier: line.kwh for line in split_into_tiers(previous_kwh, tariff)}
    return [
        TierLine(line.tier, line.kwh - before.get(line.tier, 0), line.price)
        for line in split_into_tiers(current_kwh, tariff)
        if line.kwh > before.get(line.tier, 0)
    ]
