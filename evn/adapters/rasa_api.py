"""The one client of Rasa's HTTP API for a conversation: its tracker, an intent triggered in it, events appended.

Every call names one conversation, whose id must be one a channel makes (a URL-safe alphabet,
evn.domain.conversations, so it goes in the path as it is), and carries a JWT for that conversation alone in the
Authorization header (evn.adapters.rasa_auth), never a token in the URL. A call Rasa did not take raises, so the
outbox and the notice delivery retry it.
"""
from __future__ import annotations

from typing import Any

import requests

from evn.adapters.rasa_auth import auth_headers
from evn.domain import conversations


class RasaApi:
    def __init__(self, rasa_url: str, secret: str, timeout: float) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.secret = secret  # RASA_AUTH_TOKEN, the key the JWTs are signed with
        self.timeout = timeout

    def trigger_intent(self, conversation_id: str, intent: str, entities: dict[str, Any],
                       output_channel: str = "latest") -> None:
        """The assistant runs what follows `intent` and answers through `output_channel`."""
        self._post(conversation_id, "trigger_intent", {"name": intent, "entities": entities},
                   {"output_channel": output_channel})

    def append_events(self, conversation_id: str, events: list[dict[str, Any]],
                      execute_side_effects: bool = False) -> None:
        """Events added to the tracker; with side effects, a `bot` event is also sent to the latest channel."""
        params = {"output_channel": "latest"}
        if execute_side_effects:
            params["execute_side_effects"] = "true"
        self._post(conversation_id, "tracker/events", events, params)

    def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation's tracker with all its events."""
        response = requests.get(self._url(conversation_id, "tracker"), params={"include_events": "ALL"},
                                headers=auth_headers(self.secret, conversation_id), timeout=self.timeout)
        response.raise_for_status()
        found = response.json()
        return found if isinstance(found, dict) else {}

    def _post(self, conversation_id: str, path: str, body: Any, params: dict[str, str]) -> None:
        response = requests.post(self._url(conversation_id, path), params=params, json=body,
                                 headers=auth_headers(self.secret, conversation_id), timeout=self.timeout)
        if response.status_code >= 300:
            raise RuntimeError(f"Rasa answered HTTP {response.status_code}")

    def _url(self, conversation_id: str, path: str) -> str:
        if conversations.channel_of(conversation_id) is None:
            raise ValueError("not a conversation id a channel makes")
        return f"{self.rasa_url}/conversations/{conversation_id}/{path}"
