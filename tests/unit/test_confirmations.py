import pytest

from evn.domain.language.confirmations import is_no, is_yes, only_a_yes


@pytest.mark.parametrize("text", ["ok hủy luôn", "phải rồi, hủy giùm", "uh", "đúng rồi", "chắc chắn", "ừ", "dc rùi",
                                  "uh đúng rồi, gửi đi", "ok chuẩn rồi", "có", "vâng ạ", "đồng ý",
                                  "đúng, hủy đi", "đúng hủy giúp em"])
def test_worded_yes(text):
    assert is_yes(text) and not is_no(text)


@pytest.mark.parametrize("text", ["thôi khỏi", "ko hủy nữa, làm tiếp đi", "không", "đừng hủy", "chưa",
                                  "thoi khong huy"])
def test_worded_no(text):
    assert is_no(text) and not is_yes(text)


@pytest.mark.parametrize("text", ["tiền điện tháng 10", "", "PE01000000001", "cô chưa biết nữa", "cô nghĩ lại đã"])
def test_neither(text):
    assert not is_yes(text) and not is_no(text)


def test_chinh_xac_is_a_yes_and_no_name():
    from datetime import date

    from evn.domain.service_catalogue import validate

    assert is_yes("chính xác") and only_a_yes("chinh xac") and not is_yes("không chính xác")
    assert validate("name", "chính xác", date(2026, 12, 1))[1] is not None
