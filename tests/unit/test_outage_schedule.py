from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from evn.domain.outage_schedule import (
    PlannedOutage,
    covering,
    find_outages,
    find_outages_at_address,
    load_schedule,
    place_of,
)

SCHEDULE = load_schedule()
LOOKUPS = Path(__file__).resolve().parents[2] / "data" / "nlu" / "lookups.yml"
DEMO_HCM = "12 Lê Lợi, Phường Bến Nghé, Quận 1, TP.HCM"
DEMO_HANOI = "45 Hàng Bài, Phường Tràng Tiền, Quận Hoàn Kiếm, Hà Nội"
NOV_28, NOV_29, NOV_30 = date(2026, 11, 28), date(2026, 11, 29), date(2026, 11, 30)


def ids(outages) -> list[str]:
    return [o.id for o in outages]


def canonical_locations() -> set[str]:
    return {item["synonym"] for item in yaml.safe_load(LOOKUPS.read_text(encoding="utf-8"))["nlu"] if "synonym" in item}


def test_schedule_is_well_formed():
    assert 25 <= len(SCHEDULE) <= 40
    assert len({o.id for o in SCHEDULE}) == len(SCHEDULE)
    assert ids(SCHEDULE) == ids(sorted(SCHEDULE, key=lambda o: o.start))
    known = canonical_locations()
    for outage in SCHEDULE:
        assert outage.end > outage.start, outage.id
        assert date(2026, 11, 25) <= outage.start.date() and outage.end.date() <= date(2026, 12, 20), outage.id
        assert (outage.power_company, outage.province) in {("EVNHCMC", "TP.HCM"), ("EVNHANOI", "Hà Nội")}, outage.id
        assert outage.province in known and outage.district in known, outage.id
        assert all(ward.startswith("phường ") for ward in outage.wards), outage.id
        assert outage.area and outage.reason


def test_loading_is_cached_and_returns_a_fresh_list():
    first, second = load_schedule(), load_schedule()
    assert first == second and first is not second
    assert first[0] is second[0]


@pytest.mark.parametrize("day", [NOV_28, NOV_29, NOV_30])
@pytest.mark.parametrize("location", ["phường Bến Nghé", "phường Tràng Tiền"])
def test_demo_wards_have_outages_on_the_demo_days(location, day):
    assert find_outages(SCHEDULE, location, day, day)


@pytest.mark.parametrize(
    "location",
    ["Quận 1", "quận 1", "quan 1", "q1", "Q.1", "q. 1", "QUẬN 1"],
)
def test_district_lookup_in_any_spelling(location):
    assert ids(find_outages(SCHEDULE, location, NOV_28, NOV_30)) == ["HCM-2611-04", "HCM-2611-06", "HCM-2611-08"]


def test_numbered_districts_are_not_confused():
    assert find_outages(SCHEDULE, "Quận 10", date(2026, 11, 25), date(2026, 12, 20)) == []
    assert find_outages(SCHEDULE, "Quận 12", date(2026, 11, 25), date(2026, 12, 20)) == []
    assert {o.district for o in find_outages(SCHEDULE, "Quận 3", date(2026, 11, 25), date(2026, 12, 20))} == {"Quận 3"}


@pytest.mark.parametrize("location", ["Hoàn Kiếm", "hoan kiem", "quận Hoàn Kiếm", "Quan Hoan Kiem"])
def test_named_district_with_and_without_diacritics(location):
    assert ids(find_outages(SCHEDULE, location, NOV_28, NOV_30)) == [
        "HN-2611-03", "HN-2611-04", "HN-2611-05", "HN-2611-07",
    ]


@pytest.mark.parametrize("location", ["Thủ Đức", "thu duc", "TP Thủ Đức", "thành phố Thủ Đức"])
def test_thu_duc_city(location):
    assert ids(find_outages(SCHEDULE, location, date(2026, 11, 25), date(2026, 12, 20))) == [
        "HCM-2611-03", "HCM-2612-01", "HCM-2612-07",
    ]


