"""Linked accounts through Messenger (the fake Graph API) and the website widget (a real Chromium), as
tests/e2e/test_account_links.py does through Zalo: the offer after a verification by phone, the consent
row, recognition without the code and phone once the verification has expired, the list, and unlinking
at once (the row stays, stamped)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, text

from tests.e2e import messenger_webhook as messenger
from tests.e2e.helpers import expire_verification
from tests.e2e.messenger_webhook import turn as messenger_turn
from tests.e2e.widget_page import (
    ARTIFACTS,
    CHROMIUM,
    NO_CHROMIUM,
    bot_texts,
    conversation_of,
    open_chat,
    wait_for_bubbles,
    widget_turn,
)
from tests.fakes.graph_api import text_of

CODE, PHONE_NUMBER = "PE01000000001", "0901234567"
LINK_PAYLOAD = "/link_account"
LINK_TITLE = "Liên kết tài khoản"


def links_of(sqlite_url: str, conversation: str) -> list[tuple]:
    """Every account_links row of a conversation, oldest first."""
    engine = create_engine(sqlite_url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT channel, channel_user, customer_code, linked_at, unlinked_at, active_key FROM account_links "
            "WHERE conversation_id = :c ORDER BY id"), {"c": conversation}).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def as_datetime(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# ---- Messenger ----------------------------------------------------------------------------


def test_a_messenger_user_links_is_recognised_later_lists_and_unlinks(stack, fake_graph, sqlite_url):
    webhook = f"{stack.rasa_url}/webhooks/facebook/webhook"
    psid = messenger.new_psid()
    conversation = f"facebook-{psid}"
    messenger_turn(webhook, fake_graph, psid, "tiền điện tháng 10/2026 bao nhiêu", "mã khách hàng")
    messenger_turn(webhook, fake_graph, psid, CODE, "số điện thoại")
    before = len(fake_graph.messages_for(psid))
    verified = messenger_turn(webhook, fake_graph, psid, PHONE_NUMBER, "ghi nhớ mã khách hàng")
    assert "10/2026" in verified and CODE in verified, verified
    offers = [m["attachment"]["payload"] for m in fake_graph.messages_for(psid)[before:]
              if "ghi nhớ mã khách hàng" in text_of(m) and "attachment" in m]
    assert offers and offers[0]["template_type"] == "button", fake_graph.messages_for(psid)[before:]
    assert {"type": "postback", "title": LINK_TITLE, "payload": LINK_PAYLOAD} in offers[0]["buttons"], offers
    assert links_of(sqlite_url, conversation) == [], "nothing is remembered before the consent"

    linked = messenger_turn(webhook, fake_graph, psid, "liên kết tài khoản", "đã liên kết")
    assert f"đã liên kết mã {CODE}" in linked, linked
    (consent,) = links_of(sqlite_url, conversation)
    assert consent[:3] == ("facebook", psid, CODE)
    assert consent[4] is None and consent[5] == f"{conversation}|{CODE}"
    assert abs(utcnow() - as_datetime(consent[3])) < timedelta(minutes=5), consent

    expire_verification(sqlite_url, conversation)
    again = messenger_turn(webhook, fake_graph, psid, "cho hỏi tiền điện tháng 9/2026", "09/2026")
    assert CODE in again and "số điện thoại" not in again, f"answered through the link, nothing asked: {again}"
    listed = messenger_turn(webhook, fake_graph, psid, "danh sách tài khoản", "đang liên kết")
    assert CODE in listed, listed
    unlinked = messenger_turn(webhook, fake_graph, psid, "hủy liên kết", "hủy liên kết")
    assert f"đã hủy liên kết mã {CODE}" in unlinked, unlinked
    (ended,) = links_of(sqlite_url, conversation)
    assert ended[:4] == consent[:4] and ended[4] is not None and ended[5] is None, ended
    assert as_datetime(ended[4]) >= as_datetime(ended[3])
    assert "đang liên kết" not in messenger_turn(webhook, fake_graph, psid, "danh sách tài khoản", "chưa liên kết")


# ---- the website widget ---------------------------------------------------------------------


@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
def test_a_widget_user_links_is_recognised_later_lists_and_unlinks(phone, stack, sqlite_url):
    from playwright.sync_api import expect

    page = phone
    open_chat(page, stack.web_url)
    session_id = page.evaluate("window.__evnWidget.sessionId()")
    conversation = conversation_of(session_id)
    assert conversation.startswith("web-") and links_of(sqlite_url, conversation) == []

    widget_turn(page, "tiền điện tháng 10/2026 bao nhiêu", "mã khách hàng")
    widget_turn(page, CODE, "số điện thoại")
    verified = widget_turn(page, PHONE_NUMBER, "ghi nhớ mã khách hàng")
    assert "10/2026" in verified and CODE in verified, verified
    offer = page.locator(".evn-w-replies:not(.evn-w-answered) button.evn-w-reply", has_text=LINK_TITLE)
    expect(offer).to_be_visible()
    history = json.loads(page.evaluate(f"localStorage.getItem('evn-cskh:history:{session_id}')"))
    assert {"title": LINK_TITLE, "payload": LINK_PAYLOAD} in [b for e in history for b in e.get("buttons", [])]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-link-offer.png"))
    assert links_of(sqlite_url, conversation) == [], "nothing is remembered before the consent"

    before = len(bot_texts(page))
    offer.click()  # the button's payload (/link_account) goes to Rasa; its title is shown as the user's words
    expect(page.locator(".evn-w-user .evn-w-bubble").last).to_have_text(LINK_TITLE)
    linked = wait_for_bubbles(page, before, "đã liên kết", LINK_TITLE)
    assert f"đã liên kết mã {CODE}" in linked, linked
    expect(offer).to_have_count(0)  # answered quick replies are put away
    (consent,) = links_of(sqlite_url, conversation)
    channel_user = conversation.removeprefix("web-")
    assert consent[:3] == ("socketio", channel_user, CODE)
    assert consent[4] is None and consent[5] == f"{conversation}|{CODE}"
    assert abs(utcnow() - as_datetime(consent[3])) < timedelta(minutes=5), consent

    expire_verification(sqlite_url, conversation)
    again = widget_turn(page, "cho hỏi tiền điện tháng 9/2026", "09/2026")
    assert CODE in again and "số điện thoại" not in again, f"answered through the link, nothing asked: {again}"
    listed = widget_turn(page, "danh sách tài khoản", "đang liên kết")
    assert CODE in listed, listed
    unlinked = widget_turn(page, "hủy liên kết", "hủy liên kết")
    assert f"đã hủy liên kết mã {CODE}" in unlinked, unlinked
    (ended,) = links_of(sqlite_url, conversation)
    assert ended[:4] == consent[:4] and ended[4] is not None and ended[5] is None, ended
    assert as_datetime(ended[4]) >= as_datetime(ended[3])
    assert "đang liên kết" not in widget_turn(page, "danh sách tài khoản", "chưa liên kết")
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "widget-account-links.png"))
