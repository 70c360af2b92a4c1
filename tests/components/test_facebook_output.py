"""FacebookOutput against the fake Graph API (a real local HTTP server, strict like Graph)."""
from __future__ import annotations

import asyncio
import logging

import pytest

from connectors.facebook.channel import FacebookOutput
from connectors.facebook.messages import MORE_CHOICES_TEXT, shorten, split_text
from tests.fakes.graph_api import FakeGraphApi

TOKEN = "unit-page-token"
PSID = "24680135791"


@pytest.fixture(scope="module")
def graph():
    server = FakeGraphApi(page_token=TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def fake(graph):
    graph.clear()
    return graph


def run(coroutine):
    return asyncio.run(coroutine)


def output(fake, token=TOKEN, prefix="/v19.0") -> FacebookOutput:
    return FacebookOutput(token, fake.url + prefix)


def test_text_goes_to_the_send_api_with_the_token_and_recipient(fake):
    run(output(fake).send_text_message(PSID, "Dạ, giá bậc 1 là 1.984 đ/kWh."))
    [request] = fake.requests
    assert request["path"] == "/v19.0/me/messages" and request["query"]["access_token"] == TOKEN
    assert request["json"] == {"recipient": {"id": PSID}, "message": {"text": "Dạ, giá bậc 1 là 1.984 đ/kWh."},
                               "messaging_type": "RESPONSE"}


def test_conversation_prefix_is_stripped_and_unversioned_base_url_works(fake):
    run(output(fake, prefix="").send_text_message("facebook-" + PSID, "xin chào"))
    assert fake.texts_for(PSID) == ["xin chào"]


def test_long_text_is_split_under_2000_characters(fake):
    paragraph = ("Điện năng tiêu thụ được tính theo bậc thang. " * 30).strip()  # 1.349 characters
    text = "\n\n".join([paragraph] * 4)  # 5.402 characters: cut between paragraphs
    run(output(fake).send_text_message(PSID, text))
    assert fake.texts_for(PSID) == [paragraph] * 4
    fake.clear()
    words = ("tiền điện " * 500).strip()  # 4.999 characters, no paragraph: cut between words
    run(output(fake).send_text_message(PSID, words))
    texts = fake.texts_for(PSID)
    assert len(texts) == 3 and all(len(t) <= 2000 for t in texts)
    assert " ".join(texts) == words  # nothing lost, no word broken


def test_split_text_edges():
    assert split_text("") == [] and split_text("   ") == []
    assert split_text("a" * 2000) == ["a" * 2000]
    pieces = split_text("a" * 4500)  # no boundary: hard cuts
    assert [len(p) for p in pieces] == [2000, 2000, 500]
    emoji = split_text("🙂" * 1500)  # 3.000 UTF-16 units
    assert all(len(p.encode("utf-16-le")) // 2 <= 2000 for p in emoji) and "".join(emoji) == "🙂" * 1500


def test_five_buttons_become_two_templates_and_url_buttons_stay_url_buttons(fake):
    buttons = [
        {"title": "Tra cứu hóa đơn", "payload": "/ask_bill"},
        {"title": "Chỉ số, sản lượng điện", "payload": "/ask_consumption"},
        {"title": "Thanh toán 979.560 đ", "url": "https://pay.example/pay/abc", "type": "web_url"},
        {"title": "Tiền điện còn nợ", "payload": "/ask_payment_status"},
        {"title": "Trang EVN", "payload": "https://www.evn.com.vn"},
    ]
    run(output(fake).send_text_with_buttons(PSID, "Anh/chị muốn hỏi về việc nào ạ?", buttons))
    first, second = fake.messages_for(PSID)
    one, two = first["attachment"]["payload"], second["attachment"]["payload"]
    assert one["template_type"] == two["template_type"] == "button"
    assert one["text"] == "Anh/chị muốn hỏi về việc nào ạ?" and two["text"] == MORE_CHOICES_TEXT
    assert one["buttons"] == [
        {"type": "postback", "title": "Tra cứu hóa đơn", "payload": "/ask_bill"},
        {"type": "postback", "title": "Chỉ số, sản lượng đ…", "payload": "/ask_consumption"},
        {"type": "web_url", "title": "Thanh toán 979.560 đ", "url": "https://pay.example/pay/abc"},
    ]
    assert two["buttons"] == [
        {"type": "postback", "title": "Tiền điện còn nợ", "payload": "/ask_payment_status"},
        {"type": "web_url", "title": "Trang EVN", "url": "https://www.evn.com.vn"},
    ]


def test_seven_buttons_make_three_templates(fake):
    buttons = [{"title": f"Mục {i}", "payload": f"/inform{{\"n\": {i}}}"} for i in range(7)]
    run(output(fake).send_text_with_buttons(PSID, "Chọn ạ", buttons))
    sizes = [len(m["attachment"]["payload"]["buttons"]) for m in fake.messages_for(PSID)]
    assert sizes == [3, 3, 1]


def test_button_titles_are_shortened_to_20_characters():
    assert shorten("Giá điện bậc thang") == "Giá điện bậc thang"
    assert shorten("Ước tính tiền điện tháng này") == "Ước tính tiền điện…"
    assert len(shorten("x" * 50)) == 20 and shorten("x" * 50).endswith("…")
    assert shorten("  Tra   cứu\nhóa đơn ") == "Tra cứu hóa đơn"


def test_text_too_long_for_a_template_is_sent_first(fake):
    text = "Dạ, " + "thông tin chi tiết " * 50  # > 640 characters
    run(output(fake).send_text_with_buttons(PSID, text, [{"title": "Đồng ý", "payload": "/affirm"}]))
    first, template = fake.messages_for(PSID)
    assert first["text"] == text.strip()
    assert template["attachment"]["payload"]["text"] == "Anh/chị chọn một mục dưới đây ạ:"


def test_image_is_sent_as_a_reusable_image_attachment(fake):
    run(output(fake).send_image_url(PSID, "https://pay.example/qr/abc.png"))
    assert fake.messages_for(PSID) == [
        {"attachment": {"type": "image", "payload": {"url": "https://pay.example/qr/abc.png", "is_reusable": True}}}
    ]


def test_a_file_is_sent_as_a_file_attachment_by_its_signed_link(fake):
    url = "https://cskh.example/documents/bill-1-9.sig.pdf"
    run(output(fake).send_attachment(PSID, {"type": "file", "url": url, "name": "hoa-don.pdf"}))
    run(output(fake).send_attachment(PSID, {"type": "image", "url": url}))
    assert fake.messages_for(PSID) == [{"attachment": {"type": "file", "payload": {"url": url, "is_reusable": False}}}]


def test_custom_json_is_passed_through_and_cannot_redirect(fake):
    custom = {"sender": {"id": "someone-else"}, "text": "Tin nhắn tùy chỉnh",
              "quick_replies": [{"content_type": "text", "title": "Có", "payload": "/affirm"}]}
    run(output(fake).send_custom_json(PSID, custom))
    assert fake.messages_for(PSID) == [{k: v for k, v in custom.items() if k != "sender"}]
    assert fake.messages_for("someone-else") == []


def test_quick_replies_and_a_full_rasa_response(fake):
    out = output(fake)
    run(out.send_response(PSID, {"text": "Có ạ?", "quick_replies": [{"title": "Có", "payload": "/affirm"}]}))
    run(out.send_response(PSID, {"text": "Mã QR", "image": "https://pay.example/qr.png"}))
    messages = fake.messages_for(PSID)
    assert messages[0] == {
        "text": "Có ạ?", "quick_replies": [{"content_type": "text", "title": "Có", "payload": "/affirm"}]
    }
    assert messages[1] == {"text": "Mã QR"} and messages[2]["attachment"]["type"] == "image"


def test_a_500_is_retried_once(fake):
    fake.fail_next(1, status=500)
    assert run(output(fake).send_message(PSID, {"text": "thử lại"})) is True
    assert len(fake.requests) == 2 and fake.texts_for(PSID) == ["thử lại"]


def test_two_500s_give_up_without_raising(fake, caplog):
    fake.fail_next(2, status=503)
    assert run(output(fake).send_message(PSID, {"text": "không tới"})) is False
    assert len(fake.requests) == 2 and fake.messages_for(PSID) == []


def test_a_400_is_logged_not_raised_nor_retried_and_phones_and_token_are_masked(fake, caplog):
    caplog.set_level(logging.WARNING, logger="connectors.facebook.api")
    # A button template with 4 buttons is invalid for Graph: 400 OAuthException code 100.
    four_buttons = [{"type": "postback", "title": "x", "payload": "y"}] * 4
    bad = {"attachment": {"type": "template", "payload": {"template_type": "button", "text": "SĐT 0901234567",
                                                          "buttons": four_buttons}}}
    assert run(output(fake).send_message(PSID, bad)) is False
    assert len(fake.requests) == 1
    assert "HTTP 400" in caplog.text and "code 100" in caplog.text
    caplog.clear()
    run(output(fake, token="wrong-token-0901234567").send_text_message(PSID, "xin chào"))
    assert "code 190" in caplog.text
    assert "wrong-token" not in caplog.text and "0901234567" not in caplog.text


def test_an_unreachable_graph_api_is_not_raised(caplog):
    dead = FacebookOutput(TOKEN, "http://127.0.0.1:9")  # discard port: connection refused
    run(dead.send_response(PSID, {"text": "xin chào", "buttons": [{"title": "A", "payload": "/a"}]}))
    assert "ClientConnectorError after 2 tries" in caplog.text and "no answer from the Graph API" in caplog.text


def test_fake_graph_validates_like_graph(fake):
    import requests

    url = f"{fake.url}/me/messages"

    def post(body, token=TOKEN):
        return requests.post(url, params={"access_token": token}, json=body, timeout=5)

    ok = post({"recipient": {"id": PSID}, "message": {"text": "hi"}, "messaging_type": "RESPONSE"})
    assert ok.status_code == 200 and ok.json()["recipient_id"] == PSID and ok.json()["message_id"].startswith("m_")
    for body in (
        {"recipient": {}, "message": {"text": "hi"}, "messaging_type": "RESPONSE"},
        {"recipient": {"id": PSID}, "message": {"text": "x" * 2001}, "messaging_type": "RESPONSE"},
        {"recipient": {"id": PSID}, "message": {"text": ""}, "messaging_type": "RESPONSE"},
        {"recipient": {"id": PSID}, "message": {}, "messaging_type": "RESPONSE"},
        {"recipient": {"id": PSID}, "message": {"attachment": {"type": "template", "payload": {
            "template_type": "button", "text": "t", "buttons": [{"type": "web_url", "title": "a"}]}}},
         "messaging_type": "RESPONSE"},
        {"recipient": {"id": PSID}, "message": {"attachment": {"type": "template", "payload": {
            "template_type": "button", "text": "t", "buttons": [{"type": "postback", "title": "a"}]}}},
         "messaging_type": "RESPONSE"},
        {"recipient": {"id": PSID}, "message": {"attachment": {"type": "template", "payload": {
            "template_type": "button", "text": "t",
            "buttons": [{"type": "postback", "title": "x" * 21, "payload": "p"}]}}}, "messaging_type": "RESPONSE"},
    ):
        bad = post(body)
        assert bad.status_code == 400, body
        assert bad.json()["error"]["type"] == "OAuthException" and bad.json()["error"]["code"] == 100
    assert post({"recipient": {"id": PSID}, "message": {"text": "hi"}, "messaging_type": "RESPONSE"},
                token="nope").json()["error"]["code"] == 190
    assert len(fake.sent) == 1


def test_a_persons_reply_is_a_response_within_24_hours_and_tagged_human_agent_after(fake):
    """The agent console's bot event names the agent; after 24 h it also carries the HUMAN_AGENT tag."""
    run(output(fake).send_response(PSID, {"text": "Dạ, em là Lan.", "agent": "Lan"}))
    run(output(fake).send_response(PSID, {"text": "Dạ, em gửi tiếp ạ.", "agent": "Lan",
                                          "messenger_tag": "HUMAN_AGENT"}))
    run(output(fake).send_response(PSID, {"text": "Bot", "messenger_tag": "HUMAN_AGENT"}))  # not a person: no tag
    run(output(fake).send_response(PSID, {"text": "x", "agent": "Lan", "messenger_tag": "ACCOUNT_UPDATE"}))
    bodies = [request["json"] for request in fake.requests]
    assert [(b["messaging_type"], b.get("tag")) for b in bodies] == [
        ("RESPONSE", None), ("MESSAGE_TAG", "HUMAN_AGENT"), ("RESPONSE", None), ("RESPONSE", None)]
