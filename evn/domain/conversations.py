"""Who a conversation belongs to: its channel's prefix and the channel's own user id.

A conversation id is `<prefix><local id>`, the prefix fixed by the channel that
received the message (`web-` for the widget's signed sessions, `rest-` for the
REST channel, `facebook-` for a Messenger PSID, `zalo-` for a Zalo user id), so no
channel can name another channel's conversation. Local ids use a URL-safe alphabet:
Rasa's HTTP API puts conversation ids in paths without decoding them, so an id that
needs percent-encoding would name two conversations.
"""
from __future__ import annotations

from evn.domain import linear_regex

PREFIXES = {"socketio": "web-", "rest": "rest-", "facebook": "facebook-", "zalo": "zalo-"}
LOCAL_ID = linear_regex.compile(r"[A-Za-z0-9_.-]{1,64}")
CONVERSATION_ID = linear_regex.compile(
    r"(?:" + "|".join(map(linear_regex.escape, PREFIXES.values())) + r")[A-Za-z0-9_.-]{1,64}"
)


class InvalidConversationId(ValueError):
    """A local id outside the alphabet, or a channel that has no prefix."""


def is_valid_local_id(local_id: object) -> bool:
    return isinstance(local_id, str) and LOCAL_ID.fullmatch(local_id) is not None


def conversation_id(channel: str, local_id: str) -> str:
    """The one way any channel names a conversation."""
    prefix = PREFIXES.get(channel)
    if prefix is None:
        raise InvalidConversationId(f"unknown channel {channel!r}")
    if not is_valid_local_id(local_id):
        raise InvalidConversationId("local id must be 1-64 of A-Z a-z 0-9 _ . -")
    return prefix + local_id


def channel_of(conversation: str) -> str | None:
    """The channel whose prefix `conversation` carries, or None for an id no channel makes."""
    if not isinstance(conversation, str) or not CONVERSATION_ID.fullmatch(conversation):
        return None
    return next(channel for channel, prefix in PREFIXES.items() if conversation.startswith(prefix))


def local_id(conversation: str) -> str:
    """The channel's own user id: the PSID for Messenger, the user id for Zalo."""
    channel = channel_of(conversation)
    if channel is None:
        raise InvalidConversationId("not a conversation id")
    return conversation[len(PREFIXES[channel]):]
