"""Tells a conversation what happened outside it, through Rasa's HTTP API (the outbox's handlers).

POST /conversations/{id}/trigger_intent?output_channel=latest: the assistant answers on
whichever channel the customer last wrote from (a payment arrived, an agent joined, a
handoff closed or waited too long). An agent's words are not the bot's to choose:
they go as a `bot` event through POST /conversations/{id}/tracker/events with
output_channel=latest and execute_side_effects, so Rasa sends them through that
channel's output and keeps them in the tracker. Each handler raises when Rasa did not
take the message, and the dispatcher retries it (the calls: evn.adapters.rasa_api).
"""
from __future__ import annotations

from typing import Any

from evn.adapters.rasa_api import RasaApi

PAYMENT_RECEIVED_INTENT = "EXTERNAL_payment_received"
AGENT_JOINED_INTENT = "EXTERNAL_agent_joined"
HANDOFF_CLOSED_INTENT = "EXTERNAL_handoff_closed"
HANDOFF_UNANSWERED_INTENT = "EXTERNAL_handoff_unanswered"


class RasaNotifier:
    def __init__(self, rasa_url: str, secret: str, timeout: float = 10) -> None:
        self.api = RasaApi(rasa_url, secret, timeout)

    def payment_received(self, payload: dict[str, Any]) -> None:
        """An outbox message of kind payment_received."""
        self._trigger(payload, PAYMENT_RECEIVED_INTENT, {
            "amount": payload["amount"], "period": payload["period"], "payment_method": payload["channel"],
            "payment_reference": payload.get("reference", ""),
        })

    def agent_joined(self, payload: dict[str, Any]) -> None:
        """The customer is told who answers; the bot's action then pauses the conversation."""
        self._trigger(payload, AGENT_JOINED_INTENT, {"agent_name": payload["agent_name"]})

    def agent_message(self, payload: dict[str, Any]) -> None:
        """An agent's words, into the customer's own chat (Messenger's tag decided when it was written)."""
        metadata = {"agent": payload["agent_name"], "handoff_id": payload["handoff_id"]}
        if payload.get("messenger_tag"):
            metadata["messenger_tag"] = payload["messenger_tag"]
        self.api.append_events(str(payload["conversation_id"]),
                               [{"event": "bot", "text": payload["text"], "metadata": metadata}],
                               execute_side_effects=True)

    def handoff_closed(self, payload: dict[str, Any]) -> None:
        """The bot is resumed, then says it is back (with how the handoff ended)."""
        self.resume(payload["conversation_id"])
        self._trigger(payload, HANDOFF_CLOSED_INTENT, {"handoff_outcome": payload["outcome"]})

    def resume(self, conversation_id: str) -> None:
        """Rasa answers the conversation again (a `resume` event; nothing is said). Also what the input guard
        does to a pause that no open handoff explains (connectors.guard)."""
        self.api.append_events(conversation_id, [{"event": "resume"}])

    def handoff_unanswered(self, payload: dict[str, Any]) -> None:
        self._trigger(payload, HANDOFF_UNANSWERED_INTENT, {})

    def _trigger(self, payload: dict[str, Any], intent: str, entities: dict[str, Any]) -> None:
        self.api.trigger_intent(str(payload["conversation_id"]), intent, entities)
