"""Zalo Official Account channel: webhook in, customer-service messages out.

In:  POST /webhooks/zalo/webhook   (GET /webhooks/zalo/ answers a health check)
     Each event is checked before anything happens: the signature
     (connectors/zalo_signature.py), our app_id, and its age (ZALO_MAX_EVENT_AGE
     seconds, default 300; at most 60 s in the future). A bad signature, a foreign
     app or a stale event is a 403; a body that is not a well-formed event a 400;
     nothing answers 5xx. A message id seen in the last hour is a duplicate (Zalo
     retries what it thinks was not answered) and is not processed again.
     Zalo wants an answer within 2 s, so the webhook answers at once and the message
     goes through the input guard (connectors/guard.py) and Rasa in a background
     task; one user's messages are handled in the order they arrived.
Out: POST {ZALO_API_BASE}/v3.0/oa/message/cs with the OA access token in the
     `access_token` header. Long texts are split at 2.000 characters, buttons go
     five to a message. An expired token is refreshed once
     (ZALO_OAUTH_URL, refresh_token grant) and the message sent again; 5xx answers
     and connection errors are retried three times with exponential backoff; any
     other failure is logged (phone numbers masked) and the conversation goes on.

Configuration comes from the environment (ZALO_APP_ID, ZALO_OA_SECRET_KEY,
ZALO_ACCESS_TOKEN, ZALO_REFRESH_TOKEN, ZALO_API_BASE, ZALO_OAUTH_URL,
ZALO_MAX_EVENT_AGE); the same keys in lower case without the ZALO_ prefix in
credentials.yml override it. Without the first four the channel is off: its
webhook answers 404 and processes nothing.
"""
from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import threading
import time
import weakref
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors import http_retry, zalo_signature
from connectors.buttons import Button, groups, read_buttons
from connectors.config import redact, setting
from connectors.guard import guarded
from connectors.ordering import OrderedBackground
from connectors.replies import reply
from connectors.source import channel_user_metadata
from connectors.state import DatabaseDeduplicator, Deduplicator, MemoryDeduplicator, channel_state
from connectors.text import characters
from connectors.text import split_text as text_pieces
from evn.domain import conversations, linear_regex
from evn.services.channel_state import ChannelStateService, TokenPair
from evn.settings import ZaloSettings, load_settings

# Conversations are named "zalo-<user id>" (evn.domain.conversations), so a Zalo user
# and a sender of another channel with the same id never share a conversation.
CHANNEL = "zalo"
CONVERSATION_PREFIX = conversations.PREFIXES[CHANNEL]


def zalo_user_id(conversation_or_user_id: Any) -> str:
    value = str(conversation_or_user_id)
    return value[len(CONVERSATION_PREFIX):] if value.startswith(CONVERSATION_PREFIX) else value

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://openapi.zalo.me"
DEFAULT_OAUTH_URL = "https://oauth.zaloapp.com/v4/oa/access_token"
CS_MESSAGE_PATH = "/v3.0/oa/message/cs"

MAX_TEXT_CHARS = 2000  # one Zalo text message
MAX_BUTTONS = 5  # buttons in one Zalo message
MAX_BUTTON_TITLE = 100
MAX_QUERY_PAYLOAD = 1000
DEFAULT_MAX_EVENT_AGE = 300.0  # seconds
MAX_CLOCK_SKEW = 60.0  # seconds an event may come from the future
DUPLICATE_TTL = 3600.0  # seconds a msg_id is remembered
DUPLICATE_CAPACITY = 50_000

TOKEN_ERROR_CODES = {-216, -124}
# `\b` spelled out with Unicode classes (RE2's `\b` is ASCII): "...\b(expired|invalid)\b" as `re` read it.
TOKEN_ERROR_TEXT = linear_regex.compile(r"access[ _]?token.*[^\w\n](expired|invalid)(?!\w)", linear_regex.IGNORECASE)

NON_TEXT_REPLY = reply("utter_non_text")
MORE_BUTTONS_TEXT = reply("utter_more_choices")
FAILURE_REPLY = reply("utter_system_failure")


# --------------------------------------------------------------------------- configuration


