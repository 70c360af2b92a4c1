"""The bill as a PDF file on every channel: Messenger is sent a file attachment by its signed link, Zalo an uploaded
file by its token (the fake OA keeps the bytes), the widget (a real Chromium) a download; each PDF is read back with
pdftotext (amounts and diacritics). The link opens once fetched; altered or expired, it opens nothing."""
from __future__ import annotations

import time

import pytest
import requests

from evn.domain.signing import document_links
from evn.domain.signing.document_links import DocumentKind, DocumentRef
from tests.e2e import messenger_webhook as messenger
from tests.e2e.messenger_webhook import turn as messenger_turn
from tests.e2e.stack_settings import LINK_SECRET
from tests.e2e.widget_page import CHROMIUM, NO_CHROMIUM, open_chat, widget_turn
from tests.e2e.zalo_webhook import new_user, turn
from tests.support.pdf_text import needs_pdftotext, pdf_text

CODE, PHONE = "PE01000000001", "0901234567"
ASK = "gửi em hóa đơn pdf tháng 10"
TEXT = "bản sao hóa đơn tiền điện kỳ 10/2026"  # utter_document_bill: the text beside the file
BILL = ("979.560 đ", "Chín trăm bảy mươi chín nghìn năm trăm sáu mươi đồng", "BẢN SAO", "Tổng cộng tiền thanh toán",
        CODE, "Kỳ hóa đơn 10/2026")
PATIENCE = 30  # seconds the file may take to follow its text (never a measure of anything)
pytestmark = needs_pdftotext




def assert_bill(pdf: bytes) -> None:
    text = pdf_text(pdf)
    for expected in BILL:
        assert expected in text, expected


def fetched(url: str) -> bytes:
    assert "/documents/" in url and url.endswith(".pdf") and CODE not in url, url
    answer = requests.get(url, timeout=PATIENCE)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/pdf"
    return answer.content


def waited(found, what: str):
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"no {what}")


def test_messenger_gets_the_bill_as_a_file_and_its_link_refuses_an_altered_or_expired_copy(stack, fake_graph):
    webhook = f"{stack.rasa_url}/webhooks/facebook/webhook"
    psid = messenger.new_psid()
    messenger_turn(webhook, fake_graph, psid, ASK, "mã khách hàng")
    messenger_turn(webhook, fake_graph, psid, CODE, "số điện thoại")
    before = len(fake_graph.messages_for(psid))
    assert "hiệu lực đến" in messenger_turn(webhook, fake_graph, psid, PHONE, TEXT)
    url = waited(lambda: next((m["attachment"]["payload"]["url"] for m in fake_graph.messages_for(psid)[before:]
                               if (m.get("attachment") or {}).get("type") == "file"), None), "file attachment")
    assert_bill(fetched(url))
    token = url.rsplit("/", 1)[1].removesuffix(".pdf")
    value, mac = token.split(".")
    kind, row, expires = value.split("-")
    base = url.rsplit("/", 1)[0]
    altered = requests.get(f"{base}/{kind}-{int(row) + 1}-{expires}.{mac}.pdf", timeout=PATIENCE)
    assert altered.status_code == 403 and "gửi hóa đơn pdf" in altered.text and b"%PDF" not in altered.content
    old = document_links.sign(DocumentRef(DocumentKind.BILL, int(row), int(time.time()) - 60), LINK_SECRET)
    expired = requests.get(f"{base}/{old}.pdf", timeout=PATIENCE)
    assert expired.status_code == 410 and "hết hạn" in expired.text


def test_zalo_gets_the_bill_as_an_uploaded_file(stack, fake_zalo):
    user = new_user()
    turn(stack, fake_zalo, user, ASK, "mã khách hàng")
    turn(stack, fake_zalo, user, CODE, "số điện thoại")
    assert "hiệu lực đến" in turn(stack, fake_zalo, user, PHONE, TEXT)
    ((name, pdf),) = waited(lambda: fake_zalo.file_messages_for(user), "Zalo file message")
    assert name == "hoa-don-PE01000000001-10-2026.pdf"
    assert_bill(pdf)


@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
def test_the_widget_shows_the_bill_as_a_download(stack, phone):
    open_chat(phone, stack.web_url)
    widget_turn(phone, ASK, "mã khách hàng")
    widget_turn(phone, CODE, "số điện thoại")
    assert "hiệu lực đến" in widget_turn(phone, PHONE, TEXT)
    link = phone.locator("#evn-cskh-widget a.evn-w-file").last
    link.wait_for(timeout=PATIENCE * 1000)
    assert "hoa-don-PE01000000001-10-2026.pdf" in link.inner_text()
    assert link.get_attribute("download") == "hoa-don-PE01000000001-10-2026.pdf"
    answer = phone.request.get(link.get_attribute("href") or "")
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    assert_bill(answer.body())
