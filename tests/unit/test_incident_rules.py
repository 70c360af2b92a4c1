"""The rules of incidents: the area an address lies in, which reports join, a customer still dark, estimates."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from evn.domain.incidents import (
    Area,
    IncidentError,
    area_of,
    checked_estimate,
    estimate_expected_by,
    still_dark,
)
from evn.domain.outage_schedule import load_schedule

NOW = datetime(2026, 12, 1, 3, 0)


@pytest.mark.parametrize("address, expected", [
    ("12 Lê Lợi, Phường Bến Nghé, Quận 1, TP.HCM", ("ho chi minh", "1", "ben nghe")),
    ("12 le loi p ben nghe q1", (None, "1", "ben nghe")),
    ("45 Hàng Bài, Phường Tràng Tiền, Quận Hoàn Kiếm, Hà Nội", ("ha noi", "hoan kiem", "trang tien")),
    ("số 3 ngõ 5 phường Dịch Vọng quận Cầu Giấy hà nội", ("ha noi", "cau giay", "dich vong")),
    ("Hẻm 4, Phường Hiệp Phú, Thành phố Thủ Đức", (None, "thu duc", "hiep phu")),
    ("12 Lê Lợi q1", None),
    ("12 Lê Lợi, Phường Bến Nghé gần chợ Bến Thành đối diện ngân hàng Vietcombank chi nhánh một, Quận 1", None),
    ("PE01000000001", None),
])
def test_the_ward_and_district_an_address_names(address, expected):
    area = area_of(address)
    assert (None if area is None else (area.province, area.district, area.ward)) == expected


def test_the_schedule_s_names_read_short_forms_and_give_the_label_with_diacritics():
    area = area_of("nha em o hem 12 duong so 5 phuong 10 go vap", load_schedule())
    assert area == Area("ho chi minh", "go vap", "10") and area.label == "phường 10, quận Gò Vấp"
    assert area_of("12 Lê Lợi, Phường Bến Nghé, Quận 1, TP.HCM").label == "Phường Bến Nghé, Quận 1"


def test_an_area_holds_the_same_ward_of_the_same_district_and_an_unknown_province():
    area = Area("ho chi minh", "1", "ben nghe")
    assert area.holds(Area(None, "1", "ben nghe")) and not area.holds(Area("ha noi", "1", "ben nghe"))
    assert not area.holds(Area("ho chi minh", "3", "ben nghe"))


def test_estimates_must_be_ahead_and_within_a_week():
    assert checked_estimate(NOW + timedelta(hours=2, seconds=30), NOW) == NOW + timedelta(hours=2)
    for wrong in (NOW, NOW - timedelta(minutes=1), NOW + timedelta(days=7, minutes=1)):
        with pytest.raises(IncidentError):
            checked_estimate(wrong, NOW)
    assert estimate_expected_by(NOW) == NOW + timedelta(hours=1)


def test_a_report_within_a_day_of_a_restoration_is_a_customer_still_dark():
    assert still_dark(NOW, NOW + timedelta(hours=24)) and not still_dark(NOW, NOW + timedelta(hours=25))
    assert not still_dark(None, NOW)


def test_every_cause_is_named_for_staff_and_for_customers():
    from pathlib import Path

    import yaml

    from evn.domain.incidents import Cause
    from evn.domain.operations_report import load_book

    responses = yaml.safe_load((Path(__file__).parents[2] / "domain.yml").read_text(encoding="utf-8"))["responses"]
    for cause in Cause:
        assert load_book().cause_name(cause.value) != cause.value, cause
        assert f"utter_part_cause_{cause.value}" in responses, cause
    assert load_book().cause_name("unknown") == "Chưa ghi nguyên nhân"


def test_a_staff_time_outside_two_thousand_to_twenty_one_hundred_is_refused():
    from evn.domain.time import from_vietnam_text

    assert from_vietnam_text("01/12/2026 13:10") == datetime(2026, 12, 1, 6, 10)
    assert from_vietnam_text("13:10 01/12/2026") == datetime(2026, 12, 1, 6, 10)
    for wrong in ("01/01/0001 00:00", "31/02/2026 10:00", "mai 10h", ""):
        with pytest.raises(ValueError):
            from_vietnam_text(wrong)
