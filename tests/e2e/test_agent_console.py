"""The agent console through the running servers: an agent takes a conversation and answers into the
customer's own chat (REST, Messenger and Zalo fakes here; the widget in Chromium in test_agent_widget.py)."""
from __future__ import annotations

import json
import threading
import uuid

import requests
from sqlalchemy import create_engine, text

from tests.e2e import messenger_webhook as messenger
from tests.e2e import zalo_webhook as zalo
from tests.e2e.agent_console import AgentClient, create_agent, handoff_of, tracker, wait_until
from tests.e2e.helpers import response_text
from tests.fakes.graph_api import text_of


def say(stack, sender: str, message: str) -> list[dict]:
    return stack.say(sender, message)


def bot_texts_after(stack, conversation_id: str, count: int) -> list[str]:
    events = tracker(stack, conversation_id)["events"]
    return [e.get("text") or "" for e in events if e.get("event") == "bot"][count:]


def agent(stack, sqlite_url, name: str = "") -> AgentClient:
    return AgentClient(stack.web_url, *create_agent(sqlite_url, name))


def test_over_rest_the_bot_pauses_while_an_agent_holds_the_conversation_and_answers_again_after(stack, sqlite_url):
    sender = uuid.uuid4().hex[:12]
    conversation = f"rest-{sender}"
    say(stack, sender, "chào em")
    asked = say(stack, sender, "gặp nhân viên")
    assert "vị trí số" in asked[0]["text"] and "đang kết nối" in asked[0]["text"]
    handoff = handoff_of(stack, conversation)
    lan = agent(stack, sqlite_url, "Lan")
    taken = lan.take(handoff)
    assert taken.status_code == 303 and taken.headers["location"] == f"/agent/handoffs/{handoff}"
    wait_until(lambda: tracker(stack, conversation)["paused"], what="the bot paused")
    bots = len(bot_texts_after(stack, conversation, 0))
    assert any("Lan đã tham gia" in t for t in bot_texts_after(stack, conversation, bots - 1))
    assert say(stack, sender, "hóa đơn tháng 10 của tôi bị sai") == [], "the bot is silent: the agent answers"
    page = lan.http.get(f"{stack.web_url}/agent/api/handoffs/{handoff}", timeout=10).json()
    assert "hóa đơn tháng 10 của tôi bị sai" in page["html"] and page["paused"]
    assert lan.reply(handoff, "Dạ, em là Lan, em kiểm tra hóa đơn ngay ạ.").status_code == 202
    wait_until(lambda: "Dạ, em là Lan, em kiểm tra hóa đơn ngay ạ." in bot_texts_after(stack, conversation, 0),
               what="the agent's message in the conversation")
    reply_event = [e for e in tracker(stack, conversation)["events"] if e.get("event") == "bot"][-1]
    assert reply_event["metadata"]["agent"] == "Lan"
    assert lan.close(handoff, "resolved").status_code == 303
    wait_until(lambda: not tracker(stack, conversation)["paused"], what="the bot resumed")
    wait_until(lambda: any("trợ lý ảo" in t for t in bot_texts_after(stack, conversation, bots)),
               what="the bot saying it is back")
    answer = say(stack, sender, "giá điện bậc thang")
    assert answer and "bậc" in answer[0]["text"].lower()


def test_quay_lai_tro_ly_ao_while_an_agent_holds_it_hands_back(stack, sqlite_url):
    sender = uuid.uuid4().hex[:12]
    conversation = f"rest-{sender}"
    say(stack, sender, "cho tôi gặp nhân viên")
    handoff = handoff_of(stack, conversation)
    minh = agent(stack, sqlite_url)
    minh.take(handoff)
    wait_until(lambda: tracker(stack, conversation)["paused"], what="the bot paused")
    assert say(stack, sender, "thôi, quay lại trợ lý ảo") == []
    wait_until(lambda: not tracker(stack, conversation)["paused"], what="the bot resumed")
    wait_until(lambda: any("quay lại hỗ trợ" in t for t in bot_texts_after(stack, conversation, 0)),
               what="the bot back")
    page = minh.http.get(f"{stack.web_url}/agent/api/handoffs/{handoff}", timeout=10).json()
    assert page["open"] is False
    assert minh.reply(handoff, "còn đó không ạ?").status_code == 403


