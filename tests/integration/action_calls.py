"""Custom actions called as the action server calls them: the events and tracker they get, and what they said.

The `domain` and `actions_env` fixtures (tests/integration/conftest.py) load the domain the actions answer with
and the core they run on; `texts` renders their messages with the responses that loading recorded here.
"""
from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def user(text: str, intent: str, entities: list[dict] | None = None) -> dict:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": entities or []},
    }


def tracker(sender: str, events: list[dict], slots: dict | None = None, active_loop: str | None = None) -> Tracker:
    latest = next((e["parse_data"] for e in reversed(events) if e["event"] == "user"), {})
    return Tracker(
        sender_id=sender, slots=slots or {}, latest_message=latest, events=events, paused=False,
        followup_action=None, active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def run(action, t: Tracker, domain: dict) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    result = action.run(dispatcher, t, domain)
    events = asyncio.run(result) if asyncio.iscoroutine(result) else result
    return dispatcher.messages, events


DOMAIN_RESPONSES: dict = {}


# Rasa fills a response with the slots too ({addressee}: "anh/chị" until the customer says otherwise).
INITIAL_SLOTS: dict = {}


def texts(messages: list[dict]) -> str:
    """Render messages as the Rasa server would: response templates filled with the action's values."""
    rendered = []
    for message in messages:
        if message.get("response"):
            template = DOMAIN_RESPONSES[message["response"]][0]["text"]
            values = {**INITIAL_SLOTS, **{k: v for k, v in message.items() if v is not None}}
            rendered.append(template.format_map(_Missing(values)))
        else:
            rendered.append(message.get("text") or "")
    return "\n".join(rendered)


def responses(messages: list[dict]) -> list[str | None]:
    """The response each message names (None for a plain text, such as a catalogue question)."""
    return [message.get("response") for message in messages]


def slots_set(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        raise AssertionError(f"response variable {{{key}}} was not given")
