"""The satisfaction question as the action server runs it: put after a filed request, a closed handoff or a
confirmed payment, not twice a day, not in the middle of something; a rating by button or typed, the comment kept
masked, a low score's callback started and noted on the rating."""
from __future__ import annotations

import time
import uuid

from evn.domain.satisfaction import STEP_CALLBACK, STEP_CALLBACK_OFFERED, STEP_COMMENT, STEP_RATING, STEP_SLOT
from tests.integration.action_calls import responses, run, slots_set, texts, tracker, user

CALLBACK = {"service_type": "callback", "applicant_name": "Nguyễn Văn An", "contact_phone": "0912345678",
            "reason": "hỏi về giá điện", "draft_id": "d1"}


def chat(channel: str = "facebook") -> str:
    return f"{channel}-{uuid.uuid4().int % 10**15}"


def file_callback(domain, conversation: str, slots: dict | None = None):
    from actions.service_requests import ActionSubmitServiceRequest

    values = {**CALLBACK, "draft_id": uuid.uuid4().hex, **(slots or {})}
    return run(ActionSubmitServiceRequest(), tracker(conversation, [user("đồng ý", "affirm")], values), domain)


def rate(domain, conversation: str, text: str, intent: str = "inform", entities: list | None = None):
    from actions.satisfaction import ActionRateSatisfaction

    return run(ActionRateSatisfaction(), tracker(conversation, [user(text, intent, entities)]), domain)


def button(score: str, question: object) -> list[dict]:
    """A rating button's entities, as its payload gives them."""
    return [{"entity": "satisfaction_score", "value": score}, {"entity": "satisfaction_question", "value": question}]


def question_of(messages: list[dict]) -> object:
    return next(m["question"] for m in messages if m.get("response") == "utter_ask_satisfaction")


def comment(domain, conversation: str, text: str, step: str = STEP_COMMENT, intent: str = "nlu_fallback"):
    from actions.satisfaction import ActionSatisfactionComment

    return run(ActionSatisfactionComment(), tracker(conversation, [user(text, intent)], {STEP_SLOT: step}), domain)


def test_a_filed_request_is_followed_by_the_question_once_a_day(actions_env, domain):
    conversation = chat()
    messages, events = file_callback(domain, conversation)
    assert responses(messages) == ["utter_service_filed", "utter_ask_satisfaction"]
    said = texts(messages)
    assert "việc gửi yêu cầu với em vừa rồi" in said and "1 (rất không hài lòng) đến 5 (rất hài lòng)" in said
    buttons = domain["responses"]["utter_ask_satisfaction"][0]["buttons"]
    payloads = [b["payload"].replace("{{", "{").replace("}}", "}") for b in buttons]
    assert payloads == [f'/rate_satisfaction{{"satisfaction_score":"{n}","satisfaction_question":"{{question}}"}}'
                        for n in "54321"]
    assert slots_set(events)[STEP_SLOT] == STEP_RATING
    messages, events = file_callback(domain, conversation)
    assert responses(messages) == ["utter_service_filed"] and STEP_SLOT not in slots_set(events)


def test_the_question_waits_when_the_customer_is_in_the_middle_of_something(actions_env, domain):
    from actions.payments import ActionAnnouncePayment

    paid = user("", "EXTERNAL_payment_received", [{"entity": "amount", "value": 979560},
                                                  {"entity": "period", "value": "10/2026"},
                                                  {"entity": "payment_method", "value": "vnpay"},
                                                  {"entity": "payment_reference", "value": "EVN-CSAT-1"}])
    conversation = chat("zalo")
    form = tracker(conversation, [paid], active_loop="service_form")
    assert responses(run(ActionAnnouncePayment(), form, domain)[0]) == ["utter_payment_received"]
    waiting = tracker(conversation, [paid], {"handoff_waiting": True})
    assert responses(run(ActionAnnouncePayment(), waiting, domain)[0]) == ["utter_payment_received"]
    messages, events = run(ActionAnnouncePayment(), tracker(conversation, [paid]), domain)
    assert responses(messages) == ["utter_payment_received", "utter_ask_satisfaction"]
    assert "việc thanh toán qua kênh chat này" in texts(messages)
    assert [e["event"] for e in events] == ["slot", "rewind"]


def test_the_question_is_not_put_past_the_platform_s_reply_window(actions_env, domain):
    from actions.payments import ActionAnnouncePayment

    paid = user("", "EXTERNAL_payment_received", [{"entity": "amount", "value": 979560},
                                                  {"entity": "period", "value": "10/2026"},
                                                  {"entity": "payment_reference", "value": "EVN-CSAT-2"}])
    asked_for_link = {**user("cho em link thanh toán", "request_payment_link"), "timestamp": time.time() - 30 * 3600}
    for channel, asked in (("facebook", False), ("zalo", True)):  # Messenger: 24 h; Zalo: 48 h
        events = [{**asked_for_link, "input_channel": channel}, {**paid, "input_channel": channel}]
        messages, _ = run(ActionAnnouncePayment(), tracker(chat(channel), events), domain)
        assert ("utter_ask_satisfaction" in responses(messages)) is asked, channel


