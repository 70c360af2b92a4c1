import pytest

from evn.domain.language.power_cut_words import asks_of_a_planned_cut, speaks_of_a_bill_not_a_cut, speaks_of_a_power_cut


def test_the_words_of_a_power_cut_as_customers_type_them():
    for text in ("nhà em mất điện từ sáng", "cup dien nua roi ad oi", "tự nhiên tắt hết", "điện chập chờn",
                 "mat 1 pha", "nhảy CB liên tục", "hàng xóm vẫn có điện mà nhà mình thì không", "khu em tối thui"):
        assert speaks_of_a_power_cut(text), text
    assert not speaks_of_a_power_cut("ba con o Q1 nho con dong tien dien gium")


def test_a_bill_asked_without_a_word_of_a_cut():
    assert speaks_of_a_bill_not_a_cut("cô ở 12 Lê Lợi quận 1, hổng nhớ tiền điện tháng 6 hết bao nhiêu")
    assert not speaks_of_a_bill_not_a_cut("mất điện mà tiền điện vẫn tăng")
    assert not speaks_of_a_bill_not_a_cut("cô ở 12 Lê Lợi quận 1")  # neither: left to the classifier


def test_a_contract_and_its_holder_are_not_a_cut():
    assert speaks_of_a_bill_not_a_cut("bố em mất rồi, hợp đồng điện vẫn đứng tên bố, em ko biết sđt bố đăng ký")
    assert not speaks_of_a_bill_not_a_cut("mất điện rồi, sđt em 0901234567")


@pytest.mark.parametrize("text, planned", [
    ("lịch cắt điện phường Tràng Tiền", True),
    ("cat dien cau giay ha noi thang 12", True),
    ("nghe nói thứ 7 này khu em cúp điện, thật không", True),
    ("mai q1 có cúp điện không", True),
    ("đường Bạch Đằng bình thạnh bao giờ cúp điện", True),
    # going on now: a report
    ("sáng nay Linh Trung có lịch cúp tới 12h mà giờ 8h tối vẫn chưa có điện, nhà e 15 Hoàng Diệu 2", False),
    ("mất điện từ chiều tới giờ ở 45 Hàng Bài, có phải lịch cắt ko hay sự cố vậy", False),
    ("nhà em đang cúp điện nè, 12 Lê Lợi q1", False),
    ("mat dien o 12 le loi p.ben nghe q1 tphcm", False),
    ("nhà chị ở 45 hàng bài, tự nhiên tối nay phụt cái tắt hết, có ai sửa ko hay là lịch cắt điện gì vậy", False),
    ("cup dien r ad oi, 56/12 nguyen thai son p3 go vap", False),  # a house number that looks like a day
])
def test_a_cut_asked_of_the_schedule_or_going_on(text, planned):
    assert asks_of_a_planned_cut(text) is planned
