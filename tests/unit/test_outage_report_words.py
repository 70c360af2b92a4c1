"""Where and since when, read from a report of a power cut as customers write it."""
import pytest

from evn.domain.language.outage_report_words import address_in, since_in


@pytest.mark.parametrize(
    "text, address",
    [
        ("nhà em mất điện từ sáng tới giờ ở 12 Lê Lợi phường Bến Nghé quận 1", "12 Lê Lợi phường Bến Nghé quận 1"),
        ("alo ad ơi, nhà chị ở 45 hàng bài, p tràng tiền, hoàn kiếm, hà nội, tự nhiên tối nay tắt hết",
         "45 hàng bài, p tràng tiền, hoàn kiếm, hà nội"),
        ("mất điện cả xóm rồi nè, hẻm 12 Hoàng Diệu 2 phường Linh Trung Thủ Đức, từ 7h tối tới giờ",
         "hẻm 12 Hoàng Diệu 2 phường Linh Trung Thủ Đức"),
        ("mat dien o 12 le loi p.ben nghe q1 tphcm", "12 le loi p.ben nghe q1 tphcm"),
        ("so 20 Vo Van Tan phuong Vo Thi Sau quan 3", "so 20 Vo Van Tan phuong Vo Thi Sau quan 3"),
        ("123 Nguyễn Thị Thập, Tân Hưng, Q7", "123 Nguyễn Thị Thập, Tân Hưng, Q7"),
        ("nhà em mất điện 2 tiếng rồi", None),  # a time, not a house number
        ("mất điện từ 3h chiều, 7 người trong nhà", None),
        ("mất điện rồi", None),
    ],
)
def test_the_address_in_a_report(text, address):
    assert address_in(text) == address


@pytest.mark.parametrize(
    "text, since",
    [("mất điện từ sáng tới giờ", "từ sáng"), ("từ 7h tối tới giờ", "từ 7h tối"), ("mất 2 tiếng rồi", "2 tiếng rồi"),
     ("tự nhiên tối nay tắt hết", "tối nay"), ("mất điện ở 12 Lê Lợi", None)],
)
def test_when_the_power_went(text, since):
    assert since_in(text) == since


def test_the_customer_s_own_home_named_and_not_the_particle_nha():
    from evn.domain.language.outage_report_words import names_home

    assert names_home("nhà em cúp điện") and names_home("ủa mà khu nhà e có điện lại chưa vậy")
    assert not names_home("em muốn báo mất điện") and not names_home("báo mất điện giúp em nha")
