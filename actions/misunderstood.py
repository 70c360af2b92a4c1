"""What the assistant does with a message it did not place: a follow-up of the answer just given when the
words fit it ("còn ngày kia?", "gấp ba thì sao?"), the menu the first time, a person the second time in a row."""
from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.billing import ActionEstimateBill, ActionShowTariff
from actions.conversation import hear_complaint, said_this_turn
from actions.handoff import ActionHandoff
from actions.hotlines import ActionTellHotline
from actions.identity import ActionAnswerVerified
from actions.outages import ActionAddReportContact, ActionShowOutageSchedule
from actions.payments import ActionShowPaymentMethods
from actions.phrases import phrase
from actions.runtime import services
from actions.scam_check import (
    ActionCheckScam,
    ActionScamHowToVerify,
    ActionScamOfficialSites,
    ActionScamWhatToDo,
)
from actions.service_requests import ActionFiledRequestTerms, ActionSubmitServiceRequest, waiting_draft
from evn.domain.language import follow_ups
from evn.domain.language.gibberish import is_gibberish
from evn.domain.language.no_registered_phone import asks_about_papers
from evn.domain.language.quantities import multiplier, parse_kwh

HANDOFF_AFTER = 2  # misunderstandings in a row (docs/dialogue-nlu.md)
# Not "not ours" (utter_out_of_scope): a question about water or wifi was understood, and never goes to the queue.
MISUNDERSTOOD_REPLIES = {"utter_default", "utter_did_you_mean"}
# Two-stage fallback: the two likeliest requests are offered when the classifier saw them this clearly.
OFFERED = ("ask_bill", "ask_consumption", "ask_bill_increase", "ask_payment_status", "request_payment_link",
           "ask_payment_methods", "ask_tariff", "estimate_bill", "request_service", "report_outage",
           "ask_outage_schedule", "check_request_status")
LIKELY, BOTH_LIKELY = 0.2, 0.5
# Answers that filed something: a yes right after them agrees with what was filed.
FILING = (follow_ups.FILED, *follow_ups.REPORTED)
# What a button carries of the message it answers, so the request keeps them ("/ask_bill{"period": "tháng 9"}").
CARRIED = ("period", "kwh", "location", "service_type", "payment_method", "customer_code")


