"""Serving the next request of a message of several ("coi hóa đơn kỳ rồi xong gửi mã QR luôn"): as a message.

The request is given back to the dialogue as the customer's message, with its words, intent and values, after
an `action_listen` (Rasa's own way to hand a message back: its two-stage fallback does the same), so the rules
serve it as if it had been sent alone; it is marked (`queued_request`) so that it is not taken for a new message.
The values its words carry fill the slots they fill from any message (Rasa fills those only for messages it
received).
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from evn.domain.queued_requests import QUEUED, waiting


class ActionNextRequest(Action):
    def name(self) -> str:
        return "action_next_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        queue = waiting(tracker.events)
        if not queue:
            return []
        request = queue[0]
        latest = tracker.latest_message or {}
        metadata = latest.get("metadata") or {}
        parse = {"text": request["text"], "intent": request["intent"], "entities": request.get("entities") or [],
                 "intent_ranking": [request["intent"]], QUEUED: True, "metadata": metadata}
        return [{"event": "action", "name": "action_listen"},
                {"event": "user", "text": request["text"], "parse_data": parse,
                 "input_channel": tracker.get_latest_input_channel(), "metadata": metadata},
                *entity_slots(domain, parse["entities"])]


def entity_slots(domain: DomainDict, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The slots the domain fills from these entities in any message (a `from_entity` mapping without conditions)."""
    found = {str(entity.get("entity")): entity.get("value") for entity in entities}
    events = []
    for slot, definition in (domain.get("slots") or {}).items():
        for mapping in definition.get("mappings") or []:
            if (mapping.get("type") == "from_entity" and mapping.get("entity") in found
                    and not any(mapping.get(key) for key in ("intent", "not_intent", "role", "group", "conditions"))):
                events.append(SlotSet(slot, found[mapping["entity"]]))
                break
    return events
