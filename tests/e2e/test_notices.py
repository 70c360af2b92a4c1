"""Notices end to end: a new bill row is found by the worker's scanner and reaches each linked user by the
platform's rules — a Zalo chat message within 48 h of the user's last message, a ZNS template to the registered
phone otherwise, a Messenger utility template outside 24 h — and "ngừng nhận thông báo" stops it.

The bills are inserted for one synthetic customer per test (a billing run for everyone would change what the
other tests of this session read); `python -m evn.seed --issue-period` itself is tested on its own database.
"""
from __future__ import annotations

import time
import uuid

from sqlalchemy import create_engine, text

from tests.e2e import zalo_webhook as zalo
from tests.e2e.stack_settings import MESSENGER_TEMPLATE, ZNS_TEMPLATE
from tests.e2e.zalo_webhook import turn

DELIVERY_TIMEOUT = 60  # the contract: a new bill reaches a linked user's channel within a minute


def database(sqlite_url):
    return create_engine(sqlite_url)


def customer_without_a_new_bill(engine, offset: int) -> tuple[str, str]:
    """A synthetic customer (none of the two demo ones), distinct per test."""
    with engine.begin() as connection:
        row = connection.execute(text(
            "SELECT code, phone FROM customers c WHERE code LIKE '%03%' AND NOT EXISTS "
            "(SELECT 1 FROM bills b WHERE b.customer_id = c.id AND b.period = 202611) ORDER BY id LIMIT 1 OFFSET :o"
        ), {"o": offset}).one()
    return row[0], row[1]


def link(engine, channel: str, user: str, code: str) -> str:
    prefix = {"zalo": "zalo", "facebook": "facebook", "socketio": "web"}[channel]
    conversation = f"{prefix}-{user}"
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO account_links (conversation_id, channel, channel_user, customer_code, linked_at, active_key) "
            "VALUES (:c, :ch, :u, :code, CURRENT_TIMESTAMP, :k)"), {"c": conversation, "ch": channel, "u": user,
                                                                     "code": code, "k": f"{conversation}|{code}"})
    return conversation


def issue_november_bill(engine, code: str) -> None:
    """What the billing run writes for one customer: the next period's bill, unpaid."""
    with engine.begin() as connection:
        deadline = time.monotonic() + 20
        while connection.execute(text("SELECT count(*) FROM notice_cursors WHERE name = 'bills'")).scalar() == 0:
            assert time.monotonic() < deadline, "the worker's scanner never ran"
            time.sleep(0.2)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO bills (customer_id, period, period_start, period_end, old_reading, new_reading, kwh, "
            "amount_before_vat, vat_percent, vat_amount, total, issued_on, due_date, status, tier_breakdown) "
            "SELECT b.customer_id, 202611, '2026-11-01', '2026-11-30', b.new_reading, b.new_reading + 200, 200, "
            "500000, 8, 40000, 540000, '2026-12-01', '2026-12-15', 'unpaid', '[]' FROM bills b "
            "JOIN customers c ON c.id = b.customer_id WHERE c.code = :code AND b.period = 202610"), {"code": code})


def notice_rows(engine, code: str) -> list[tuple]:
    with engine.begin() as connection:
        return [tuple(row) for row in connection.execute(text(
            "SELECT conversation_id, kind, status, route, result FROM notices WHERE customer_code = :c ORDER BY id"),
            {"c": code})]


def wait_rows(engine, code: str, predicate, timeout: float = DELIVERY_TIMEOUT) -> list[tuple]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = notice_rows(engine, code)
        if predicate(rows):
            return rows
        time.sleep(0.3)
    raise AssertionError(f"notices of {code}: {notice_rows(engine, code)}")


