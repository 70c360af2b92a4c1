"""Tells a conversation what happened outside it, through Rasa's HTTP API (the outbox's handlers).

POST /conversations/{id}/trigger_intent?output_channel=latest: the assistant answers on
whichever channel the customer last wrote from (a payment arrived, an agent joined, a
handoff closed or waited too long). An agent's words are not the bot's to choose:
they go as a `bot` event through POST /conversations/{id}/tracker/events with
output_channel=latest and execute_side_effects, so Rasa sends them through that
channel's output and keeps them in the tracker. Each handler raises when Rasa did not
take the message, and the worker retries it (the calls: evn.adapters.rasa_api).
"""
from __future__ import annotations

from typing import Any

from evn.adapters.rasa_api import RasaApi
from evn.domain import events

PAYMENT_RECEIVED_INTENT = "EXTERNAL_payment_received"
AGENT_JOINED_INTENT = "EXTERNAL_agent_joined"
HANDOFF_CLOSED_INTENT = "EXTERNAL_handoff_closed"
HANDOFF_UNANSWERED_INTENT = "EXTERNAL_handoff_unanswered"


class RasaNotifier:
    """The outbox's handlers: each event type to its call of Rasa's HTTP API, the event's fields named as the
    domain's entities and slots name them."""

    def __init__(self, rasa_url: str, secret: str, timeout: float = 10) -> None:
        self.api = RasaApi(rasa_url, secret, timeout)

    def handlers(self) -> dict[type, Any]:
        """The mapping the worker delivers by (evn.bootstrap)."""
        return {
            events.PaymentReceived: self.payment_received,
            events.AgentJoined: self.agent_joined,
            events.AgentMessage: self.agent_message,
            events.HandoffClosed: self.handoff_closed,
            events.HandoffUnanswered: self.handoff_unanswered,
        }

    def payment_received(self, event: events.PaymentReceived) -> None:
        self._trigger(event.conversation_id, PAYMENT_RECEIVED_INTENT, {
            "amount": event.amount, "period": event.period, "payment_method": event.channel,
            "payment_reference": event.reference,
        })

    def agent_joined(self, event: events.AgentJoined) -> None:
        """The customer is told who answers; the bot's action then pauses the conversation."""
        self._trigger(event.conversation_id, AGENT_JOINED_INTENT, {"agent_name": event.agent_name})

    def agent_message(self, event: events.AgentMessage) -> None:
        """An agent's words, into the customer's own chat (Messenger's tag decided when it was written)."""
        metadata: dict[str, Any] = {"agent": event.agent_name, "handoff_id": event.handoff_id}
        if event.messenger_tag:
            metadata["messenger_tag"] = event.messenger_tag
        self.api.append_events(event.conversation_id, [{"event": "bot", "text": event.text, "metadata": metadata}],
                               execute_side_effects=True)

    def handoff_closed(self, event: events.HandoffClosed) -> None:
        """The bot is resumed, then says it is back (with how the handoff ended)."""
        self.resume(event.conversation_id)
        self._trigger(event.conversation_id, HANDOFF_CLOSED_INTENT,
                      {"handoff_outcome": event.outcome, "handoff_id": event.handoff_id})

    def resume(self, conversation_id: str) -> None:
        """Rasa answers the conversation again (a `resume` event; nothing is said). Also what the input guard
        does to a pause that no open handoff explains (connectors.guard)."""
        self.api.append_events(conversation_id, [{"event": "resume"}])

    def handoff_unanswered(self, event: events.HandoffUnanswered) -> None:
        self._trigger(event.conversation_id, HANDOFF_UNANSWERED_INTENT, {})

    def _trigger(self, conversation_id: str, intent: str, entities: dict[str, Any]) -> None:
        self.api.trigger_intent(conversation_id, intent, entities)
