"""REST channel for trusted backends and tests (same URL as Rasa's: /webhooks/rest/webhook).

What differs from Rasa's own RestInput:
- Every POST needs `Authorization: Bearer <REST_CHANNEL_TOKEN>`; otherwise 401.
- `sender` must be a string of 1-64 characters from A-Z a-z 0-9 _ . - (else 400), and
  the conversation is `rest-<sender>`: a REST client can never speak in a widget,
  Messenger or Zalo conversation, and two clients that omit `sender` never share one.
- `metadata`, when given, must be an object (else 400); the channel adds the client's
  source under its own key, which a client cannot set.
- A body that is not a JSON object is a 400. A `message` that is not text gets the
  guard's polite answer.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.guard import guarded
from connectors.replies import reply
from connectors.source import source_metadata
from evn.domain import conversations, pictures
from evn.domain.signing import credentials
from evn.settings import load_settings

logger = logging.getLogger(__name__)

CHANNEL = "rest"
FAILURE_REPLY = reply("utter_system_failure")


class BadRequest(ValueError):
    """The body is not what this channel accepts; answered with a 400 and its reason."""


def parse_body(raw: bytes) -> tuple[str, Any, dict[str, Any]]:
    """(sender, message, metadata) of a webhook body, or BadRequest."""
    try:
        body = json.loads(raw or b"")
    except (ValueError, RecursionError):
        raise BadRequest("body must be a JSON object with 'sender' and 'message'") from None
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object with 'sender' and 'message'")
    sender = body.get("sender")
    if not isinstance(sender, str) or not conversations.is_valid_local_id(sender):
        raise BadRequest("'sender' must be 1-64 characters of A-Z a-z 0-9 _ . -")
    metadata = body.get("metadata")
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise BadRequest("'metadata' must be an object")
    metadata.pop(pictures.METADATA_KEY, None)  # only a channel that received a picture says it did
    return sender, body.get("message"), metadata


class RestChannelInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials_: dict[str, Any] | None) -> RestChannelInput:
        settings = load_settings()
        return cls(settings.rest_channel_token, settings.trusted_proxies, settings.widget_session_secret)

    def __init__(self, token: str, trusted_proxies: tuple[str, ...] = (), source_secret: str = "") -> None:
        self.token = token
        self.trusted_proxies = trusted_proxies
        self.source_secret = source_secret

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handler = guarded(on_new_message, CHANNEL)
        webhook = Blueprint("rest_channel_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not credentials.matches(credentials.bearer(request.headers.get("authorization")), self.token):
                return response.json({"error": "Authorization: Bearer <REST_CHANNEL_TOKEN> required"}, status=401)
            try:
                sender, text, metadata = parse_body(request.body)
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            metadata.update(source_metadata(request, self.trusted_proxies, self.source_secret))
            collector = CollectingOutputChannel()
            message = UserMessage(
                text if isinstance(text, str) else "", collector,
                conversations.conversation_id(CHANNEL, sender), input_channel=CHANNEL, metadata=metadata,
            )
            try:
                await handler(message)
            except Exception:  # noqa: BLE001 - the client gets an answer, the log the reason
                logger.exception("rest.message.failed")
                await collector.send_text_message(message.sender_id, FAILURE_REPLY)
            return response.json(collector.messages)

        return webhook
