from datetime import date
from decimal import Decimal

import pytest

from evn import reference
from evn.domain.tariff import (
    Tariff,
    Tier,
    VatRate,
    compute_bill,
    estimate,
    in_force,
    marginal_tiers,
    split_into_tiers,
)

TARIFFS = reference.tariffs()
VAT = reference.vat_rates()
OCT_2026 = (date(2026, 10, 1), date(2026, 10, 31))
CURRENT = in_force(TARIFFS, date(2026, 10, 1))


def bill(kwh: int, start=OCT_2026[0], end=OCT_2026[1]):
    return compute_bill(kwh, start, end, TARIFFS, VAT)


@pytest.mark.parametrize(
    "kwh, before_vat, vat, total",
    [(350, 907_000, 72_560, 979_560), (180, 392_100, 31_368, 423_468), (120, 249_300, 19_944, 269_244)],
)
def test_worked_examples_from_the_reference(kwh, before_vat, vat, total):
    amount = bill(kwh)
    assert (amount.amount_before_vat, amount.vat, amount.total) == (before_vat, vat, total)


def test_350_kwh_fills_five_tiers():
    lines = [(line.tier, line.kwh, line.price) for line in bill(350).lines]
    assert lines == [(1, 50, 1984), (2, 50, 2050), (3, 100, 2380), (4, 100, 2998), (5, 50, 3350)]


@pytest.mark.parametrize(
    "kwh, expected",
    [
        (50, [50]),
        (51, [50, 1]),
        (100, [50, 50]),
        (101, [50, 50, 1]),
        (200, [50, 50, 100]),
        (201, [50, 50, 100, 1]),
        (300, [50, 50, 100, 100]),
        (301, [50, 50, 100, 100, 1]),
        (400, [50, 50, 100, 100, 100]),
        (401, [50, 50, 100, 100, 100, 1]),
        (1000, [50, 50, 100, 100, 100, 600]),
    ],
)
def test_tier_edges(kwh, expected):
    assert [line.kwh for line in split_into_tiers(kwh, CURRENT)] == expected


def test_tier_edge_prices():
    assert bill(51).amount_before_vat == 50 * 1984 + 2050
    assert bill(401).amount_before_vat == 50 * 1984 + 50 * 2050 + 100 * 2380 + 100 * 2998 + 100 * 3350 + 3460


def test_zero_kwh_costs_nothing():
    amount = bill(0)
    assert amount.lines == () and amount.total == 0


def test_negative_consumption_is_refused():
    with pytest.raises(ValueError):
        bill(-1)


def test_period_spanning_a_price_change_is_split_by_days():
    # 1279/QĐ-BCT applies from 10/05/2025: May 2025 has 9 days at the old prices, 22 at the new.
    amount = bill(300, date(2025, 5, 1), date(2025, 5, 31))
    old_part = [line for line in amount.lines if line.price in (1893, 1956, 2271, 2860)]
    new_part = [line for line in amount.lines if line.price in (1984, 2050, 2380, 2998)]
    assert sum(line.kwh for line in amount.lines) == 300
    assert sum(line.kwh for line in old_part) == 87  # 300 × 9/31 = 87,1
    assert old_part[0].kwh == 15  # tier-1 quota 50 × 9/31 = 14,5 -> 15
    assert new_part[0].kwh == 35  # 50 × 22/31 = 35,5 -> 35 (cumulative bound rounding)
    assert amount.amount_before_vat == sum(line.kwh * line.price for line in amount.lines)
    # Cheaper than the whole month at new prices, dearer than the whole month at old ones.
    assert bill(300, date(2025, 4, 1), date(2025, 4, 30)).amount_before_vat < amount.amount_before_vat
    assert amount.amount_before_vat < bill(300, date(2025, 6, 1), date(2025, 6, 30)).amount_before_vat


def test_vat_rate_is_taken_from_dated_data():
    assert bill(100).vat_percent == Decimal(8)
    assert bill(100, date(2027, 1, 1), date(2027, 1, 31)).vat_percent == Decimal(10)


def test_no_tariff_in_force_is_an_error():
    with pytest.raises(LookupError):
        compute_bill(10, date(2000, 1, 1), date(2000, 1, 31), TARIFFS, VAT)


def test_estimate_uses_prices_in_force_that_day():
    assert estimate(350, date(2026, 11, 28), TARIFFS, VAT).total == 979_560


def test_marginal_tiers_show_where_extra_kwh_fell():
    extra = [(line.tier, line.kwh) for line in marginal_tiers(180, 350, CURRENT)]
    assert extra == [(3, 20), (4, 100), (5, 50)]
    assert marginal_tiers(350, 180, CURRENT) == []


def test_a_tariff_needs_an_open_last_tier():
    with pytest.raises(ValueError):
        Tariff(date(2025, 1, 1), (Tier(1, 50, 1000), Tier(2, 100, 2000)))


def test_vat_rounding_is_half_up():
    tariff = Tariff(date(2020, 1, 1), (Tier(1, None, 1),))
    amount = compute_bill(25, date(2020, 1, 1), date(2020, 1, 1), [tariff], [VatRate(date(2020, 1, 1), Decimal(10))])
    assert amount.vat == 3  # 2,5 -> 3
