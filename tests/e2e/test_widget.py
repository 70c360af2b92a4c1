"""The website chat widget in a real browser (Debian's chromium driven by Playwright) against the real stack.

The page comes from the web app, the widget talks socket.io to the Rasa server on another port.
"""
from __future__ import annotations

import json

import pytest
import requests

from tests.e2e.widget_page import (
    ARTIFACTS,
    BOT_TIMEOUT,
    CHROMIUM,
    NO_CHROMIUM,
    PHONE,
    bot_rows,
    conversation_of,
    open_chat,
    say,
    wait_for_more_bot_rows,
)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)


def test_conversation_on_a_phone_survives_a_reload(phone, stack):
    from playwright.sync_api import expect

    page = phone
    open_chat(page, stack.web_url)
    panel = page.locator(".evn-w-panel")
    expect(panel).to_be_visible()
    assert panel.bounding_box() == {"x": 0, "y": 0, **PHONE}  # full screen under 480 px
    expect(page.locator(".evn-w-header")).to_contain_text("Trợ lý CSKH ngành điện")
    expect(page.locator(".evn-w-input")).to_have_attribute("placeholder", "Nhập tin nhắn…")
    expect(page.locator(".evn-w-send")).to_have_text("Gửi")

    say(page, "giá điện bậc thang")
    expect(page.locator(".evn-w-user .evn-w-bubble").last).to_have_text("giá điện bậc thang")
    expect(page.locator(".evn-w-bot .evn-w-bubble", has_text="1.984").first).to_be_visible(timeout=BOT_TIMEOUT)

    say(page, "xin chào")
    reply = page.locator(".evn-w-replies:not(.evn-w-answered) button.evn-w-reply", has_text="Giá điện bậc thang")
    expect(reply).to_be_visible(timeout=BOT_TIMEOUT)
    page.wait_for_timeout(500)  # let the greeting's messages all arrive before counting
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-quick-replies.png"))
    before = bot_rows(page)
    reply.click()
    # The title is shown as the user's words; the payload (/ask_tariff) went to Rasa.
    expect(page.locator(".evn-w-user .evn-w-bubble").last).to_have_text("Giá điện bậc thang")
    wait_for_more_bot_rows(page, before)
    expect(page.locator(".evn-w-bot .evn-w-bubble", has_text="1.984")).to_have_count(2, timeout=BOT_TIMEOUT)
    expect(reply).to_have_count(0)  # answered quick replies are put away
    session_id = page.evaluate("window.__evnWidget.sessionId()")
    shown_before = page.locator(".evn-w-log .evn-w-row").all_inner_texts()

    page.reload()
    page.wait_for_selector("#evn-cskh-widget[data-state=online]", state="attached", timeout=30_000)
    assert page.evaluate("window.__evnWidget.sessionId()") == session_id
    assert page.locator(".evn-w-log .evn-w-row").all_inner_texts() == shown_before
    users = page.locator(".evn-w-user .evn-w-bubble").all_inner_texts()
    assert users == ["giá điện bậc thang", "xin chào", "Giá điện bậc thang"]

    # Rasa goes on with the same conversation after the reload.
    before = bot_rows(page)
    say(page, "dùng 120 số hết bao nhiêu")
    wait_for_more_bot_rows(page, before)
    tracker = requests.get(
        f"{stack.rasa_url}/conversations/{conversation_of(session_id)}/tracker",
        headers=stack.rasa_headers(conversation_of(session_id)), timeout=10,
    ).json()
    said = [event.get("text") for event in tracker["events"] if event["event"] == "user"]
    assert said[0] == "giá điện bậc thang" and "dùng 120 số hết bao nhiêu" in said, said
    assert {event.get("input_channel") for event in tracker["events"] if event["event"] == "user"} == {"socketio"}

    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "widget.png"))


