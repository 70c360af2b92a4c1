"""Every token state renders a Vietnamese page with the right status code."""
from datetime import date, datetime

import pytest

from evn.domain.periods import Period
from evn.services.payments import LinkPage
from webapp import pages


@pytest.mark.parametrize(
    "state, status, words",
    [("forged", 403, "không hợp lệ"), ("unknown", 404, "không tìm thấy"), ("expired", 410, "hết hạn"),
     ("paid", 410, "đã được thanh toán"), ("unavailable", 404, "chưa được cấu hình")],
)
def test_state_pages(state, status, words):
    code, html = pages.state_page(state)
    assert code == status and words in html.lower() and '<html lang="vi">' in html


def test_pay_page_shows_the_bill_masked_and_the_ways_to_pay():
    page = LinkPage(
        state="ok", token="abc.def", customer="Nguyễn V** A*", customer_code="PE01000000001", period=Period(2026, 10),
        kwh=350, amount=979_560, due_date=date(2026, 11, 15), expires_at=datetime(2026, 11, 29, 3, 0), method="momo",
        bill_number="PE01000000001-202610",
    )
    html = pages.pay_page(page, {"vnpay"})
    assert "979.560 đ" in html and "350 kWh" in html and "15/11/2026" in html and "Nguyễn V** A*" in html
    assert "/pay/abc.def/qr.png" in html and 'href="/pay/abc.def/vnpay"' in html
    assert "Ví MoMo (chưa hỗ trợ)" in html  # not configured: shown, not clickable
    assert "10:00 ngày 29/11/2026" in html  # expiry in Vietnam time
