"""A customer in the website widget and an agent in the console, two pages of a real Chromium.

The customer asks for a person, the agent logs in, takes the conversation, the two write to each
other (the bot silent meanwhile), the agent closes and the bot answers again. Screenshots go to
test-artifacts/; the time from the agent's send to the customer's screen is written to
test-artifacts/agent_reply_latency.json (measured, never asserted).
"""
from __future__ import annotations

import json
import statistics
import time

from tests.e2e.agent_console import console_tab, create_agent, handoff_of, tracker, wait_until
from tests.e2e.widget_page import ARTIFACTS, BOT_TIMEOUT, bot_rows, bot_texts, conversation_of, open_chat, say

REPLIES = 5


def agent_rows(page) -> int:
    return page.locator("#evn-cskh-widget .evn-w-agent").count()


def test_customer_and_agent_talk_in_the_customers_chat_and_the_bot_takes_over_again(phone, browser, stack,
                                                                                   sqlite_url):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    customer = phone
    open_chat(customer, stack.web_url)
    say(customer, "chào em")
    customer.wait_for_function("() => document.querySelectorAll('#evn-cskh-widget .evn-w-bot').length > 0",
                               timeout=BOT_TIMEOUT)
    before = bot_rows(customer)
    say(customer, "cho tôi gặp nhân viên")
    expect(customer.locator("#evn-cskh-widget .evn-w-bot").nth(before)).to_contain_text("vị trí số",
                                                                                         timeout=BOT_TIMEOUT)
    conversation = conversation_of(customer.evaluate("window.__evnWidget.sessionId()"))
    handoff = handoff_of(stack, conversation)

    username, password = create_agent(sqlite_url, "Minh Anh")
    desk, agent, errors = console_tab(browser, f"{stack.web_url}/agent", username, password)
    item = agent.locator(f'[data-testid="queue-item"][data-handoff="{handoff}"]')
    expect(item).to_contain_text("Website")
    agent.screenshot(path=str(ARTIFACTS / "agent-console-queue.png"), full_page=True)
    item.get_by_test_id("take").click()
    agent.wait_for_url(f"**/agent/handoffs/{handoff}")
    expect(customer.locator("#evn-cskh-widget .evn-w-bot").last).to_contain_text("Minh Anh đã tham gia",
                                                                                 timeout=BOT_TIMEOUT)
    wait_until(lambda: tracker(stack, conversation)["paused"], what="the bot paused")

    silent = bot_rows(customer)
    say(customer, "hóa đơn tháng 10 nhà tôi cao bất thường, nhờ chị kiểm tra")
    expect(agent.locator("#log")).to_contain_text("cao bất thường", timeout=10_000)
    assert bot_rows(customer) == silent, "the bot stays silent while the agent holds the conversation"

    latencies = []
    for number in range(1, REPLIES + 1):
        words = f"Dạ, em là Minh Anh, em đang kiểm tra chỉ số công tơ của anh/chị (tin {number})."
        shown = agent_rows(customer)
        agent.get_by_test_id("reply-input").fill(words)
        started = time.monotonic()
        agent.get_by_test_id("reply-send").click()
        customer.wait_for_function(
            "n => document.querySelectorAll('#evn-cskh-widget .evn-w-agent').length > n", arg=shown,
            timeout=20_000)
        latencies.append(round((time.monotonic() - started) * 1000))
        expect(customer.locator("#evn-cskh-widget .evn-w-agent").last).to_contain_text(f"(tin {number})")
    expect(customer.locator("#evn-cskh-widget .evn-w-agent .evn-w-who").last).to_have_text("Minh Anh")
    assert bot_rows(customer) == silent + REPLIES, "only the agent's words arrived"
    (ARTIFACTS / "agent_reply_latency.json").write_text(json.dumps({
        "what": "agent clicks Gửi in the console -> the message is on the customer's widget (ms)",
        "samples_ms": latencies, "median_ms": statistics.median(latencies), "max_ms": max(latencies),
    }, indent=2))
    expect(agent.locator("#log")).to_contain_text("(tin 5)", timeout=10_000)
    agent.screenshot(path=str(ARTIFACTS / "agent-console-conversation.png"), full_page=True)
    customer.screenshot(path=str(ARTIFACTS / "agent-widget-customer.png"))

    agent.get_by_test_id("close").click()
    agent.wait_for_url("**/agent")
    # The bot is back, then asks once how the conversation went (docs/satisfaction.md); the customer moves on.
    expect(customer.locator("#evn-cskh-widget .evn-w-bot").last).to_contain_text("hài lòng", timeout=BOT_TIMEOUT)
    assert "trợ lý ảo" in bot_texts(customer)[-2]
    back = bot_rows(customer)
    say(customer, "giá điện bậc thang")
    expect(customer.locator("#evn-cskh-widget .evn-w-bot").nth(back)).to_contain_text("bậc", timeout=BOT_TIMEOUT)
    customer.screenshot(path=str(ARTIFACTS / "agent-widget-bot-again.png"))
    assert "đ/kWh" in " ".join(bot_texts(customer)[back:]), "the bot answers again, with the tariff"
    desk.close()
    assert not errors, errors
