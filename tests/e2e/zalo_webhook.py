"""A Zalo user of the running stack: events signed as Zalo signs them, posted to Rasa's Zalo webhook, and the
replies read back from the fake Zalo OA API (the `fake_zalo` fixture)."""
from __future__ import annotations

import json
import time
import uuid

import pytest
import requests

from tests.e2e.stack_settings import ZALO
from tests.fakes.zalo_signing import zalo_mac

APP_ID, SECRET = ZALO["ZALO_APP_ID"], ZALO["ZALO_OA_SECRET_KEY"]
OA_ID = "579745863508352884"


def new_user() -> str:
    return "zu" + uuid.uuid4().hex[:16]


def event(user: str, text: str | None = None, *, name: str = "user_send_text", msg_id: str | None = None,
          timestamp: int | None = None, app_id: str = APP_ID) -> dict:
    message = {"msg_id": msg_id or uuid.uuid4().hex}
    if text is not None:
        message["text"] = text
    return {
        "event_name": name, "app_id": app_id, "sender": {"id": user}, "recipient": {"id": OA_ID},
        "message": message, "timestamp": str(timestamp if timestamp is not None else int(time.time() * 1000)),
        "user_id_by_app": "app-" + user,
    }


def post(stack, body, *, mac: str | None = None, secret: str = SECRET) -> requests.Response:
    """POST an event as Zalo does: the raw body signed with app_id + body + timestamp + secret."""
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
    if mac is None and isinstance(body, dict):
        mac = zalo_mac(str(body["app_id"]), raw, str(body["timestamp"]), secret)
    headers = {"Content-Type": "application/json"}
    if mac is not None:
        headers["X-ZEvent-Signature"] = f"mac={mac}"
    return requests.post(f"{stack.rasa_url}/webhooks/zalo/webhook", data=raw, headers=headers, timeout=10)


def wait_for(fake_zalo, user: str, predicate, timeout: float = 15.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = fake_zalo.messages_for(user)
        if predicate(messages):
            return messages
        time.sleep(0.1)
    pytest.fail(f"the fake Zalo API did not get the expected messages for {user}: {fake_zalo.messages_for(user)}")


def has_text(fragment: str):
    return lambda messages: any(fragment in m.get("text", "") for m in messages)


def said(fake_zalo, user: str) -> list[str]:
    return [m.get("text", "") for m in fake_zalo.messages_for(user)]


def turn(stack, fake_zalo, user: str, message: str, expect: str, timeout: float = 30) -> str:
    """Sends a signed Zalo message and waits until a new reply contains `expect`; the new replies."""
    before = len(fake_zalo.messages_for(user))
    assert post(stack, event(user, message)).status_code == 200
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = "\n".join(said(fake_zalo, user)[before:])
        if expect in new:
            time.sleep(0.5)  # the rest of that turn's messages
            return "\n".join(said(fake_zalo, user)[before:])
        time.sleep(0.1)
    raise AssertionError(f"no reply with {expect!r}; got {said(fake_zalo, user)[before:]}")
