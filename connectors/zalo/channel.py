"""Zalo's Rasa channels: the webhook at /webhooks/zalo/webhook (input) and customer-service replies (output).

In:  POST /webhooks/zalo/webhook   (GET /webhooks/zalo/ answers a health check)
     Each event is checked before anything happens: the signature (signature.py), our
     app_id, and its age (ZALO_MAX_EVENT_AGE seconds, default 300; at most 60 s in the
     future). A bad signature, a foreign app or a stale event is a 403; a body that is
     not a well-formed event (events.py) a 400; nothing answers 5xx. A message id seen in
     the last hour is a duplicate (Zalo retries what it thinks was not answered) and is
     not processed again. Zalo wants an answer within 2 s, so the webhook answers at once
     and the message goes through the input guard (connectors/guard.py) and Rasa in a
     background task; one user's messages are handled in the order they arrived.
Out: the replies shaped by messages.py, sent by api.py; no method raises.
"""
from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.documents import DocumentFetcher
from connectors.guard import guarded
from connectors.ordering import OrderedBackground
from connectors.replies import reply
from connectors.source import channel_user_metadata
from connectors.state import DatabaseDeduplicator, Deduplicator, MemoryDeduplicator, channel_state
from connectors.zalo import signature
from connectors.zalo.api import ZaloApi
from connectors.zalo.config import CHANNEL, ZaloConfig
from connectors.zalo.events import BadEvent, read_envelope, read_message
from connectors.zalo.messages import button_messages, file_message, image_message, split_text
from connectors.zalo.tokens import TokenStore
from evn.domain import pictures
from evn.services.channel_state import TokenPair

logger = logging.getLogger(__name__)

MAX_CLOCK_SKEW = 60.0  # seconds an event may come from the future
DUPLICATE_TTL = 3600.0  # seconds a msg_id is remembered
DUPLICATE_CAPACITY = 50_000

NON_TEXT_REPLY = reply("utter_non_text")
FAILURE_REPLY = reply("utter_system_failure")


class ZaloOutput(OutputChannel):
    """Rasa's replies as Zalo customer-service messages. No method raises."""

    def __init__(self, api: ZaloApi, documents: DocumentFetcher | None = None) -> None:
        self.api = api
        self.documents = documents

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

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        """A file ({"type": "file", "url", "name"}: the bill's PDF): fetched from our web app, uploaded to the OA and
        sent by its token; when any step fails, its link as text, so the customer still gets it."""
        file = attachment if isinstance(attachment, dict) else {}
        url, name = file.get("url"), file.get("name")
        if file.get("type") != "file" or not isinstance(url, str) or not isinstance(name, str):
            logger.warning("Zalo output: an attachment that is not a file; not sent")
            return
        data = await self.documents.fetch(url) if self.documents is not None else None
        token = await self.api.upload_file(name[:100], data) if data else None
        if token is None:
            await self.send_text_message(recipient_id, f"{name}: {url}")
            return
        await self._send_all(recipient_id, [file_message(token)])

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        if not isinstance(json_message, dict) or not json_message:
            logger.warning("Zalo output: custom payload is not a JSON object; not sent")
            return
        await self._send_all(recipient_id, [json_message])


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
        self.documents = DocumentFetcher() if self.config.enabled else None
        if not self.config.enabled:
            logger.info("Zalo channel not enabled "
                        "(ZALO_APP_ID, ZALO_OA_SECRET_KEY, ZALO_ACCESS_TOKEN, ZALO_REFRESH_TOKEN)")

    @property
    def enabled(self) -> bool:
        return self.config.enabled and self.api is not None

    def get_output_channel(self) -> OutputChannel | None:
        # Used by the HTTP API (trigger_intent with output_channel=latest) to push into a Zalo chat.
        return ZaloOutput(self.api, self.documents) if self.api is not None and self.config.enabled else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handler = guarded(on_new_message, CHANNEL)
        zalo_webhook = Blueprint("zalo_webhook", __name__)

        @zalo_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "enabled": self.enabled})

        @zalo_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            status, body = await self.handle_webhook(
                request.body or b"", request.headers.get(signature.HEADER), handler
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
        envelope = read_envelope(raw_body)
        if not signature.verify(
            signature_header, envelope.app_id, raw_body, envelope.timestamp, self.config.oa_secret_key
        ):
            logger.warning("Zalo webhook: bad or missing signature")
            return 403, {"error": "invalid signature"}
        if envelope.app_id != self.config.app_id:
            logger.warning("Zalo webhook: event for another app")
            return 403, {"error": "unknown app"}
        age = (time.time() if now is None else now) - int(envelope.timestamp) / 1000
        if age > self.config.max_event_age or age < -MAX_CLOCK_SKEW:
            logger.warning("Zalo webhook: event timestamp %.0f s off", age)
            return 403, {"error": "stale event"}

        incoming = read_message(envelope.event)
        if incoming is None:
            return 200, {"status": "ignored"}  # follow, unfollow, oa_send_* echoes, …
        sender_id, msg_id = incoming.sender_id, incoming.msg_id
        if msg_id and not await self.dedup.first_time(msg_id):
            return 200, {"status": "duplicate"}

        output = ZaloOutput(api, self.documents)
        if incoming.text is None and incoming.picture_url is None:
            self._in_order(sender_id, lambda: output.send_text_message(sender_id, NON_TEXT_REPLY))
            return 200, {"status": "accepted"}
        picture = pictures.picture_metadata(CHANNEL, url=incoming.picture_url, caption=incoming.text) \
            if incoming.picture_url else {}
        user_message = UserMessage(
            pictures.PAYLOAD if picture else incoming.text, output, incoming.conversation_id,
            input_channel=self.name(), message_id=msg_id,
            metadata={"oa_id": incoming.oa_id, "msg_id": msg_id, **channel_user_metadata(), **picture},
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
