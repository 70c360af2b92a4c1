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
- A picture the channel received (an attachment, Zalo's image, the widget's upload) arrives as its payload with the
  picture in the metadata the channel built (evn.domain.pictures); a client can set neither (the REST channel drops
  that key from the metadata it is sent).
- Never an empty reply and never a long wait: when the action server is down, stalled or
  its database locked, Rasa logs the failure and answers nothing; a turn that sent nothing,
  or took longer than TURN_TIMEOUT_SECONDS, gets "hệ thống đang bận" instead. The
  conversation's tracker is left as it was before that turn (a cancelled turn is not
  saved), so the customer carries on where they were once the servers are back.
- While an agent holds the conversation, Rasa is paused and a turn sends nothing on
  purpose: no busy answer then; "quay lại trợ lý ảo" hands the conversation back.
- A pause that no open handoff explains (the business database has none waiting or held:
  an "agent joined" delivered after its "handoff closed", say) holds the customer for
  nobody: the bot is resumed as the outbox resumes it, says it is back, and the message
  is answered as any other.
"""
from __future__ import annotations

import asyncio
import logging
import unicodedata
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from connectors.replies import reply
from connectors.state import core, rasa_api
from evn.domain import conversations, linear_regex, pictures
from evn.domain.formats import group_thousands
from evn.domain.language.back_to_bot import only_asks_for_the_assistant
from evn.settings import load_settings
from rasa_server_plugins import rasa_trackers

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
INTENT_PREFIX = "/"
EXTERNAL_PREFIX = "EXTERNAL_"
EMPTY_REPLY = reply("utter_empty_message")
TOO_LONG_REPLY = reply("utter_message_too_long", limit=group_thousands(MAX_MESSAGE_CHARS))
BUSY_REPLY = reply("utter_system_busy")
RESUMED_REPLY = reply("utter_back_to_bot_resumed")
BACK_TO_BOT_PAYLOAD = "/back_to_bot"

_LEADING_SLASHES = linear_regex.compile(r"^[\s/]+")

Handler = Callable[[UserMessage], Awaitable[Any]]


def is_a_picture(message: UserMessage) -> bool:
    """A picture the channel itself received: its payload, with the picture in the metadata the channel built."""
    return message.text == pictures.PAYLOAD and isinstance((message.metadata or {}).get(pictures.METADATA_KEY), dict)


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


class CountingOutput:
    """The turn's output channel, counting what it sends.

    A proxy per message rather than a patched channel: Messenger's channel object is shared by
    the turns of one webhook delivery, which run side by side.
    """

    def __init__(self, inner: OutputChannel) -> None:
        self.inner, self.sent = inner, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


async def answered(on_new_message: Handler, message: UserMessage, timeout: float) -> Any:
    """Runs the turn; when it sends nothing or outlasts `timeout`, the customer hears the system is busy."""
    output = message.output_channel
    counting = CountingOutput(output)
    message.output_channel = counting
    try:
        result = await asyncio.wait_for(on_new_message(message), timeout)
        if not counting.sent and await rasa_trackers.is_paused(message.sender_id):
            if not await resumed_unless_held(message.sender_id):
                await hand_back_if_asked(message)
                return result  # an agent holds the conversation: the message is theirs, the bot stays silent
            await output.send_text_message(message.sender_id, RESUMED_REPLY)
            # The paused turn only logged the message: the bot answers it now (a turn of its own, its own timeout).
            result = await asyncio.wait_for(on_new_message(message), timeout)
    except asyncio.TimeoutError:
        logger.error("guard.turn.timeout: no answer within %.0f s, told the customer the system is busy", timeout)
        result = None
    else:
        if counting.sent:
            return result
        logger.error("guard.turn.empty: the turn sent nothing (action server down or failing?)")
    finally:
        message.output_channel = output
    await output.send_text_message(message.sender_id, BUSY_REPLY)
    return result


async def resumed_unless_held(sender_id: str) -> bool:
    """A paused conversation with no handoff waiting or held in the business database is resumed through
    Rasa's HTTP API, as the outbox's "handoff closed" resumes it; True when it was. False while a handoff is
    open, and when either database or Rasa cannot be asked (the pause stands, as before)."""
    try:
        if await asyncio.to_thread(core().handoffs.current, sender_id) is not None:
            return False
        await asyncio.to_thread(rasa_api().resume, sender_id)
    except Exception:  # noqa: BLE001 - the next message tries again
        logger.exception("guard.pause.resume_failed")
        return False
    logger.warning("guard.pause.stale: the bot was paused with no open handoff; resumed")
    return True


async def hand_back_if_asked(message: UserMessage) -> None:
    """"Quay lại trợ lý ảo" while an agent holds the conversation: the bot is paused and cannot answer it,
    so the channel closes the handoff; the outbox then resumes the bot, which says it is back."""
    text = (message.text or "").strip()
    if text != BACK_TO_BOT_PAYLOAD and not only_asks_for_the_assistant(text):
        return  # words for the agent, even when they mention the bot
    try:
        await asyncio.to_thread(core().handoffs.customer_left, message.sender_id)
    except Exception:  # noqa: BLE001 - the agent still has the conversation and can close it
        logger.exception("guard.handback.failed")


@cache
def configured_turn_timeout() -> float:
    return float(load_settings().turn_timeout)


def guarded(on_new_message: Handler, channel: str, timeout: float | None = None) -> Handler:
    """Wrap a channel's message handler with the checks above (timeout: TURN_TIMEOUT_SECONDS)."""

    async def handle(message: UserMessage) -> Any:
        if conversations.channel_of(message.sender_id) != channel:
            logger.error("guard.identity.refused: a %s message named a conversation of another channel", channel)
            return None
        if is_a_picture(message):
            picture = message.metadata[pictures.METADATA_KEY]
            caption = picture.get("caption")
            if isinstance(caption, str):  # the words beside a picture: NFC, and no longer than a message
                picture["caption"] = unicodedata.normalize("NFC", caption)[:MAX_MESSAGE_CHARS]
            return await answered(on_new_message, message, timeout or configured_turn_timeout())
        reply = problem_with(message.text)
        if reply is None:
            text = unicodedata.normalize("NFC", message.text)
            message.text = await as_plain_text_unless_offered(message.sender_id, text)
            reply = problem_with(message.text)
        if reply is not None:
            await message.output_channel.send_text_message(message.sender_id, reply)
            return None
        return await answered(on_new_message, message, timeout or configured_turn_timeout())

    return handle
