"""Usage alerts in the chat (actions/usage_alerts.py) on the seeded SQLite database, on 21/11/2026: set with
where the period stands, listed, cancelled; a level that makes no sense and a question without a level."""
from __future__ import annotations

import pytest

from tests.integration.action_calls import responses, run, texts, tracker, user

CODE, PHONE = "PE01000000001", "0901234567"
pytestmark = pytest.mark.rasa_environment


@pytest.fixture
def chat(mid_period_chat):
    return mid_period_chat[1]


def say(sender: str, domain, text: str):
    from actions.identity import ActionAnswerVerified

    messages, _ = run(ActionAnswerVerified(),
                      tracker(sender, [user(text, "usage_alert", [])], {"verified_code": CODE}), domain)
    return messages


def test_set_list_and_cancel_in_words(chat, domain):
    first = say(chat, domain, "báo em khi vượt 300 số nha")
    assert responses(first)[0] == "utter_usage_alert_added"
    assert responses(first)[1] in ("utter_usage_alert_standing_heading_over", "utter_usage_alert_standing_over_now",
                                   "utter_usage_alert_standing_below")
    said = texts(first)
    assert "dùng quá 300 kWh" in said and "11/2026" in said and "20/11/2026" in said and "30/11/2026" in said
    assert responses(say(chat, domain, "tiền điện quá 1tr2 thì nhắn em"))[0] == "utter_usage_alert_added"
    listed = say(chat, domain, "em đang đặt những cảnh báo nào")
    assert responses(listed) == ["utter_usage_alerts_list"]
    assert "dùng quá 300 kWh" in texts(listed) and "quá 1.200.000 đ" in texts(listed)
    cancelled = say(chat, domain, "hủy cảnh báo 300 số")
    assert responses(cancelled) == ["utter_usage_alerts_cancelled"] and "300 kWh" in texts(cancelled)
    assert "300 kWh" not in texts(say(chat, domain, "xem các cảnh báo"))
    assert responses(say(chat, domain, "bỏ hết cảnh báo")) == ["utter_usage_alerts_cancelled"]
    assert responses(say(chat, domain, "danh sach canh bao")) == ["utter_usage_alerts_none"]


def test_a_level_that_makes_no_sense_and_a_question_without_a_level(chat, domain):
    assert responses(say(chat, domain, "báo khi vượt 0 số")) == ["utter_usage_alert_level_too_low"]
    assert responses(say(chat, domain, "tiền điện quá 5 tỷ thì báo")) == ["utter_usage_alert_level_too_high"]
    assert responses(say(chat, domain, "cài cảnh báo tiền điện giúp em")) == ["utter_usage_alert_how"]
    assert responses(say(chat, domain, "hủy cảnh báo 999 số")) == ["utter_usage_alert_none_to_cancel"]