@dataclass
class ZaloTokens:
    """The OA's current access and refresh tokens, shared by every output channel.

    A refresh replaces both (Zalo's refresh tokens are single use), so refreshes are
    serialised per event loop, and a caller whose token was already replaced by
    someone else's refresh just uses the new one.
    """

    access_token: str
    refresh_token: str
    expires_at: float | None = None
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = field(
        default_factory=weakref.WeakKeyDictionary, repr=False
    )

    def refresh_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        with self._guard:
            lock = self._locks.get(loop)
            if lock is None:
                lock = self._locks[loop] = asyncio.Lock()
            return lock

    def replace(self, access_token: str, refresh_token: str | None, expires_in: Any = None) -> None:
        with self._guard:
            self.access_token = access_token
            if refresh_token:
                self.refresh_token = refresh_token
            try:
                self.expires_at = time.time() + float(expires_in)
            except (TypeError, ValueError):
                self.expires_at = None


@dataclass
class ZaloConfig:
    app_id: str = ""
    oa_secret_key: str = ""
    access_token: str = ""
    refresh_token: str = ""
    api_base: str = DEFAULT_API_BASE
    oauth_url: str = DEFAULT_OAUTH_URL
    max_event_age: float = DEFAULT_MAX_EVENT_AGE

    @property
    def enabled(self) -> bool:
        return all((self.app_id, self.oa_secret_key, self.access_token, self.refresh_token))

    @classmethod
    def load(cls, credentials: dict[str, Any] | None = None, settings: ZaloSettings | None = None) -> ZaloConfig:
        """The validated settings (evn.settings), overridden by non-empty credentials.yml values."""
        base = settings if settings is not None else load_settings().zalo

        def value(key: str, default: str) -> str:
            return setting(credentials, key, default)

        try:
            max_age = float(value("max_event_age", str(base.max_event_age)))
        except ValueError:
            max_age = DEFAULT_MAX_EVENT_AGE
        return cls(
            app_id=value("app_id", base.app_id),
            oa_secret_key=value("oa_secret_key", base.oa_secret_key),
            access_token=value("access_token", base.access_token),
            refresh_token=value("refresh_token", base.refresh_token),
            api_base=value("api_base", base.api_base).rstrip("/"),
            oauth_url=value("oauth_url", base.oauth_url),
            max_event_age=max_age if max_age > 0 else DEFAULT_MAX_EVENT_AGE,
        )


class TokenStore:
    """The OA's token pair in the database (evn.services.channel_state), so a refresh survives restarts."""

    def __init__(self, service: ChannelStateService, configured_refresh_token: str) -> None:
        self.service = service
        self.configured = configured_refresh_token

    def current(self, configured: TokenPair) -> TokenPair:
        return self.service.current_tokens(CHANNEL, configured)

    async def load(self) -> tuple[str, str] | None:
        pair = await asyncio.to_thread(self.service.stored_tokens, CHANNEL)
        return (pair.access_token, pair.refresh_token) if pair else None

    async def save(self, access_token: str, refresh_token: str) -> None:
        try:
            await asyncio.to_thread(
                self.service.refreshed, CHANNEL, self.configured, TokenPair(access_token, refresh_token)
            )
        except Exception:  # noqa: BLE001 - the pair still works in this process; say so loudly
            logger.exception("Zalo tokens refreshed but not saved: a restart would need new tokens")


# --------------------------------------------------------------------------- the OA API