def test_a_new_bill_reaches_a_zalo_chat_within_48_hours_and_a_zns_template_after(stack, fake_zalo, sqlite_url):
    engine = database(sqlite_url)
    code, phone = customer_without_a_new_bill(engine, 0)
    talking, silent = zalo.new_user(), zalo.new_user()
    turn(stack, fake_zalo, talking, "xin chào", "")  # a message now: the 48 h window is open
    link(engine, "zalo", talking, code)
    link(engine, "zalo", silent, code)  # linked long ago, never wrote since (no conversation at all)
    started = time.monotonic()
    issue_november_bill(engine, code)
    messages = zalo.wait_for(fake_zalo, talking, zalo.has_text("kỳ 11/2026"), timeout=DELIVERY_TIMEOUT)
    took = time.monotonic() - started
    said = next(m["text"] for m in messages if "kỳ 11/2026" in m.get("text", ""))
    assert code in said and "540.000 đ" in said and "15/12/2026" in said and "/pay/" in said
    rows = wait_rows(engine, code, lambda rows: len(rows) == 2 and all(r[2] == "sent" for r in rows))
    routes = {conversation: route for conversation, _kind, _status, route, _result in rows}
    assert routes == {f"zalo-{talking}": "chat", f"zalo-{silent}": "zns"}
    (zns,) = [body for body in fake_zalo.zns if body["template_data"].get("customer_code") == code]
    assert zns["template_id"] == ZNS_TEMPLATE and zns["phone"] == "84" + phone[1:]
    assert zns["template_data"]["amount"] == "540.000 đ" and zns["tracking_id"].startswith("notice-")
    assert not fake_zalo.messages_for(silent), "outside the window nothing goes into the chat"
    print(f"bill notice reached the Zalo chat in {took:.1f} s")
    engine.dispose()


def test_outside_messengers_24_hours_a_bill_goes_as_a_utility_template(stack, fake_graph, sqlite_url):
    engine = database(sqlite_url)
    code, _phone = customer_without_a_new_bill(engine, 1)
    psid = f"psid{uuid.uuid4().hex[:12]}"
    link(engine, "facebook", psid, code)
    issue_november_bill(engine, code)
    rows = wait_rows(engine, code, lambda rows: rows and rows[0][2] == "sent")
    assert rows[0][3] == "utility"
    (sent,) = [body for body in fake_graph.sent if body["recipient"]["id"] == psid]
    assert sent["messaging_type"] == "UTILITY" and sent["message"]["template"]["name"] == MESSENGER_TEMPLATE
    assert "540.000 đ" in [p["text"] for p in sent["message"]["template"]["components"][0]["parameters"]]
    engine.dispose()


def test_a_user_who_stopped_notices_gets_none_and_the_refusal_is_recorded(stack, fake_zalo, sqlite_url):
    engine = database(sqlite_url)
    code, _phone = customer_without_a_new_bill(engine, 2)
    user = zalo.new_user()
    link(engine, "zalo", user, code)
    assert "ngừng gửi mọi thông báo" in turn(stack, fake_zalo, user, "ngừng nhận thông báo", "thông báo")
    issue_november_bill(engine, code)
    rows = wait_rows(engine, code, lambda rows: rows and rows[0][2] != "pending")
    assert rows[0][2] == "opted_out"
    assert not any("11/2026" in m.get("text", "") for m in fake_zalo.messages_for(user))
    assert "gửi lại" in turn(stack, fake_zalo, user, "nhận lại thông báo", "thông báo")
    engine.dispose()


def test_a_notice_for_a_closed_widget_waits_and_shows_when_the_customer_opens_it_again(browser, stack, sqlite_url):
    from playwright.sync_api import expect

    from tests.e2e.widget_page import ARTIFACTS, BOT_TIMEOUT, PHONE, conversation_of, open_chat, say

    engine = database(sqlite_url)
    code, _phone = customer_without_a_new_bill(engine, 3)
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    page = context.new_page()
    open_chat(page, stack.web_url)
    say(page, "xin chào")
    expect(page.locator(".evn-w-bot .evn-w-bubble").first).to_be_visible(timeout=BOT_TIMEOUT)
    conversation = conversation_of(page.evaluate("window.__evnWidget.sessionId()"))
    link(engine, "socketio", conversation.removeprefix("web-"), code)
    page.close()  # the widget is closed; its session stays in the browser's storage
    issue_november_bill(engine, code)
    rows = wait_rows(engine, code, lambda rows: rows and rows[0][2] == "waiting")
    assert rows[0][0] == conversation
    again = context.new_page()
    open_chat(again, stack.web_url)
    notice = again.locator(".evn-w-bot .evn-w-bubble", has_text="kỳ 11/2026")
    expect(notice).to_be_visible(timeout=DELIVERY_TIMEOUT * 1000)
    expect(notice).to_contain_text("540.000 đ")
    assert wait_rows(engine, code, lambda rows: rows[0][2] == "sent")[0][3] == "chat"
    ARTIFACTS.mkdir(exist_ok=True)
    again.screenshot(path=str(ARTIFACTS / "widget-notice-on-reopen.png"))
    context.close()
    engine.dispose()
