"""The report's month ranges: what operators type (CLI, the web page's month fields) and what the SQL bounds."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from evn.domain.operations_report import MAX_MONTHS, MonthRange, load_book, share
from evn.domain.periods import Period


def test_a_range_reads_back_what_was_typed_and_spans_years():
    months = MonthRange.parse("2025-11", "2026-2")
    assert [str(p) for p in months.months] == ["11/2025", "12/2025", "01/2026", "02/2026"]
    assert months.bounds == ("2025-11", "2026-02")
    assert MonthRange.parse(*months.bounds) == months


def test_months_start_at_midnight_in_vietnam_which_is_17_00_utc_the_day_before():
    months = MonthRange.parse("2026-01", "2026-01")
    assert months.start_utc == datetime(2025, 12, 31, 17, 0)
    assert months.end_utc == datetime(2026, 1, 31, 17, 0)


@pytest.mark.parametrize("first, last", [
    ("2026-05", "2026-01"),  # ends before it starts
    ("2026-13", "2026-12"), ("2026-00", "2026-01"), ("", "2026-01"), ("tháng 1", "2026-02"),
    ("2026-01-05", "2026-02"), ("2000-01", "2026-01"),  # longer than MAX_MONTHS
    ("9999-12", "9999-12"), ("0000-01", "0000-01"), ("0001-01", "0001-02"),  # beyond what the bounds can hold
    ("٢٠٢٦-01", "2026-02"), ("２０２６-01", "2026-02"),  # digits, but not ASCII ones
])
def test_a_range_that_is_not_one_is_refused_with_a_reason(first, last):
    with pytest.raises(ValueError):
        MonthRange.parse(first, last)


def test_the_years_at_either_end_still_have_bounds():
    assert MonthRange.parse("2000-01", "2000-01").start_utc == datetime(1999, 12, 31, 17, 0)
    assert MonthRange.parse("2100-12", "2100-12").end_utc == datetime(2100, 12, 31, 17, 0)


def test_the_longest_range_allowed_is_max_months():
    first = Period(2016, 1)
    assert len(MonthRange(first, first.shift(MAX_MONTHS - 1)).months) == MAX_MONTHS


@pytest.mark.parametrize("today, expected", [
    (date(2026, 12, 3), ("2025-12", "2026-11")),
    (date(2026, 1, 31), ("2025-01", "2025-12")),
])
def test_the_default_range_is_the_last_twelve_whole_months(today, expected):
    assert MonthRange.last_whole(today).bounds == expected


def test_a_share_of_nothing_is_no_data_not_a_division_by_zero():
    assert share(0, 0) is None and share(None, 5) is None and share(1, 4) == 0.25


def test_the_book_knows_cash_and_counter_channels_and_maps_the_bots_input_channels():
    book = load_book()
    assert "counter_cash" in book.cash_channels and "momo" not in book.cash_channels
    assert "counter" in book.counter_channels and "zalo" not in book.counter_channels
    assert book.intake_of("socketio") == "chatbot" and book.intake_of("zalo") == "zalo"
