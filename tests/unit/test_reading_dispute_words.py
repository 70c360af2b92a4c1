"""A reading the customer thinks is wrong, the register read on the meter, and a rise told instead
(evn/domain/language/reading_dispute_words.py)."""
import pytest

from evn.domain.language.reading_dispute_words import disputes_reading, register_read, tells_a_rise


@pytest.mark.parametrize("text", [
    "chỉ số tháng 10 nhà em ghi sai rồi",
    "so tren hoa don lon hon so tren dong ho nha em",
    "công tơ nhà em chỉ 15100 mà sao hóa đơn ghi 15218",
])
def test_a_reading_disputed(text):
    assert disputes_reading(text) and not tells_a_rise(text)


def test_a_field_of_a_request_written_wrong_is_no_reading():
    assert not disputes_reading("em ghi sai địa chỉ rồi, sửa lại giúp em")


def test_a_rise_with_a_reading_suspected_asks_why_it_rose():
    assert tells_a_rise("bill tăng đột biến, có ai ghi sai chỉ số không")
    assert not tells_a_rise("tăng gì đâu, công tơ nhà tôi giờ chỉ 6950")  # a register read: the dispute
    assert register_read("công tơ nhà tôi giờ chỉ 6950") == 6950
