"""The notices' actions called as the action server calls them: the words of each kind, the rewind that lets
the dialogue go on, and the user's choices recorded for their channel user only."""
from __future__ import annotations

import uuid

from tests.integration.action_calls import responses, run, texts, tracker, user


def notice(kind: str, **facts: str):
    entities = [{"entity": "notice_kind", "value": kind}, *({"entity": k, "value": v} for k, v in facts.items())]
    return user("", "EXTERNAL_notice", entities)


def test_a_bill_notice_says_amount_due_date_and_link_then_rewinds(actions_env, domain):
    from actions.notices import ActionSendNotice

    event = notice("bill_issued", customer_code="PE01000000001", period="11/2026", amount="914.436 đ",
                   due_date="15/12/2026", payment_url="https://pay.example/pay/abc")
    messages, events = run(ActionSendNotice(), tracker(f"zalo-{uuid.uuid4().hex}", [event],
                                                       active_loop="service_form"), domain)
    assert responses(messages) == ["utter_notice_bill_issued"]
    said = texts(messages)
    assert "kỳ 11/2026" in said and "914.436 đ" in said and "15/12/2026" in said
    assert "https://pay.example/pay/abc" in said
    assert [e["event"] for e in events] == ["rewind"], "a form's question goes on as if not interrupted"


def test_a_bill_that_rose_is_announced_with_why_and_a_usage_alert_with_its_level(actions_env, domain):
    from actions.notices import ActionSendNotice

    rose = notice("bill_issued", customer_code="PE01000000001", period="10/2026", amount="979.560 đ",
                  due_date="15/11/2026", rise_percent="94", rise_kwh="350 kWh", rise_period="09/2026",
                  rise_against_kwh="180 kWh", rise_days="31", rise_against_days="30")
    said = texts(run(ActionSendNotice(), tracker(f"zalo-{uuid.uuid4().hex}", [rose]), domain)[0])
    assert "nhiều hơn 94% so với kỳ 09/2026 (180 kWh)" in said and "31 ngày" in said and "979.560 đ" in said
    alert = notice("usage_alert", customer_code="PE01000000001", period="11/2026", level_kind="amount",
                   level_value="800000", kwh_so_far="224 kWh", read_to="20/11/2026", forecast_kwh="333 kWh",
                   forecast_total="918.054 đ", period_end="30/11/2026")
    messages, _ = run(ActionSendNotice(), tracker(f"zalo-{uuid.uuid4().hex}", [alert]), domain)
    assert responses(messages) == ["utter_notice_usage_alert"]
    said = texts(messages)
    assert "quá 800.000 đ" in said and "224 kWh" in said and "918.054 đ" in said and "30/11/2026" in said


def test_a_request_status_notice_names_the_status_in_words(actions_env, domain):
    from actions.notices import ActionSendNotice

    event = notice("request_status", customer_code="PE01000000001", ticket="YC-261201-0001",
                   request_status="in_progress", request_note="Đã phân công kỹ thuật")
    messages, _ = run(ActionSendNotice(), tracker(f"web-{uuid.uuid4().hex}", [event]), domain)
    assert "YC-261201-0001" in texts(messages) and "Đang xử lý" in texts(messages)
    assert "Đã phân công kỹ thuật" in texts(messages)
    nonsense, events = run(ActionSendNotice(), tracker(f"web-{uuid.uuid4().hex}", [notice("<script>")]), domain)
    assert nonsense == [] and [e["event"] for e in events] == ["rewind"]


def test_stopping_one_kind_by_its_words_and_receiving_it_again(actions_env, domain):
    from actions.notices import ActionResumeNotices, ActionStopNotices

    user_id = uuid.uuid4().hex
    conversation = f"zalo-{user_id}"
    messages, _ = run(ActionStopNotices(), tracker(conversation, [user("ngừng nhận thông báo cúp điện",
                                                                       "stop_notices")]), domain)
    assert responses(messages) == ["utter_notices_stopped_kinds"] and "lịch ngừng cấp điện" in texts(messages)
    assert "cập nhật sự cố mất điện" in texts(messages)
    assert actions_env.notice_preferences.stopped("zalo", user_id) == {"outage_planned", "outage_update",
                                                                        "outage_restored"}
    assert actions_env.notice_preferences.stopped("zalo", uuid.uuid4().hex) == set(), "only this user"
    run(ActionResumeNotices(), tracker(conversation, [user("nhận lại thông báo", "resume_notices")]), domain)
    assert actions_env.notice_preferences.stopped("zalo", user_id) == set()
    refused, _ = run(ActionStopNotices(), tracker(f"rest-{user_id}", [user("tắt thông báo", "stop_notices")]),
                     domain)
    assert responses(refused) == ["utter_notices_not_here"]


def test_a_notice_during_a_question_does_not_become_part_of_the_question():
    from rasa_sdk import Tracker

    from actions.conversation import find_request

    asked = user("tiền điện tháng 9/2026 bao nhiêu", "ask_bill", [{"entity": "period", "value": "9/2026"}])
    arrived = notice("bill_issued", period="11/2026", amount="914.436 đ")
    events = [asked, arrived, {"event": "rewind"}, user("PE01000000001", "inform")]
    request = find_request(Tracker("zalo-x", {}, {}, events, False, None, None, ""), ["ask_bill"])
    assert request is not None and request.period_text == "9/2026"
    assert "11/2026" not in " ".join(request.said_since)
