"""The reading day read from a customer's bills, and the period running it makes (evn.domain.reading_days)."""
from __future__ import annotations

from datetime import date

from evn.domain.language.reading_day_words import asks_reading_day
from evn.domain.reading_days import LAST, ReadingDay, reading_day, schedule


def test_bills_ending_on_their_months_last_day_mean_the_last_day_and_others_their_day():
    assert reading_day([date(2026, 10, 31), date(2026, 9, 30), date(2026, 8, 31)]) == ReadingDay(LAST)
    assert reading_day([date(2026, 10, 17), date(2026, 9, 17)]) == ReadingDay(17)
    assert reading_day([date(2026, 2, 28), date(2026, 1, 31)]) == ReadingDay(LAST)  # February's last day
    assert reading_day([]) is None


def test_the_period_running_and_the_one_before():
    month_end = schedule(ReadingDay(LAST), date(2026, 10, 1), date(2026, 10, 31), date(2026, 11, 21))
    assert (month_end.start, month_end.reading, month_end.issued) == (
        date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 1))
    assert (month_end.days, month_end.previous_days) == (30, 31)
    route = schedule(ReadingDay(17), date(2026, 9, 18), date(2026, 10, 17), date(2026, 11, 21))
    assert route.reading == date(2026, 12, 17) and route.days == 61  # the bill of 17/11 not issued yet
    assert ReadingDay(31).in_month(2026, 2) == date(2026, 2, 28)


def test_questions_about_the_reading_day():
    for text in ("bao giờ bên điện lực ghi chỉ số tháng này z ad", "Ngày nào chốt số công tơ thế em",
                 "khi nao co hoa don thang 11 vay em", "z chừng nào có hóa đơn", "sao kỳ này dài hơn kỳ trước",
                 "kỳ này có mấy ngày", "lịch ghi chỉ số"):
        assert asks_reading_day(text), text
    for text in ("tiền điện tháng 10 bao nhiêu", "chỉ số tháng 10 ghi sai", "tháng này xài bao nhiêu rồi"):
        assert not asks_reading_day(text), text
