"""Facebook Messenger behind the project's input guard (same URL as stock: /webhooks/facebook/webhook).

What differs from Rasa 3.6.21's own channel (rasa/core/channels/facebook.py):

- Configuration comes from the environment (FACEBOOK_VERIFY_TOKEN, FACEBOOK_APP_SECRET,
  FACEBOOK_PAGE_ACCESS_TOKEN, FACEBOOK_GRAPH_URL); credentials.yml may override it. Without the
  three secrets the channel is off: every route answers 404 and nothing is processed.
- The verification handshake checks hub.mode and compares the token in constant time; a wrong
  token gets a 403, not a 200.
- Every POST must carry `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`
  (or, only when that header is absent, the older `X-Hub-Signature: sha1=…`). The comparison
  takes constant time; a bad or missing signature is a 403 and nothing is processed.
- The body is validated before anything runs: invalid JSON, a non-page object or wrong types are
  a 400 (never a 5xx, never half a batch); events without text (deliveries, reads, echoes,
  stickers) are acknowledged and ignored; an attachment gets a polite text reply.
- Every event of a batch is handled (stock stops after the first), after the 200 has been sent,
  so Facebook never waits for the NLU; a redelivered message id is handled once.
- Messages pass `connectors.guard.guarded` (empty / too long / NFC) like every channel.
- Replies go straight to the Graph API with aiohttp (base URL configurable, so tests use a fake
  server): long texts split at Messenger's 2000-character limit, more than 3 buttons become
  several button templates, URL buttons stay URL buttons, titles are shortened to 20 characters.
  Graph errors are logged (phone numbers masked, the token never) and never raised into Rasa;
  a 5xx or a refused connection is retried once.
- Conversations are named "facebook-<PSID>", so a Messenger user and a REST sender that happen
  to share an id never share a tracker (identity verification is bound to the conversation).
  The name stays URL-safe on purpose: Rasa's HTTP API (trigger_intent, used for payment
  confirmations) does not unquote conversation ids, so "%3A" would name another conversation.
"""
from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput as RasaFacebookInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors import http_retry
from connectors.buttons import groups, read_button
from connectors.config import redact, setting
from connectors.guard import guarded
from connectors.replies import reply
from connectors.source import channel_user_metadata
from connectors.state import DatabaseDeduplicator, Deduplicator, MemoryDeduplicator
from connectors.text import shorten as shorten_text
from connectors.text import split_text as text_pieces
from connectors.text import utf16_units
from evn.domain import conversations
from evn.domain.reply_windows import HUMAN_AGENT_TAG
from evn.domain.signing import credentials
from evn.settings import load_settings

logger = logging.getLogger(__name__)

DEFAULT_GRAPH_URL = "https://graph.facebook.com/v19.0"
CHANNEL = "facebook"
CONVERSATION_PREFIX = conversations.PREFIXES[CHANNEL]

# Messenger Platform limits (Send API reference; see the module's tests and the fake Graph API).
TEXT_LIMIT = 2000  # message.text
TEMPLATE_TEXT_LIMIT = 640  # button template text
BUTTON_TITLE_LIMIT = 20
BUTTONS_PER_TEMPLATE = 3
PAYLOAD_LIMIT = 1000  # postback / quick reply payload
QUICK_REPLIES_LIMIT = 13
GENERIC_ELEMENTS_LIMIT = 10

CHOOSE_TEXT = reply("utter_choose")
MORE_CHOICES_TEXT = reply("utter_more_choices")
ATTACHMENT_REPLY = reply("utter_non_text")

SEND_TIMEOUT_SECONDS = 10
RETRY_DELAY_SECONDS = 0.5
SEEN_MESSAGE_IDS = 10_000

SIGNATURE_256_HEADER = "X-Hub-Signature-256"
SIGNATURE_SHA1_HEADER = "X-Hub-Signature"


# --------------------------------------------------------------------------- signatures


