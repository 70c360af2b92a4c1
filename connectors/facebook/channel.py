"""Messenger's Rasa channels: the webhook at /webhooks/facebook/webhook (input) and the replies (output).

What differs from Rasa 3.6.21's own channel (rasa/core/channels/facebook.py):

- Configuration comes from the environment (FACEBOOK_VERIFY_TOKEN, FACEBOOK_APP_SECRET,
  FACEBOOK_PAGE_ACCESS_TOKEN, FACEBOOK_GRAPH_URL); credentials.yml may override it. Without the
  three secrets the channel is off: every route answers 404 and nothing is processed.
- The verification handshake checks hub.mode and compares the token in constant time; a wrong
  token gets a 403, not a 200. A POST without a valid signature (signature.py) is a 403, a body
  that is not Messenger's (events.py) a 400; nothing is processed then.
- Every event of a batch is handled (stock stops after the first), after the 200 has been sent,
  so Facebook never waits for the NLU; a redelivered message id is handled once.
- Messages pass `connectors.guard.guarded` (empty / too long / NFC) like every channel.
- Replies are shaped by messages.py and sent by api.py; nothing is raised into Rasa.
- Conversations are named "facebook-<PSID>", so a Messenger user and a REST sender that happen
  to share an id never share a tracker (identity verification is bound to the conversation).
  The name stays URL-safe on purpose: Rasa's HTTP API (trigger_intent, used for payment
  confirmations) does not unquote conversation ids, so "%3A" would name another conversation.
"""
from __future__ import annotations

import asyncio
import contextvars
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput as RasaFacebookInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.config import setting
from connectors.facebook.api import DEFAULT_GRAPH_URL, SendApi
from connectors.facebook.events import CHANNEL, IncomingEvent, PayloadError, parse_events
from connectors.facebook.messages import (
    button_templates,
    file_message,
    generic_templates,
    image_message,
    quick_reply_messages,
    split_text,
)
from connectors.facebook.signature import signature_from_headers, signature_is_valid
from connectors.guard import guarded
from connectors.recipients import platform_user_id
from connectors.replies import reply
from connectors.source import channel_user_metadata
from connectors.state import DatabaseDeduplicator, Deduplicator, MemoryDeduplicator
from evn.domain import pictures
from evn.domain.reply_windows import HUMAN_AGENT_TAG
from evn.domain.signing import credentials
from evn.settings import load_settings

logger = logging.getLogger(__name__)

ATTACHMENT_REPLY = reply("utter_non_text")
SEEN_MESSAGE_IDS = 10_000

# A person's reply from the agent console is sent as such: within 24 h a RESPONSE, later (up to 7 days, checked
# by the console: evn.domain.reply_windows) a MESSAGE_TAG with HUMAN_AGENT. Set for one send_response only.
_SENDING: contextvars.ContextVar[tuple[str, str | None] | None] = contextvars.ContextVar("facebook_person_reply",
                                                                                       default=None)


def person_reply_type(message: Any) -> tuple[str, str | None] | None:
    """(messaging_type, tag) for an agent's message (its bot event's metadata names the agent), else None."""
    if not isinstance(message, dict) or not message.get("agent"):
        return None
    if message.get("messenger_tag") == HUMAN_AGENT_TAG:
        return "MESSAGE_TAG", HUMAN_AGENT_TAG
    return "RESPONSE", None


