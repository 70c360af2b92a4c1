"""Reading what the customer asked from the tracker."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from rasa_sdk import Tracker


@dataclass(frozen=True)
class Request:
    intent: str
    text: str
    period_text: str | None
    entities: dict[str, str] = field(default_factory=dict)  # of the question itself


def user_events(tracker: Tracker) -> list[dict]:
    return [event for event in tracker.events if event.get("event") == "user"]


def entity_value(event: dict, entity: str) -> str | None:
    values = [e.get("value") for e in event.get("parse_data", {}).get("entities", []) if e.get("entity") == entity]
    return str(values[-1]) if values else None


def find_request(tracker: Tracker, intents: Iterable[str]) -> Request | None:
    """The newest question of one of `intents`, with the newest period named since.

    Verification may take several turns; this finds what the customer wanted
    before it, and picks up a period given later ("còn tháng 9 thì sao?").
    """
    wanted = set(intents)
    period_text: str | None = None
    for event in reversed(user_events(tracker)):
        period_text = period_text or entity_value(event, "period")
        intent = event.get("parse_data", {}).get("intent", {}).get("name")
        if intent in wanted:
            entities = {
                e["entity"]: str(e.get("value"))
                for e in event.get("parse_data", {}).get("entities", [])
                if e.get("entity")
            }
            return Request(intent=intent, text=event.get("text") or "", period_text=period_text, entities=entities)
    return None
