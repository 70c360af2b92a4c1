from datetime import date

import pytest

from evn.domain.working_days import add_working_days, is_working_day, load_holidays

HOLIDAYS = load_holidays()
NONE: frozenset[date] = frozenset()


def test_weekends_are_skipped():
    assert add_working_days(date(2026, 11, 26), 2, NONE) == date(2026, 11, 30)  # Thu -> Mon
    assert add_working_days(date(2026, 11, 23), 5, NONE) == date(2026, 11, 30)  # Mon -> next Mon


def test_friday_filing_with_three_days_is_due_wednesday():
    assert add_working_days(date(2026, 11, 27), 3, HOLIDAYS) == date(2026, 12, 2)


def test_filed_on_a_weekend_counts_from_monday():
    assert add_working_days(date(2026, 11, 28), 1, HOLIDAYS) == date(2026, 11, 30)
    assert add_working_days(date(2026, 11, 29), 3, HOLIDAYS) == date(2026, 12, 2)


def test_a_holiday_is_skipped():
    # Thu 29/04/2027 + 2: Fri 30/04 and Sat 01/05 are holidays, Mon 03/05 is the
    # compensatory day for 01/05 -> Tue 04/05, Wed 05/05.
    assert add_working_days(date(2027, 4, 29), 2, HOLIDAYS) == date(2027, 5, 5)
    assert add_working_days(date(2027, 4, 29), 2, NONE) == date(2027, 5, 3)


def test_a_holiday_given_by_the_caller():
    assert add_working_days(date(2026, 12, 1), 1, {date(2026, 12, 2)}) == date(2026, 12, 3)


def test_tet_2026_week():
    # Filed Fri 13/02/2026: 16–20/02 are Tết, the week-end around it too.
    assert add_working_days(date(2026, 2, 13), 1, HOLIDAYS) == date(2026, 2, 23)
    assert add_working_days(date(2026, 2, 13), 3, HOLIDAYS) == date(2026, 2, 25)
    assert add_working_days(date(2026, 2, 13), 3, NONE) == date(2026, 2, 18)
    for day in range(16, 21):
        assert not is_working_day(date(2026, 2, day), HOLIDAYS)


def test_new_connection_over_new_year_2027():
    # Thu 31/12/2026 + 7: Fri 01/01/2027 is a holiday -> 04..08/01 then 11, 12/01.
    assert add_working_days(date(2026, 12, 31), 7, HOLIDAYS) == date(2027, 1, 12)


def test_zero_days():
    assert add_working_days(date(2026, 11, 27), 0, HOLIDAYS) == date(2026, 11, 27)  # Friday itself
    assert add_working_days(date(2026, 11, 28), 0, HOLIDAYS) == date(2026, 11, 30)  # Sat -> Mon
    assert add_working_days(date(2026, 9, 1), 0, HOLIDAYS) == date(2026, 9, 3)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 27), -1, HOLIDAYS)


def test_is_working_day():
    assert is_working_day(date(2026, 11, 27), HOLIDAYS)  # Friday
    assert not is_working_day(date(2026, 11, 28), HOLIDAYS)  # Saturday
    assert not is_working_day(date(2026, 11, 29), HOLIDAYS)  # Sunday
    assert not is_working_day(date(2026, 9, 2), HOLIDAYS)  # Quốc khánh


def test_holiday_data():
    expected = {
        date(2026, 1, 1), date(2026, 1, 2), date(2026, 4, 26), date(2026, 4, 27),
        date(2026, 4, 30), date(2026, 5, 1), date(2026, 9, 1), date(2026, 9, 2),
        date(2027, 1, 1), date(2027, 4, 16), date(2027, 4, 30), date(2027, 5, 1),
        date(2027, 5, 3), date(2027, 9, 2), date(2027, 9, 3),
    }  # fmt: skip
    assert expected <= HOLIDAYS
    assert {date(2026, 2, d) for d in range(16, 21)} <= HOLIDAYS
    tet_2027_weekdays = {date(2027, 2, 5)} | {date(2027, 2, d) for d in range(8, 12)}
    assert tet_2027_weekdays <= HOLIDAYS
    assert {d.year for d in HOLIDAYS} == {2026, 2027}
    assert load_holidays() is HOLIDAYS  # cached


def test_holidays_from_another_file(tmp_path):
    path = tmp_path / "holidays.yml"
    path.write_text(
        "holidays:\n"
        "  - {date: 2028-01-03, name: x}\n"
        "  - {from: '2028-01-05', to: '2028-01-06', name: y}\n",
        encoding="utf-8",
    )
    assert load_holidays(path) == {date(2028, 1, 3), date(2028, 1, 5), date(2028, 1, 6)}
