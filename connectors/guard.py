"""What every channel checks before a message reaches NLU, in one place.

- The conversation id carries the prefix of the channel that received the message
  (evn.domain.conversations), so no channel can speak in another channel's conversation.
- Empty messages crash Rasa 3.6's intent classifiers (no features), and a
  10.000-character paste is not a question; both get a polite answer at the door.
- Rasa reads a message starting with "/" as an intent with entities. Only the payload
  of a button the bot itself offered in this conversation may arrive that way, and
  never an EXTERNAL_* intent (those come from the web app through the HTTP API): any
  other "/…" text is handed to NLU as ordinary words.
- Text is normalised to NFC so accents typed as combining marks match the regexes.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage

from connectors import rasa_trackers
from connectors.replies import reply
from evn.domain import conversations
from evn.domain.money import group_thousands

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
INTENT_PREFIX = "/"
EXTERNAL_PREFIX = "EXTERNAL_"
EMPTY_REPLY = reply("utter_empty_message")
TOO_LONG_REPLY = reply("utter_message_too_long", limit=group_thousands(MAX_MESSAGE_CHARS))

_LEADING_SLASHES = re.compile(r"^[\s/]+")

Handler = Callable[[UserMessage], Awaitable[Any]]


def problem_with(text: Any) -> str | None:
    """The reply to send instead of processing `text`, or None when it is fine."""
    if not isinstance(text, str) or not text.strip():
        return EMPTY_REPLY
    if len(text) > MAX_MESSAGE_CHARS:
        return TOO_LONG_REPLY
    return None


async def as_plain_text_unless_offered(sender_id: str, text: str) -> str:
    """`text` itself when it is a payload the bot offered, else the words without the leading "/"."""
    stripped = text.strip()
    if not stripped.startswith(INTENT_PREFIX):
        return text
    if not stripped[1:].lstrip().startswith(EXTERNAL_PREFIX) and stripped in await rasa_trackers.offered_payloads(
        sender_id
    ):
        return stripped
    logger.info("guard.payload.not_offered: treated as text")
    # Every leading slash and whitespace goes ("/\t/EXTERNAL_…" too): Rasa strips before it looks.
    return _LEADING_SLASHES.sub("", stripped)


def guarded(on_new_message: Handler, channel: str) -> Handler:
    """Wrap a channel's message handler with the checks above."""

    async def handle(message: UserMessage) -> Any:
        if conversations.channel_of(message.sender_id) != channel:
            logger.error("guard.identity.refused: a %s message named a conversation of another channel", channel)
            return None
        reply = problem_with(message.text)
        if reply is None:
            text = unicodedata.normalize("NFC", message.text)
            message.text = await as_plain_text_unless_offered(message.sender_id, text)
            reply = problem_with(message.text)
        if reply is not None:
            await message.output_channel.send_text_message(message.sender_id, reply)
            return None
        return await on_new_message(message)

    return handle