def test_a_closed_handoff_is_history_up_to_its_closing_in_the_page_and_the_live_api_and_views_are_audited(
        stack, sqlite_url):
    """Issue 23, finding 7: after the handoff was closed, the customer's new turns kept appearing in the console."""
    sender = uuid.uuid4().hex[:12]
    conversation = f"rest-{sender}"
    say(stack, sender, "gặp nhân viên")
    handoff = handoff_of(stack, conversation)
    lan = agent(stack, sqlite_url, "Lan")
    assert lan.take(handoff).status_code == 303
    wait_until(lambda: tracker(stack, conversation)["paused"], what="the bot paused")
    assert say(stack, sender, "công tơ nhà tôi quay nhanh lắm") == []
    live_url = f"{stack.web_url}/agent/api/handoffs/{handoff}"
    held = lan.http.get(live_url, params={"seen": "0"}, timeout=10).json()
    assert held["open"] and "công tơ nhà tôi quay nhanh lắm" in held["html"]
    assert lan.close(handoff, "resolved").status_code == 303
    wait_until(lambda: not tracker(stack, conversation)["paused"], what="the bot resumed")
    later = "à còn một chuyện nữa về hợp đồng"
    assert say(stack, sender, later), "the bot answers again"
    assert any(e.get("text") == later for e in tracker(stack, conversation)["events"] if e.get("event") == "user")
    page = lan.http.get(f"{stack.web_url}/agent/handoffs/{handoff}", timeout=10)
    assert page.status_code == 200 and "công tơ nhà tôi quay nhanh lắm" in page.text
    assert later not in page.text, "a closed handoff is history up to its closing"
    assert 'data-testid="reply-input"' not in page.text and 'data-testid="closed-history"' in page.text
    closed = lan.http.get(live_url, params={"seen": str(held["count"]), "wait": "1"}, timeout=10).json()
    assert closed["open"] is False and closed["count"] == held["count"]
    assert later not in closed["html"] and "công tơ nhà tôi quay nhanh lắm" in closed["html"]
    engine = create_engine(sqlite_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT action, detail FROM agent_audit WHERE handoff_id = :h ORDER BY id"),
                                  {"h": handoff}).all()
    engine.dispose()
    assert [row.action for row in rows] == ["take", "view_turns", "close", "view"], "the unchanged poll: no row"
    assert json.loads(rows[1].detail) == {"seen": 0, "count": held["count"]}


def test_a_pause_no_open_handoff_explains_is_undone_and_the_customer_answered(stack):
    """Issue 23: an "agent joined" retried after its "handoff closed" left Rasa paused with nobody holding the
    conversation, and the customer's messages reached nobody until the session expired."""
    sender = uuid.uuid4().hex[:12]
    conversation = f"rest-{sender}"
    say(stack, sender, "chào em")
    paused = requests.post(f"{stack.rasa_url}/conversations/{conversation}/tracker/events", json=[{"event": "pause"}],
                           headers=stack.rasa_headers(conversation), timeout=10)
    assert paused.ok and tracker(stack, conversation)["paused"]
    answer = [reply.get("text") or "" for reply in say(stack, sender, "giá điện bậc thang")]
    assert answer[0] == response_text("utter_back_to_bot_resumed")
    assert len(answer) > 1 and "bậc" in " ".join(answer[1:]).lower(), answer
    assert not tracker(stack, conversation)["paused"]


def test_messenger_customer_gets_the_agents_words_in_messenger(stack, sqlite_url, fake_graph):
    psid = messenger.new_psid()
    webhook = f"{stack.rasa_url}/webhooks/facebook/webhook"
    messenger.send_signed(webhook, messenger.text_event(psid, "gặp nhân viên"))
    messenger.wait_for_text(fake_graph, psid, "vị trí số", timeout=20)
    handoff = handoff_of(stack, f"facebook-{psid}")
    hoa = agent(stack, sqlite_url, "Hoa")
    hoa.take(handoff)
    messenger.wait_for_text(fake_graph, psid, "Hoa đã tham gia", timeout=20)
    wait_until(lambda: tracker(stack, f"facebook-{psid}")["paused"], what="the bot paused")
    assert hoa.reply(handoff, "Dạ, chị Hoa đây, anh cần hỗ trợ gì ạ?").status_code == 202
    messenger.wait_for_text(fake_graph, psid, "chị Hoa đây", timeout=20)
    sent = [r["json"] for r in fake_graph.requests if r.get("json", {}).get("recipient", {}).get("id") == psid]
    person = [b for b in sent if "chị Hoa đây" in text_of(b["message"])]
    assert person[0]["messaging_type"] == "RESPONSE" and "tag" not in person[0], "within 24 h: a response"
    hoa.close(handoff, "callback")
    messenger.wait_for_text(fake_graph, psid, "gọi lại", timeout=20)


