"""Which conversations may remember a customer ("Liên kết tài khoản"), and under what key.

A link belongs to the channel's own identity of the user, which the conversation id
carries: a Zalo user id and a Messenger PSID (both signed by their platform), or a
widget session the web app signed. The REST channel's sender is chosen by its API
client, so it never links. A link lets the assistant look up bills, debt and payment
links without the code and phone again; a change to a contract still asks the phone.
"""
from __future__ import annotations

from evn.domain import conversations

LINKABLE_CHANNELS = frozenset({"socketio", "facebook", "zalo"})


def can_link(conversation_id: str) -> bool:
    return conversations.channel_of(conversation_id) in LINKABLE_CHANNELS


def active_key(conversation_id: str, code: str) -> str:
    """Unique while the link holds: one code is linked to one conversation once."""
    return f"{conversation_id}|{code}"
