"""How the customer felt, end to end on every channel (Messenger, Zalo, the widget in Chromium, REST): the question
after an outage report or a filed request, answered by its button and commented on; asked and ignored; not asked
again within 24 hours; a low rating's callback filed as a request and noted on the rating. Then on REST, after a
handoff an agent closed and after a payment, with the agent's own ratings on the console in Chromium."""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from evn.adapters import orm
from evn.adapters.db import make_engine
from tests.doubles.pay_simulator import pay_with_simulator
from tests.e2e import messenger_webhook as messenger
from tests.e2e import zalo_webhook as zalo
from tests.e2e.agent_console import AgentClient, console_tab, create_agent, handoff_of, tracker, wait_until
from tests.e2e.helpers import unpaid_customer
from tests.e2e.widget_page import CHROMIUM, NO_CHROMIUM, PHONE, bot_texts, open_chat, wait_for_bubbles, widget_turn

ASKED = "1 (rất không hài lòng) đến 5 (rất hài lòng)"
CALLBACK = "cho em đăng ký gọi lại tư vấn. Tên: Nguyễn Văn An, sđt: 0912345678, lý do: hỏi về giá điện kinh doanh"
# Each channel reports in a ward of its own: no report of another test joins them.
WARDS = {"rest": "phường Cầu Kho, quận 1", "messenger": "phường Đa Kao, quận 1",
         "zalo": "phường Nguyễn Cư Trinh, quận 1", "widget": "phường Cô Giang, quận 1"}


class Chat:
    """One conversation on one channel: a message typed, a button pressed, the new replies' text."""

    channel: str
    conversation_id: str

    def say(self, text: str, expect: str) -> str:
        raise NotImplementedError

    def press(self, title: str, expect: str) -> str:
        raise NotImplementedError


class RestChat(Chat):
    channel = "rest"

    def __init__(self, stack: Any) -> None:
        self.stack, self.sender = stack, f"csat-{uuid.uuid4().hex[:12]}"
        self.conversation_id, self.buttons = f"rest-{self.sender}", []

    def say(self, text: str, expect: str) -> str:
        replies = self.stack.say(self.sender, text)
        self.buttons = [b for r in replies for b in r.get("buttons") or []]
        said = "\n".join([r.get("text") or "" for r in replies] + [b.get("title", "") for b in self.buttons])
        assert expect in said, f"{expect!r} not in the replies to {text!r}: {said}"
        return said

    def press(self, title: str, expect: str) -> str:
        return self.say(next(b["payload"] for b in self.buttons if b.get("title", "").startswith(title)), expect)


class MessengerChat(Chat):
    channel = "messenger"

    def __init__(self, stack: Any, fake_graph: Any) -> None:
        self.webhook, self.graph = f"{stack.rasa_url}/webhooks/facebook/webhook", fake_graph
        self.psid = messenger.new_psid()
        self.conversation_id = f"facebook-{self.psid}"

    def say(self, text: str, expect: str) -> str:
        return messenger.turn(self.webhook, self.graph, self.psid, text, expect)

    def press(self, title: str, expect: str) -> str:
        buttons = [b for m in self.graph.messages_for(self.psid)
                   for b in ((m.get("attachment") or {}).get("payload") or {}).get("buttons") or []]
        button = [b for b in buttons if b.get("type") == "postback" and b["title"].startswith(title)][-1]
        before = len(self.graph.messages_for(self.psid))
        postback = messenger.event(self.psid, postback={"title": button["title"], "payload": button["payload"]})
        assert messenger.send_signed(self.webhook, postback).status_code == 200
        self.graph.wait_for(self.psid, lambda messages: expect in messenger.joined(messages[before:]), timeout=60)
        time.sleep(0.5)
        return "\n".join(self.graph.texts_for(self.psid)[before:])


