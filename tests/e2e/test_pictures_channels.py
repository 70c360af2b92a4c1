"""Pictures on every channel, checked: Messenger's image attachment and Zalo's user_send_image (fetched from the
platforms' CDN, the local HTTPS fake), and the widget's attach button in a real Chromium (uploaded to the web app).

The pictures are made here: a real VietQR of the demo account for a demo bill, one of another account for the same
bill, a QR of a look-alike domain, a photo of a fake notice drawn with Pillow, a signed pay link and an altered one.
"""
from __future__ import annotations

import time
import uuid

import pytest

from tests.e2e import messenger_webhook as messenger
from tests.e2e import zalo_webhook as zalo
from tests.e2e.agent_console import console_tab, create_agent
from tests.e2e.stack_settings import LINK_SECRET
from tests.e2e.widget_page import CHROMIUM, NO_CHROMIUM, bot_texts, open_chat, wait_for_bubbles
from tests.support import pictures

BILL = "PE01000000001202610"  # the demo customer's unpaid 10/2026 bill: 979.560 đ
REAL = ("đúng là của điện lực", "979.560")
OTHER = ("KHÔNG phải", "****9123")
PATIENCE = 60


def publish(cdn, data: bytes, kind: str = "image/png") -> str:
    path = f"/v/t1.15752-9/{uuid.uuid4().hex}.png"
    cdn.files[path] = (kind, data)
    return f"{cdn.url}{path}?_nc_cat=1&oh=00_sig&oe=6A1B2C3D"


def messenger_picture(stack, fake_graph, psid: str, url: str, expect: str) -> str:
    webhook = f"{stack.rasa_url}/webhooks/facebook/webhook"
    before = len(fake_graph.messages_for(psid))
    attachment = {"type": "image", "payload": {"url": url}}
    assert messenger.send_signed(webhook, messenger.event(psid, message={
        "mid": f"m_{uuid.uuid4().hex}", "attachments": [attachment]})).status_code == 200
    return _waited(lambda: "\n".join(fake_graph.texts_for(psid)[before:]), expect)


def zalo_picture(stack, fake_zalo, user: str, url: str, expect: str, caption: str | None = None) -> str:
    before = len(fake_zalo.messages_for(user))
    body = zalo.event(user, caption, name="user_send_image")
    body["message"]["attachments"] = [{"type": "image", "payload": {"url": url, "thumbnail": url}}]
    assert zalo.post(stack, body).status_code == 200
    return _waited(lambda: "\n".join(zalo.said(fake_zalo, user)[before:]), expect)


def _waited(replies, expect: str) -> str:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if expect in replies():
            time.sleep(0.5)
            return replies()
        time.sleep(0.1)
    raise AssertionError(f"no reply with {expect!r}; got {replies()!r}")


def pay_link(stack) -> str:
    """A genuine pay link for the demo customer's unpaid bill, as the chat sends it (REST, verified)."""
    chat = f"e2e-pic-{uuid.uuid4().hex[:10]}"
    for text in ("gửi link thanh toán", "PE01000000001"):
        stack.say(chat, text)
    replies = stack.say(chat, "0901234567")
    return next(b["url"] for r in replies for b in r.get("buttons", []) if "url" in b)


def test_messenger_vietqr_of_the_demo_account_and_of_another(stack, fake_graph, picture_cdn):
    psid = messenger.new_psid()
    code = publish(picture_cdn, pictures.vietqr_png(979_560, BILL))
    stranger = messenger_picture(stack, fake_graph, psid, code, REAL[0])  # the account checked, not the bill
    assert REAL[1] not in stranger and "xác thực" in stranger
    webhook = f"{stack.rasa_url}/webhooks/facebook/webhook"
    messenger.turn(webhook, fake_graph, psid, "tiền điện tháng 10", "mã khách hàng")
    messenger.turn(webhook, fake_graph, psid, "PE01000000001", "số điện thoại")
    messenger.turn(webhook, fake_graph, psid, "0901234567", REAL[1])
    real = messenger_picture(stack, fake_graph, psid, code, REAL[0])  # verified: the bill it names, compared
    assert REAL[1] in real and "10/2026" in real
    other = pictures.vietqr_png(979_560, BILL, bank_bin="970407", account="19036789123")
    reply = messenger_picture(stack, fake_graph, psid, publish(picture_cdn, other), OTHER[0])
    assert OTHER[1] in reply and "Techcombank" in reply and "công an" in reply


