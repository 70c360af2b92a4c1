"""The usage chart on every channel: after the text of the periods, an image whose link gives the PNG.

Messenger (the fake Graph API) and Zalo (the fake OA API) are sent an image message after the text; the
website widget (a real Chromium) shows it, loaded from the web app. The link is fetched again here: a PNG.
"""
from __future__ import annotations

import time

import pytest
import requests

from tests.e2e import messenger_webhook as messenger
from tests.e2e.messenger_webhook import turn as messenger_turn
from tests.e2e.widget_page import CHROMIUM, NO_CHROMIUM, open_chat, widget_turn
from tests.e2e.zalo_webhook import new_user, turn

CODE, PHONE = "PE01000000001", "0901234567"
ASK = "so sánh điện các tháng"
TEXT = "kỳ gần nhất của mã"  # utter_consumption: the text beside the chart
PATIENCE = 30  # seconds the image may take to follow its text (never a measure of anything)


def assert_png(url: str, stack) -> None:
    assert "/charts/" in url and url.endswith(".png") and CODE not in url, url
    answer = requests.get(url, timeout=PATIENCE)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "image/png"
    assert answer.content.startswith(b"\x89PNG")


def image_after(messages_of, user: str, before: int) -> str:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        for url in (image for image in map(image_url, messages_of(user)[before:]) if image):
            return url
        time.sleep(0.1)
    raise AssertionError(f"no image after the text: {messages_of(user)[before:]}")


def image_url(message: dict) -> str | None:
    """An image message's URL, on Messenger ({attachment: image}) or Zalo (a media template)."""
    attachment = message.get("attachment") or {}
    payload = attachment.get("payload") or {}
    if attachment.get("type") == "image":
        return payload.get("url")
    elements = payload.get("elements") or [{}]
    return elements[0].get("url") if payload.get("template_type") == "media" else None


def test_messenger_gets_the_text_then_the_chart_as_an_image(stack, fake_graph):
    webhook = f"{stack.rasa_url}/webhooks/facebook/webhook"
    psid = messenger.new_psid()
    messenger_turn(webhook, fake_graph, psid, ASK, "mã khách hàng")
    messenger_turn(webhook, fake_graph, psid, CODE, "số điện thoại")
    before = len(fake_graph.messages_for(psid))
    assert "kWh" in messenger_turn(webhook, fake_graph, psid, PHONE, TEXT)
    assert_png(image_after(fake_graph.messages_for, psid, before), stack)


def test_zalo_gets_the_text_then_the_chart_as_an_image(stack, fake_zalo):
    user = new_user()
    turn(stack, fake_zalo, user, ASK, "mã khách hàng")
    turn(stack, fake_zalo, user, CODE, "số điện thoại")
    before = len(fake_zalo.messages_for(user))
    assert "kWh" in turn(stack, fake_zalo, user, PHONE, TEXT)
    assert_png(image_after(fake_zalo.messages_for, user, before), stack)


@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
def test_the_widget_shows_the_text_and_the_chart_loaded(stack, phone):
    open_chat(phone, stack.web_url)
    widget_turn(phone, ASK, "mã khách hàng")
    widget_turn(phone, CODE, "số điện thoại")
    assert "kWh" in widget_turn(phone, PHONE, TEXT)
    image = phone.locator("#evn-cskh-widget img.evn-w-image").last
    image.wait_for(timeout=PATIENCE * 1000)
    phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle(),
                            timeout=PATIENCE * 1000)
    assert_png(image.get_attribute("src") or "", stack)
