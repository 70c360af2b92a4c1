"""Reads a conversation's turns from Rasa's HTTP API, for the agent console.

GET /conversations/{id}/tracker (evn.adapters.rasa_api): the customer's messages, the bot's
and the agents' answers, each with its time. The customer's words are masked here
(phones, ID numbers, street addresses) as they are in logs; the bot's replies were
masked when they were written. Whether the conversation is paused is read too: the
console shows that the bot is silent.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from evn.adapters.rasa_api import RasaApi
from evn.domain.masking import mask_personal_data
from evn.domain.queued_requests import QUEUED


@dataclass(frozen=True)
class Turn:
    sender: str  # customer | bot | agent
    text: str
    at: float  # Rasa's timestamp, seconds since the epoch
    agent: str = ""

    @property
    def at_utc(self) -> datetime:
        return datetime.fromtimestamp(self.at, tz=timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class Conversation:
    turns: tuple[Turn, ...]
    paused: bool
    last_customer_message_at: datetime | None  # naive UTC


class RasaTrackerReader:
    def __init__(self, rasa_url: str, secret: str, timeout: float = 5) -> None:
        self.api = RasaApi(rasa_url, secret, timeout)

    def conversation(self, conversation_id: str) -> Conversation:
        """Raises for an id no channel makes and when Rasa does not answer (the console says so)."""
        return conversation_of(self.api.tracker(conversation_id))


def conversation_of(tracker: dict) -> Conversation:
    turns = []
    for event in tracker.get("events") or []:
        kind, text = event.get("event"), event.get("text")
        if kind not in ("user", "bot") or not isinstance(text, str) or not text.strip():
            continue
        at = float(event.get("timestamp") or 0)
        if kind == "user":
            parse = event.get("parse_data") or {}
            if (parse.get("intent") or {}).get("name", "").startswith("EXTERNAL_") or parse.get(QUEUED):
                continue  # news from outside, or a request of the customer's message served after it
            turns.append(Turn("customer", mask_personal_data(text), at))
        else:
            agent = str((event.get("metadata") or {}).get("agent") or "")
            turns.append(Turn("agent" if agent else "bot", text, at, agent))
    customer = [turn for turn in turns if turn.sender == "customer"]
    return Conversation(tuple(turns), bool(tracker.get("paused")), customer[-1].at_utc if customer else None)
