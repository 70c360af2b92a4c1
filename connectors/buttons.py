"""Rasa's buttons as every platform needs to understand them first: a link to open, or a payload to send."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Button:
    title: str
    payload: str  # what comes back as the user's message ("" for a link)
    url: str | None = None  # a link to open (a payment link), never sent as a message
    phone: str | None = None  # a number to call


def read_button(raw: Any) -> Button | None:
    """A Rasa button dict as a Button (None when it is not one)."""
    if not isinstance(raw, Mapping):
        return None
    payload = raw.get("payload")
    url = raw.get("url")
    if not (isinstance(url, str) and url.strip()) and isinstance(payload, str) and \
            payload.strip().lower().startswith(("http://", "https://")):
        url = payload
    title = str(raw.get("title") or payload or "…")
    if raw.get("type") == "phone_number" and isinstance(payload, str) and payload:
        return Button(title, "", phone=payload)
    if isinstance(url, str) and url.strip():
        return Button(title, "", url=url.strip())
    if payload is None or payload == "":
        payload = title
    if not isinstance(payload, str):
        payload = json.dumps(payload, ensure_ascii=False)
    return Button(title, payload)


def read_buttons(raw: Iterable[Any] | None) -> list[Button]:
    return [button for button in map(read_button, raw or []) if button is not None]


def groups(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """At most `size` per message: platforms cap the buttons of one message."""
    return [items[start:start + size] for start in range(0, len(items), size)]
