from datetime import date, timedelta

import pytest

from evn.domain.language.relative_days import parse_day_range

TODAY = date(2026, 11, 28)
SUNDAY = date(2026, 11, 29)
MONDAY = date(2026, 11, 30)


def day(offset: int) -> tuple[date, date]:
    return TODAY + timedelta(days=offset), TODAY + timedelta(days=offset)


def test_the_fixed_today_is_a_saturday():
    assert TODAY.weekday() == 5


@pytest.mark.parametrize(
    "text, expected",
    [
        ("lịch cúp điện hôm nay", day(0)),
        ("lich cup dien hom nay", day(0)),
        ("hnay có cắt điện ko", day(0)),
        ("bữa nay khu em cúp điện hả", day(0)),
        ("bua nay", day(0)),
        ("ngày mai có cúp điện không", day(1)),
        ("ngay mai", day(1)),
        ("mai có cúp điện ko", day(1)),
        ("Mai mấy giờ cắt điện", day(1)),
        ("lich cat dien phuong Ben Thanh sang mai", day(1)),
        ("mai mốt có cắt điện không", day(1)),
        ("mai mot", day(1)),
        ("ngày kia có lịch cắt điện ko", day(2)),
        ("ngay kia", day(2)),
        ("mốt cúp điện hả ad", day(2)),
        ("ngay mot co cup dien ko", day(2)),
        ("lich cat dien mot", day(2)),
    ],
)
def test_today_tomorrow_and_the_day_after(text, expected):
    assert parse_day_range(text, TODAY) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("thứ 2", MONDAY), ("thu 2", MONDAY), ("thứ hai", MONDAY), ("thu hai", MONDAY), ("T2", MONDAY),
        ("thứ2", MONDAY),
        ("thứ 3", date(2026, 12, 1)), ("thứ ba", date(2026, 12, 1)), ("t3", date(2026, 12, 1)),
        ("thứ 4", date(2026, 12, 2)), ("thứ tư", date(2026, 12, 2)), ("thu tu", date(2026, 12, 2)),
        ("thứ 5", date(2026, 12, 3)), ("thứ năm", date(2026, 12, 3)), ("thu nam", date(2026, 12, 3)),
        ("thứ 6", date(2026, 12, 4)), ("thứ sáu", date(2026, 12, 4)), ("thu sau", date(2026, 12, 4)),
        # Saturday is today: "the next such day" includes today. T7 is Saturday, not July.
        ("thứ 7", TODAY), ("thứ bảy", TODAY), ("thứ bẩy", TODAY), ("thu bay", TODAY), ("T7", TODAY), ("t7 nay", TODAY),
        ("thứ 7 này có cúp điện không", TODAY),
        ("chủ nhật", SUNDAY), ("chu nhat khu Tan Phu co mat dien ko", SUNDAY), ("chủ nhựt", SUNDAY), ("CN", SUNDAY),
    ],
)
def test_weekdays_are_the_next_such_day(text, expected):
    assert parse_day_range(text, TODAY) == (expected, expected)


@pytest.mark.parametrize(
    "today, text, expected",
    [
        (SUNDAY, "chủ nhật", SUNDAY),
        (SUNDAY, "thứ 7", date(2026, 12, 5)),
        (SUNDAY, "thứ 2", MONDAY),
        (MONDAY, "thứ 2", MONDAY),
        (MONDAY, "chủ nhật", date(2026, 12, 6)),
        (date(2026, 12, 31), "thứ 6", date(2027, 1, 1)),
    ],
)
def test_weekday_edges(today, text, expected):
    assert parse_day_range(text, today) == (expected, expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("thứ 3 tuần sau", date(2026, 12, 1)),
        ("tuần tới thứ 7", date(2026, 12, 5)),
        ("chu nhat tuan sau", date(2026, 12, 6)),
        ("thứ 2 tuần này", date(2026, 11, 23)),
        ("thứ 2 tuần sau nữa", date(2026, 12, 7)),
    ],
)
def test_weekday_of_a_named_week(text, expected):
    assert parse_day_range(text, TODAY) == (expected, expected)