def test_a_closed_handoff_asks_about_the_agent_s_help_unless_the_customer_left(actions_env, domain):
    from actions.handoff import ActionHandoffClosed

    conversation = chat()
    agent, _ = actions_env.agents.add_or_update("lan.csat", "mat-khau-dai-du-12", "Nguyễn Thị Lan")
    handoff = actions_env.handoffs.request(conversation, "facebook", "asked", [], None, question="cho gặp người")
    actions_env.agents.take(agent, handoff.id)
    actions_env.agents.close(agent, handoff.id, "resolved")
    left = user("", "EXTERNAL_handoff_closed", [{"entity": "handoff_outcome", "value": "customer_left"},
                                                {"entity": "handoff_id", "value": handoff.id}])
    assert responses(run(ActionHandoffClosed(), tracker(conversation, [left]), domain)[0]) == [
        "utter_handoff_closed_customer_left"]
    closed = user("", "EXTERNAL_handoff_closed", [{"entity": "handoff_outcome", "value": "resolved"},
                                                  {"entity": "handoff_id", "value": handoff.id}])
    messages, _ = run(ActionHandoffClosed(), tracker(conversation, [closed]), domain)
    assert responses(messages) == ["utter_handoff_closed_resolved", "utter_ask_satisfaction"]
    assert "cuộc trò chuyện với nhân viên vừa rồi" in texts(messages)
    stale, _ = rate(domain, conversation, "/rate_satisfaction", "rate_satisfaction", button("1", "1"))
    assert responses(stale) == ["utter_satisfaction_nothing_open"], "another question's button rates nothing"
    rated, _ = rate(domain, conversation, "/rate_satisfaction", "rate_satisfaction",
                    button("5", question_of(messages)))
    assert responses(rated) == ["utter_satisfaction_thanks"] and "5/5" in texts(rated)
    comment(domain, conversation, "chị Lan tư vấn kỹ, số em 0912345678")
    mine = actions_env.satisfaction.of_agent(agent.id)
    assert [(r.score, r.comment) for r in mine.ratings] == [(5, "chị Lan tư vấn kỹ, số em 091****678")]


def test_a_typed_rating_with_words_is_also_its_comment_and_a_second_rating_changes_nothing(actions_env, domain):
    conversation = chat()
    filed, _ = file_callback(domain, conversation)
    messages, events = rate(domain, conversation, "4 sao, bot trả lời hơi chậm")
    assert responses(messages) == ["utter_satisfaction_thanks_commented"] and "4/5" in texts(messages)
    assert slots_set(events)[STEP_SLOT] is None
    messages, _ = rate(domain, conversation, "5", "rate_satisfaction", button("5", question_of(filed)))
    assert responses(messages) == ["utter_satisfaction_already"] and "4/5" in texts(messages)
    nothing, _ = rate(domain, chat(), "5", "rate_satisfaction", button("9", "x"))
    assert responses(nothing) == ["utter_satisfaction_nothing_open"]


def test_a_comment_is_kept_or_declined(actions_env, domain):
    conversation = chat()
    file_callback(domain, conversation)
    rate(domain, conversation, "5")
    messages, _ = comment(domain, conversation, "ko có gì", intent="deny")
    assert responses(messages) == ["utter_satisfaction_no_comment"]
    messages, _ = comment(domain, conversation, "nhân viên nhiệt tình lắm")
    assert responses(messages) == ["utter_satisfaction_comment_kept"]


def test_a_low_rating_offers_the_callback_which_is_filed_and_noted_on_the_rating(actions_env, domain):
    from actions.satisfaction import ActionSatisfactionCallback

    conversation = chat("zalo")
    file_callback(domain, conversation)
    messages, events = rate(domain, conversation, "2")
    assert responses(messages) == ["utter_satisfaction_low"] and "gọi lại" in texts(messages)
    assert slots_set(events)[STEP_SLOT] == STEP_CALLBACK
    messages, events = comment(domain, conversation, "chờ lâu quá", step=STEP_CALLBACK)
    assert responses(messages) == ["utter_satisfaction_comment_kept_low"]
    assert slots_set(events)[STEP_SLOT] == STEP_CALLBACK_OFFERED
    _, events = run(ActionSatisfactionCallback(), tracker(conversation, [user("có", "affirm")]), domain)
    assert slots_set(events)["service_type"] == "callback"
    assert any(e["event"] == "followup" and e["name"] == "service_form" for e in events)
    filed, events = file_callback(domain, conversation)
    ticket = slots_set(events)["last_ticket"]
    assert responses(filed) == ["utter_service_filed"]  # rated today: not asked again
    with actions_env.uow() as work:
        row = work.satisfaction.latest_of(conversation)
        assert (row.score, row.callback_ticket, row.comment) == (2, ticket, "chờ lâu quá")


def test_a_survey_that_fails_does_not_undo_what_was_said_before_it(actions_env, domain, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("satisfaction_ratings is missing")

    monkeypatch.setattr(actions_env.satisfaction, "ask", broken)
    monkeypatch.setattr(actions_env.satisfaction, "callback_filed", broken)
    messages, events = file_callback(domain, chat())
    assert responses(messages) == ["utter_service_filed"] and slots_set(events)["last_ticket"].startswith("YC-")
