"""Rasa's REST channel behind the project's input guard (same URL: /webhooks/rest/webhook)."""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from connectors.guard import guarded

OTHER_CHANNELS = ("facebook-", "zalo-")


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def _extract_message(self, req: Request) -> str:
        # A non-string "message" (number, list, null) is treated as empty, not a crash.
        message = _body(req).get("message")
        return message if isinstance(message, str) else ""

    async def _extract_sender(self, req: Request) -> str | None:
        sender = _body(req).get("sender")
        sender = str(sender) if isinstance(sender, (str, int)) else None
        if sender and sender.startswith(OTHER_CHANNELS):
            # Messenger and Zalo conversations carry verified identities: REST may not post into them.
            raise InvalidUsage("This sender id is reserved for another channel.")
        return sender

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return super().blueprint(guarded(on_new_message))


def _body(req: Request) -> dict:
    """The JSON object sent, or a 400 for anything else (invalid JSON, a list, a string)."""
    body = req.json
    if not isinstance(body, dict):
        raise InvalidUsage("Body must be a JSON object with 'sender' and 'message'.")
    return body
