import pytest

from evn.domain.complaints import is_complaint


@pytest.mark.parametrize("text", [
    "bực quá, tháng nào cũng tăng, vô lý", "giá điện gì mà đắt thế, vô lý quá",
    "tien dien j ma cao vay, thang nao cung tang, vo ly qua", "mắc quá trời", "tôi không hài lòng",
])
def test_upset_customers_are_heard(text):
    assert is_complaint(text)


@pytest.mark.parametrize("text", ["tiền điện tháng 10 bao nhiêu", "cảm ơn em", "đã thanh toán rồi", ""])
def test_ordinary_messages_are_not_complaints(text):
    assert not is_complaint(text)