def _signature_matches(app_secret: str, body: bytes, header_value: str, prefix: str, digest: Any) -> bool:
    scheme, separator, supplied = header_value.strip().partition("=")
    if not separator or scheme.strip().lower() != prefix:
        return False
    expected = hmac.new(app_secret.encode("utf-8"), body, digest).hexdigest()
    return hmac.compare_digest(credentials.as_bytes(supplied.strip().lower()), expected.encode("ascii"))


def signature_is_valid(
    app_secret: str | None, body: bytes, sha256_header: str | None, sha1_header: str | None = None
) -> bool:
    """True when the raw body carries the app secret's signature.

    `X-Hub-Signature-256: sha256=<hex>` decides whenever it is present (even empty or wrong);
    `X-Hub-Signature: sha1=<hex>` is looked at only when the 256 header is absent.
    An empty secret never validates anything. Comparisons take constant time.
    """
    if not app_secret:
        return False
    body = bytes(body or b"")
    if sha256_header is not None:
        return _signature_matches(app_secret, body, sha256_header, "sha256", hashlib.sha256)
    if sha1_header is not None:
        return _signature_matches(app_secret, body, sha1_header, "sha1", hashlib.sha1)
    return False


def signature_from_headers(app_secret: str | None, body: bytes, headers: Mapping[str, str]) -> bool:
    """`signature_is_valid` reading the two headers from a (case-insensitive) header mapping."""
    return signature_is_valid(
        app_secret, body, headers.get(SIGNATURE_256_HEADER), headers.get(SIGNATURE_SHA1_HEADER)
    )


# --------------------------------------------------------------------------- incoming payloads


class PayloadError(ValueError):
    """The webhook body is not what Messenger sends; answered with a 400."""


@dataclass(frozen=True)
class IncomingEvent:
    psid: str
    text: str | None  # None: an attachment without text
    message_id: str | None = None

    @property
    def conversation_id(self) -> str:
        return conversations.conversation_id(CHANNEL, self.psid)


def parse_events(payload: Any) -> list[IncomingEvent]:
    """The events to handle in a webhook body, or PayloadError. Validates everything first."""
    if not isinstance(payload, dict):
        raise PayloadError("body must be a JSON object")
    if payload.get("object") != "page":
        raise PayloadError("object must be 'page'")
    entries = payload.get("entry")
    if not isinstance(entries, list):
        raise PayloadError("entry must be a list")
    events: list[IncomingEvent] = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise PayloadError("each entry must be an object")
        messaging = entry.get("messaging")
        if messaging is None:
            if "standby" in entry or "changes" in entry:
                continue  # handover-protocol standby or page feed changes: not ours to answer
            raise PayloadError("entry without messaging")
        if not isinstance(messaging, list):
            raise PayloadError("messaging must be a list")
        for item in messaging:
            if not isinstance(item, dict):
                raise PayloadError("each messaging event must be an object")
            event = _parse_event(item)
            if event is not None:
                events.append(event)
    return events


def _parse_event(item: dict) -> IncomingEvent | None:
    message, postback = item.get("message"), item.get("postback")
    if message is None and postback is None:
        return None  # delivery, read, reaction, optin, referral, …: acknowledged, ignored
    psid = _sender(item)
    if message is not None:
        if not isinstance(message, dict):
            raise PayloadError("message must be an object")
        if message.get("is_echo"):
            return None  # the page's own message coming back
        mid = _optional_str(message, "mid")
        quick_reply = message.get("quick_reply")
        if quick_reply is not None:
            if not isinstance(quick_reply, dict) or not isinstance(quick_reply.get("payload"), str):
                raise PayloadError("quick_reply.payload must be a string")
            if quick_reply["payload"]:
                return IncomingEvent(psid, quick_reply["payload"], mid)
        text = message.get("text")
        if text is not None:
            if not isinstance(text, str):
                raise PayloadError("message.text must be a string")
            return IncomingEvent(psid, text, mid)
        attachments = message.get("attachments")
        if attachments is None:
            return None
        if not isinstance(attachments, list) or not all(isinstance(a, dict) for a in attachments):
            raise PayloadError("message.attachments must be a list of objects")
        if attachments and all(_is_sticker(a) for a in attachments):
            return None  # a sticker (the "like" thumb): nothing to answer
        return IncomingEvent(psid, None, mid)
    if not isinstance(postback, dict):
        raise PayloadError("postback must be an object")
    payload, title = postback.get("payload"), postback.get("title")
    if payload is not None and not isinstance(payload, str):
        raise PayloadError("postback.payload must be a string")
    if title is not None and not isinstance(title, str):
        raise PayloadError("postback.title must be a string")
    return IncomingEvent(psid, payload or title or "", _optional_str(postback, "mid"))


