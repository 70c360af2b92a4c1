"""The Messenger channel through the running Rasa server; replies land in the fake Graph API."""
from __future__ import annotations

import json
import time
import uuid

import pytest
import requests

from tests.e2e.messenger_webhook import (
    PAGE_ID,
    event,
    joined,
    new_psid,
    page_body,
    post,
    send_signed,
    sha1_header,
    sha256_header,
    text_event,
    wait_for_text,
)
from tests.e2e.stack_settings import FACEBOOK
from tests.fakes.graph_api import text_of


@pytest.fixture
def webhook(stack) -> str:
    return f"{stack.rasa_url}/webhooks/facebook/webhook"


# ---- verification handshake -------------------------------------------------------------


def test_verification_handshake(webhook):
    good = requests.get(webhook, params={"hub.mode": "subscribe", "hub.verify_token": FACEBOOK["FACEBOOK_VERIFY_TOKEN"],
                                         "hub.challenge": "1158201444"}, timeout=10)
    assert good.status_code == 200 and good.text == "1158201444"
    for params in (
        {"hub.mode": "subscribe", "hub.verify_token": "wrong-token", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": FACEBOOK["FACEBOOK_VERIFY_TOKEN"], "hub.challenge": "1"},
    ):
        bad = requests.get(webhook, params=params, timeout=10)
        assert bad.status_code == 403 and "1" not in bad.text, params


# ---- genuine messages -------------------------------------------------------------------


def test_signed_text_message_is_answered_through_the_graph_api(webhook, fake_graph):
    psid = new_psid()
    response = send_signed(webhook, text_event(psid, "giá điện bậc thang"))
    assert response.status_code == 200
    messages = wait_for_text(fake_graph, psid, "1.984")
    assert "1.984" in joined(messages), messages
    request = next(r for r in fake_graph.requests if (r["json"] or {}).get("recipient", {}).get("id") == psid)
    assert request["query"]["access_token"] == FACEBOOK["FACEBOOK_PAGE_ACCESS_TOKEN"]
    assert request["json"]["messaging_type"] == "RESPONSE"


def test_greeting_gets_a_button_template(webhook, fake_graph):
    psid = new_psid()
    assert send_signed(webhook, text_event(psid, "xin chào")).status_code == 200
    messages = fake_graph.wait_for(psid, lambda ms: any("attachment" in m for m in ms))
    templates = [m["attachment"]["payload"] for m in messages if "attachment" in m]
    assert templates and templates[0]["template_type"] == "button", messages
    buttons = templates[0]["buttons"]
    assert 0 < len(buttons) <= 3 and all(b["type"] == "postback" and len(b["title"]) <= 20 for b in buttons)


def test_postback_and_quick_reply_payloads_are_the_users_message(webhook, fake_graph):
    postback, quick = new_psid(), new_psid()
    for psid in (postback, quick):  # the greeting offers the button whose payload comes back
        send_signed(webhook, text_event(psid, "xin chào"))
        fake_graph.wait_for(psid, lambda ms: any("attachment" in m for m in ms))
    send_signed(webhook, event(postback, postback={"mid": f"m_{uuid.uuid4().hex}", "title": "Giá điện bậc thang",
                                                   "payload": "/ask_tariff"}))
    send_signed(webhook, text_event(quick, "Giá điện", quick_reply={"payload": "/ask_tariff"}))
    assert "1.984" in joined(wait_for_text(fake_graph, postback, "1.984"))
    assert "1.984" in joined(wait_for_text(fake_graph, quick, "1.984"))


def test_sha1_only_signature_is_accepted(webhook, fake_graph):
    psid = new_psid()
    body = page_body(text_event(psid, "giá điện bậc thang"))
    assert post(webhook, body, sha1_header(body)).status_code == 200
    assert "1.984" in joined(wait_for_text(fake_graph, psid, "1.984"))


def test_attachment_gets_a_polite_text_and_receipts_are_ignored(webhook, fake_graph):
    psid, quiet, pictured = new_psid(), new_psid(), new_psid()
    attachment = event(psid, message={"mid": f"m_{uuid.uuid4().hex}",
                                      "attachments": [{"type": "file", "payload": {"url": "https://cdn.example/a.pdf"}}]})
    # A picture is read (tests/e2e/test_pictures_channels.py), but never from a host that is not Messenger's.
    foreign = event(pictured, message={"mid": f"m_{uuid.uuid4().hex}",
                                       "attachments": [{"type": "image", "payload": {"url": "https://cdn.example/a.jpg"}}]})
    assert send_signed(webhook, foreign).status_code == 200
    assert "đường link ngoài" in joined(wait_for_text(fake_graph, pictured, "đường link ngoài"))
    receipts = [event(quiet, delivery={"mids": ["m_x"], "watermark": 1}), event(quiet, read={"watermark": 1}),
                event(quiet, message={"mid": "m_echo", "is_echo": True, "text": "bot"})]
    assert send_signed(webhook, *receipts).status_code == 200
    assert send_signed(webhook, attachment).status_code == 200
    assert "chỉ đọc được tin nhắn chữ" in joined(wait_for_text(fake_graph, psid, "tin nhắn chữ"))
    assert fake_graph.messages_for(quiet) == []


def test_a_redelivered_message_is_answered_once(webhook, fake_graph):
    psid = new_psid()
    message = text_event(psid, "giá điện bậc thang")
    assert send_signed(webhook, message).status_code == 200
    assert send_signed(webhook, message).status_code == 200
    wait_for_text(fake_graph, psid, "1.984")
    time.sleep(2)
    assert sum("1.984" in text_of(m) for m in fake_graph.messages_for(psid)) == 1


# ---- refused requests -------------------------------------------------------------------


def test_forged_or_missing_signature_is_refused_and_nothing_is_sent(webhook, fake_graph):
    forged, unsigned, wrong_scheme, control = new_psid(), new_psid(), new_psid(), new_psid()
    body = page_body(text_event(forged, "giá điện bậc thang"))
    assert post(webhook, body, sha256_header(body, "not-the-app-secret")).status_code == 403
    tampered = page_body(text_event(forged, "giá điện bậc thang "))
    assert post(webhook, tampered, sha256_header(body)).status_code == 403
    assert post(webhook, page_body(text_event(unsigned, "giá điện bậc thang"))).status_code == 403
    body = page_body(text_event(wrong_scheme, "giá điện bậc thang"))
    # A wrong 256 header is not rescued by a correct sha1 header.
    assert post(webhook, body, {**sha256_header(body, "nope"), **sha1_header(body)}).status_code == 403
    # A genuine message sent afterwards is answered, so the refused ones had their chance.
    assert send_signed(webhook, text_event(control, "giá điện bậc thang")).status_code == 200
    wait_for_text(fake_graph, control, "1.984")
    time.sleep(1)
    for psid in (forged, unsigned, wrong_scheme):
        assert fake_graph.messages_for(psid) == []


def test_bad_payloads_get_4xx_or_a_polite_reply_never_5xx(webhook, fake_graph):
    psid = new_psid()
    bad_bodies = [
        b"{not json",
        b"[]",
        b'"page"',
        b"",
        b"\xff\xfe\x00garbage",
        b"[" * 100_000,
        json.dumps({"object": "page"}).encode(),
        json.dumps({"object": "page", "entry": [{"id": PAGE_ID}]}).encode(),
        json.dumps({"object": "page", "entry": {"messaging": []}}).encode(),
        json.dumps({"object": "user", "entry": []}).encode(),
        page_body(event(psid, message="giá điện")),
        page_body(event(psid, message={"text": 12345})),
        page_body(event(psid, message={"text": ["giá điện"]})),
        page_body({"sender": {"id": {"x": 1}}, "message": {"text": "giá điện"}}),
        page_body({"sender": "x", "message": {"text": "giá điện"}}),
        page_body(event(psid, postback={"payload": 7})),
    ]
    for body in bad_bodies:
        response = post(webhook, body, sha256_header(body))
        assert 400 <= response.status_code < 500, (body[:80], response.status_code, response.text)
    long_text = psid
    response = send_signed(webhook, text_event(long_text, "điện " * 4000))  # 20.000 characters
    assert response.status_code == 200
    assert "dài quá 2.000 ký tự" in joined(wait_for_text(fake_graph, long_text, "dài quá"))
    empty = new_psid()
    assert send_signed(webhook, text_event(empty, "   ")).status_code == 200
    assert "chưa nhận được nội dung" in joined(wait_for_text(fake_graph, empty, "chưa nhận được"))
    # Nothing from the refused bodies reached the conversation.
    assert all("1.984" not in text_of(m) for m in fake_graph.messages_for(psid))


def test_messages_pushed_later_reach_messenger(stack, webhook, fake_graph):
    """trigger_intent?output_channel=latest (how payment confirmations arrive) answers on Messenger."""
    psid = new_psid()
    assert send_signed(webhook, text_event(psid, "giá điện bậc thang")).status_code == 200
    wait_for_text(fake_graph, psid, "1.984")
    before = len(fake_graph.messages_for(psid))
    pushed = requests.post(
        f"{stack.rasa_url}/conversations/facebook-{psid}/trigger_intent",
        params={"output_channel": "latest"}, headers=stack.rasa_headers(f"facebook-{psid}"), json={"name": "greet"},
        timeout=30,
    )
    assert pushed.status_code == 200, pushed.text
    messages = fake_graph.wait_for(psid, lambda ms: len(ms) > before)
    assert len(messages) > before, (pushed.json(), fake_graph.requests[-3:])
    bodies = [r["json"] for r in fake_graph.requests if (r["json"] or {}).get("recipient", {}).get("id") == psid]
    assert bodies[-1]["messaging_type"] == "UPDATE"
