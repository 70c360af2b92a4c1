"""Tells a conversation that its payment arrived, through Rasa's HTTP API.

POST /conversations/{id}/trigger_intent?output_channel=latest: the assistant
answers on whichever channel the customer last wrote from.
"""
from __future__ import annotations

from urllib.parse import quote

import requests

PAYMENT_RECEIVED_INTENT = "EXTERNAL_payment_received"


class RasaNotifier:
    def __init__(self, rasa_url: str, token: str, timeout: float = 10) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def payment_received(self, conversation_id: str, amount: int, period: str, channel: str) -> None:
        response = requests.post(
            f"{self.rasa_url}/conversations/{quote(conversation_id, safe='')}/trigger_intent",
            params={"output_channel": "latest", "token": self.token},
            json={"name": PAYMENT_RECEIVED_INTENT, "entities": {"amount": amount, "period": period, "payment_method": channel}},
            timeout=self.timeout,
        )
        response.raise_for_status()
