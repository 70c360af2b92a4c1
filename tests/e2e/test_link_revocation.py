"""Ending sessions and links, end to end on the running stack:

- the widget's ↺ (a real Chromium clicks it) revokes the old session: its token no longer opens the old
  conversation, its account link has ended, and a socket still open on it is moved to a new session;
- a customer verified by phone over REST lists every chat user linked to their code and revokes a Zalo
  user's link with its button: that Zalo user is no longer recognised;
- a link unused for 180 days has expired: its user is told so when they come back, and verifies again.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
import requests
import socketio
from sqlalchemy import create_engine, text

from evn.domain.masking import mask_identifier
from evn.domain.signing import widget_sessions
from tests.e2e import zalo_webhook as zalo
from tests.e2e.helpers import expire_verification, texts, tracker_events
from tests.e2e.widget_page import CHROMIUM, NO_CHROMIUM, conversation_of, open_chat, widget_turn
from tests.e2e.zalo_webhook import turn as zalo_turn

CODE, PHONE_NUMBER = "PE01000000001", "0901234567"
RESET = ".evn-w-icon[aria-label='Bắt đầu cuộc trò chuyện mới']"


def query(sqlite_url: str, sql: str, **params) -> list[tuple]:
    engine = create_engine(sqlite_url)
    with engine.begin() as connection:
        result = connection.execute(text(sql), params)
        rows = [tuple(row) for row in result] if result.returns_rows else []
    engine.dispose()
    return rows


def ends_of(sqlite_url: str, conversation: str) -> list[tuple]:
    """(customer code, ended?, ended by) of every link the conversation made, oldest first."""
    return [(code, ended is not None, by) for code, ended, by in query(
        sqlite_url, "SELECT customer_code, unlinked_at, ended_by FROM account_links WHERE conversation_id = :c "
                    "ORDER BY id", c=conversation)]


def user_texts(stack, conversation: str) -> list[str]:
    return [e.get("text") for e in tracker_events(stack, conversation) if e.get("event") == "user"]


def a_customer_of_our_own(sqlite_url: str) -> tuple[str, str]:
    """(code, phone) of a synthetic Hà Nội customer no other end-to-end module uses."""
    ((code, phone),) = query(sqlite_url, "SELECT code, phone FROM customers WHERE code LIKE 'PD03%' "
                                         "ORDER BY id DESC LIMIT 1")
    return code, phone


def link_on_zalo(stack, fake_zalo, code: str, phone: str) -> str:
    """A Zalo user verified by phone who links `code`; their user id."""
    user = zalo.new_user()
    zalo_turn(stack, fake_zalo, user, "tôi còn nợ tiền điện không", "mã khách hàng")
    zalo_turn(stack, fake_zalo, user, code, "số điện thoại")
    zalo_turn(stack, fake_zalo, user, phone, "ghi nhớ mã khách hàng")
    assert f"đã liên kết mã {code}" in zalo_turn(stack, fake_zalo, user, "liên kết tài khoản", "đã liên kết")
    return user


class SyncWidget:
    """A socket.io client as the widget is one, outside any event loop (beside Playwright's sync API)."""

    def __init__(self, stack) -> None:
        self.client = socketio.Client(reconnection=False)
        self.confirmed: list[dict] = []
        self.bot: list[dict] = []
        self.client.on("session_confirm", self.confirmed.append)
        self.client.on("bot_uttered", self.bot.append)
        self.client.connect(stack.rasa_url, socketio_path="/socket.io", transports=["polling"])

    def session(self, request: dict) -> dict:
        before = len(self.confirmed)
        self.client.emit("session_request", request)
        self.until(lambda: len(self.confirmed) > before)
        return self.confirmed[-1]

    def say(self, message: str, settle: float = 1.0) -> str:
        before = len(self.bot)
        self.client.emit("user_uttered", {"message": message})
        self.until(lambda: len(self.bot) > before)
        time.sleep(settle)  # the rest of that turn's messages
        return texts(self.bot[before:])

    @staticmethod
    def until(condition, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "the widget channel did not answer in time"
            time.sleep(0.05)

    def close(self) -> None:
        self.client.disconnect()


@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
def test_after_the_widgets_new_conversation_the_old_token_opens_nothing_and_its_link_is_gone(
        phone, stack, sqlite_url):
    page = phone
    open_chat(page, stack.web_url)
    old = page.evaluate("window.__evnWidget.sessionId()")
    conversation = conversation_of(old)
    widget_turn(page, "tôi còn nợ tiền điện không", "mã khách hàng")
    widget_turn(page, CODE, "số điện thoại")
    assert "979.560" in widget_turn(page, PHONE_NUMBER, "ghi nhớ mã khách hàng")
    assert f"đã liên kết mã {CODE}" in widget_turn(page, "liên kết tài khoản", "đã liên kết")
    assert ends_of(sqlite_url, conversation) == [(CODE, False, None)]

    page.click(RESET)
    page.wait_for_function(
        """old => window.__evnWidget.sessionId() && window.__evnWidget.sessionId() !== old
                 && window.__evnWidget.retired().length === 0
                 && document.querySelector('#evn-cskh-widget').dataset.state === 'online'""",
        arg=old, timeout=30_000,
    )  # the server confirmed it revoked the old token: the widget has forgotten it
    assert ends_of(sqlite_url, conversation) == [(CODE, True, "session")], "nobody is recognised there any more"
    assert query(sqlite_url, "SELECT count(*) FROM widget_session_revocations WHERE conversation_id = :c",
                 c=conversation) == [(1,)]
    assert "1.984" in widget_turn(page, "giá điện bậc thang", "1.984"), "the new conversation goes on"

    said_before = user_texts(stack, conversation)
    copy = SyncWidget(stack)  # whoever kept a copy of the old token, in any Rasa process
    try:
        confirmed = copy.session({"session_id": old})
        assert confirmed["new"] is True and confirmed["session_id"] != old
        assert widget_sessions.verify(confirmed["session_id"], stack.widget_secret) != conversation.removeprefix("web-")
        answer = copy.say("tôi còn nợ tiền điện không")
        assert "979.560" not in answer and "mã khách hàng" in answer, answer
    finally:
        copy.close()
    assert user_texts(stack, conversation) == said_before, "nothing more reached the old conversation"


def test_a_socket_still_open_on_the_old_session_is_moved_to_a_new_one(stack):
    """↺ in one tab while another tab (or a copied token) is still connected to the old conversation,
    verified a minute ago: its next message cannot reach that verification."""
    token = requests.post(f"{stack.web_url}/chat/session", timeout=10).json()["session_id"]
    local = widget_sessions.verify(token, stack.widget_secret)
    other_tab = SyncWidget(stack)
    try:
        assert other_tab.session({"session_id": token}) == {"session_id": token, "new": False}
        other_tab.say("tôi còn nợ tiền điện không")
        other_tab.say(CODE)
        assert "979.560" in other_tab.say(PHONE_NUMBER)
        push_to(stack, f"web-{local}", "Dạ, nhân viên Lan xin chào ạ.")
        other_tab.until(lambda: "nhân viên Lan" in texts(other_tab.bot))  # a push reaches the open socket …
        this_tab = SyncWidget(stack)  # what widget.js sends after ↺
        try:
            new = requests.post(f"{stack.web_url}/chat/session", timeout=10).json()["session_id"]
            confirmed = this_tab.session({"session_id": new, "retire": [token]})
            assert confirmed == {"session_id": new, "new": False, "retired": True}
        finally:
            this_tab.close()
        heard = len(other_tab.bot)
        push_to(stack, f"web-{local}", "Dạ, lời nhắn sau khi phiên đã kết thúc.")
        time.sleep(2)
        assert len(other_tab.bot) == heard, "… and none once the session was revoked (its room was closed)"
        answer = other_tab.say("tôi còn nợ tiền điện không")
        assert "979.560" not in answer and "mã khách hàng" in answer, answer
        moved = other_tab.confirmed[-1]
        assert moved["new"] is True and widget_sessions.verify(moved["session_id"], stack.widget_secret) != local
    finally:
        other_tab.close()
    later = SyncWidget(stack)
    try:
        assert later.session({"session_id": token})["new"] is True, "and the old token opens nothing afterwards"
    finally:
        later.close()
    said = user_texts(stack, f"web-{local}")
    assert said == ["tôi còn nợ tiền điện không", CODE, PHONE_NUMBER], said


def push_to(stack, conversation: str, text: str) -> None:
    """A message into the conversation's own channel, as an agent's reply goes (Rasa's HTTP API, output latest)."""
    answer = requests.post(f"{stack.rasa_url}/conversations/{conversation}/tracker/events", timeout=10,
                           params={"output_channel": "latest", "execute_side_effects": "true"},
                           headers=stack.rasa_headers(conversation),
                           json=[{"event": "bot", "text": text, "timestamp": time.time()}])
    assert answer.ok, answer.text


def test_a_customer_verified_over_rest_revokes_a_zalo_users_link_to_their_code(stack, fake_zalo, sqlite_url):
    code, phone = a_customer_of_our_own(sqlite_url)
    user = link_on_zalo(stack, fake_zalo, code, phone)
    shown = f"Zalo {mask_identifier(user)}"
    owner = f"owner-{user}"

    asked = texts(stack.say(owner, "ai đang liên kết với mã khách hàng của tôi"))
    assert "mã khách hàng" in asked and shown not in asked, "nothing before the verification"
    stack.say(owner, code)
    replies = stack.say(owner, phone)
    listed = texts(replies)
    assert shown in listed and "liên kết ngày" in listed and "dùng lần cuối" in listed, listed
    assert user not in listed, "the Zalo user's id is masked"
    (line,) = [line for line in listed.splitlines() if shown in line]
    number = line.split(".", 1)[0]
    (button,) = [b for r in replies for b in r.get("buttons") or [] if b["title"] == f"Hủy liên kết {number}"]
    assert button["payload"].startswith('/manage_links{"link_id":')

    revoked = texts(stack.say(owner, button["payload"]))
    assert f"đã hủy liên kết của {shown} với mã {code}" in revoked, revoked
    assert ends_of(sqlite_url, f"zalo-{user}") == [(code, True, "owner")]
    again = texts(stack.say(owner, button["payload"]))
    assert "đã được hủy" in again, again

    expire_verification(sqlite_url, f"zalo-{user}")
    after = zalo_turn(stack, fake_zalo, user, "cho hỏi tiền điện tháng 9/2026", "mã khách hàng")
    assert code not in after and "09/2026" not in after, f"the Zalo user is no longer recognised: {after}"


def test_a_link_unused_for_180_days_has_expired_and_its_user_is_told_when_they_come_back(
        stack, fake_zalo, sqlite_url):
    code, phone = a_customer_of_our_own(sqlite_url)
    user = link_on_zalo(stack, fake_zalo, code, phone)
    conversation = f"zalo-{user}"
    expire_verification(sqlite_url, conversation)
    long_ago = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(days=181)
    query(sqlite_url, "UPDATE account_links SET linked_at = :t, last_used_at = :t WHERE conversation_id = :c",
          t=long_ago, c=conversation)

    back = zalo_turn(stack, fake_zalo, user, "cho hỏi tiền điện tháng 9/2026", "xác minh lại")
    assert f"liên kết mã {code}" in back and "hết hạn" in back and "mã khách hàng" in back, back
    assert "09/2026" not in back, "nothing through the expired link"
    assert ends_of(sqlite_url, conversation) == [(code, True, "expired")]
    zalo_turn(stack, fake_zalo, user, code, "số điện thoại")
    assert "09/2026" in zalo_turn(stack, fake_zalo, user, phone, "09/2026"), "verified again, answered"