class FacebookOutput(OutputChannel):
    """Sends the bot's messages through the Graph API's Send API; never raises into Rasa."""

    @classmethod
    def name(cls) -> str:
        return "facebook"

    def __init__(
        self, page_access_token: str, graph_url: str = DEFAULT_GRAPH_URL, messaging_type: str = "RESPONSE"
    ) -> None:
        super().__init__()
        self.api = SendApi(page_access_token, graph_url)
        self.messaging_type = messaging_type

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        override = _SENDING.set(person_reply_type(message))
        try:
            async with self.api.session():
                await super().send_response(recipient_id, message)
        except Exception:  # noqa: BLE001 - a reply that cannot be sent must not break the conversation
            logger.exception("facebook.send_response.failed")
        finally:
            _SENDING.reset(override)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for piece in split_text(str(text or "")):
            await self.send_message(recipient_id, {"text": piece})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        leading, templates = button_templates(str(text or ""), buttons)
        for piece in leading:
            await self.send_message(recipient_id, {"text": piece})
        for template in templates:
            await self.send_message(recipient_id, template)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        for message in quick_reply_messages(text, quick_replies):
            await self.send_message(recipient_id, message)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_message(recipient_id, image_message(image))

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        """A file ({"type": "file", "url", "name"}: the bill's PDF) as a Messenger file attachment, which Facebook
        fetches from its signed link."""
        if not isinstance(attachment, dict) or attachment.get("type") != "file" or not isinstance(
                attachment.get("url"), str):
            logger.warning("facebook.attachment.skipped: not a file")
            return
        await self.send_message(recipient_id, file_message(attachment["url"]))

    async def send_elements(self, recipient_id: str, elements: Iterable[dict[str, Any]], **kwargs: Any) -> None:
        for template in generic_templates(elements):
            await self.send_message(recipient_id, template)

    async def send_custom_json(self, recipient_id: str, json_message: Any, **kwargs: Any) -> None:
        """Passed through as the Messenger `message` (a list: one message per item).

        Unlike stock Rasa, a "sender" key cannot redirect the message to another user.
        """
        messages = json_message if isinstance(json_message, list) else [json_message]
        for message in messages:
            if isinstance(message, dict):
                message = {k: v for k, v in message.items() if k != "sender"}
                await self.send_message(recipient_id, message)
            else:
                logger.warning("facebook.custom_json.skipped: not an object")

    async def send_message(self, recipient_id: str, message: dict[str, Any]) -> bool:
        """POST one message to the Send API. True when Graph accepted it; never raises."""
        body = {
            "recipient": {"id": platform_user_id(CHANNEL, recipient_id)},
            "message": message,
            "messaging_type": self.messaging_type,
        }
        person = _SENDING.get()
        if person is not None:
            body["messaging_type"] = person[0]
            if person[1]:
                body["tag"] = person[1]
        return await self.api.send(body)


