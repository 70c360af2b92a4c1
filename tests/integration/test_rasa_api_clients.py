"""Our clients of Rasa's HTTP API (the outbox's notifier, the console's tracker reader, the notices' chat route)
against a local server that checks credentials the way Rasa 3.6 does with --jwt-secret and no --auth-token
(rasa/server.py `requires_auth`): a JWT in `Authorization: Bearer`, role "admin" for any route, role "user"
for the conversation named by its username; nothing secret in the URL, which proxies log."""
from __future__ import annotations

import re
import time
from typing import Any

import jwt
import pytest

from evn.adapters.notice_senders import ChatSender
from evn.adapters.rasa_auth import LIFETIME_SECONDS, auth_headers, bearer_token
from evn.adapters.rasa_notifier import RasaNotifier
from evn.adapters.rasa_tracker import RasaTrackerReader
from evn.domain import events
from evn.domain.notices import NoticeKind
from evn.services.notices import Content, PendingNotice
from tests.fakes.http_fake import FakeHttpServer

SECRET = "rasa-http-api-secret-0123456789abcdef"
CONVERSATION_PATH = re.compile(r"^/conversations/([^/]+)/")
TRACKER = {"sender_id": "rest-a1", "paused": False, "events": [
    {"event": "user", "text": "giá điện bậc thang", "timestamp": 1_800_000_000.0,
     "parse_data": {"intent": {"name": "ask_tariff"}}},
    {"event": "bot", "text": "Dạ, bậc 1 là 1.984 đ/kWh.", "timestamp": 1_800_000_001.0},
]}


class FakeRasaApi(FakeHttpServer):
    """Rasa's HTTP API as our clients use it, with its JWT check (401 unauthenticated, 403 out of scope)."""

    def handle(self, record: dict[str, Any]) -> tuple[int, Any]:
        header = record["headers"].get("authorization", "")
        if not header.startswith("Bearer "):
            return 401, {"reason": "NotAuthenticated"}
        try:
            claims = jwt.decode(header.removeprefix("Bearer "), SECRET, algorithms=["HS256"])
        except jwt.InvalidTokenError:
            return 401, {"reason": "NotAuthenticated"}
        user = claims.get("user") or {}
        match = CONVERSATION_PATH.match(record["path"])
        if user.get("role") != "admin" and not (
                user.get("role") == "user" and match is not None and user.get("username") == match.group(1)):
            return 403, {"reason": "NotAuthorized"}
        if record["method"] == "GET" and record["path"].endswith("/tracker"):
            return 200, TRACKER
        return 200, {"tracker": TRACKER}


@pytest.fixture
def rasa():
    server = FakeRasaApi().start()
    yield server
    server.stop()


def assert_credentials_only_in_the_header(record: dict[str, Any], conversation: str) -> None:
    assert "token" not in record["query"] and SECRET not in record["path"] + str(record["query"])
    assert SECRET not in str(record["headers"])  # the secret signs, it never travels
    claims = jwt.decode(record["headers"]["authorization"].removeprefix("Bearer "), SECRET, algorithms=["HS256"])
    assert claims["user"] == {"username": conversation, "role": "user"}  # this conversation only
    assert 0 < claims["exp"] - time.time() <= LIFETIME_SECONDS


def test_the_notifier_sends_a_jwt_for_the_conversation_and_no_token_in_the_url(rasa):
    notifier = RasaNotifier(rasa.url, SECRET)
    notifier.payment_received(events.PaymentReceived("rest-a1", 979560, "10/2026", "vnpay", "R1"))
    notifier.agent_message(events.AgentMessage("facebook-p1", 3, "Lan", "Dạ"))
    notifier.handoff_closed(events.HandoffClosed("zalo-u1", 3, "resolved"))
    sent = [(r["path"], r["query"]) for r in rasa.requests]
    assert sent == [
        ("/conversations/rest-a1/trigger_intent", {"output_channel": "latest"}),
        ("/conversations/facebook-p1/tracker/events", {"output_channel": "latest", "execute_side_effects": "true"}),
        ("/conversations/zalo-u1/tracker/events", {"output_channel": "latest"}),
        ("/conversations/zalo-u1/trigger_intent", {"output_channel": "latest"}),
    ]
    for record, conversation in zip(rasa.requests, ("rest-a1", "facebook-p1", "zalo-u1", "zalo-u1"), strict=True):
        assert_credentials_only_in_the_header(record, conversation)


def test_a_notifier_with_another_secret_is_refused(rasa):
    with pytest.raises(RuntimeError, match="HTTP 401"):
        stranger = RasaNotifier(rasa.url, "not-the-secret-of-this-rasa-server")
        stranger.handoff_unanswered(events.HandoffUnanswered("rest-a1", 1))


def test_the_tracker_reader_sends_a_jwt_for_the_conversation_and_no_token_in_the_url(rasa):
    found = RasaTrackerReader(rasa.url, SECRET).conversation("rest-a1")
    assert [turn.sender for turn in found.turns] == ["customer", "bot"] and not found.paused
    (record,) = rasa.requests
    assert record["path"] == "/conversations/rest-a1/tracker" and record["query"] == {"include_events": "ALL"}
    assert_credentials_only_in_the_header(record, "rest-a1")


def test_the_chat_notice_sends_a_jwt_for_the_conversation_and_no_token_in_the_url(rasa):
    notice = PendingNotice(7, NoticeKind.BILL_ISSUED, "3636", "zalo", "u1", "zalo-u1", "PE01000000001", 0)
    assert ChatSender(rasa.url, SECRET)(notice, Content({"period": "11/2026"}, ""), "") == "chat:zalo-u1"
    (record,) = rasa.requests
    assert record["path"] == "/conversations/zalo-u1/trigger_intent" and record["query"] == {"output_channel": "zalo"}
    assert_credentials_only_in_the_header(record, "zalo-u1")


def test_a_conversations_token_opens_no_other_and_an_admin_token_every_route(rasa):
    import requests

    other = requests.get(f"{rasa.url}/conversations/rest-b2/tracker", headers=auth_headers(SECRET, "rest-a1"),
                         timeout=5)
    assert other.status_code == 403
    assert requests.get(f"{rasa.url}/status", headers=auth_headers(SECRET), timeout=5).status_code == 200
    claims = jwt.decode(bearer_token(SECRET, now=time.time()), SECRET, algorithms=["HS256"])
    assert claims["user"]["role"] == "admin"
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(bearer_token(SECRET, "rest-a1", now=time.time() - 2 * LIFETIME_SECONDS), SECRET,
                   algorithms=["HS256"])
    with pytest.raises(ValueError):
        bearer_token("", "rest-a1")  # no secret: no call
