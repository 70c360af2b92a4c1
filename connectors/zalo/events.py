"""A Zalo webhook body read as an event: first what the signature check needs, then the user's message.

Zalo signs app_id + body + timestamp (signature.py), so those two fields are read before the
signature is checked; the rest only once the event is known to come from Zalo. A body that is
not a well-formed event is a BadEvent (the webhook answers 400).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from connectors.zalo.config import CHANNEL
from evn.domain import conversations


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


@dataclass(frozen=True)
class Envelope:
    """The event as JSON, with the two fields its signature covers besides the body."""

    event: dict[str, Any]
    app_id: str
    timestamp: str  # milliseconds, as Zalo wrote them


def read_envelope(raw_body: bytes) -> Envelope:
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
    return Envelope(event, app_id, timestamp)


@dataclass(frozen=True)
class IncomingMessage:
    sender_id: str
    oa_id: str | None
    msg_id: str | None
    text: str | None  # None: not a text (a sticker, an image, …); an image's caption
    picture_url: str | None = None  # user_send_image: the picture on Zalo's CDN

    @property
    def conversation_id(self) -> str:
        return conversations.conversation_id(CHANNEL, self.sender_id)


def read_message(event: dict[str, Any]) -> IncomingMessage | None:
    """The user's message in a verified event; None for the events that are not one (follow, oa_send_*, …)."""
    event_name = _text_field(event, "event_name")
    if not event_name.startswith("user_send_"):
        return None
    sender_id = _text_field(event.get("sender"), "id", label="sender.id")
    if not conversations.is_valid_local_id(sender_id):
        raise BadEvent("'sender.id' is not a Zalo user id")
    oa_id = _optional_text_field(event.get("recipient"), "id", label="recipient.id")
    message = event.get("message")
    if not isinstance(message, dict):
        raise BadEvent("'message' must be an object")
    msg_id = _optional_text_field(message, "msg_id", label="message.msg_id")
    text = None
    picture_url = None
    if event_name == "user_send_text":
        text = message.get("text")
        if not isinstance(text, str):
            raise BadEvent("'message.text' must be a string")
    elif event_name == "user_send_image":
        caption = message.get("text")
        text = caption if isinstance(caption, str) and caption.strip() else None
        picture_url = _image_url(message.get("attachments"))
    return IncomingMessage(sender_id, oa_id, msg_id, text, picture_url)


def _image_url(attachments: Any) -> str | None:
    """The first image's URL of a user_send_image (checked again where it is fetched: evn.services.pictures)."""
    if not isinstance(attachments, list):
        raise BadEvent("'message.attachments' must be a list")
    for attachment in attachments:
        payload = attachment.get("payload") if isinstance(attachment, dict) else None
        url = payload.get("url") if isinstance(payload, dict) else None
        if isinstance(url, str) and len(url) <= 4096 and attachment.get("type") == "image":
            return url
    return None
