"""Handing the conversation to a person: a record with the last turns, and honest expectations."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import latest_turns, source_address
from actions.limits import tell_rate_limited
from actions.phrases import phrase
from actions.runtime import services
from evn import reference
from evn.domain.money import format_date
from evn.services.errors import RateLimited
from evn.services.handoffs import TRANSCRIPT_TURNS


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
