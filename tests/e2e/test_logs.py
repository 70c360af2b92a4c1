"""No process logs personal data in clear, even at debug level (where Rasa logs every message).

The stack runs with LOG_LEVEL=DEBUG (tests/e2e/conftest.py). This test makes sure the
demo customers' phone numbers and citizen IDs pass through every channel and the
action server, then reads every log file of the run, rotated ones included.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
import uuid
from pathlib import Path

import requests

from tests.e2e import zalo_webhook as zalo
from tests.e2e.stack_settings import FACEBOOK

PHONES = ("0901234567", "0912345678")
ID_NUMBERS = ("079088001234", "079095001234")


def test_personal_data_never_reaches_a_log_in_clear(stack, fake_graph, fake_zalo):
    sender = f"logs-{uuid.uuid4().hex}"
    for text in ("tôi còn nợ tiền điện không", "PE01000000001", "0901 234 567", PHONES[1], "cccd 079095001234",
                 "em muốn đổi tên chủ hợp đồng, CCCD 079088001234, sđt 0912345678"):
        stack.say(sender, text)
    psid = str(uuid.uuid4().int % 10**16)
    body = json.dumps({"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [
        {"sender": {"id": psid}, "recipient": {"id": "1"}, "timestamp": 1,
         "message": {"mid": f"m_{uuid.uuid4().hex}", "text": f"sdt em {PHONES[0]}, cccd {ID_NUMBERS[1]}"}}]}]}).encode()
    signature = "sha256=" + hmac.new(FACEBOOK["FACEBOOK_APP_SECRET"].encode(), body, hashlib.sha256).hexdigest()
    requests.post(f"{stack.rasa_url}/webhooks/facebook/webhook", data=body,
                  headers={"X-Hub-Signature-256": signature}, timeout=30)
    user = zalo.new_user()
    zalo.post(stack, zalo.event(user, f"số của tôi là {PHONES[1]}, căn cước {ID_NUMBERS[0]}"))
    zalo.wait_for(fake_zalo, user, bool, timeout=30)
    time.sleep(2)
    logs = sorted(Path(stack.log_dir).glob("*.log*"))
    assert logs
    everything = "\n".join(path.read_text(errors="replace") for path in logs)
    assert "DEBUG" in everything  # the servers did log at debug level, messages included
    assert "090****567" in everything  # and the masked form is there instead
    for secret in PHONES + ID_NUMBERS:
        assert secret not in everything, secret
        spaced = " ".join((secret[:4], secret[4:7], secret[7:]))
        assert spaced not in everything, spaced


def test_the_web_app_logs_each_line_once(stack):
    """Sanic 25's own handlers printed every line of the web app a second time, in their own unmasked format."""
    web = "\n".join(path.read_text(errors="replace") for path in Path(stack.log_dir).glob("web-*.log*"))
    started = re.findall(r"Starting worker \[(\d+)\]", web)
    assert started and len(started) == len(set(started)), web[-2000:]
