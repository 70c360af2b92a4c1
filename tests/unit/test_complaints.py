import pytest

from evn.domain.language.complaints import is_complaint


@pytest.mark.parametrize("text", [
    "bực quá, tháng nào cũng tăng, vô lý", "giá điện gì mà đắt thế, vô lý quá",
    "tien dien j ma cao vay, thang nao cung tang, vo ly qua", "mắc quá trời", "tôi không hài lòng",
    "nhan hoai ko ai tra loi, lam an gi ky vay", "hoi cai gi cung ko biet, bot ngu qua",
    "cô đóng tiền rồi mà sao tin nhắn vẫn báo nợ hả, làm ăn cẩu thả quá", "nhanh len gium cai, doi nay gio roi",
    "bà hỏi mà mãi chả thấy ai trả lời, bà đợi từ sáng đến giờ", "hỏi một câu trả lời một kiểu",
    "gọi tổng đài thì toàn máy bận", "chu hoi may lan roi, cup dien hoai vay",
    "TAI SAO TIEN DIEN THANG 10 GAP DOI THANG 9???", "đ** đóng nữa, cắt thì cắt",
])
def test_upset_customers_are_heard(text):
    assert is_complaint(text)


@pytest.mark.parametrize("text", ["tiền điện tháng 10 bao nhiêu", "cảm ơn em", "đã thanh toán rồi", "",
                                  "nhà tôi làm ăn buôn bán", "chờ lâu không em", "bot là gì",
                                  "PE01000000001 0901234567", "HCM"])
def test_ordinary_messages_are_not_complaints(text):
    assert not is_complaint(text)
