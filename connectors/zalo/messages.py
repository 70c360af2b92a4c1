"""Zalo's customer-service message shapes within its limits, built before anything is sent.

Long texts split at 2.000 characters, buttons go five to a message: a link opens (oa.open.url),
a number is called (oa.open.phone), anything else comes back as the user's message (oa.query.show).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from connectors.buttons import Button, groups, read_buttons
from connectors.replies import reply
from connectors.text import characters
from connectors.text import split_text as text_pieces

MAX_TEXT_CHARS = 2000  # one Zalo text message
MAX_BUTTONS = 5  # buttons in one Zalo message
MAX_BUTTON_TITLE = 100
MAX_QUERY_PAYLOAD = 1000

MORE_BUTTONS_TEXT = reply("utter_more_choices")


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


def file_message(token: str) -> dict[str, Any]:
    """A file the OA uploaded (connectors/zalo/api.py upload_file), by its token."""
    return {"attachment": {"type": "file", "payload": {"token": token}}}
