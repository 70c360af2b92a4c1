"""The notices' routes to the platforms: the chat through Rasa, a ZNS template, a Messenger utility template.

Chat: POST /conversations/{id}/trigger_intent with output_channel set to the notice's own
channel (not "latest": the conversation may be long idle, or unknown to a Rasa restarted
with an in-memory tracker store), so the action renders the words from the domain's
responses and the channel's output sends them (evn.adapters.rasa_api). ZNS: POST {ZALO_ZNS_URL} (Zalo's
business.openapi.zalo.me/message/template) with the OA's access token, the customer's
registered phone as 84xxxxxxxxx, the template id of the kind and its data; `error` 0 means
taken. Messenger: POST {graph}/me/messages with messaging_type UTILITY and an approved
template by name, the facts as the body's parameters in a fixed order per kind.
Each sender raises when the platform did not take the notice; the delivery retries.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from evn.adapters.rasa_api import RasaApi
from evn.domain import conversations
from evn.domain.notices import TEMPLATE_FIELDS
from evn.services.notices import Content, PendingNotice

NOTICE_INTENT = "EXTERNAL_notice"


class ChatSender:
    def __init__(self, rasa_url: str, secret: str, timeout: float = 15) -> None:
        self.api = RasaApi(rasa_url, secret, timeout)

    def __call__(self, notice: PendingNotice, content: Content, template: str) -> str:
        if conversations.channel_of(notice.conversation_id) != notice.channel:
            raise ValueError("the conversation is not of the notice's channel")
        self.api.trigger_intent(notice.conversation_id, NOTICE_INTENT,
                                {"notice_kind": notice.kind.value, **content.facts}, output_channel=notice.channel)
        return f"chat:{notice.conversation_id}"


def international_phone(phone: str) -> str:
    """0901234567 -> 84901234567, as ZNS wants it."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return "84" + digits[1:] if digits.startswith("0") else digits


class ZnsSender:
    def __init__(self, url: str, access_token: Callable[[], str], timeout: float = 15) -> None:
        self.url = url
        self.access_token = access_token
        self.timeout = timeout

    def __call__(self, notice: PendingNotice, content: Content, template: str) -> str:
        if not content.phone:
            raise ValueError("the customer has no registered phone")
        response = requests.post(
            self.url, headers={"access_token": self.access_token(), "Content-Type": "application/json"},
            json={"phone": international_phone(content.phone), "template_id": template,
                  "template_data": template_data(notice, content), "tracking_id": f"notice-{notice.id}"},
            timeout=self.timeout,
        )
        body = _json(response)
        if response.status_code >= 300 or body.get("error") != 0:
            raise RuntimeError(f"ZNS refused: HTTP {response.status_code}, error {body.get('error')}")
        return str((body.get("data") or {}).get("msg_id") or "")


class MessengerUtilitySender:
    def __init__(self, graph_url: str, page_access_token: str, timeout: float = 15) -> None:
        self.graph_url = graph_url.rstrip("/")
        self.page_access_token = page_access_token
        self.timeout = timeout

    def __call__(self, notice: PendingNotice, content: Content, template: str) -> str:
        parameters = [{"type": "text", "text": value} for value in template_data(notice, content).values()]
        response = requests.post(
            f"{self.graph_url}/me/messages", params={"access_token": self.page_access_token},
            json={"recipient": {"id": notice.channel_user}, "messaging_type": "UTILITY",
                  "message": {"template": {"name": template, "language": {"code": "vi"},
                                           "components": [{"type": "BODY", "parameters": parameters}]}}},
            timeout=self.timeout,
        )
        body = _json(response)
        if response.status_code >= 300 or "error" in body:
            raise RuntimeError(f"Messenger refused: HTTP {response.status_code}")
        return str(body.get("message_id") or "")


def template_data(notice: PendingNotice, content: Content) -> dict[str, str]:
    """The facts a kind's template takes, in its order (a template never gets more than it names)."""
    return {name: content.facts.get(name, "") for name in TEMPLATE_FIELDS[notice.kind]}


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
