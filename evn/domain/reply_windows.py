"""When a person may still write into a customer's chat, by the platform's rules.

Messenger: a free reply within 24 h of the customer's last message; a person's reply
up to 7 days after it with the HUMAN_AGENT tag; never later. Zalo OA: free replies
within 48 h of the customer's last message. The widget and the REST channel are the
company's own: no window.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MESSENGER_STANDARD = timedelta(hours=24)
MESSENGER_HUMAN_AGENT = timedelta(days=7)
ZALO_FREE_REPLIES = timedelta(hours=48)
HUMAN_AGENT_TAG = "HUMAN_AGENT"


@dataclass(frozen=True)
class ReplyWindow:
    allowed: bool
    messenger_tag: str | None = None  # the Send API's tag, when the standard window has passed
    closes_at: datetime | None = None  # when replying stops being allowed (None: never)


def agent_reply_window(channel: str | None, last_customer_message_at: datetime | None, now: datetime) -> ReplyWindow:
    """Whether an agent may reply now, and how (all times UTC)."""
    if channel not in ("facebook", "zalo"):
        return ReplyWindow(allowed=channel is not None)
    if last_customer_message_at is None:
        return ReplyWindow(allowed=False)
    waited = now - last_customer_message_at
    if channel == "zalo":
        closes = last_customer_message_at + ZALO_FREE_REPLIES
        return ReplyWindow(allowed=waited <= ZALO_FREE_REPLIES, closes_at=closes)
    if waited <= MESSENGER_STANDARD:
        return ReplyWindow(allowed=True, closes_at=last_customer_message_at + MESSENGER_HUMAN_AGENT)
    return ReplyWindow(allowed=waited <= MESSENGER_HUMAN_AGENT, messenger_tag=HUMAN_AGENT_TAG,
                       closes_at=last_customer_message_at + MESSENGER_HUMAN_AGENT)


def free_reply_open(channel: str | None, waited: timedelta) -> bool:
    """Whether the assistant may still send something the customer did not ask for that is not an update (a
    survey's question) this long after the customer's last message: Messenger's standard window, Zalo's free
    replies; the company's own channels always."""
    if channel == "facebook":
        return waited <= MESSENGER_STANDARD
    if channel == "zalo":
        return waited <= ZALO_FREE_REPLIES
    return True
