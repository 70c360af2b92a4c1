"""Which conversations may remember a customer ("Liên kết tài khoản"), and under what key.

A link belongs to the channel's own identity of the user, which the conversation id
carries: a Zalo user id and a Messenger PSID (both signed by their platform), or a
widget session the web app signed. The REST channel's sender is chosen by its API
client, so it never links. A link lets the assistant look up bills, debt and payment
links without the code and phone again; a change to a contract still asks the phone.

A link expires when nobody was recognised through it for UNUSED_FOR (180 days): the last
use is recorded on each recognition, and a link unused since `fresh_since(now)` is treated
as absent everywhere (recognition, lists, notices), in SQL, with no job to run. 180 days
covers a customer who looks up a bill only every few months, and a bill cycle or two of
absence besides; a former tenant or a sold phone stops being recognised within half a year.
The customer who comes back is told the link expired and verifies again.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from evn.domain import conversations

LINKABLE_CHANNELS = frozenset({"socketio", "facebook", "zalo"})
UNUSED_FOR = timedelta(days=180)
USE_RESOLUTION = timedelta(minutes=1)  # one recognition recorded per minute: a turn asks several times


class LinkEnd(str, Enum):
    """Why a link ended (account_links.ended_by): the history of consents says who ended it."""

    USER = "user"  # "hủy liên kết" by the linked chat user
    OWNER = "owner"  # revoked by the customer, verified by phone, from any chat
    EXPIRED = "expired"  # unused for UNUSED_FOR (stamped when the user is told)
    SESSION = "session"  # the widget's session was ended (↺, a new conversation)


def fresh_since(now: datetime) -> datetime:
    """The oldest last use of a link that still holds at `now`."""
    return now - UNUSED_FOR


def last_use(linked_at: datetime, last_used_at: datetime | None) -> datetime:
    """When the link was last used to recognise its user (its making counts as a use); SQL's
    COALESCE(last_used_at, linked_at), the same rule (evn/adapters/repositories/links.py)."""
    return last_used_at if last_used_at is not None else linked_at


def has_expired(linked_at: datetime, last_used_at: datetime | None, now: datetime) -> bool:
    return last_use(linked_at, last_used_at) < fresh_since(now)


def worth_recording(linked_at: datetime, last_used_at: datetime | None, now: datetime) -> bool:
    """A recognition moves the last use when it is USE_RESOLUTION newer than the recorded one."""
    return now - last_use(linked_at, last_used_at) >= USE_RESOLUTION


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
