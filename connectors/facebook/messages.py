"""Messenger's outgoing message shapes within the Send API's limits, built before anything is sent.

Long texts split at 2000 UTF-16 units, more than 3 buttons become several button templates, URL
buttons stay URL buttons, titles are shortened to 20 characters, generic templates hold 10 elements.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from connectors.buttons import groups, read_button
from connectors.replies import reply
from connectors.text import shorten as shorten_text
from connectors.text import split_text as text_pieces
from connectors.text import utf16_units

logger = logging.getLogger(__name__)

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


def quick_reply_messages(text: str, quick_replies: Iterable[Any]) -> list[dict[str, Any]]:
    """The text's pieces, the last one carrying the (at most 13) usable quick replies."""
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
    messages: list[dict[str, Any]] = [{"text": piece} for piece in pieces[:-1]]
    last: dict[str, Any] = {"text": pieces[-1]}
    if replies:
        last["quick_replies"] = replies
    messages.append(last)
    return messages


def file_message(url: str) -> dict[str, Any]:
    """A file Facebook fetches from its URL (the bill's PDF, a signed expiring link: not reusable)."""
    return {"attachment": {"type": "file", "payload": {"url": str(url), "is_reusable": False}}}


def image_message(url: str) -> dict[str, Any]:
    return {"attachment": {"type": "image", "payload": {"url": str(url), "is_reusable": True}}}


def generic_templates(elements: Iterable[Any]) -> list[dict[str, Any]]:
    """Generic-template messages of at most 10 elements, each element's buttons converted (at most 3)."""
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
    return [
        {"attachment": {"type": "template", "payload": {"template_type": "generic", "elements": chunk}}}
        for chunk in (prepared[start : start + GENERIC_ELEMENTS_LIMIT]
                      for start in range(0, len(prepared), GENERIC_ELEMENTS_LIMIT))
    ]
