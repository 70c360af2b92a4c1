"""Which conversations may remember a customer ("Liên kết tài khoản"), and under what key.

A link belongs to the channel's own identity of the user, which the conversation id
carries: a Zalo user id and a Messenger PSID (both signed by their platform), or a
widget session the web app signed. The REST channel's sender is chosen by its API
client, so it never links. A link lets the assistant look up bills, debt and payment
links without the code and phone again; a change to a contract still asks the phone.
"""
from __future__ import annotations

from dataclasses import dataclass

from evn.domain import conversations

LINKABLE_CHANNELS = frozenset({"socketio", "facebook", "zalo"})


def can_link(conversation_id: str) -> bool:
    return conversations.channel_of(conversation_id) in LINKABLE_CHANNELS


def active_key(conversation_id: str, code: str) -> str:
    """Unique while the link holds: one code is linked to one conversation once."""
    return f"{conversation_id}|{code}"


@dataclass(frozen=True)
class Recipient:
    """Who a notice goes to: a channel user, in their conversation, about one customer code."""

    channel: str
    channel_user: str
    conversation_id: str
    customer_code: str


def conversation_recipient(conversation_id: str, code: str) -> Recipient | None:
    """The conversation itself as a recipient (the one that filed a request), if its channel takes notices."""
    channel = conversations.channel_of(conversation_id)
    if channel not in LINKABLE_CHANNELS:
        return None
    return Recipient(channel, conversations.local_id(conversation_id), conversation_id, code)
