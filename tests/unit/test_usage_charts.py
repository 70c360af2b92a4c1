"""The usage charts drawn from hand-made figures: a day not read, a forecast bar, no bill at all."""
from __future__ import annotations

import io
from datetime import date

from PIL import Image

from evn.adapters import usage_charts
from evn.domain.consumption import DayUse
from evn.domain.periods import Period
from evn.services.usage import DaysChart, PeriodsChart


def size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(png)).size


def test_a_period_with_a_day_not_read_is_drawn_with_the_days_before():
    uses = tuple(DayUse(date(2026, 11, day), None if day == 4 else 10 + day % 3) for day in range(1, 8))
    chart = DaysChart(Period(2026, 11), uses, (9, 11, None, 12, 10, 8, 9))
    assert size(usage_charts.png(chart)) == (800, 400)


def test_the_periods_with_a_forecast_and_without_any_bill():
    billed = tuple((Period(2026, month), 280 + month) for month in range(1, 11))
    assert size(usage_charts.png(PeriodsChart(billed, (Period(2026, 11), 312)))) == (800, 400)
    assert size(usage_charts.png(PeriodsChart((), None))) == (800, 400)
