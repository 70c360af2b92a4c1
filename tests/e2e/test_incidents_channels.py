"""Incidents end to end on every channel: a Messenger, a Zalo and a widget customer (in Chromium) report a cut in
one ward; an agent gives a cause and an estimate at the console (in Chromium), changes the estimate twice and
marks the power back; each reporter hears each step once, in their own chat, through the worker's notices. A
customer still without power after it is filed anew at the top priority; "có điện lại chưa" is answered."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest

from evn.domain.formats import format_datetime
from evn.domain.time import to_vietnam
from evn.services.clock import utcnow
from tests.e2e import messenger_webhook as messenger
from tests.e2e import zalo_webhook as zalo
from tests.e2e.agent_console import console_tab, create_agent
from tests.e2e.widget_page import CHROMIUM, NO_CHROMIUM, PHONE, bot_texts, open_chat, widget_turn

WARD = "phường Tân Định, quận 1"  # no other end-to-end test reports a cut here
PATIENCE = 60
STEPS = ("Dự kiến có điện lại lúc", "đã được khôi phục lúc")


def heard(texts: list[str], fragment: str) -> int:
    return sum(fragment in text for text in texts)


def wait(what: str, condition, timeout: float = PATIENCE) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} within {timeout:.0f} s")


@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
def test_an_incident_s_estimates_and_restoration_reach_each_reporter_once_on_every_channel(
        browser, stack, sqlite_url, fake_graph, fake_zalo):
    webhook = f"{stack.rasa_url}/webhooks/facebook/webhook"
    psid, zalo_user = messenger.new_psid(), zalo.new_user()
    filed = messenger.turn(webhook, fake_graph, psid, f"mất điện từ 7h sáng ở 5 Trần Quang Khải, {WARD}", "MD-")
    ticket = next(word.strip(" ,.;()") for word in filed.split() if word.startswith("MD-"))
    joined = zalo.turn(stack, fake_zalo, zalo_user, f"nhà mình cúp điện rồi, 9 Trần Quang Khải {WARD}", ticket)
    assert "ghi nhận" in joined
    widget = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True).new_page()
    open_chat(widget, stack.web_url)
    assert ticket in widget_turn(widget, f"cúp điện ở 11 Trần Quang Khải {WARD} ơi", ticket)


    def chats() -> list[list[str]]:
        return [fake_graph.texts_for(psid), zalo.said(fake_zalo, zalo_user), bot_texts(widget)]

    username, password = create_agent(sqlite_url, "Nhân viên Sự cố")
    context, console, errors = console_tab(browser, f"{stack.web_url}/agent/incidents", username, password)
    console.goto(f"{stack.web_url}/agent/incidents")
    card = console.locator(f"[data-testid=incident][data-ticket='{ticket}']")
    assert card.get_by_test_id("incident-reports").locator("li").count() == 3
    estimates = [utcnow() + timedelta(hours=hours) for hours in (2, 3, 4)]
    for number, estimate in enumerate(estimates):  # given, then changed twice
        card.get_by_test_id("incident-cause").select_option("tree")
        card.get_by_test_id("incident-at").fill(f"{to_vietnam(estimate):%d/%m/%Y %H:%M}")
        card.get_by_test_id("incident-update").click()
        console.get_by_test_id("incident-done").wait_for()
        card = console.locator(f"[data-testid=incident][data-ticket='{ticket}']")
        said = format_datetime(to_vietnam(estimate.replace(second=0, microsecond=0)))
        assert said in card.get_by_test_id("incident-estimate").inner_text()
        wait(f"estimate {number + 1} in each chat", lambda said=said: all(heard(t, said) == 1 for t in chats()))
    card.get_by_test_id("incident-restored").click()
    console.get_by_test_id("incident-done").wait_for()
    assert console.locator(f"[data-testid=incident][data-ticket='{ticket}']").count() == 0, "no longer open"
    wait("the restoration in each chat", lambda: all(heard(texts, STEPS[1]) == 1 for texts in chats()))
    time.sleep(3)  # anything sent twice would have come by now
    for texts in chats():
        assert heard(texts, STEPS[0]) == 3 and heard(texts, STEPS[1]) == 1, texts
        assert heard(texts, "cây đổ") == 3
    back = zalo.turn(stack, fake_zalo, zalo_user, "có điện lại chưa em", "khôi phục")
    assert ticket in back

    dark_psid = messenger.new_psid()
    dark = messenger.turn(webhook, fake_graph, dark_psid, f"vẫn mất điện ở 20 Trần Quang Khải, {WARD}", "MD-")
    assert "ưu tiên cao nhất" in dark and ticket in dark
    console.goto(f"{stack.web_url}/agent/incidents")
    follows = console.locator("[data-testid=incident]", has_text=f"Sau khôi phục {ticket}")
    assert follows.count() == 1 and "Khẩn cấp" in follows.inner_text()
    assert not errors
    context.close()
    widget.context.close()
