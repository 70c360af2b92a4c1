"""The handoff's actions called as the action server calls them: what the customer is told and which events
pause or resume the bot (against the seeded SQLite database, Tuesday 01/12/2026 10:00, the desk open)."""
from __future__ import annotations

import uuid

import pytest
from rasa.core.nlg.interpolator import interpolate_text

from tests.integration.action_calls import responses, run, texts, tracker, user

pytestmark = pytest.mark.rasa_environment  # Rasa's own code


def chat() -> str:
    return f"web-{uuid.uuid4().hex}"


def test_asking_for_a_person_queues_the_question_and_says_the_place_in_the_queue(actions_env, domain):
    from actions.handoff import ActionHandoff

    first, second = chat(), chat()
    events = [user("hóa đơn tháng 10 sai, sđt tôi 0901234567", "ask_bill"), user("gặp nhân viên", "human_handoff")]
    messages, slots = run(ActionHandoff(), tracker(first, events), domain)
    assert responses(messages) == ["utter_handoff"] and "vị trí số" in texts(messages)
    assert slots == [{"event": "slot", "timestamp": None, "name": "handoff_waiting", "value": True}]
    run(ActionHandoff(), tracker(second, [user("gặp nhân viên", "human_handoff")]), domain)
    queued = {h.conversation_id: h for h in actions_env.handoffs.open_handoffs()}
    assert queued[first].question.startswith("hóa đơn tháng 10 sai") and "0901234567" not in queued[first].question
    assert queued[second].position > queued[first].position, "asked later, further back in the queue"
    again, _ = run(ActionHandoff(), tracker(first, events), domain)
    assert responses(again) == ["utter_handoff_already_waiting"]


def test_an_agent_joining_names_them_stops_the_form_and_pauses_the_bot(actions_env, domain):
    from actions.handoff import ActionAgentJoined

    joined = user("", "EXTERNAL_agent_joined", [{"entity": "agent_name", "value": "Nguyễn Thị Lan"}])
    messages, events = run(ActionAgentJoined(), tracker(chat(), [joined], active_loop="service_form"), domain)
    assert responses(messages) == ["utter_agent_joined"] and "Nguyễn Thị Lan" in texts(messages)
    assert [e["event"] for e in events] == ["slot", "slot", "active_loop", "pause", "action"]
    assert events[-1]["name"] == "action_listen"
    assert events[1]["value"] == "Nguyễn Thị Lan" and events[2]["name"] is None


def test_a_closed_handoff_says_the_bot_is_back_by_outcome(actions_env, domain):
    from actions.handoff import ActionHandoffClosed

    for outcome, response in [("resolved", "utter_handoff_closed_resolved"),
                              ("callback", "utter_handoff_closed_callback"),
                              ("customer_left", "utter_handoff_closed_customer_left"),
                              ("<script>", "utter_handoff_closed_resolved")]:
        closed = user("", "EXTERNAL_handoff_closed", [{"entity": "handoff_outcome", "value": outcome}])
        messages, events = run(ActionHandoffClosed(), tracker(chat(), [closed]), domain)
        assert responses(messages) == [response]
        assert {e["name"]: e["value"] for e in events} == {"handoff_waiting": False, "handoff_agent": None}


def test_nobody_in_time_offers_a_callback_and_the_dialogue_goes_on(actions_env, domain):
    from actions.handoff import ActionHandoff, ActionHandoffUnanswered

    conversation = chat()
    unanswered = [user("", "EXTERNAL_handoff_unanswered")]
    nothing, events = run(ActionHandoffUnanswered(), tracker(conversation, unanswered), domain)
    assert nothing == [] and [e["event"] for e in events] == ["rewind"], "no handoff: nothing to say"
    run(ActionHandoff(), tracker(conversation, [user("gặp nhân viên", "human_handoff")]), domain)
    messages, events = run(ActionHandoffUnanswered(), tracker(conversation, unanswered), domain)
    assert responses(messages) == ["utter_handoff_unanswered"] and [e["event"] for e in events] == ["rewind"]
    buttons = domain["responses"]["utter_handoff_unanswered"][0]["buttons"]
    assert '/request_service{"service_type":"callback"}' in [interpolate_text(b["payload"], {}) for b in buttons]


