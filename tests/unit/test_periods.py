from datetime import date

import pytest

from evn.domain.periods import Period, fold, latest_months, month_count, parse_month_count, parse_period, period_words

LATEST = Period(2026, 10)  # the latest bill issued
TODAY = date(2026, 12, 1)  # early December: the November bill is not issued yet


@pytest.mark.parametrize(
    "text, expected",
    [
        # Relative words count from today, not from the latest bill.
        ("tiền điện tháng này bao nhiêu", Period(2026, 12)),
        ("thang nay", Period(2026, 12)),
        ("tháng trước", Period(2026, 11)),
        # "kỳ trước" is a bill's period: the one before "kỳ này" (the latest bill), as customers mean it.
        ("ky truoc", Period(2026, 9)),
        ("kỳ trước nữa", Period(2026, 8)),
        ("tháng trc", Period(2026, 11)),
        ("tháng rồi", Period(2026, 11)),  # Southern
        ("kỳ rồi", Period(2026, 11)),
        ("thang rui", Period(2026, 11)),
        ("hai tháng trước", Period(2026, 10)),
        ("2 tháng trước", Period(2026, 10)),
        ("ba thang truoc", Period(2026, 9)),
        ("tháng trước nữa", Period(2026, 10)),
        ("từ tháng trước tới giờ", Period(2026, 11)),
        # "kỳ này", "kỳ gần nhất": the bill the customer has in hand.
        ("kỳ này", Period(2026, 10)),
        ("hóa đơn gần nhất", Period(2026, 10)),
        ("ky moi nhat", Period(2026, 10)),
        # A month without a year: the most recent such month not in the future.
        ("tháng 9", Period(2026, 9)),
        ("T9", Period(2026, 9)),
        ("th 11", Period(2026, 11)),
        ("tháng 12", Period(2026, 12)),
        ("tháng 10 năm ngoái", Period(2025, 10)),
        ("thang 10 nam truoc", Period(2025, 10)),
        ("tháng 3 năm rồi", Period(2025, 3)),
        ("tháng 5 năm nay", Period(2026, 5)),
        ("tháng 6 năm kia", Period(2024, 6)),
        ("9/2026", Period(2026, 9)),
        ("tháng 12 năm 2025", Period(2025, 12)),
        ("thang 03-2026", Period(2026, 3)),
        ("T10/26", Period(2026, 10)),
    ],
)
def test_customer_words_for_periods(text, expected):
    assert parse_period(text, TODAY, LATEST) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("tiền điện tháng mười một năm ngoái", Period(2025, 11)),
        ("cho chị xem tháng chín", Period(2026, 9)),
        ("tiền điện kỳ 9 nhà em", Period(2026, 9)),
        ("cuối năm ngoái tháng 12 nhà tui xài bao nhiêu", Period(2025, 12)),
        ("năm ngoái tháng 12", Period(2025, 12)),
        ("tháng đầu năm nay", Period(2026, 1)),
        ("thang hai nha chi", Period(2026, 2)),
        ("hóa đơn tháng sáu", Period(2026, 6)),
        ("thang tam nam nay", Period(2026, 8)),
        ("tháng giêng", Period(2026, 1)),
        ("tháng năm năm ngoái", Period(2025, 5)),
        ("tháng sau", None),  # next month, not June: "sáu" counts only with its marks
        ("thang sau", None),
    ],
)
def test_months_in_words(text, expected):
    assert parse_period(text, TODAY, LATEST) == expected


def test_a_month_in_words_is_given_to_the_nlu_in_digits_with_its_year():
    assert period_words("cuối năm ngoái tháng 12 nhà tui") == [(0, 14, "tháng 12 năm ngoái")]
    assert period_words("tiền tháng chín năm ngoái") == [(5, 25, "tháng 9 năm ngoái")]
    assert period_words("tháng sau nhé") == []


def test_in_january_last_month_is_last_years_december():
    assert parse_period("tháng trước", date(2027, 1, 5), LATEST) == Period(2026, 12)
    assert parse_period("tháng 12", date(2027, 1, 5), LATEST) == Period(2026, 12)


def test_no_period_named():
    assert parse_period("hóa đơn của tôi", TODAY, LATEST) is None


def test_period_arithmetic_and_display():
    assert Period(2026, 1).shift(-1) == Period(2025, 12)
    assert Period(2025, 12).shift(1) == Period(2026, 1)
    assert str(Period(2026, 9)) == "09/2026"
    assert Period.from_key(202610) == LATEST and LATEST.key == 202610
    assert Period(2024, 2).last_day.day == 29


def test_invalid_month_is_refused():
    with pytest.raises(ValueError):
        Period(2026, 13)


def test_fold_strips_vietnamese_diacritics():
    assert fold("Đồng Hồ ĐIỆN tháng trước") == "dong ho dien thang truoc"


@pytest.mark.parametrize(
    "text, count", [("6 tháng gần đây", 6), ("3 thang", 3), ("lịch sử dùng điện", 6), ("24 tháng", 12)]
)
def test_month_count(text, count):
    assert parse_month_count(text, default=6) == count


@pytest.mark.parametrize("text, problem", [
    ("hóa đơn 31/02/2026", "day"), ("29/02/2027", "day"), ("31/04/2026", "day"), ("00/10/2026", "day"),
    ("2026-02-30", "day"), ("tiền điện 13/2026", "month"), ("00/2026", "month"), ("tháng 13", "month"),
    ("thang 0 nam 2026", "month"), ("ngày 35 tháng 14", "month"), ("kỳ 10/99999", "year"), ("10/123", "year"),
    ("tháng 10 năm 3000", "year"), ("10/1999", "year"),
])
def test_impossible_periods_are_named(text, problem):
    from evn.domain.periods import period_problem

    assert period_problem(text) == problem


@pytest.mark.parametrize("text", ["29/02/2028", "10/2026", "tháng 10/2026", "15/10/2026", "tháng này", "0901234567",
                                  "1/2 số", "tháng 9", "3/2024", "10/26", "hai tháng trước", ""])
def test_possible_periods_have_no_problem(text):
    from evn.domain.periods import period_problem

    assert period_problem(text) is None


@pytest.mark.parametrize("text, expected", [
    ("t.5/24", Period(2024, 5)), ("th.05/2024", Period(2024, 5)), ("kỳ 5 năm 24", Period(2024, 5)),
    ("hóa đơn 15/2024", None), ("tháng 15/2024", None),
])
def test_a_month_and_year_with_or_without_the_word_month(text, expected):
    assert parse_period(text, TODAY, LATEST) == expected


def test_the_latest_months_named_by_their_number_are_a_period_to_the_classifier():
    text = "cho xem tiền điện 3 tháng gần nhất"
    assert [text[start:end] for start, end in latest_months(text)] == ["3 tháng gần nhất"]
    assert [len(latest_months(t)) for t in ("6 ky vua qua", "trong 2 tháng qua", "tháng 3 gần đây", "3 tháng")] == [
        1, 1, 0, 0]


def test_the_end_of_a_phone_before_a_month_is_no_number_of_months():
    assert month_count("PE01000000001 0901234567 tháng 10 nhà tôi bao nhiêu") is None
    assert month_count("0912.345.678 tháng 8") is None
    assert month_count("xem 3 tháng gần nhất") == 3
