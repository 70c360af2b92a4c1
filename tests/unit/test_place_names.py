"""Places of the outage schedule as customers type them (evn/domain/place_names.py)."""
import pytest

from evn.domain.outage_schedule import load_schedule
from evn.domain.place_names import place_named

SCHEDULE = load_schedule()


@pytest.mark.parametrize("text, district, ward", [
    ("GV p10 co cup dien ko ad", "Gò Vấp", "phường 10"),
    ("lich cat dien B.Thanh sap toi", "Bình Thạnh", None),
    ("tp thu duc p.hiep phu co lich cup dien ko", "Thủ Đức", "phường Hiệp Phú"),
    ("P. Trang Tien co cat dien khong", "Hoàn Kiếm", "phường Tràng Tiền"),
    ("mat dien o 12 le loi p.ben nghe q1 tphcm", "Quận 1", "phường Bến Nghé"),
    ("lịch cúp điện quận 1 tuần này", "Quận 1", None),
    ("Cầu Giấy có lịch cúp điện không", "Cầu Giấy", None),
])
def test_a_place_as_typed_is_the_schedules_district_and_ward(text, district, ward):
    named = place_named(text, SCHEDULE)
    assert named is not None and (named.district, named.ward) == (district, ward)


def test_what_names_no_place_of_the_schedule():
    assert place_named("tiền điện tháng 10 bao nhiêu", SCHEDULE) is None
    assert place_named("quận 10 có cúp không", SCHEDULE) is None  # not "Quận 1"
    province_only = place_named("ha noi co cat dien ko", SCHEDULE)
    assert province_only is not None and province_only.district is None and province_only.label() == "Hà Nội"


def test_a_ward_narrows_the_outages_to_those_that_reach_it():
    named = place_named("GV p10", SCHEDULE)
    assert named is not None
    reached = [o for o in SCHEDULE if named.covers(o)]
    assert reached and all(o.district == "Gò Vấp" and (not o.wards or "phường 10" in o.wards) for o in reached)
