"""A Messenger user of the running stack: page events signed with the app secret as Facebook signs them, posted to
Rasa's Messenger webhook, and the replies read back from the fake Graph API (the `fake_graph` fixture)."""
from __future__ import annotations

import hashlib
import hmac
import json
import random
import time
import uuid

import requests

from tests.e2e.stack_settings import FACEBOOK
from tests.fakes.graph_api import text_of

SECRET = FACEBOOK["FACEBOOK_APP_SECRET"]
PAGE_ID = "100200300400500"


def new_psid() -> str:
    return str(random.randint(10**15, 10**16 - 1))


def event(psid: str, **fields) -> dict:
    return {"sender": {"id": psid}, "recipient": {"id": PAGE_ID}, "timestamp": int(time.time() * 1000), **fields}


def text_event(psid: str, text: str, **message) -> dict:
    return event(psid, message={"mid": f"m_{uuid.uuid4().hex}", "text": text, **message})


def page_body(*events) -> bytes:
    body = {"object": "page", "entry": [{"id": PAGE_ID, "time": int(time.time() * 1000), "messaging": list(events)}]}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def sha256_header(body: bytes, secret: str = SECRET) -> dict:
    return {"X-Hub-Signature-256": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def sha1_header(body: bytes, secret: str = SECRET) -> dict:
    return {"X-Hub-Signature": "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()}


def post(url: str, body: bytes, headers: dict | None = None) -> requests.Response:
    return requests.post(url, data=body, headers={"Content-Type": "application/json", **(headers or {})}, timeout=30)


def send_signed(url: str, *events) -> requests.Response:
    body = page_body(*events)
    return post(url, body, sha256_header(body))


def joined(messages: list[dict]) -> str:
    return "\n".join(text_of(m) for m in messages)


def wait_for_text(fake_graph, psid: str, needle: str, timeout: float = 10) -> list[dict]:
    return fake_graph.wait_for(psid, lambda messages: needle in joined(messages), timeout=timeout)


def turn(webhook: str, fake_graph, psid: str, message: str, expect: str, timeout: float = 60) -> str:
    """Sends a signed Messenger text and waits until a new reply contains `expect`; the new replies' text."""
    before = len(fake_graph.messages_for(psid))
    assert send_signed(webhook, text_event(psid, message)).status_code == 200
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if expect in "\n".join(fake_graph.texts_for(psid)[before:]):
            time.sleep(0.5)  # the rest of that turn's messages
            return "\n".join(fake_graph.texts_for(psid)[before:])
        time.sleep(0.1)
    raise AssertionError(f"no reply with {expect!r} to {message!r}; got {fake_graph.texts_for(psid)[before:]}")
