"""Handing the conversation to a person: a record with the last turns, and honest expectations."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import hear_complaint, latest_turns, source_address
from actions.limits import tell_rate_limited
from actions.phrases import phrase
from actions.runtime import services
from evn import reference
from evn.domain.money import format_date
from evn.domain.no_registered_phone import asks_about_papers
from evn.services.errors import RateLimited
from evn.services.handoffs import TRANSCRIPT_TURNS

MISUNDERSTOOD = {"nlu_fallback", "out_of_scope"}
HANDOFF_AFTER = 2  # misunderstandings in a row (README)


MISUNDERSTOOD_REPLIES = {"utter_default", "utter_out_of_scope"}


def misunderstandings_in_a_row(tracker: Tracker) -> int:
    """This message and the ones before it that the assistant answered with "em chưa hiểu" (or "not ours"),
    in a row: a message a form understood ("ko biết sđt chủ cũ") does not count, whatever its intent."""
    count, answered = 1, set()
    for event in reversed(tracker.events[:_latest_user_index(tracker)]):
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


class ActionMisunderstood(Action):
    """The first misunderstanding shows what the assistant does; the second in a row hands over to a person."""

    def name(self) -> str:
        return "action_misunderstood"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        hear_complaint(dispatcher, tracker)
        if tracker.get_slot("no_registered_phone") and asks_about_papers(tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(response="utter_other_road")  # "vậy cần giấy tờ gì?"
            return []
        if misunderstandings_in_a_row(tracker) >= HANDOFF_AFTER:
            return ActionHandoff().run(dispatcher, tracker, domain)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        dispatcher.utter_message(response="utter_out_of_scope" if intent == "out_of_scope" else "utter_default")
        return []


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        asked = (tracker.latest_message.get("intent") or {}).get("name") == "human_handoff"
        try:
            handoff = services().handoffs.request(
                tracker.sender_id, tracker.get_latest_input_channel() or "rest",
                "asked" if asked else "fallbacks", latest_turns(tracker, TRANSCRIPT_TURNS), source_address(tracker),
            )
        except RateLimited as limited:
            tell_rate_limited(dispatcher, limited)
            return []
        hotline = reference.general_hotlines()
        code = tracker.get_slot("verified_code")
        if code and services().identity.is_verified(tracker.sender_id, code):
            hotline = services().billing.customer(tracker.sender_id, code).hotline or hotline
        response = "utter_handoff_already_waiting" if handoff.already_waiting else "utter_handoff"
        if handoff.agents_back is None:
            dispatcher.utter_message(response=response, id=handoff.id, hotline=hotline)
        else:
            back = agents_back_phrase(domain, handoff.agents_back, services().today())
            dispatcher.utter_message(response=f"{response}_after_hours", id=handoff.id, hotline=hotline, back=back)
        return [SlotSet("handoff_waiting", True)]


def agents_back_phrase(domain: DomainDict, back: datetime, today: date) -> str:
    """'7:30 sáng mai (thứ Tư, 02/12/2026)': when an agent will answer."""
    days = (back.date() - today).days
    kind = "today" if days == 0 else "tomorrow" if days == 1 else "on"
    return phrase(domain, f"utter_part_back_{kind}", weekday=phrase(domain, f"utter_part_weekday_{back.weekday()}"),
                  date=format_date(back))
