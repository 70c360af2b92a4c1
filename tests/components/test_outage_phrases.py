"""How the outage actions (actions/outages.py, on rasa_sdk) say the schedule's outages and the days asked about.
Finding the outages and reading the days are pure: tests/unit/test_outage_schedule.py, test_relative_days.py."""
from datetime import date

from actions.outages import outage_line, when
from evn.domain.outage_schedule import load_schedule

TODAY = date(2026, 11, 28)
SUNDAY = date(2026, 11, 29)
MONDAY = date(2026, 11, 30)


def test_outage_lines_say_when_where_what_and_why(domain_dict):
    def format_outage(outage):
        return outage_line(domain_dict, outage)

    by_id = {o.id: o for o in load_schedule()}
    assert format_outage(by_id["HCM-2611-04"]) == (
        "- 28/11/2026 08:00–16:00, phường Bến Nghé, Quận 1: Trạm biến áp Bến Nghé 3: đường Lê Lợi, Pasteur, "
        "Nam Kỳ Khởi Nghĩa đoạn từ Lê Lợi đến Lý Tự Trọng (Bảo trì, sửa chữa lưới điện)"
    )
    assert format_outage(by_id["HN-2611-03"]).startswith(
        "- 28/11/2026 08:30–11:30, phường Tràng Tiền, quận Hoàn Kiếm: "
    )
    assert format_outage(by_id["HCM-2611-09"]).startswith(
        "- 30/11/2026 22:00 – 01/12/2026 04:00, phường 27, phường 28, quận Bình Thạnh: "
    )
    assert format_outage(by_id["HCM-2612-01"]).startswith("- 01/12/2026 08:00–12:00, phường Linh Trung, TP Thủ Đức: ")
    assert format_outage(by_id["HCM-2612-04"]).startswith("- 05/12/2026 08:00–17:00, Quận 1: ")


def test_day_ranges_are_said_as_people_say_them(domain_dict):
    assert when(domain_dict, TODAY, TODAY, TODAY) == "hôm nay 28/11/2026"
    assert when(domain_dict, SUNDAY, SUNDAY, TODAY) == "ngày mai 29/11/2026"
    assert when(domain_dict, MONDAY, MONDAY, TODAY) == "ngày 30/11/2026"
    assert when(domain_dict, MONDAY, date(2026, 12, 6), TODAY) == "từ 30/11/2026 đến 06/12/2026"