def test_going_back_while_waiting_withdraws_the_handoff(actions_env, domain):
    from actions.handoff import ActionBackToBot, ActionHandoff

    conversation = chat()
    nothing, _ = run(ActionBackToBot(), tracker(conversation, [user("quay lại trợ lý ảo", "back_to_bot")]), domain)
    assert responses(nothing) == ["utter_back_to_bot_nothing_waiting"]
    run(ActionHandoff(), tracker(conversation, [user("gặp nhân viên", "human_handoff")]), domain)
    messages, events = run(ActionBackToBot(), tracker(conversation, [user("quay lại trợ lý ảo", "back_to_bot")]),
                           domain)
    assert responses(messages) == ["utter_handoff_withdrawn"]
    assert actions_env.handoffs.current(conversation) is None


def linked_to_both(actions_env) -> str:
    """A Zalo user who verified and linked both demo customers' codes (a landlord with two meters)."""
    chat = f"zalo-{uuid.uuid4().hex[:16]}"
    for code, phone in (("PE01000000001", "0901234567"), ("PD01000000002", "0912345678")):
        actions_env.identity.verify(code, phone, chat)
        actions_env.links.link(chat, code)
    return chat


def test_a_linked_user_is_recognised_by_the_verify_form_and_asked_which_when_several(actions_env, domain):
    from actions.identity import ValidateVerifyForm
    from actions.links import ActionAskVerifyFormCustomerCode, ActionListLinks, ActionUnlinkAccount

    chat = linked_to_both(actions_env)
    ask = user("hóa đơn tháng này", "ask_bill")
    messages, _ = run(ActionAskVerifyFormCustomerCode(), tracker(chat, [ask], active_loop="verify_form"), domain)
    assert responses(messages) == ["utter_which_linked_code"]
    assert [b["payload"] for b in messages[0]["buttons"]] == ['/inform{"customer_code":"PE01000000001"}',
                                                             '/inform{"customer_code":"PD01000000002"}']
    tapped = user('/inform{"customer_code":"PD01000000002"}', "inform",
                  [{"entity": "customer_code", "value": "PD01000000002"}])
    messages, events = run(ValidateVerifyForm(), tracker(chat, [ask, tapped], active_loop="verify_form"), domain)
    assert responses(messages) == ["utter_recognised_by_link"]
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["verified_code"] == "PD01000000002" and slots["verified"] is True
    listed, _ = run(ActionListLinks(), tracker(chat, [user("danh sách tài khoản", "list_linked_accounts")]), domain)
    assert "PE01000000001" in texts(listed) and "PD01000000002" in texts(listed)
    which, _ = run(ActionUnlinkAccount(), tracker(chat, [user("hủy liên kết", "unlink_account")]), domain)
    assert responses(which) == ["utter_which_to_unlink"] and len(which[0]["buttons"]) == 3
    every = user('/unlink_account{"customer_code":"all"}', "unlink_account", [{"entity": "customer_code",
                                                                                "value": "all"}])
    done, _ = run(ActionUnlinkAccount(), tracker(chat, [every]), domain)
    assert responses(done) == ["utter_unlinked"] and actions_env.links.codes(chat) == []


def test_a_landlord_asking_the_debt_sees_every_linked_code_and_the_total_then_picks_one(actions_env, domain):
    from actions.links import ActionAskVerifyFormCustomerCode

    chat = linked_to_both(actions_env)
    ask = user("mấy căn nhà của tôi còn nợ bao nhiêu", "ask_payment_status")
    messages, _ = run(ActionAskVerifyFormCustomerCode(), tracker(chat, [ask], active_loop="verify_form"), domain)
    assert responses(messages) == ["utter_linked_debts"]
    said = texts(messages)
    # An owes October (979.560 đ, seeded unpaid); Bình has paid everything.
    assert "PE01000000001: 979.560 đ" in said and "PD01000000002: không còn nợ" in said
    assert "Tất cả: 979.560 đ" in said and len(messages[0]["buttons"]) == 2
