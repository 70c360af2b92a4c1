"""A level as the kWh a period's forecast must exceed (evn.domain.usage_alerts), worked out by hand."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from evn import reference
from evn.domain.periods import Period
from evn.domain.tariff import compute_bill
from evn.domain.usage_alerts import (
    AlertKind,
    AlertLevel,
    expected_kwh,
    least_kwh_above,
    mean_rate,
    read_subject,
    subject,
    threshold_kwh,
)

# The residential tariff in force in 11/2026 (1.984 / 2.050 / 2.380 / 2.998 / 3.350 / 3.460 đ), VAT 8 %.
TARIFFS, VAT = reference.tariffs(), reference.vat_rates()


def total(kwh: int) -> int:
    return compute_bill(kwh, date(2026, 11, 1), date(2026, 11, 30), TARIFFS, VAT).total


def test_an_amount_is_the_largest_kwh_whose_bill_is_not_above_it():
    # 300 kWh: 50×1.984 + 50×2.050 + 100×2.380 + 100×2.998 = 739.500 đ, with 8 %: 798.660 đ.
    assert total(300) == 798_660
    assert least_kwh_above(798_660, total) == 300  # exactly 300's bill is not above it
    assert least_kwh_above(798_659, total) == 299
    # 301 kWh adds 3.350 đ before VAT: 742.850 × 1,08 = 802.278 đ.
    assert total(301) == 802_278 and least_kwh_above(802_277, total) == 300


def test_each_kind_of_level_as_kwh():
    assert threshold_kwh(AlertLevel(AlertKind.KWH, 300), None, total) == 300
    assert threshold_kwh(AlertLevel(AlertKind.PERCENT, 30), 350, total) == 455  # 350 × 1,3
    assert threshold_kwh(AlertLevel(AlertKind.PERCENT, 30), 115, total) == 150  # 149,5 rounds half up
    assert threshold_kwh(AlertLevel(AlertKind.PERCENT, 30), None, total) is None  # no period before to compare
    assert threshold_kwh(AlertLevel(AlertKind.AMOUNT, 798_660), None, lambda amount: least_kwh_above(amount, total)) \
        == 300


def test_the_forecast_the_scan_makes():
    # 224 kWh in 20 days, the last 14 days 154 kWh: 11,0 a day for the 10 days left.
    rate = mean_rate(154, 14)
    assert rate == Decimal("11.0") and expected_kwh(224, rate, 10) == 334
    assert expected_kwh(224, Decimal("11.25"), 2) == 247  # 22,5 rounds half up


def test_the_notice_subject_names_the_customer_level_and_period():
    level = AlertLevel(AlertKind.AMOUNT, 1_000_000)
    text = subject("PE01000000001", level, Period(2026, 11))
    assert text == "PE01000000001:amount:1000000:202611"
    assert read_subject(text) == ("PE01000000001", level, Period(2026, 11))
    assert read_subject("PE01000000001:kwh:300:202613") is None and read_subject("x") is None