class ZaloChat(Chat):
    channel = "zalo"

    def __init__(self, stack: Any, fake_zalo: Any) -> None:
        self.stack, self.api, self.user = stack, fake_zalo, zalo.new_user()
        self.conversation_id = f"zalo-{self.user}"

    def say(self, text: str, expect: str) -> str:
        return zalo.turn(self.stack, self.api, self.user, text, expect)

    def press(self, title: str, expect: str) -> str:
        """A Zalo query button sends its payload as the user's message."""
        buttons = [b for m in self.api.messages_for(self.user)
                   for b in ((m.get("attachment") or {}).get("payload") or {}).get("buttons") or []]
        button = [b for b in buttons if b.get("type") == "oa.query.show" and b["title"].startswith(title)][-1]
        return self.say(button["payload"], expect)


class WidgetChat(Chat):
    channel = "widget"

    def __init__(self, browser: Any, stack: Any) -> None:
        self.page = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True).new_page()
        open_chat(self.page, stack.web_url)
        self.conversation_id = ""  # read from the database by its ticket when needed

    def say(self, text: str, expect: str) -> str:
        return widget_turn(self.page, text, expect)

    def press(self, title: str, expect: str) -> str:
        before = len(bot_texts(self.page))
        self.page.locator(".evn-w-reply", has_text=title).last.click()
        return wait_for_bubbles(self.page, before, expect, title)

    def close(self) -> None:
        self.page.context.close()