def test_zalo_lookalike_domain_and_a_fake_notice_photo(stack, fake_zalo, picture_cdn):
    user = zalo.new_user()
    look_alike = publish(picture_cdn, pictures.qr_png("https://evnhcmc-thanhtoan.com/tra-no?ma=PE01000000001"))
    reply = zalo_picture(stack, fake_zalo, user, look_alike, "giả mạo", caption="ma nay co phai evn ko")
    assert "evnhcmc-thanhtoan.com" in reply and "1900 545454" in reply
    notice = pictures.fake_notice_png(["Quý khách nợ tiền điện 2.350.000đ", "Cắt điện sau 2 giờ nếu không thanh toán"],
                                      qr_text="https://bit.ly/evn-tt")
    photo = publish(picture_cdn, notice)
    assert "rút gọn" in zalo_picture(stack, fake_zalo, user, photo, "KHÔNG phải")


def test_zalo_a_picture_without_a_code_could_not_be_checked(stack, fake_zalo, picture_cdn):
    user = zalo.new_user()
    notice = publish(picture_cdn, pictures.fake_notice_png(["Thông báo cắt điện", "Khu vực phường 25"]))
    reply = zalo_picture(stack, fake_zalo, user, notice, "chưa thể khẳng định")
    assert "không đọc được mã QR" in reply


def test_a_signed_pay_link_in_a_qr_and_an_altered_one(stack, fake_graph, picture_cdn):
    link = pay_link(stack)
    psid = messenger.new_psid()
    genuine = messenger_picture(stack, fake_graph, psid, publish(picture_cdn, pictures.qr_png(link)), REAL[0])
    assert "liên kết thanh toán em đã gửi" in genuine and REAL[1] in genuine
    altered = link[:-4] + ("AAAA" if not link.endswith("AAAA") else "BBBB")
    reply = messenger_picture(stack, fake_graph, psid, publish(picture_cdn, pictures.qr_png(altered)), "KHÔNG phải")
    assert "bị sửa" in reply and LINK_SECRET not in reply


@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
def test_the_widget_attach_button_sends_a_photo_and_hears_the_check(stack, phone):
    open_chat(phone, stack.web_url)
    before = len(bot_texts(phone))
    phone.locator(".evn-w-file").set_input_files(files=[{
        "name": "IMG_2043.jpg", "mimeType": "image/jpeg",
        "buffer": pictures.photo_jpeg(pictures.vietqr_payload(979_560, BILL, "970407", "19036789123"))}])
    reply = wait_for_bubbles(phone, before, OTHER[0], "a photo of another account's VietQR")
    assert OTHER[1] in reply
    assert phone.locator("#evn-cskh-widget .evn-w-user .evn-w-bubble").last.inner_text().startswith("📷")


@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
def test_the_widget_reports_a_refused_upload(stack, phone, picture_dir):
    open_chat(phone, stack.web_url)
    kept = sorted(path.name for path in picture_dir.iterdir())
    before = len(bot_texts(phone))
    phone.locator(".evn-w-file").set_input_files(files=[{
        "name": "hoa-don.png", "mimeType": "image/png", "buffer": pictures.NOT_AN_IMAGE}])
    assert "không phải ảnh" in wait_for_bubbles(phone, before, "không phải ảnh", "a page named .png")
    assert sorted(path.name for path in picture_dir.iterdir()) == kept


@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
def test_the_console_lists_the_scams_customers_sent_for_the_security_team(browser, stack, sqlite_url, fake_zalo,
                                                                          picture_cdn):
    user = zalo.new_user()
    look_alike = publish(picture_cdn, pictures.qr_png("https://evnhanoi.vn.thanhtoan-online.xyz/no-cuoc"))
    zalo_picture(stack, fake_zalo, user, look_alike, "giả mạo")
    stack.say(f"e2e-scam-{uuid.uuid4().hex[:8]}", "chuyen khoan vao stk 19036789123 techcombank de dong tien dien")
    username, password = create_agent(sqlite_url, "An ninh")
    context, page, errors = console_tab(browser, f"{stack.web_url}/agent", username, password)
    page.wait_for_url("**/agent")
    page.get_by_test_id("nav-scams").click()
    page.wait_for_url("**/agent/scams")
    table = page.get_by_test_id("scam-reports").inner_text()
    assert "evnhanoi.vn.thanhtoan-online.xyz" in table and "Tên miền giả: chèn tên miền thật" in table
    assert "Mã QR (ảnh)" in table and "Zalo" in table
    assert "****9123 (Techcombank)" in table and "19036789123" not in table
    assert not errors
    context.close()
