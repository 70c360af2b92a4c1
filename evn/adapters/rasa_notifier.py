"""Tells a conversation that its payment arrived, through Rasa's HTTP API.

POST /conversations/{id}/trigger_intent?output_channel=latest: the assistant
answers on whichever channel the customer last wrote from. Conversation ids use a
URL-safe alphabet (evn.domain.conversations), so the id goes in the path as it is.
"""
from __future__ import annotations

from typing import Any

import requests

from evn.domain import conversations

PAYMENT_RECEIVED_INTENT = "EXTERNAL_payment_received"


class RasaNotifier:
    def __init__(self, rasa_url: str, token: str, timeout: float = 10) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def payment_received(self, payload: dict[str, Any]) -> None:
        """An outbox message of kind payment_received; raises when Rasa did not take it (retried)."""
        conversation = str(payload["conversation_id"])
        if conversations.channel_of(conversation) is None:
            raise ValueError("not a conversation id a channel makes")
        response = requests.post(
            f"{self.rasa_url}/conversations/{conversation}/trigger_intent",
            params={"output_channel": "latest", "token": self.token},
            json={"name": PAYMENT_RECEIVED_INTENT, "entities": {
                "amount": payload["amount"], "period": payload["period"], "payment_method": payload["channel"],
                "payment_reference": payload.get("reference", ""),
            }},
            timeout=self.timeout,
        )
        if response.status_code >= 300:
            raise RuntimeError(f"Rasa answered HTTP {response.status_code}")