def test_payment_link_renders_as_a_link_not_a_message(phone, stack):
    from playwright.sync_api import expect

    page = phone
    open_chat(page, stack.web_url)
    url = "http://localhost:8080/pay/AbC123.sig"
    # What Rasa's socketio channel emits for our payment-link button (its `url` key is dropped),
    # then the VietQR image and a text that carries the URL.
    messages = [
        {"text": "Dạ, em gửi anh/chị liên kết thanh toán hóa đơn kỳ 10/2026: 979.560 đ.",
         "quick_replies": [{"content_type": "text", "title": "Thanh toán 979.560 đ", "payload": url},
                           {"content_type": "text", "title": "Tra cứu hóa đơn", "payload": "/ask_bill"}]},
        {"attachment": {"type": "image", "payload": {"src": f"{stack.web_url}/static/nope.png"}}},
        {"text": f"Liên kết:\n{url}.\nHiệu lực 24 giờ."},
    ]
    for message in messages:
        page.evaluate(f"window.__evnWidget.render({json.dumps(message, ensure_ascii=False)})")

    link = page.locator("a.evn-w-reply", has_text="Thanh toán 979.560 đ")
    expect(link).to_have_attribute("href", url)
    expect(link).to_have_attribute("target", "_blank")
    expect(page.locator("button.evn-w-reply", has_text="Thanh toán")).to_have_count(0)
    expect(page.locator("button.evn-w-reply", has_text="Tra cứu hóa đơn")).to_be_visible()
    expect(page.locator("img.evn-w-image")).to_have_attribute("src", f"{stack.web_url}/static/nope.png")
    text_link = page.locator(".evn-w-bubble a", has_text="http")
    expect(text_link).to_have_attribute("href", url)  # the trailing dot is not part of the link
    bubble = page.locator(".evn-w-bubble", has_text="Liên kết:")
    assert bubble.inner_text().split("\n") == ["Liên kết:", f"{url}.", "Hiệu lực 24 giờ."]

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-link.png"))
    link.click(modifiers=["Control"])  # opens a tab; never a message to the bot
    page.wait_for_timeout(300)
    expect(page.locator(".evn-w-user")).to_have_count(0)

    # "↺" starts a new conversation and forgets the old one's messages on this device.
    old_session = page.evaluate("window.__evnWidget.sessionId()")
    page.click(".evn-w-icon[aria-label='Bắt đầu cuộc trò chuyện mới']")
    expect(page.locator(".evn-w-row")).to_have_count(0)
    assert page.evaluate("window.__evnWidget.sessionId()") != old_session
    assert page.evaluate(f"localStorage.getItem('evn-cskh:history:{old_session}')") is None
    page.wait_for_selector("#evn-cskh-widget[data-state=online]", state="attached", timeout=30_000)


def test_widget_files_are_served(stack):
    for name, kind in [("widget.js", "javascript"), ("widget.css", "text/css"), ("socket.io.min.js", "javascript")]:
        answer = requests.get(f"{stack.web_url}/static/{name}", timeout=10)
        assert answer.status_code == 200 and kind in answer.headers["content-type"], name
    assert requests.get(f"{stack.web_url}/static/app.py", timeout=10).status_code == 404
    assert requests.get(f"{stack.web_url}/static/..%2Fapp.py", timeout=10).status_code == 404


def test_no_hostile_text_runs_script_in_the_widget_or_the_pages(phone, stack):
    """Every script-shaped input of the corpus, as bot text, buttons, images and the user's own words."""
    from urllib.parse import quote

    from tests.hostile import corpus

    page = phone
    payloads = [entry.decode("utf-8", "replace") for entry in corpus.load()["html_script"]]
    open_chat(page, stack.web_url)
    for payload in payloads:
        message = {"text": payload, "quick_replies": [{"title": payload, "payload": payload}],
                   "attachment": {"type": "image", "payload": {"src": payload}}}
        page.evaluate("m => window.__evnWidget.render(m)", message)
    for payload in payloads[:15]:  # the customer's own bubbles, sent to the real bot
        before = bot_rows(page)
        say(page, payload)
        wait_for_more_bot_rows(page, before)
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") is None
    for payload in payloads:
        for url in (f"{stack.web_url}/pay/{quote(payload, safe='')}", f"{stack.web_url}/chat?q={quote(payload)}",
                    f"{stack.web_url}/payments/vnpay/return?vnp_Amount={quote(payload)}&vnp_OrderInfo={quote(payload)}",
                    f"{stack.web_url}/simulator/vnpay/pay?vnp_OrderInfo={quote(payload)}"):
            page.goto(url)
            assert page.evaluate("window.__xss") is None, url
