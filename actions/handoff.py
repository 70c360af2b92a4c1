"""Handing the conversation to a person: a record with the last turns, and honest expectations."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import latest_turns, source_address
from actions.limits import tell_rate_limited
from actions.runtime import services
from evn import reference
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
        dispatcher.utter_message(response=response, id=handoff.id, hotline=hotline)
        return [SlotSet("handoff_waiting", True)]