def _sender(item: dict) -> str:
    sender = item.get("sender")
    psid = sender.get("id") if isinstance(sender, dict) else None
    if isinstance(psid, int) and not isinstance(psid, bool):
        psid = str(psid)
    if not isinstance(psid, str) or not conversations.is_valid_local_id(psid):
        raise PayloadError("sender.id must be a page-scoped id")
    return psid


def _optional_str(container: dict, key: str) -> str | None:
    value = container.get(key)
    if value is not None and not isinstance(value, str):
        raise PayloadError(f"{key} must be a string")
    return value


def _is_sticker(attachment: dict) -> bool:
    payload = attachment.get("payload")
    return isinstance(payload, dict) and payload.get("sticker_id") is not None


# --------------------------------------------------------------------------- outgoing messages


def shorten(text: str, limit: int = BUTTON_TITLE_LIMIT) -> str:
    return shorten_text(text, limit, utf16_units)


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` UTF-16 units (connectors/text.py)."""
    return text_pieces(text, limit, utf16_units)


def to_messenger_button(raw: Mapping[str, Any]) -> dict[str, Any] | None:
    """A Rasa button as a Messenger button: web_url for links, postback otherwise (None if unusable)."""
    button = read_button(raw)
    if button is None:
        return None
    title = shorten(button.title)
    if button.phone:
        return {"type": "phone_number", "title": title, "payload": button.phone}
    if button.url:
        return {"type": "web_url", "title": title, "url": button.url}
    if utf16_units(button.payload) > PAYLOAD_LIMIT:
        logger.warning("facebook.button.dropped: payload longer than %d characters", PAYLOAD_LIMIT)
        return None
    return {"type": "postback", "title": title, "payload": button.payload}


def button_templates(text: str, buttons: Iterable[Mapping[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    """(texts to send first, button-template messages) for a text with any number of buttons."""
    converted = [b for b in (to_messenger_button(button) for button in buttons or []) if b is not None]
    text = (text or "").strip()
    if not converted:
        return split_text(text), []
    leading: list[str] = []
    if not text or utf16_units(text) > TEMPLATE_TEXT_LIMIT:
        leading = split_text(text)
        text = CHOOSE_TEXT
    templates = [
        {
            "attachment": {
                "type": "template",
                "payload": {"template_type": "button", "text": text if n == 0 else MORE_CHOICES_TEXT,
                            "buttons": list(group)},
            }
        }
        for n, group in enumerate(groups(converted, BUTTONS_PER_TEMPLATE))
    ]
    return leading, templates


def _psid(recipient_id: Any) -> str:
    recipient = str(recipient_id)
    return recipient[len(CONVERSATION_PREFIX) :] if recipient.startswith(CONVERSATION_PREFIX) else recipient


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
        self.page_access_token = page_access_token
        self.graph_url = (graph_url or DEFAULT_GRAPH_URL).rstrip("/")
        self.messaging_type = messaging_type
        self._session: aiohttp.ClientSession | None = None

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[aiohttp.ClientSession]:
        """Share one HTTP connection pool between the sends inside this block."""
        if self._session is not None and not self._session.closed:
            yield self._session
            return
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=SEND_TIMEOUT_SECONDS)) as session:
            self._session = session
            try:
                yield session
            finally:
                self._session = None

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        override = _SENDING.set(person_reply_type(message))
        try:
            async with self.session():
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
        replies = []
        for quick in list(quick_replies or [])[:QUICK_REPLIES_LIMIT]:
            if not isinstance(quick, Mapping):
                continue
            kind = quick.get("content_type") or "text"
            if kind != "text":
                replies.append({"content_type": kind})
                continue
            payload = quick.get("payload")
            payload = str(payload) if payload not in (None, "") else str(quick.get("title") or "")
            if payload and utf16_units(payload) <= PAYLOAD_LIMIT:
                title = shorten(quick.get("title") or payload)
                replies.append({"content_type": "text", "title": title, "payload": payload})
        pieces = split_text(str(text or "")) or [CHOOSE_TEXT]
        for piece in pieces[:-1]:
            await self.send_message(recipient_id, {"text": piece})
        last: dict[str, Any] = {"text": pieces[-1]}
        if replies:
            last["quick_replies"] = replies
        await self.send_message(recipient_id, last)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_message(
            recipient_id, {"attachment": {"type": "image", "payload": {"url": str(image), "is_reusable": True}}}
        )

    async def send_elements(self, recipient_id: str, elements: Iterable[dict[str, Any]], **kwargs: Any) -> None:
        prepared = []
        for element in elements or []:
            if not isinstance(element, Mapping):
                continue
            element = dict(element)
            if "buttons" in element:
                converted = [b for b in map(to_messenger_button, element["buttons"] or []) if b is not None]
                element["buttons"] = converted[:BUTTONS_PER_TEMPLATE]
                if not element["buttons"]:
                    del element["buttons"]
            prepared.append(element)
        for start in range(0, len(prepared), GENERIC_ELEMENTS_LIMIT):
            chunk = prepared[start : start + GENERIC_ELEMENTS_LIMIT]
            await self.send_message(
                recipient_id,
                {"attachment": {"type": "template", "payload": {"template_type": "generic", "elements": chunk}}},
            )

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
        body = {"recipient": {"id": _psid(recipient_id)}, "message": message, "messaging_type": self.messaging_type}
        person = _SENDING.get()
        if person is not None:
            body["messaging_type"] = person[0]
            if person[1]:
                body["tag"] = person[1]
        try:
            async with self.session() as session:
                return await self._post(session, body)
        except Exception as error:  # noqa: BLE001 - never raised into Rasa
            logger.error(
                "facebook.send.failed: %s %s", error.__class__.__name__, redact(str(error), self.page_access_token)
            )
            return False

    async def _post(self, session: aiohttp.ClientSession, body: dict[str, Any]) -> bool:
        url = f"{self.graph_url}/me/messages"
        recipient = "…" + body["recipient"]["id"][-4:]
        # A timeout is not retried: Graph may have delivered it, and a duplicate is worse than a gap.
        answer = await http_retry.call(
            "facebook.send", lambda: session.post(url, params={"access_token": self.page_access_token}, json=body),
            attempts=2, backoff_base=RETRY_DELAY_SECONDS, retry_timeouts=False,
        )
        if answer is None:
            logger.error("facebook.send.failed: no answer from the Graph API, recipient %s", recipient)
            return False
        status, payload = answer
        if status < 300:
            return True
        logger.error("facebook.send.failed: HTTP %d, recipient %s, %s", status, recipient,
                     self._describe_error(payload))
        return False

    def _describe_error(self, payload: Any) -> str:
        error = payload.get("error") if isinstance(payload, dict) else None
        if isinstance(error, dict):
            text = (
                f"code {error.get('code')} subcode {error.get('error_subcode')} type {error.get('type')}: "
                f"{error.get('message')} (fbtrace_id {error.get('fbtrace_id')})"
            )
        else:
            text = str(payload)[:300]
        return redact(text, self.page_access_token)


# --------------------------------------------------------------------------- the input channel


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
        async with output.session():
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
                if event.text is None:
                    await output.send_text_message(event.conversation_id, ATTACHMENT_REPLY)
                    continue
                await handler(
                    UserMessage(
                        event.text,
                        output,
                        event.conversation_id,
                        input_channel=self.name(),
                        message_id=event.message_id,
                        metadata={**(metadata or {}), **channel_user_metadata()},
                    )
                )
            except Exception:  # noqa: BLE001 - one failing message must not stop the others
                logger.exception("facebook.message.failed")