def rating_of_ticket(database_url: str, ticket: str) -> Any:
    """The rating of the conversation that filed `ticket`."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        conversation = connection.execute(select(orm.ServiceRequest.conversation_id)
                                          .where(orm.ServiceRequest.ticket == ticket)).scalar_one()
        row = connection.execute(select(orm.SatisfactionRating).where(
            orm.SatisfactionRating.conversation_id == conversation)).one()
    engine.dispose()
    return row


def ticket_in(text: str, prefix: str) -> str:
    return next(word.strip(" ,.;()") for word in text.split() if word.startswith(prefix))


def file_callback(chat: Chat) -> str:
    chat.say(CALLBACK, "xác nhận")
    return chat.say("đồng ý", "YC-")


def scenario(open_chat_: Callable[[], Chat], sqlite_url: str) -> None:
    """The four cases of the issue, each in a conversation of its own on the channel."""
    answered = open_chat_()
    ward = WARDS[answered.channel]
    filed = answered.say(f"mất điện từ chiều ở 14 Trần Đình Xu, {ward}", "MD-")
    assert ASKED in filed and "việc báo mất điện" in filed
    assert "5/5" in answered.press("5 ⭐", "5/5")
    assert "ghi nhận góp ý" in answered.say("nhân viên trực nhanh, dễ thương lắm", "ghi nhận góp ý")
    again = file_callback(answered)
    assert ASKED not in again, "asked again within 24 hours"
    outage = ticket_in(filed, "MD-")
    row = rating_of_ticket(sqlite_url, outage)
    assert (row.score, row.topic, row.subject) == (5, "outage", outage)
    assert row.comment == "nhân viên trực nhanh, dễ thương lắm"

    ignored = open_chat_()
    assert ASKED in ignored.say(f"cúp điện rồi em ơi, 20 Trần Đình Xu, {ward}", "MD-")
    moved_on = ignored.say("khoảng mấy giờ có điện lại vậy", "MD-")
    assert "/5" not in moved_on and "góp ý" not in moved_on
    later = file_callback(ignored)
    assert ASKED not in later, "asked again after it was left unanswered"

    low = open_chat_()
    first = file_callback(low)
    assert ASKED in first and "việc gửi yêu cầu" in first
    sorry = low.press("2 ⭐", "gọi lại")
    assert "2/5" in sorry
    low.press("Nhờ nhân viên", "họ và tên")  # Messenger shortens titles to 20 characters
    low.say("Trần Thị Bình", "số điện thoại")
    low.say("0987654321", "lý do")
    low.say("muốn biết vì sao xử lý chậm vậy", "xác nhận")
    callback = ticket_in(low.say("đồng ý", "YC-"), "YC-")
    row = rating_of_ticket(sqlite_url, ticket_in(first, "YC-"))
    assert (row.score, row.callback_ticket) == (2, callback)


def test_the_question_on_rest(stack, sqlite_url):
    scenario(lambda: RestChat(stack), sqlite_url)


def test_the_question_on_messenger(stack, sqlite_url, fake_graph):
    scenario(lambda: MessengerChat(stack, fake_graph), sqlite_url)


def test_the_question_on_zalo(stack, sqlite_url, fake_zalo):
    scenario(lambda: ZaloChat(stack, fake_zalo), sqlite_url)


@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
def test_the_question_in_the_widget(browser, stack, sqlite_url):
    chats: list[WidgetChat] = []

    def opened() -> Chat:
        chats.append(WidgetChat(browser, stack))
        return chats[-1]

    try:
        scenario(opened, sqlite_url)
    finally:
        for chat in chats:
            chat.close()


def bot_said(stack: Any, conversation_id: str) -> list[str]:
    return [e.get("text") or "" for e in tracker(stack, conversation_id)["events"] if e["event"] == "bot"]


@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
def test_a_closed_handoff_is_rated_and_its_agent_sees_it_on_the_console(browser, stack, sqlite_url):
    chat = RestChat(stack)
    chat.say("cho tôi gặp nhân viên", "mã chờ")
    username, password = create_agent(sqlite_url, "Nhân viên Đánh giá")
    agent = AgentClient(stack.web_url, username, password)
    handoff = handoff_of(stack, chat.conversation_id)
    assert agent.take(handoff).status_code in (302, 303)
    assert agent.close(handoff).status_code in (302, 303)
    wait_until(lambda: any(ASKED in text for text in bot_said(stack, chat.conversation_id)), 30, "the question")
    assert any("cuộc trò chuyện với nhân viên" in text for text in bot_said(stack, chat.conversation_id))
    assert "5/5" in chat.say("5", "5/5")
    chat.say("chị tư vấn rất kỹ, sđt em 0912345678", "ghi nhận góp ý")
    other, other_password = create_agent(sqlite_url, "Nhân viên Khác")

    context, page, errors = console_tab(browser, f"{stack.web_url}/agent/ratings", username, password)
    page.goto(f"{stack.web_url}/agent/ratings")
    rows = page.get_by_test_id("rating")
    assert rows.count() == 1 and "5/5" in rows.inner_text() and "chị tư vấn rất kỹ" in rows.inner_text()
    assert "0912345678" not in page.content() and "091****678" in rows.inner_text()
    assert "5,00 / 5" in page.get_by_test_id("rating-summary").inner_text()
    context.close()
    context, page, _ = console_tab(browser, f"{stack.web_url}/agent/ratings", other, other_password)
    page.goto(f"{stack.web_url}/agent/ratings")
    assert page.get_by_test_id("rating").count() == 0, "an agent sees only their own"
    context.close()
    assert not errors


def test_a_confirmed_payment_is_rated(stack, sqlite_url):
    code, phone, _ = unpaid_customer(sqlite_url)
    chat = RestChat(stack)
    chat.say("cho em link thanh toán tiền điện", "mã khách hàng")
    chat.say(code, "số điện thoại")
    replies = stack.say(chat.sender, phone)
    url = next(b["url"] for r in replies for b in r.get("buttons", []) if "url" in b)
    assert pay_with_simulator(url, stack.web_url).status_code == 200
    wait_until(lambda: any(ASKED in text for text in bot_said(stack, chat.conversation_id)), 30, "the question")
    assert any("việc thanh toán qua kênh chat này" in text for text in bot_said(stack, chat.conversation_id))
    assert "4/5" in chat.say("4 sao", "4/5")
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        row = connection.execute(select(orm.SatisfactionRating).where(
            orm.SatisfactionRating.conversation_id == chat.conversation_id)).one()
    engine.dispose()
    assert (row.topic, row.channel, row.score) == ("payment", "rest", 4) and row.subject  # the payment's reference