class ZaloApi:
    """Sends customer-service messages; never raises, answers True when Zalo accepted."""

    def __init__(
        self,
        *,
        app_id: str,
        oa_secret_key: str,
        tokens: ZaloTokens,
        api_base: str = DEFAULT_API_BASE,
        oauth_url: str = DEFAULT_OAUTH_URL,
        attempts: int = 3,
        backoff_base: float = 0.5,
        timeout: float = 10.0,
        store: TokenStore | None = None,
    ) -> None:
        self.store = store
        self.app_id = app_id
        self.oa_secret_key = oa_secret_key
        self.tokens = tokens
        self.api_base = api_base.rstrip("/")
        self.oauth_url = oauth_url
        self.attempts = max(1, attempts)
        self.backoff_base = backoff_base
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    @classmethod
    def from_config(cls, config: ZaloConfig, store: TokenStore | None = None) -> ZaloApi:
        return cls(
            app_id=config.app_id,
            oa_secret_key=config.oa_secret_key,
            tokens=ZaloTokens(config.access_token, config.refresh_token),
            api_base=config.api_base,
            oauth_url=config.oauth_url,
            store=store,
        )

    async def send(self, user_id: str, message: dict[str, Any]) -> bool:
        body = {"recipient": {"user_id": zalo_user_id(user_id)}, "message": message}
        refreshed = False
        try:
            async with aiohttp.ClientSession(timeout=self.timeout) as session:
                while True:
                    token = self.tokens.access_token
                    answer = await self._with_retries(
                        "message", lambda token=token: session.post(  # type: ignore[misc]
                            self.api_base + CS_MESSAGE_PATH, json=body,
                            headers={"access_token": token, "Content-Type": "application/json"},
                        ),
                    )
                    if answer is None:
                        return False
                    status, payload = answer
                    if not isinstance(payload, dict):
                        logger.warning("Zalo message: HTTP %s with a body that is not JSON; message dropped", status)
                        return False
                    error, text = payload.get("error"), payload.get("message", "")
                    if error == 0:
                        return True
                    if _is_token_error(error, text) and not refreshed:
                        refreshed = True
                        if await self.refresh(token):
                            continue
                        return False
                    logger.warning("Zalo message refused: error %s (%s), HTTP %s", error, redact(text), status)
                    return False
        except Exception:  # noqa: BLE001 - nothing may raise into Rasa
            logger.exception("Zalo message: unexpected failure; message dropped")
            return False

    async def refresh(self, failed_token: str) -> bool:
        """Trade the refresh token for new tokens, unless someone already did since `failed_token`."""
        try:
            async with self.tokens.refresh_lock():
                if self.tokens.access_token != failed_token:
                    return True  # refreshed meanwhile by another message
                if self.store is not None and await self._adopt_stored(failed_token):
                    return True  # refreshed meanwhile by another process
                form = {
                    "refresh_token": self.tokens.refresh_token,
                    "app_id": self.app_id,
                    "grant_type": "refresh_token",
                }
                async with aiohttp.ClientSession(timeout=self.timeout) as session:
                    answer = await self._with_retries(
                        "token refresh", lambda: session.post(
                            self.oauth_url, data=form, headers={"secret_key": self.oa_secret_key},
                        ),
                    )
                if answer is None:
                    return False
                status, payload = answer
                access = payload.get("access_token") if isinstance(payload, dict) else None
                if not isinstance(access, str) or not access:
                    details = payload if isinstance(payload, dict) else {}
                    logger.warning(
                        "Zalo token refresh refused: error %s (%s), HTTP %s", details.get("error"),
                        redact(details.get("error_description") or details.get("error_name")
                               or details.get("message", "")),
                        status,
                    )
                    return False
                refresh = payload.get("refresh_token")
                self.tokens.replace(access, refresh if isinstance(refresh, str) else None, payload.get("expires_in"))
                if self.store is not None:
                    await self.store.save(self.tokens.access_token, self.tokens.refresh_token)
                logger.info("Zalo access token refreshed")
                return True
        except Exception:  # noqa: BLE001
            logger.exception("Zalo token refresh: unexpected failure")
            return False

    async def _adopt_stored(self, failed_token: str) -> bool:
        stored = await self.store.load() if self.store is not None else None
        if stored is None or stored[0] == failed_token:
            return False
        self.tokens.replace(stored[0], stored[1])
        return True

    async def _with_retries(self, what: str, request: Callable[[], Any]) -> tuple[int, Any] | None:
        """(status, parsed JSON) of the first answer that is not a 5xx; None after the last try."""
        answer = await http_retry.call(f"Zalo {what}", request, self.attempts, self.backoff_base)
        if answer is not None and not isinstance(answer[1], (dict, type(None))):
            return answer[0], None  # not JSON
        return answer


def _is_token_error(error: Any, text: Any) -> bool:
    return error in TOKEN_ERROR_CODES or bool(TOKEN_ERROR_TEXT.search(str(text or "")))


# --------------------------------------------------------------------------- message shapes


def split_text(text: str, limit: int = MAX_TEXT_CHARS) -> list[str]:
    """Pieces of at most `limit` characters (connectors/text.py)."""
    return text_pieces(text, limit, characters)


def zalo_button(button: Button) -> dict[str, Any]:
    """A link opens (oa.open.url); a number is called (oa.open.phone); anything else is sent back."""
    title = button.title[:MAX_BUTTON_TITLE]
    if button.url:
        return {"title": title, "type": "oa.open.url", "payload": {"url": button.url}}
    if button.phone:
        return {"title": title, "type": "oa.open.phone", "payload": {"phone_code": button.phone}}
    return {"title": title, "type": "oa.query.show", "payload": button.payload[:MAX_QUERY_PAYLOAD]}


