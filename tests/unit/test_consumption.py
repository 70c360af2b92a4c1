"""A period's use so far and the bill it heads for, on hand-made days against values worked out by hand
(evn.domain.consumption; prices of evn/reference/tariffs.yml)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from evn import reference
from evn.domain.consumption import DayUse, day_uses, forecast, so_far

TARIFFS, VAT = reference.tariffs(), reference.vat_rates()


def registers(first: date, uses: list[int | None], opening: int = 1000) -> list[tuple[date, int | None]]:
    """Registers day by day from `first`; None: a day not read (its use shows in the next day's register)."""
    out, register = [], opening
    for offset, used in enumerate(uses):
        register += used or 0
        out.append((first + timedelta(days=offset), None if used is None else register))
    return out


NOVEMBER = [8] * 6 + [16, 4] + [8] * 5 + [12] * 7  # 01–20/11/2026: 192 kWh


def november(uses=NOVEMBER):
    read = registers(date(2026, 11, 1), uses)
    return so_far(date(2026, 11, 1), date(2026, 11, 30), read, 1000), day_uses(read, 1000, date(2026, 11, 1))


def test_use_so_far_its_days_average_and_highest_days():
    period, _ = november()
    assert (period.kwh, period.days, period.days_left, period.read_to) == (192, 20, 10, date(2026, 11, 20))
    assert period.average == Decimal("9.6")
    assert [(use.day.day, use.kwh) for use in period.top] == [(7, 16), (14, 12), (15, 12)]


def test_the_forecast_runs_the_last_two_weeks_rate_to_the_period_end_with_the_weekly_extremes_as_its_range():
    # Rate: days 7–20 = 144 kWh / 14 = 10,3 a day; weeks 14–20: 12,0 and 7–13: 8,6. Ten days left.
    expected = forecast(*november(), TARIFFS, VAT)
    assert expected is not None and expected.rate == Decimal("10.3")
    assert (expected.kwh, expected.low_kwh, expected.high_kwh) == (295, 278, 312)
    # 295 kWh at the 2025 prices: 50 × 1.984 + 50 × 2.050 + 100 × 2.380 + 95 × 2.998 = 724.510 đ; VAT 8 %: 57.961.
    assert (expected.bill.amount_before_vat, expected.bill.vat, expected.bill.total) == (724_510, 57_961, 782_471)
    assert expected.tier == 4
    # 278 kWh: 673.544 + 53.884 = 727.428 đ; 312 kWh crosses into tier 5: 739.500 + 12 × 3.350 = 779.700, + 62.376.
    assert (expected.low_total, expected.high_total) == (727_428, 842_076)


def test_at_a_tier_boundary_the_tier_reached_is_the_lower_one_until_a_kwh_passes_it():
    flat = [10] * 20
    at = forecast(*november(flat), TARIFFS, VAT)
    assert at is not None and (at.kwh, at.tier, at.bill.total) == (300, 4, 798_660)  # 739.500 + 59.160
    read = registers(date(2026, 11, 1), [10] * 29 + [11])  # the whole period read: 301 kWh
    over = forecast(so_far(date(2026, 11, 1), date(2026, 11, 30), read, 1000),
                    day_uses(read, 1000, date(2026, 11, 1)), TARIFFS, VAT)
    assert over is not None and (over.kwh, over.low_kwh, over.high_kwh, over.tier) == (301, 301, 301, 5)


def test_a_period_ending_in_2027_is_taxed_at_ten_percent():
    read = registers(date(2027, 1, 1), [10] * 20)
    expected = forecast(so_far(date(2027, 1, 1), date(2027, 1, 31), read, 1000), day_uses(read, 1000, date(2027, 1, 1)),
                        TARIFFS, VAT)
    assert expected is not None and expected.kwh == 310
    # 739.500 + 10 × 3.350 = 773.000 đ, VAT 10 %: 77.300.
    assert (expected.bill.vat_percent, expected.bill.total) == (10, 850_300)


def test_a_period_spanning_a_price_change_is_split_by_days_as_a_bill_is():
    # 05/2025: the 1279/QĐ-BCT prices from 10/05. 310 kWh: 90 over the 9 old days, 220 over the 22 new, each part
    # with the tiers scaled to its days (old: 15/29/58/87/116 kWh, new: 35/71/142/213/284).
    # Old: 15×1.893 + 14×1.956 + 29×2.271 + 29×2.860 + 3×3.197 = 214.169 đ.
    # New: 35×1.984 + 36×2.050 + 71×2.380 + 71×2.998 + 7×3.350 = 548.528 đ. VAT 8 % of 762.697: 61.016.
    read = registers(date(2025, 5, 1), [10] * 20)
    expected = forecast(so_far(date(2025, 5, 1), date(2025, 5, 31), read, 1000), day_uses(read, 1000, date(2025, 5, 1)),
                        TARIFFS, VAT)
    assert expected is not None and expected.kwh == 310
    assert (expected.bill.amount_before_vat, expected.bill.vat, expected.bill.total) == (762_697, 61_016, 823_713)


def test_a_day_not_read_leaves_its_use_unknown_but_not_the_total():
    read = registers(date(2026, 11, 1), [10, None, 25, 10])
    uses = day_uses(read, 1000, date(2026, 11, 1))
    assert [use.kwh for use in uses] == [10, None, None, 10]
    period = so_far(date(2026, 11, 1), date(2026, 11, 30), read, 1000)
    assert period.kwh == 45 and period.days == 4


def test_nothing_read_in_the_period_yet_is_no_forecast():
    period = so_far(date(2026, 12, 1), date(2026, 12, 31), registers(date(2026, 11, 25), [10] * 6), 1000)
    assert (period.kwh, period.days, period.read_to) == (0, 0, None)
    assert forecast(period, [DayUse(date(2026, 11, 30), 10)], TARIFFS, VAT) is None


def test_a_period_just_begun_takes_its_rate_from_the_days_before_it_with_a_narrow_range():
    read = registers(date(2026, 11, 20), [9] * 11 + [12, 12])  # to 02/12: 11 days of November, 2 of December
    december = so_far(date(2026, 12, 1), date(2026, 12, 31), read, None)  # opening: read on 30/11
    assert (december.kwh, december.days) == (24, 2)
    expected = forecast(december, day_uses(read, 1000, date(2026, 11, 20)), TARIFFS, VAT)
    # Rate: the last 14 days read = 13 days (9 × 11 + 12 × 2 = 123) / 13 = 9,5; one whole week only: ±15 %.
    assert expected is not None and expected.rate == Decimal("9.5")
    assert (expected.kwh, expected.low_kwh, expected.high_kwh) == (24 + 276, 24 + 234, 24 + 317)


def test_weeks_are_compared_with_the_same_weeks_and_a_week_with_a_day_not_read_is_left_out():
    from evn.domain.consumption import WeekChange, weeks_compared

    now = [DayUse(date(2026, 10, day), None if day == 9 else 10 + (day > 14)) for day in range(1, 32)]
    before = [DayUse(date(2026, 9, day), 10) for day in range(1, 31)]
    assert weeks_compared(now, before) == [
        WeekChange(date(2026, 10, 1), date(2026, 10, 7), 70, 70),
        WeekChange(date(2026, 10, 15), date(2026, 10, 21), 77, 70),
        WeekChange(date(2026, 10, 22), date(2026, 10, 28), 77, 70),
    ]  # 29–31 October have no match in a September of 30 days


def test_a_register_below_the_day_before_is_no_use_and_the_forecast_stays_priced():
    registers = [(date(2026, 11, day), 1000 + 10 * day) for day in range(1, 11)] + [(date(2026, 11, 11), 500)]
    uses = day_uses(registers, 1000, date(2026, 11, 1))
    assert uses[-1] == DayUse(date(2026, 11, 11), None) and all(use.kwh == 10 for use in uses[:-1])
    period = so_far(date(2026, 11, 1), date(2026, 11, 30), registers[:-1], 1000)
    assert forecast(period, uses, TARIFFS, VAT) is not None


def test_a_rise_worth_explaining_with_the_bill():
    from evn.domain.consumption import Rise, notable_rise

    assert notable_rise(350, 180, None) == Rise("previous", 350, 180) and Rise("previous", 350, 180).percent == 94
    assert notable_rise(200, 160, 150) == Rise("last_year", 200, 150)  # +25 % on the month, +33 % on the year
    assert notable_rise(90, 50, None) is None  # below the floor: a small bill's swing
    assert notable_rise(250, 200, 240) is None and notable_rise(250, None, None) is None
