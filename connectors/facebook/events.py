"""Messenger's webhook body as the events to answer, validated as a whole before anything runs.

Invalid shapes are a PayloadError (the webhook answers 400, never half a batch); events without
text to answer (deliveries, reads, echoes, stickers, handover standby) are left out; an image attachment
becomes an event carrying its URL (the scam check reads it), another attachment one without text, answered
politely. Conversations are named "facebook-<PSID>".
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evn.domain import conversations

CHANNEL = "facebook"

class PayloadError(ValueError):
    """The webhook body is not what Messenger sends; answered with a 400."""


@dataclass(frozen=True)
class IncomingEvent:
    psid: str
    text: str | None  # None: an attachment without text (a picture's is `picture_url`)
    message_id: str | None = None
    picture_url: str | None = None

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
        return IncomingEvent(psid, None, mid, next(filter(None, map(_image_url, attachments)), None))
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


def _image_url(attachment: dict) -> str | None:
    """The CDN address of an image attachment (checked again where it is fetched: evn.services.pictures)."""
    payload = attachment.get("payload")
    url = payload.get("url") if isinstance(payload, dict) else None
    return url if attachment.get("type") == "image" and isinstance(url, str) and len(url) <= 4096 else None


def _is_sticker(attachment: dict) -> bool:
    payload = attachment.get("payload")
    return isinstance(payload, dict) and payload.get("sticker_id") is not None
