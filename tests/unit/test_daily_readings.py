"""The meter data system's daily export: which rows may be loaded, and why not (evn.domain.daily_readings)."""
from __future__ import annotations

from datetime import date

import pytest

from evn.domain.daily_readings import (
    FileRefused,
    Quality,
    Reason,
    Rejection,
    Row,
    Stored,
    Verdict,
    header_positions,
    judged,
    parse,
    without_duplicates,
)

TODAY = date(2026, 12, 7)
POSITIONS = header_positions(["meter", "day", "register_kwh", "quality"])


def row(line: int, day: int, register: int | None, quality: Quality = Quality.ACTUAL, meter: str = "CT1") -> Row:
    return Row(line, meter, date(2026, 12, day), register, quality)


def test_the_header_may_come_in_any_order_and_with_a_byte_order_mark():
    assert header_positions(["\ufeffQuality", "register_kwh", "meter", "day"]) == {
        "meter": 2, "day": 3, "register_kwh": 1, "quality": 0}


@pytest.mark.parametrize("header", [["meter", "day", "register_kwh"], ["meter", "day", "register_kwh", "quality", "x"],
                                    ["meter", "meter", "day", "register_kwh", "quality"], []])
def test_a_header_that_is_not_the_format_refuses_the_file(header):
    with pytest.raises(FileRefused):
        header_positions(header)


def test_a_good_line_is_a_row_and_a_decimal_register_is_cut_to_whole_kwh():
    assert parse(["CT01", "2026-12-06", "15890.9", "a"], POSITIONS, 2, TODAY) == Row(
        2, "CT01", date(2026, 12, 6), 15890, Quality.ACTUAL)
    assert parse(["CT01", "2026-12-06", "", "M"], POSITIONS, 3, TODAY) == Row(
        3, "CT01", date(2026, 12, 6), None, Quality.MISSING)


@pytest.mark.parametrize(("fields", "reason"), [
    (["CT01", "06/12/2026", "1", "A"], Reason.MALFORMED),
    (["CT01", "2026-12-6", "1", "A"], Reason.MALFORMED),
    (["CT01", "2026-12-06", "-5", "A"], Reason.MALFORMED),
    (["CT01", "2026-12-06", "１２", "A"], Reason.MALFORMED),
    (["CT01", "2026-12-06", "1e3", "A"], Reason.MALFORMED),
    (["CT01", "2026-12-06", "", "A"], Reason.MALFORMED),
    (["CT01", "2026-12-06", "12", "M"], Reason.MALFORMED),
    (["CT01", "2026-12-06", "12", "X"], Reason.MALFORMED),
    (["CT 01", "2026-12-06", "12", "A"], Reason.MALFORMED),
    (["CT01", "2026-12-06", "12"], Reason.MALFORMED),
    (["CT01", "2026-12-06", "1234567890", "A"], Reason.MALFORMED),
    (["CT01", "2026-12-08", "12", "A"], Reason.FUTURE_DAY),
])
def test_a_line_that_cannot_be_a_reading_is_rejected_with_its_reason(fields, reason):
    outcome = parse(fields, POSITIONS, 9, TODAY)
    assert isinstance(outcome, Rejection) and outcome.reason == reason and outcome.line == 9


def test_today_itself_is_not_the_future():
    assert isinstance(parse(["CT01", "2026-12-07", "12", "E"], POSITIONS, 2, TODAY), Row)


def test_a_day_given_twice_counts_once_when_both_agree_and_not_at_all_when_they_differ():
    same = [row(2, 1, 10), row(3, 1, 10)]
    kept, rejected = without_duplicates(same)
    assert kept == [row(2, 1, 10)] and rejected == []
    kept, rejected = without_duplicates([row(2, 1, 10), row(3, 2, 11), row(4, 1, 12)])
    assert kept == [row(3, 2, 11)]
    assert [(r.line, r.reason) for r in rejected] == [(2, Reason.DUPLICATE_CONFLICT), (4, Reason.DUPLICATE_CONFLICT)]


def verdicts(rows, stored):
    return [verdict.reason if isinstance(verdict, Rejection) else verdict for _, verdict in judged(rows, stored)]


def test_a_register_may_not_go_below_an_earlier_day_of_the_file_or_of_the_database():
    rows = [row(2, 1, 100), row(3, 2, 98), row(4, 3, 101)]
    assert verdicts(rows, [Stored(before=90)] * 3) == [Verdict.NEW, Reason.BACKWARDS, Verdict.NEW]
    assert verdicts([row(2, 5, 89)], [Stored(before=90)]) == [Reason.BACKWARDS]


def test_a_register_may_not_go_above_a_later_day_already_loaded():
    assert verdicts([row(2, 5, 120)], [Stored(before=90, after=110)]) == [Reason.BACKWARDS]
    assert verdicts([row(2, 5, 110)], [Stored(before=90, after=110)]) == [Verdict.NEW]


def test_a_missing_day_is_loaded_without_a_register_and_does_not_move_the_floor():
    rows = [row(2, 1, 100), row(3, 2, None, Quality.MISSING), row(4, 3, 100)]
    assert verdicts(rows, [Stored()] * 3) == [Verdict.NEW, Verdict.NEW, Verdict.NEW]


def test_a_day_loaded_again_is_unchanged_another_value_is_refused_and_a_reading_replaces_an_estimate():
    assert verdicts([row(2, 1, 100)], [Stored(100, "A")]) == [Verdict.UNCHANGED]
    assert verdicts([row(2, 1, 101)], [Stored(100, "A")]) == [Reason.STORED_CONFLICT]
    assert verdicts([row(2, 1, 101, Quality.ESTIMATED)], [Stored(100, "E")]) == [Reason.STORED_CONFLICT]
    assert verdicts([row(2, 1, 101)], [Stored(100, "E", before=95)]) == [Verdict.REPLACES]
    assert verdicts([row(2, 1, 101)], [Stored(None, "M", before=95)]) == [Verdict.REPLACES]
    assert verdicts([row(2, 1, None, Quality.MISSING)], [Stored(100, "E")]) == [Reason.STORED_CONFLICT]