class FacebookInput(RasaFacebookInput):
    """Messenger webhook at /webhooks/facebook/webhook, hardened (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        settings = load_settings().facebook

        channel = cls(
            setting(credentials, "verify", settings.verify_token),
            setting(credentials, "secret", settings.app_secret),
            setting(credentials, "page-access-token", settings.page_access_token),
            setting(credentials, "graph-url", settings.graph_url) or DEFAULT_GRAPH_URL,
        )
        if channel.enabled:
            channel.dedup = DatabaseDeduplicator(CHANNEL)
        else:
            missing = [
                name
                for name, value in (
                    ("FACEBOOK_VERIFY_TOKEN", channel.fb_verify),
                    ("FACEBOOK_APP_SECRET", channel.fb_secret),
                    ("FACEBOOK_PAGE_ACCESS_TOKEN", channel.fb_access_token),
                )
                if not value
            ]
            logger.warning("Facebook Messenger channel is off: %s not set.", ", ".join(missing))
        return channel

    def __init__(
        self, fb_verify: str, fb_secret: str, fb_access_token: str, graph_url: str = DEFAULT_GRAPH_URL
    ) -> None:
        super().__init__(fb_verify or "", fb_secret or "", fb_access_token or "")
        self.graph_url = (graph_url or DEFAULT_GRAPH_URL).rstrip("/")
        self._tasks: set[asyncio.Task] = set()
        self.dedup: Deduplicator = MemoryDeduplicator(capacity=SEEN_MESSAGE_IDS)

    @property
    def enabled(self) -> bool:
        return bool(self.fb_verify and self.fb_secret and self.fb_access_token)

    @staticmethod
    def validate_hub_signature(app_secret: str, request_payload: bytes, hub_signature_header: str) -> bool:
        """Stock's hook, made constant-time and limited to sha256 / sha1 ("sha256=<hex>" or "sha1=<hex>")."""
        header = hub_signature_header or ""
        if header.strip().lower().startswith("sha256="):
            return signature_is_valid(app_secret, request_payload, header)
        return signature_is_valid(app_secret, request_payload, None, header)

    def get_output_channel(self) -> OutputChannel | None:
        """For messages pushed later (trigger_intent with output_channel=latest)."""
        if not self.enabled:
            return None
        return FacebookOutput(self.fb_access_token, self.graph_url, messaging_type="UPDATE")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handler = guarded(on_new_message, CHANNEL)
        webhook = Blueprint("facebook_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.text("Not Found", status=404)
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def verification(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.text("Not Found", status=404)
            mode = request.args.get("hub.mode") or ""
            token = request.args.get("hub.verify_token") or ""
            token_ok = credentials.matches(token, self.fb_verify)
            if mode != "subscribe" or not token_ok:
                logger.warning("facebook.verification.refused: wrong hub.mode or hub.verify_token")
                return response.text("Forbidden", status=403)
            challenge = request.args.get("hub.challenge")
            if not challenge:
                return response.text("hub.challenge missing", status=400)
            return response.text(challenge)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.text("Not Found", status=404)
            body = request.body or b""
            if not signature_from_headers(self.fb_secret, body, request.headers):
                logger.warning("facebook.webhook.refused: missing or wrong X-Hub-Signature(-256)")
                return response.text("Forbidden", status=403)
            try:
                events = parse_events(json.loads(body))
            except (ValueError, RecursionError) as error:  # invalid JSON, bad UTF-8, PayloadError
                reason = str(error) if isinstance(error, PayloadError) else "invalid JSON"
                logger.warning("facebook.webhook.bad_request: %s", reason)
                return response.json({"error": reason}, status=400)
            events = [
                event for event in events if not event.message_id or await self.dedup.first_time(event.message_id)
            ]
            if events:
                self._schedule(self._handle_events(events, handler, self.get_metadata(request)))
            return response.text("EVENT_RECEIVED")

        return webhook

    def _schedule(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle_events(
        self,
        events: list[IncomingEvent],
        handler: Callable[[UserMessage], Awaitable[Any]],
        metadata: dict[str, Any] | None,
    ) -> None:
        """After the 200: each sender's events in order, different senders side by side."""
        by_sender: dict[str, list[IncomingEvent]] = {}
        for event in events:
            by_sender.setdefault(event.psid, []).append(event)
        output = FacebookOutput(self.fb_access_token, self.graph_url)
        async with output.api.session():
            await asyncio.gather(
                *(self._handle_sender(chain, handler, output, metadata) for chain in by_sender.values())
            )

    async def _handle_sender(
        self,
        events: list[IncomingEvent],
        handler: Callable[[UserMessage], Awaitable[Any]],
        output: FacebookOutput,
        metadata: dict[str, Any] | None,
    ) -> None:
        for event in events:
            try:
                if event.text is None and event.picture_url is None:
                    await output.send_text_message(event.conversation_id, ATTACHMENT_REPLY)
                    continue
                picture = pictures.picture_metadata(CHANNEL, url=event.picture_url) if event.picture_url else {}
                await handler(
                    UserMessage(
                        event.text if event.text is not None else pictures.PAYLOAD,
                        output,
                        event.conversation_id,
                        input_channel=self.name(),
                        message_id=event.message_id,
                        metadata={**(metadata or {}), **channel_user_metadata(), **picture},
                    )
                )
            except Exception:  # noqa: BLE001 - one failing message must not stop the others
                logger.exception("facebook.message.failed")
