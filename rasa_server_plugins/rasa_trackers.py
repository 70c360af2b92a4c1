"""Reading a conversation's tracker from inside the Rasa server (for the input guard).

Channels only get an `on_new_message` callback from Rasa; the tracker store hangs
off the one Sanic app of the server process.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sanic import Sanic

logger = logging.getLogger(__name__)

RECENT_BOT_MESSAGES = 10  # a customer may tap a button of one of the last few answers


def _agent() -> Any:
    try:
        return getattr(Sanic.get_app().ctx, "agent", None)
    except Exception:  # noqa: BLE001 - no app, or several: nothing to look at
        return None


async def _tracker(sender_id: str) -> Any:
    """The conversation's tracker from this Rasa server's store, or None (no store, none yet, unreadable)."""
    store = getattr(_agent(), "tracker_store", None)
    if store is None:
        return None
    try:
        return await store.retrieve(sender_id)
    except Exception:  # noqa: BLE001 - a store we cannot read offers nothing and pauses nothing
        logger.warning("guard.tracker.unreadable")
        return None


async def offered_payloads(sender_id: str) -> set[str]:
    """Payloads of the buttons in the bot's last messages to this conversation."""
    tracker = await _tracker(sender_id)
    return set() if tracker is None else payloads_of(event.as_dict() for event in tracker.events)


async def is_paused(sender_id: str) -> bool:
    """Whether an agent holds the conversation (Rasa paused it)."""
    tracker = await _tracker(sender_id)
    return tracker is not None and tracker.is_paused()


def payloads_of(events: Iterable[dict[str, Any]]) -> set[str]:
    """Button and quick-reply payloads of the last RECENT_BOT_MESSAGES bot events."""
    bot = [event for event in events if event.get("event") == "bot"][-RECENT_BOT_MESSAGES:]
    found: set[str] = set()
    for event in bot:
        data = event.get("data") or {}
        for key in ("buttons", "quick_replies"):
            for button in data.get(key) or []:
                payload = button.get("payload") if isinstance(button, dict) else None
                if isinstance(payload, str) and payload.strip():
                    found.add(payload.strip())
    return found
