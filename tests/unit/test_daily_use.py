"""The demo's daily readings (evn.demo.daily_use): days that add up to the bills, a week's and a heat wave's shape."""
from __future__ import annotations

from datetime import date
from statistics import mean

from evn.demo.billing_run import consumption
from evn.demo.daily_use import DailyUse, _spread, has_daily_readings
from evn.domain.periods import Period

BILLED = [(Period(2026, month), kwh) for month, kwh in zip(range(4, 11), (300, 420, 460, 440, 390, 330, 300),
                                                            strict=True)]


def rows(until: date = date(2026, 11, 18)):
    return DailyUse(date(2026, 3, 31), until).rows(7, "PD03000000007", "EVNHANOI", 5_000, BILLED)


def test_a_total_is_spread_over_the_days_in_whole_kwh_adding_up_exactly():
    assert sum(_spread(301, [1.0, 1.3, 0.7, 2.2])) == 301
    assert _spread(10, [1, 1, 1, 1, 1]) == [2, 2, 2, 2, 2]


def test_each_billed_period_ends_on_its_bills_register_and_the_next_period_runs_to_the_last_day_read():
    days = {date.fromisoformat(day): (register, quality) for _, day, register, quality in rows()}
    register = 5_000
    for period, kwh in BILLED:
        register += kwh
        assert days[period.last_day] == (register, "A")
    assert max(days) == date(2026, 11, 18) and min(days) == date(2026, 3, 31)
    assert len(days) == (date(2026, 11, 18) - date(2026, 3, 31)).days + 1
    read = [register for register, _ in days.values() if register is not None]
    assert read == sorted(read)


def test_the_period_not_billed_yet_adds_up_to_what_the_billing_run_will_bill():
    full = {date.fromisoformat(day): register for _, day, register, _ in rows(date(2026, 11, 30))}
    november = full[date(2026, 11, 30)] - full[date(2026, 10, 31)]
    assert november == consumption("PD03000000007", Period(2026, 11), 300, 10)


def test_weekends_and_heat_waves_use_more():
    days = [(date.fromisoformat(day), register) for _, day, register, _ in rows()]
    used = {day: register - before for (_, before), (day, register) in zip(days, days[1:], strict=False)
            if register is not None and before is not None}
    june = [day for day in used if day.month == 6]
    heat = [used[day] for day in june if date(2026, 6, 15) <= day < date(2026, 6, 22)]
    rest = [used[day] for day in june if not date(2026, 6, 15) <= day < date(2026, 6, 22)]
    assert mean(heat) > 1.25 * mean(rest)
    weekend = [kwh for day, kwh in used.items() if day.weekday() >= 5]
    weekdays = [kwh for day, kwh in used.items() if day.weekday() < 5]
    assert mean(weekend) > mean(weekdays)


def test_which_customers_are_read_every_day_is_a_steady_share_chosen_by_code():
    codes = [f"PE03{index:09d}" for index in range(4000)]
    share = sum(has_daily_readings(code, 0.7) for code in codes) / len(codes)
    assert 0.67 < share < 0.73
    assert has_daily_readings(codes[0], 0.7) == has_daily_readings(codes[0], 0.7)
    assert not any(has_daily_readings(code, 0) for code in codes[:100])