@pytest.mark.parametrize("location", ["phường Bến Nghé", "Bến Nghé", "phuong ben nghe", "p.ben nghe", "P. Bến Nghé"])
def test_ward_lookup_includes_district_wide_entries(location):
    found = ids(find_outages(SCHEDULE, location, NOV_28, date(2026, 12, 6)))
    # HCM-2612-04 lists no ward: it may reach every ward of Quận 1.
    assert found == ["HCM-2611-04", "HCM-2611-06", "HCM-2611-08", "HCM-2612-04"]


def test_ward_lookup_excludes_other_wards_of_the_district():
    found = find_outages(SCHEDULE, "phường Tràng Tiền", NOV_28, NOV_30)
    assert ids(found) == ["HN-2611-03", "HN-2611-05", "HN-2611-07"]  # not HN-2611-04 in phường Hàng Bài
    assert "HCM-2612-02" not in ids(find_outages(SCHEDULE, "phường Bến Nghé", date(2026, 12, 1), date(2026, 12, 3)))


@pytest.mark.parametrize(
    "location", ["TP.HCM", "tp hcm", "TPHCM", "Sài Gòn", "sai gon", "thành phố Hồ Chí Minh", "HCM"]
)
def test_province_lookup_hcm(location):
    found = find_outages(SCHEDULE, location, NOV_28, NOV_28)
    assert ids(found) == ["HCM-2611-04", "HCM-2611-05"]


@pytest.mark.parametrize("location", ["Hà Nội", "ha noi", "hanoi", "HN", "thành phố Hà Nội"])
def test_province_lookup_hanoi(location):
    assert ids(find_outages(SCHEDULE, location, NOV_28, NOV_28)) == ["HN-2611-03", "HN-2611-04"]


def test_no_location_means_every_area_and_unknown_places_find_nothing():
    assert ids(find_outages(SCHEDULE, None, NOV_28, NOV_28)) == [
        "HCM-2611-04", "HN-2611-03", "HCM-2611-05", "HN-2611-04"
    ]
    assert find_outages(SCHEDULE, "Đà Nẵng", NOV_28, date(2026, 12, 20)) == []
    assert find_outages(SCHEDULE, "Tân Phú", NOV_28, date(2026, 12, 20)) == []


def test_day_ranges_overlap_outages_spanning_midnight():
    assert "HCM-2611-09" in ids(find_outages(SCHEDULE, "Bình Thạnh", NOV_30, NOV_30))
    assert "HCM-2611-09" in ids(find_outages(SCHEDULE, "binh thanh", date(2026, 12, 1), date(2026, 12, 1)))
    assert "HCM-2611-09" not in ids(find_outages(SCHEDULE, "Bình Thạnh", date(2026, 12, 2), date(2026, 12, 6)))


def test_results_are_sorted_by_start():
    found = find_outages(SCHEDULE, None, date(2026, 11, 25), date(2026, 12, 20))
    assert len(found) == len(SCHEDULE)
    assert [o.start for o in found] == sorted(o.start for o in found)


def test_every_entry_is_found_by_its_own_canonical_names():
    for outage in SCHEDULE:
        first, last = outage.start.date(), outage.end.date()
        for location in (outage.province, outage.district, *outage.wards):
            assert outage in find_outages(SCHEDULE, location, first, last), (outage.id, location)


