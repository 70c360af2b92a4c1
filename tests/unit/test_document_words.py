"""Which messages ask for the bill or a receipt as a document, or for the bill by e-mail, as customers type them."""
from __future__ import annotations

import pytest

from evn.domain.language.document_words import asks_by_email, asks_document, asks_receipt


@pytest.mark.parametrize("text", [
    "gửi hóa đơn pdf", "ad gửi em bản pdf hóa đơn kỳ mới nhất", "tải hóa đơn điện tử tháng 10", "cho file hóa đơn",
    "in hoa don dien thang 10 duoc ko", "xuất hóa đơn tháng 9", "cho em xin hóa đơn điện tử", "tai bill thang 11",
    "hóa đơn tháng 10 dạng pdf", "gửi file pdf hoá đơn giúp em", "xin biên lai đã đóng tiền",
    "đóng tiền rồi có biên lai ko", "biên nhận thanh toán tháng 10", "cho xin bản sao hóa đơn",
])
def test_a_document_asked(text):
    assert asks_document(text)


@pytest.mark.parametrize("text", [
    "hóa đơn điện tử tháng 10 bao nhiêu", "tiền điện tháng này bao nhiêu", "link thanh toán hóa đơn",
    "hóa đơn tháng này chưa thanh toán", "file ảnh mã QR này có phải của điện lực không",
])
def test_a_bill_question_is_no_document(text):
    assert not asks_document(text)


def test_a_receipt_is_told_from_the_bill():
    assert asks_receipt("xin biên lai tháng 10") and asks_receipt("bien nhan thanh toan")
    assert not asks_receipt("gửi hóa đơn pdf tháng 10")


@pytest.mark.parametrize("text, by_email", [
    ("gửi hóa đơn điện qua email cho mình", True), ("gui hd qua gmail", True), ("hóa đơn có gửi mail không", True),
    ("cập nhật email nhận hóa đơn", False), ("đổi mail nhận hóa đơn giúp em", False), ("gửi hóa đơn pdf", False),
    ("email của em là a@b.vn", False),
])
def test_the_bill_by_e_mail_but_not_a_change_of_the_address(text, by_email):
    assert asks_by_email(text) is by_email