def did_you_mean(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> bool:
    """Offer the two requests the classifier found likeliest, with the values the message gave; False when it
    saw none of them clearly enough (the menu then)."""
    ranking = [r for r in tracker.latest_message.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
    top = ranking[:2]
    if len(top) < 2 or any(r.get("name") not in OFFERED for r in top) or float(top[0].get("confidence") or 0) < LIKELY \
            or sum(float(r.get("confidence") or 0) for r in top) < BOTH_LIKELY:
        return False
    values = {e["entity"]: e.get("value") for e in tracker.latest_message.get("entities") or []
              if e.get("entity") in CARRIED and e.get("value")}
    carried = json.dumps(values, ensure_ascii=False, sort_keys=True) if values else ""
    buttons = [{"title": phrase(domain, f"utter_part_intent_{r['name']}"), "payload": f"/{r['name']}{carried}"}
               for r in top]
    dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
    return True



def misunderstandings_in_a_row(tracker: Tracker) -> int:
    """This message and the ones before it that the assistant answered with "em chưa hiểu" (or "not ours"),
    in a row: a message a form understood ("ko biết sđt chủ cũ") does not count, whatever its intent."""
    count, answered = 1, set()
    for event in reversed(tracker.events[:_latest_user_index(tracker)]):
        if event.get("event") in ("session_started", "restart"):
            break  # yesterday's misunderstanding is not today's
        if event.get("event") == "bot":
            answered.add((event.get("metadata") or {}).get("utter_action"))
        elif event.get("event") == "user":
            if not answered & MISUNDERSTOOD_REPLIES:
                break
            count, answered = count + 1, set()
    return count


def _latest_user_index(tracker: Tracker) -> int:
    indexes = [i for i, event in enumerate(tracker.events) if event.get("event") == "user"]
    return indexes[-1] if indexes else 0


def previous_action(tracker: Tracker) -> str | None:
    """The last action before the customer's latest message (what the message may follow up on): for a follow-up
    answered, the frame it ran again (FRAME_SLOT), so "300 thì sao", then "còn 320" follow the same estimate."""
    frame = None
    for event in reversed(tracker.events[:_latest_user_index(tracker)]):
        if event.get("event") == "slot" and event.get("name") == follow_ups.FRAME_SLOT and frame is None:
            frame = event.get("value")
        if event.get("event") == "action" and event.get("name") not in ("action_listen", None):
            name = str(event.get("name"))
            return str(frame) if frame and name in follow_ups.RERUNS else name
    return None


def follow_up_of(tracker: Tracker) -> tuple[str, Action] | None:
    """The answer just given, run again for what this message changes or asks of it (evn/domain/follow_ups.py):
    "còn ngày kia?" after the schedule, "gấp ba thì sao" after an estimate, "đóng chưa" after a bill."""
    text = tracker.latest_message.get("text") or ""
    users = [event for event in reversed(tracker.events) if event.get("event") == "user"]
    found = follow_ups.follow_up(previous_action(tracker), text, services().today(),
                                 filed_earlier=bool(tracker.get_slot("last_ticket")),
                                 asked_before=follow_ups.question_before(
                                     [((event.get("parse_data") or {}).get("intent") or {}).get("name")
                                      for event in users[1:]]))
    if found is None:
        return None
    if found.action == follow_ups.ESTIMATE:
        times, last = multiplier(text), parse_kwh(tracker.get_slot("last_kwh") or "")
        kwh = last * times if times and last is not None else parse_kwh(text) or last  # "thuế bn": the same kWh
        tracker.slots["kwh"] = str(kwh)  # "gấp 3 thì sao", "còn 250 thì sao": the same estimate, another kWh
        return found.action, ActionEstimateBill()
    actions: dict[str, Action] = {
        follow_ups.SCHEDULE: ActionShowOutageSchedule(), follow_ups.TARIFF: ActionShowTariff(),
        follow_ups.PAYMENT_METHODS: ActionShowPaymentMethods(), follow_ups.HANDOFF: ActionHandoff(),
        follow_ups.ANSWER: ActionAnswerVerified(asked=found.asked),
        follow_ups.FILED: ActionFiledRequestTerms(),
        follow_ups.CONTACT: ActionAddReportContact(),
        follow_ups.HOTLINE: ActionTellHotline(),
        follow_ups.SCAM: ActionCheckScam(), follow_ups.SCAM_STEPS: ActionScamWhatToDo(),
        follow_ups.SCAM_SITES: ActionScamOfficialSites(), follow_ups.SCAM_VERIFY: ActionScamHowToVerify(),
        follow_ups.SUMMARY: ActionSubmitServiceRequest(),  # a yes to the summary, in any words: file it
    }
    return found.action, actions[found.action]


def run_follow_up(found: tuple[str, Action], dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
    """The frame run again, and which frame it was (the next message may follow it up too)."""
    frame, action = found
    events = action.run(dispatcher, tracker, domain)
    return [*(events or []), SlotSet(follow_ups.FRAME_SLOT, frame)]


class ActionFollowUp(Action):
    """What the dialogue runs when a message follows up the answer just given (dialogue_policies/follow_up_policy.py
    decides it on the same words)."""

    def name(self) -> str:
        return "action_follow_up"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        follow_up = follow_up_of(tracker)
        if follow_up is None:  # the policy and this action read the same words: only if they changed meanwhile
            return ActionMisunderstood().run(dispatcher, tracker, domain)
        hear_complaint(dispatcher, tracker)
        return run_follow_up(follow_up, dispatcher, tracker, domain)


class ActionMisunderstood(Action):
    """The first misunderstanding shows what the assistant does; the second in a row hands over to a person."""

    def name(self) -> str:
        return "action_misunderstood"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        hear_complaint(dispatcher, tracker)
        if tracker.get_slot("no_registered_phone") and asks_about_papers(tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(response="utter_other_road")  # "vậy cần giấy tờ gì?"
            return []
        follow_up = follow_up_of(tracker)
        if follow_up is not None:  # "còn ngày kia?", "gồm thuế chưa?": the previous answer's subject
            return run_follow_up(follow_up, dispatcher, tracker, domain)
        if said_this_turn(tracker, "utter_complaint_heard"):
            return []  # a complaint with no request: the apology and the ways forward (its buttons), not "em chưa hiểu"
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "out_of_scope" and is_gibberish(tracker.latest_message.get("text") or ""):
            intent = "nlu_fallback"  # "asdfgh qwerty": not understood, whatever the classifier guessed
        if intent == "affirm" and waiting_draft(tracker):  # "ok", "đồng ý" later than right after its summary
            return run_follow_up((follow_ups.FILED, ActionSubmitServiceRequest()), dispatcher, tracker, domain)
        if intent == "affirm":  # "vâng đúng" with nothing asked: heard, and what was filed just before stands
            filed = tracker.get_slot("last_ticket") if previous_action(tracker) in FILING else None
            if filed:
                dispatcher.utter_message(response="utter_filed_already_noted", ticket=filed)
            dispatcher.utter_message(response="utter_anything_else")
            return []
        if misunderstandings_in_a_row(tracker) >= HANDOFF_AFTER:
            return ActionHandoff().run(dispatcher, tracker, domain)
        if intent == "nlu_fallback" and did_you_mean(dispatcher, tracker, domain):
            return []
        # Other utilities, jokes: a short answer in scope, however many come in a row (they are understood).
        dispatcher.utter_message(response="utter_out_of_scope" if intent == "out_of_scope" else "utter_default")
        return []