@pytest.mark.parametrize(
    "address, moment, expected",
    [
        (DEMO_HCM, datetime(2026, 11, 28, 9, 0), "HCM-2611-04"),
        (DEMO_HCM, datetime(2026, 11, 28, 8, 0), "HCM-2611-04"),
        (DEMO_HCM, datetime(2026, 11, 28, 16, 0), None),  # ended at 16:00
        (DEMO_HCM, datetime(2026, 11, 28, 7, 59), None),
        (DEMO_HCM, datetime(2026, 11, 29, 7, 0), "HCM-2611-06"),
        (DEMO_HCM, datetime(2026, 12, 5, 10, 0), "HCM-2612-04"),  # district-wide entry
        (DEMO_HCM, datetime(2026, 12, 2, 10, 0), None),  # Quận 1, but phường Đa Kao / Tân Định
        (DEMO_HANOI, datetime(2026, 11, 28, 10, 0), "HN-2611-03"),
        (DEMO_HANOI, datetime(2026, 11, 28, 15, 0), None),  # phường Hàng Bài, not the street Hàng Bài
        (DEMO_HANOI, datetime(2026, 11, 30, 14, 59), "HN-2611-07"),
        (DEMO_HANOI, datetime(2026, 12, 1, 10, 0), None),
    ],
)
def test_covering_the_demo_addresses(address, moment, expected):
    found = covering(SCHEDULE, address, moment)
    assert (found.id if found else None) == expected


@pytest.mark.parametrize(
    "address",
    [
        "12 le loi, phuong ben nghe, quan 1, tp hcm",
        "12 Lê Lợi, P. Bến Nghé, Q.1, TPHCM",
        "12 Lê Lợi, Bến Nghé, Quận 1",
        "nhà em ở bến nghé q1",
    ],
)
def test_covering_other_spellings_of_an_address(address):
    assert covering(SCHEDULE, address, datetime(2026, 11, 28, 9, 0)).id == "HCM-2611-04"


@pytest.mark.parametrize(
    "address",
    [
        "12 Lê Lợi, Phường Bến Nghé, Quận 10, TP.HCM",
        "12 Lê Lợi, Phường Bến Thành, Quận 1, TP.HCM",
        "12 Lê Lợi, Phường Bến Nghé, Quận 1, Hà Nội",
        "99 Bến Nghé, Phường Đa Kao, Quận 1, TP.HCM",
    ],
)
def test_covering_needs_the_right_district_ward_and_province(address):
    assert covering(SCHEDULE, address, datetime(2026, 11, 28, 9, 0)) is None


def test_outages_at_an_address():
    found = find_outages_at_address(SCHEDULE, DEMO_HANOI, NOV_28, date(2026, 12, 20))
    assert ids(found) == ["HN-2611-03", "HN-2611-05", "HN-2611-07", "HN-2612-06"]


def _write(tmp_path, outage: dict) -> Path:
    entry = {
        "id": "X-1", "power_company": "EVNHCMC", "province": "TP.HCM", "district": "Quận 1", "wards": [],
        "area": "Trạm biến áp thử", "start": "2026-12-01T08:00", "end": "2026-12-01T12:00", "reason": "Thử",
    }
    path = tmp_path / "schedule.yml"
    path.write_text(
        yaml.safe_dump({"districts": {"TP.HCM": ["Quận 1"]}, "outages": [{**entry, **outage}]}, allow_unicode=True),
        encoding="utf-8",
    )
    return path


def test_load_from_a_path(tmp_path):
    [outage] = load_schedule(_write(tmp_path, {}))
    assert outage.start == datetime(2026, 12, 1, 8, 0) and outage.wards == ()


@pytest.mark.parametrize("bad", [{"district": "Quận 2"}, {"end": "2026-12-01T08:00"}])
def test_bad_entries_are_refused(tmp_path, bad):
    with pytest.raises(ValueError):
        load_schedule(_write(tmp_path, bad))


@pytest.mark.parametrize(("district", "label"), [
    ("Thị xã Sơn Tây", "Thị xã Sơn Tây"), ("THÀNH PHỐ Thủ Đức", "THÀNH PHỐ Thủ Đức"), ("Huyện Củ Chi", "Huyện Củ Chi"),
    ("thị xãa", "quận thị xãa"), ("Thủ Đức", "TP Thủ Đức"), ("1", "quận 1"),
])
def test_a_district_keeps_its_own_prefix_a_whole_word(district, label):
    moment = datetime(2026, 12, 1, 8, 0)
    outage = PlannedOutage("X-1", "EVNHCMC", "TP.HCM", district, (), "", moment, moment, "")
    assert place_of(outage) == label