@pytest.mark.parametrize(
    "today, text, expected",
    [
        (TODAY, "tuần này", (TODAY, SUNDAY)),
        (TODAY, "lich cat dien sg tuan nay", (TODAY, SUNDAY)),
        (date(2026, 11, 25), "tuần này", (date(2026, 11, 25), SUNDAY)),
        (TODAY, "tuần sau", (MONDAY, date(2026, 12, 6))),
        (TODAY, "tuan sau", (MONDAY, date(2026, 12, 6))),
        (TODAY, "tuần tới", (MONDAY, date(2026, 12, 6))),
        (TODAY, "lich cup dien tuan toi", (MONDAY, date(2026, 12, 6))),
        (SUNDAY, "tuần sau", (MONDAY, date(2026, 12, 6))),
        (TODAY, "cuối tuần có cắt điện bảo trì không", (TODAY, SUNDAY)),
        (TODAY, "cuoi tuan nay", (TODAY, SUNDAY)),
        (date(2026, 11, 25), "cuối tuần", (TODAY, SUNDAY)),
        (SUNDAY, "cuối tuần", (SUNDAY, SUNDAY)),
        (TODAY, "cuối tuần sau", (date(2026, 12, 5), date(2026, 12, 6))),
        (TODAY, "tháng này", (TODAY, date(2026, 11, 30))),
        (TODAY, "thang sau", (date(2026, 12, 1), date(2026, 12, 31))),
    ],
)
def test_weeks_and_weekends(today, text, expected):
    assert parse_day_range(text, today) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("28/11", TODAY),
        ("28/11/2026", TODAY),
        ("28-11", TODAY),
        ("28-11-2026", TODAY),
        ("ngày 5/12 có mất điện ko", date(2026, 12, 5)),
        ("02/12/26", date(2026, 12, 2)),
        ("05/01", date(2027, 1, 5)),  # said in late November: next January
        ("20/11", date(2026, 11, 20)),
        ("ngày 5 tháng 12", date(2026, 12, 5)),
        ("ngày 5", date(2026, 12, 5)),  # the 5th of November is past
        ("ngay 30", date(2026, 11, 30)),
        ("ngày 28", TODAY),
        ("ngày 20 có cúp điện không", date(2026, 12, 20)),
        ("mùng 3", date(2026, 12, 3)),
        ("ngày 31", date(2026, 12, 31)),  # November has no 31st
    ],
)
def test_explicit_dates(text, expected):
    assert parse_day_range(text, TODAY) == (expected, expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("hôm nay hoặc ngày mai", (TODAY, SUNDAY)),
        ("từ 30/11 đến 4/12", (MONDAY, date(2026, 12, 4))),
        ("thứ 2 ngày 30/11", (MONDAY, MONDAY)),
    ],
)
def test_several_expressions_make_one_span(text, expected):
    assert parse_day_range(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "lịch cúp điện",
        "cập nhật email",
        "cap nhat email giup em",
        "mãi mãi không có điện",
        "chương trình khuyến mãi",
        "lịch cúp điện Hoàng Mai",
        "lich cat dien hoang mai",
        "khu Mai Dịch",
        "có một sự cố",
        "co mot su co",
        "lich cat dien quan 1",
        "cúp điện 5 tiếng rồi",
        "mất điện 2 lần",
        "cúp điện từ 8-11h",
        "lần thứ hai tôi báo",
        "thứ tự ưu tiên",
        "Thủ Đức",
        "thằng này",
        "số 12/3 Lê Lợi",
        "T7/2026",
        "thứ 8",
        "31/11",
        "11/2026",
        "ngày 5 giờ",
    ],
)
def test_texts_that_name_no_day(text):
    assert parse_day_range(text, TODAY) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("8/12 lúc 9h", date(2026, 12, 8)),
        ("ngày 8/12 8h", date(2026, 12, 8)),
        ("5 / 12 / 26h", date(2026, 12, 5)),  # the year is an hour: the day and month alone
        ("mùng 5 sớm", date(2026, 12, 5)),
        ("thứ 2 này", MONDAY),
        ("t2 nay/5", MONDAY),
    ],
)
def test_what_follows_a_day_decides_whether_it_is_one(text, expected):
    assert parse_day_range(text, TODAY) == (expected, expected)


@pytest.mark.parametrize(
    "text", ["8/12:30", "uống thuốc ngày 2 lần", "ngay 5 kwh", "ngày 5/", "t2/2025", "t5 năm 2026", "thứ 2 năm 2026"]
)
def test_times_quantities_and_months_after_a_day_are_not_days(text):
    assert parse_day_range(text, TODAY) is None


def test_a_month_named_for_what_is_ahead():
    from evn.domain.language.relative_days import month_range
    today = date(2026, 12, 1)
    assert month_range("Cầu Giấy tháng 12 này có lịch cắt điện những ngày nào", today) == (today, date(2026, 12, 31))
    assert month_range("tháng 1", today) == (date(2027, 1, 1), date(2027, 1, 31))
    # "tháng sau" is parse_day_range's own, which the schedule asks first
    assert parse_day_range("tháng sau", today) == (date(2027, 1, 1), date(2027, 1, 31))
    assert month_range("tháng 10/2026", today) is None and month_range("tuần này", today) is None
