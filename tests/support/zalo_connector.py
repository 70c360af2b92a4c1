"""The Zalo connector as the tests configure it in-process (no server): its credentials, and signed webhook events.

Used by the connector's own tests (tests/components/test_zalo_output.py) and by those of what it keeps in the
database (tests/integration/test_channel_state.py); the fake Zalo OA API they answer into is tests/fakes/zalo_api.py.
"""
from __future__ import annotations

import json
import time

from tests.fakes.zalo_signing import zalo_mac

APP_ID, SECRET = "42", "unit-oa-secret"
CONFIG = dict(app_id=APP_ID, oa_secret_key=SECRET, access_token="access-1", refresh_token="refresh-1")


def signed(event: dict) -> tuple[bytes, str]:
    """The event's raw body and its X-ZEvent-Signature header value, as Zalo signs them."""
    raw = json.dumps(event, ensure_ascii=False).encode()
    return raw, "mac=" + zalo_mac(event["app_id"], raw, event["timestamp"], SECRET)


def text_event(text: str, msg_id: str, sender: str = "user-1") -> dict:
    """A user_send_text event of now."""
    return {"event_name": "user_send_text", "app_id": APP_ID, "sender": {"id": sender}, "recipient": {"id": "oa-9"},
            "message": {"text": text, "msg_id": msg_id}, "timestamp": str(int(time.time() * 1000))}