def test_zalo_customer_gets_the_agents_words_in_zalo(stack, sqlite_url, fake_zalo):
    user = zalo.new_user()
    assert zalo.post(stack, zalo.event(user, "cho em gặp tư vấn viên")).status_code == 200
    zalo.wait_for(fake_zalo, user, zalo.has_text("vị trí số"), timeout=20)
    handoff = handoff_of(stack, f"zalo-{user}")
    tuan = agent(stack, sqlite_url, "Tuấn")
    tuan.take(handoff)
    zalo.wait_for(fake_zalo, user, zalo.has_text("Tuấn đã tham gia"), timeout=20)
    assert tuan.reply(handoff, "Dạ, Tuấn đây ạ, em xem giúp anh/chị.").status_code == 202
    zalo.wait_for(fake_zalo, user, zalo.has_text("Tuấn đây ạ"), timeout=20)
    tuan.close(handoff, "ticket")
    zalo.wait_for(fake_zalo, user, zalo.has_text("mã yêu cầu"), timeout=20)


def test_two_agents_taking_one_conversation_at_once_exactly_one_gets_it(stack, sqlite_url):
    sender = uuid.uuid4().hex[:12]
    say(stack, sender, "gặp nhân viên")
    handoff = handoff_of(stack, f"rest-{sender}")
    first, second = agent(stack, sqlite_url), agent(stack, sqlite_url)
    barrier = threading.Barrier(2)
    answers: list[str] = []

    def take(client: AgentClient) -> None:
        barrier.wait()
        answers.append(client.take(handoff).headers["location"])

    threads = [threading.Thread(target=take, args=(client,)) for client in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == sorted(["/agent?error=taken", f"/agent/handoffs/{handoff}"])
    pages = [client.http.get(f"{stack.web_url}/agent/handoffs/{handoff}", timeout=10, allow_redirects=False)
             for client in (first, second)]
    assert sorted(p.status_code for p in pages) == [200, 403]


def test_the_console_refuses_no_login_a_forged_cookie_and_a_missing_csrf_token_and_audits_replies(stack, sqlite_url):
    anonymous = requests.get(f"{stack.web_url}/agent", allow_redirects=False, timeout=10)
    assert anonymous.status_code == 302 and anonymous.headers["location"] == "/agent/login"
    forged = requests.get(f"{stack.web_url}/agent", allow_redirects=False, timeout=10,
                          cookies={"evn_agent": "1_0_6700000_" + "0" * 32 + ".AAAAAAAAAAAAAAAAAAAAAA"})
    assert forged.status_code == 302
    assert requests.get(f"{stack.web_url}/agent/api/queue", timeout=10).status_code == 401
    bad_login = requests.post(f"{stack.web_url}/agent/login", data={"username": "x", "password": "y"},
                              allow_redirects=False, timeout=10)
    assert bad_login.headers["location"] == "/agent/login?error=csrf", "the login form needs its own token"
    sender = uuid.uuid4().hex[:12]
    say(stack, sender, "gặp nhân viên")
    handoff = handoff_of(stack, f"rest-{sender}")
    holder, other = agent(stack, sqlite_url), agent(stack, sqlite_url)
    assert holder.post(f"/agent/handoffs/{handoff}/take", csrf="").status_code == 403
    assert holder.post(f"/agent/handoffs/{handoff}/take", csrf=other.csrf).status_code == 403, "another session's"
    assert holder.take(handoff).status_code == 303
    assert other.reply(handoff, "tôi không giữ cuộc này").status_code == 403
    assert holder.reply(handoff, "Dạ, em đã nhận yêu cầu ạ.").status_code == 202
    engine = create_engine(sqlite_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT username, action, detail FROM agent_audit WHERE handoff_id = :h"),
                                  {"h": handoff}).all()
    engine.dispose()
    actions = [(row.action, row.username) for row in rows]
    assert ("take", holder.username) in actions and ("reply", holder.username) in actions
    assert not any(row.username == other.username for row in rows)
    assert [json.loads(row.detail)["text"] for row in rows if row.action == "reply"] == ["Dạ, em đã nhận yêu cầu ạ."]
    out = holder.post("/agent/logout")
    assert out.status_code == 303
    assert holder.http.get(f"{stack.web_url}/agent", allow_redirects=False, timeout=10).status_code == 302