def button_messages(text: str, buttons: Iterable[Any]) -> list[dict[str, Any]]:
    """Messages carrying `text` and the buttons, at most MAX_BUTTONS each."""
    mapped = [zalo_button(b) for b in read_buttons(buttons)]
    texts = split_text(text or "")
    leading, last = texts[:-1], (texts[-1] if texts else "")
    messages: list[dict[str, Any]] = [{"text": piece} for piece in leading]
    if not mapped:
        return messages + ([{"text": last}] if last else [])
    for number, group in enumerate(groups(mapped, MAX_BUTTONS)):
        caption = last if number == 0 and last else MORE_BUTTONS_TEXT
        messages.append({"text": caption, "attachment": {"type": "template", "payload": {"buttons": list(group)}}})
    return messages


def image_message(url: str) -> dict[str, Any]:
    return {
        "attachment": {
            "type": "template",
            "payload": {"template_type": "media", "elements": [{"media_type": "image", "url": url}]},
        }
    }


# --------------------------------------------------------------------------- output


class ZaloOutput(OutputChannel):
    """Rasa's replies as Zalo customer-service messages. No method raises."""

    def __init__(self, api: ZaloApi) -> None:
        self.api = api

    @classmethod
    def name(cls) -> str:
        return "zalo"

    async def _send_all(self, recipient_id: str, messages: Iterable[dict[str, Any]]) -> None:
        try:
            for message in messages:
                await self.api.send(recipient_id, message)
        except Exception:  # noqa: BLE001
            logger.exception("Zalo output failed")

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        try:
            pieces = split_text(text if isinstance(text, str) else str(text or ""))
        except Exception:  # noqa: BLE001
            logger.exception("Zalo output: cannot split text")
            return
        await self._send_all(recipient_id, ({"text": piece} for piece in pieces))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        try:
            messages = button_messages(text if isinstance(text, str) else str(text or ""), buttons or [])
        except Exception:  # noqa: BLE001
            logger.exception("Zalo output: cannot build buttons")
            return
        await self._send_all(recipient_id, messages)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        if not isinstance(image, str) or not image:
            return
        await self._send_all(recipient_id, [image_message(image)])

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        if not isinstance(json_message, dict) or not json_message:
            logger.warning("Zalo output: custom payload is not a JSON object; not sent")
            return
        await self._send_all(recipient_id, [json_message])


# --------------------------------------------------------------------------- input


class BadEvent(ValueError):
    pass


def _optional_text_field(container: Any, key: str, *, label: str | None = None) -> str | None:
    """A string field (an integer is taken as its digits), None when absent; BadEvent for another type."""
    value = container.get(key) if isinstance(container, dict) else None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise BadEvent(f"'{label or key}' must be a string")
    return str(value)


def _text_field(container: Any, key: str, *, label: str | None = None) -> str:
    """A string field that must be present and non-empty; BadEvent otherwise."""
    value = _optional_text_field(container, key, label=label)
    if value is None:
        raise BadEvent(f"'{label or key}' must be a string")
    if not value:
        raise BadEvent(f"'{label or key}' is empty")
    return value


class ZaloInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "zalo"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> ZaloInput:
        config = ZaloConfig.load(credentials)
        if not config.enabled:
            return cls(config)
        store = TokenStore(channel_state(), config.refresh_token)
        current = store.current(TokenPair(config.access_token, config.refresh_token))
        config = dataclasses.replace(config, access_token=current.access_token, refresh_token=current.refresh_token)
        return cls(config, ZaloApi.from_config(config, store), DatabaseDeduplicator(CHANNEL))

    def __init__(
        self, config: ZaloConfig | None = None, api: ZaloApi | None = None, dedup: Deduplicator | None = None
    ) -> None:
        self.config = config or ZaloConfig.load()
        self.api = api or (ZaloApi.from_config(self.config) if self.config.enabled else None)
        self.dedup: Deduplicator = dedup or MemoryDeduplicator(DUPLICATE_TTL, DUPLICATE_CAPACITY)
        self.background = OrderedBackground("zalo")
        if not self.config.enabled:
            logger.info("Zalo channel not enabled "
                        "(ZALO_APP_ID, ZALO_OA_SECRET_KEY, ZALO_ACCESS_TOKEN, ZALO_REFRESH_TOKEN)")

    @property
    def enabled(self) -> bool:
        return self.config.enabled and self.api is not None

    def get_output_channel(self) -> OutputChannel | None:
        # Used by the HTTP API (trigger_intent with output_channel=latest) to push into a Zalo chat.
        return ZaloOutput(self.api) if self.api is not None and self.config.enabled else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handler = guarded(on_new_message, CHANNEL)
        zalo_webhook = Blueprint("zalo_webhook", __name__)

        @zalo_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "enabled": self.enabled})

        @zalo_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            status, body = await self.handle_webhook(
                request.body or b"", request.headers.get(zalo_signature.HEADER), handler
            )
            return response.json(body, status=status)

        return zalo_webhook

    async def handle_webhook(
        self, raw_body: bytes, signature_header: str | None,
        on_new_message: Callable[[UserMessage], Awaitable[Any]], now: float | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """(HTTP status, JSON body) for one webhook call; `on_new_message` is already guarded."""
        try:
            return await self._accept(raw_body, signature_header, on_new_message, now)
        except BadEvent as error:
            return 400, {"error": str(error)}
        except Exception:  # noqa: BLE001 - Zalo must never see a 5xx
            logger.exception("Zalo webhook: unexpected failure")
            return 400, {"error": "event could not be read"}

    async def _accept(
        self, raw_body: bytes, signature_header: str | None,
        on_new_message: Callable[[UserMessage], Awaitable[Any]], now: float | None,
    ) -> tuple[int, dict[str, Any]]:
        if self.api is None or not self.config.enabled:
            return 404, {"error": "zalo channel not configured"}
        api = self.api
        try:
            event = json.loads(raw_body)
        except (ValueError, RecursionError):
            raise BadEvent("body is not JSON") from None
        if not isinstance(event, dict):
            raise BadEvent("body must be a JSON object")
        app_id = _text_field(event, "app_id")
        timestamp = _text_field(event, "timestamp")
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 16):
            raise BadEvent("'timestamp' must be milliseconds")

        if not zalo_signature.verify(signature_header, app_id, raw_body, timestamp, self.config.oa_secret_key):
            logger.warning("Zalo webhook: bad or missing signature")
            return 403, {"error": "invalid signature"}
        if app_id != self.config.app_id:
            logger.warning("Zalo webhook: event for another app")
            return 403, {"error": "unknown app"}
        age = (time.time() if now is None else now) - int(timestamp) / 1000
        if age > self.config.max_event_age or age < -MAX_CLOCK_SKEW:
            logger.warning("Zalo webhook: event timestamp %.0f s off", age)
            return 403, {"error": "stale event"}

        event_name = _text_field(event, "event_name")
        if not event_name.startswith("user_send_"):
            return 200, {"status": "ignored"}  # follow, unfollow, oa_send_* echoes, …
        sender_id = _text_field(event.get("sender"), "id", label="sender.id")
        if not conversations.is_valid_local_id(sender_id):
            raise BadEvent("'sender.id' is not a Zalo user id")
        oa_id = _optional_text_field(event.get("recipient"), "id", label="recipient.id")
        message = event.get("message")
        if not isinstance(message, dict):
            raise BadEvent("'message' must be an object")
        msg_id = _optional_text_field(message, "msg_id", label="message.msg_id")
        text = None
        if event_name == "user_send_text":
            text = message.get("text")
            if not isinstance(text, str):
                raise BadEvent("'message.text' must be a string")

        if msg_id and not await self.dedup.first_time(msg_id):
            return 200, {"status": "duplicate"}

        output = ZaloOutput(api)
        if text is None:
            self._in_order(sender_id, lambda: output.send_text_message(sender_id, NON_TEXT_REPLY))
            return 200, {"status": "accepted"}
        user_message = UserMessage(
            text, output, conversations.conversation_id(CHANNEL, sender_id), input_channel=self.name(),
            message_id=msg_id,
            metadata={"oa_id": oa_id, "msg_id": msg_id, **channel_user_metadata()},
        )

        async def process() -> None:
            try:
                await on_new_message(user_message)
            except Exception:  # noqa: BLE001
                logger.exception("Zalo message from %s could not be processed", sender_id)
                await output.send_text_message(sender_id, FAILURE_REPLY)

        self._in_order(sender_id, process)
        return 200, {"status": "accepted"}

    def _in_order(self, sender_id: str, work: Callable[[], Awaitable[Any]]) -> None:
        """Run `work` in the background, after this sender's earlier messages."""
        if not self.background.submit(sender_id, work):
            logger.warning("Zalo: one user's backlog is full; message dropped")

    async def drain(self) -> None:
        """Wait for the background work started so far (tests, shutdown)."""
        await self.background.drain()
