"""Messenger webhook signatures, recomputed here by hand with hmac, and the inbound payload checks."""
from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from connectors.facebook import FacebookInput
from connectors.facebook.events import IncomingEvent, PayloadError, parse_events
from connectors.facebook.signature import signature_from_headers, signature_is_valid

SECRET = "app-secret-for-tests"
BODY = json.dumps(
    {"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [
        {"sender": {"id": "2468"}, "recipient": {"id": "1"}, "message": {"mid": "m_1", "text": "giá điện bậc thang"}}
    ]}]},
    ensure_ascii=False,
).encode("utf-8")


def sha256_of(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def sha1_of(body: bytes, secret: str = SECRET) -> str:
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def test_a_known_vector():
    # Independent of this module: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
    body = b"The quick brown fox jumps over the lazy dog"
    header = "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
    assert signature_is_valid("key", body, header)
    assert signature_is_valid("key", body, None, "sha1=de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9")


def test_sha256_signature_accepted():
    assert signature_is_valid(SECRET, BODY, sha256_of(BODY))
    assert signature_is_valid(SECRET, BODY, sha256_of(BODY).upper().replace("SHA256=", "sha256="))


def test_sha1_signature_accepted_when_the_256_header_is_absent():
    assert signature_is_valid(SECRET, BODY, None, sha1_of(BODY))


def test_tampered_body_rejected():
    tampered = BODY.replace("bậc thang".encode(), b"bac thang")
    assert tampered != BODY
    assert not signature_is_valid(SECRET, tampered, sha256_of(BODY))
    assert not signature_is_valid(SECRET, tampered, None, sha1_of(BODY))
    assert not signature_is_valid(SECRET, BODY + b" ", sha256_of(BODY))


def test_wrong_secret_rejected():
    assert not signature_is_valid(SECRET, BODY, sha256_of(BODY, "another-secret"))
    assert not signature_is_valid(SECRET, BODY, None, sha1_of(BODY, "another-secret"))


@pytest.mark.parametrize("secret", ["", None])
def test_no_secret_validates_nothing(secret):
    assert not signature_is_valid(secret, BODY, sha256_of(BODY, ""))


def test_missing_or_malformed_header_rejected():
    good = sha256_of(BODY)
    assert not signature_is_valid(SECRET, BODY, None, None)
    for header in ("", "sha256=", "sha256", good.split("=", 1)[1], "md5=" + good.split("=", 1)[1],
                   "sha1=" + good.split("=", 1)[1], good[:-2], "sha256=ỹ" + good[8:]):
        assert not signature_is_valid(SECRET, BODY, header), header


def test_the_256_header_is_preferred_over_sha1():
    # A present but wrong 256 header is not rescued by a correct sha1 header …
    assert not signature_is_valid(SECRET, BODY, sha256_of(BODY, "wrong"), sha1_of(BODY))
    assert not signature_is_valid(SECRET, BODY, "", sha1_of(BODY))
    # … and a correct 256 header wins over a wrong sha1 one.
    assert signature_is_valid(SECRET, BODY, sha256_of(BODY), sha1_of(BODY, "wrong"))


def test_headers_are_read_from_a_mapping():
    assert signature_from_headers(SECRET, BODY, {"X-Hub-Signature-256": sha256_of(BODY)})
    assert signature_from_headers(SECRET, BODY, {"X-Hub-Signature": sha1_of(BODY)})
    assert not signature_from_headers(SECRET, BODY, {})


def test_stock_hook_is_replaced_by_the_constant_time_check():
    assert FacebookInput.validate_hub_signature(SECRET, BODY, sha256_of(BODY))
    assert FacebookInput.validate_hub_signature(SECRET, BODY, sha1_of(BODY))
    assert not FacebookInput.validate_hub_signature(SECRET, BODY, sha1_of(BODY, "wrong"))
    assert not FacebookInput.validate_hub_signature(SECRET, BODY, "md5=abc")


# ---- the body, once the signature is good ----------------------------------------------


def page(*events, **entry):
    return {"object": "page", "entry": [{"id": "1", "time": 1, "messaging": list(events), **entry}]}


def test_text_quick_reply_postback_and_attachment_events():
    events = parse_events(page(
        {"sender": {"id": "11"}, "message": {"mid": "m_a", "text": "xin chào"}},
        {"sender": {"id": "11"},
         "message": {"mid": "m_b", "text": "Giá điện", "quick_reply": {"payload": "/ask_tariff"}}},
        {"sender": {"id": "12"}, "postback": {"mid": "m_c", "title": "Tra cứu hóa đơn", "payload": "/ask_bill"}},
        {"sender": {"id": 13}, "message": {"mid": "m_d", "attachments": [{"type": "image", "payload": {"url": "https://x"}}]}},
    ))
    assert events == [
        IncomingEvent("11", "xin chào", "m_a"), IncomingEvent("11", "/ask_tariff", "m_b"),
        IncomingEvent("12", "/ask_bill", "m_c"), IncomingEvent("13", None, "m_d", "https://x"),
    ]
    assert events[0].conversation_id == "facebook-11"


def test_deliveries_reads_echoes_and_stickers_are_ignored():
    assert parse_events(page(
        {"sender": {"id": "11"}, "delivery": {"mids": ["m_1"], "watermark": 1}},
        {"sender": {"id": "11"}, "read": {"watermark": 1}},
        {"sender": {"id": "1"}, "message": {"mid": "m_e", "is_echo": True, "text": "bot said"}},
        {"sender": {"id": "11"},
         "message": {"mid": "m_s", "attachments": [{"type": "image", "payload": {"sticker_id": 369239263222822}}]}},
    )) == []
    assert parse_events({"object": "page", "entry": [{"id": "1", "standby": []}]}) == []


@pytest.mark.parametrize("payload", [
    [], "page", 12, None,
    {"object": "user", "entry": []},
    {"object": "page"},
    {"object": "page", "entry": {}},
    {"object": "page", "entry": ["x"]},
    {"object": "page", "entry": [{"id": "1"}]},
    {"object": "page", "entry": [{"id": "1", "messaging": {}}]},
    page("text"),
    page({"sender": "11", "message": {"text": "hi"}}),
    page({"sender": {"id": ["11"]}, "message": {"text": "hi"}}),
    page({"sender": {"id": True}, "message": {"text": "hi"}}),
    page({"sender": {"id": "../../x y"}, "message": {"text": "hi"}}),
    page({"message": {"text": "hi"}}),
    page({"sender": {"id": "11"}, "message": "hi"}),
    page({"sender": {"id": "11"}, "message": {"text": 123}}),
    page({"sender": {"id": "11"}, "message": {"text": "hi", "mid": 5}}),
    page({"sender": {"id": "11"}, "message": {"text": "hi", "quick_reply": "x"}}),
    page({"sender": {"id": "11"}, "message": {"attachments": "x"}}),
    page({"sender": {"id": "11"}, "postback": "x"}),
    page({"sender": {"id": "11"}, "postback": {"payload": {"a": 1}}}),
])
def test_wrong_shapes_are_refused_whole(payload):
    with pytest.raises(PayloadError):
        parse_events(payload)


def test_one_bad_event_refuses_the_batch():
    with pytest.raises(PayloadError):
        parse_events(page({"sender": {"id": "11"}, "message": {"text": "ok"}},
                          {"sender": {"id": "11"}, "message": {"text": ["bad"]}}))


# ---- the webhook itself, in-process (a Sanic app with a stub message handler) -----------


def serve_and_call(channel: FacebookInput, calls):
    """Runs `calls(base_url, session)` against the channel's blueprint; returns (its result, messages handled)."""
    import asyncio
    import uuid

    import aiohttp
    from sanic import Sanic

    handled = []

    async def on_new_message(message):
        handled.append(message)

    # Test mode lets Sanic start more than one app per process (as sanic-testing does).
    Sanic.test_mode = True

    async def main():
        app = Sanic(f"fb_unit_{uuid.uuid4().hex[:8]}", configure_logging=False)
        app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/facebook")
        server = await app.create_server(host="127.0.0.1", port=0, return_asyncio_server=True)
        await server.startup()
        port = server.server.sockets[0].getsockname()[1]
        try:
            async with aiohttp.ClientSession() as session:
                result = await calls(f"http://127.0.0.1:{port}/webhooks/facebook", session)
            await asyncio.sleep(0.2)  # messages are handled after the 200
            return result
        finally:
            server.close()
            await server.wait_closed()

    return asyncio.run(main()), handled


async def _status(session, method, url, **kwargs):
    async with session.request(method, url, **kwargs) as response:
        return response.status, await response.text()


@pytest.mark.parametrize("missing", ["FACEBOOK_VERIFY_TOKEN", "FACEBOOK_APP_SECRET", "FACEBOOK_PAGE_ACCESS_TOKEN"])
def test_without_one_secret_the_channel_is_off(monkeypatch, missing):
    for name, value in (("FACEBOOK_VERIFY_TOKEN", "v"), ("FACEBOOK_APP_SECRET", SECRET),
                        ("FACEBOOK_PAGE_ACCESS_TOKEN", "t")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(missing)
    channel = FacebookInput.from_credentials(None)
    assert not channel.enabled and channel.get_output_channel() is None

    async def calls(base, session):
        return [
            await _status(session, "GET", base + "/"),
            await _status(session, "GET", base + "/webhook",
                          params={"hub.mode": "subscribe", "hub.verify_token": "v", "hub.challenge": "42"}),
            await _status(session, "POST", base + "/webhook", data=BODY, headers={
                "X-Hub-Signature-256": sha256_of(BODY), "Content-Type": "application/json"}),
        ]

    statuses, handled = serve_and_call(channel, calls)
    assert [status for status, _ in statuses] == [404, 404, 404] and handled == []


def test_settings_from_the_environment_and_credentials(monkeypatch):
    monkeypatch.setenv("FACEBOOK_VERIFY_TOKEN", "env-verify")
    monkeypatch.setenv("FACEBOOK_APP_SECRET", "env-secret")
    monkeypatch.setenv("FACEBOOK_PAGE_ACCESS_TOKEN", "env-token")
    monkeypatch.delenv("FACEBOOK_GRAPH_URL", raising=False)
    channel = FacebookInput.from_credentials(None)
    assert (channel.fb_verify, channel.fb_secret, channel.fb_access_token, channel.graph_url) == (
        "env-verify", "env-secret", "env-token", "https://graph.facebook.com/v19.0")
    assert channel.enabled and FacebookInput.name() == "facebook"
    channel = FacebookInput.from_credentials({"secret": "yml-secret", "graph-url": "http://graph.local/v20.0/"})
    assert (channel.fb_secret, channel.graph_url) == ("yml-secret", "http://graph.local/v20.0")
    output = channel.get_output_channel()
    assert output.name() == "facebook" and output.messaging_type == "UPDATE"


def test_signed_message_reaches_the_guarded_handler_and_unsigned_does_not():
    channel = FacebookInput("v", SECRET, "t", "http://127.0.0.1:9")

    async def calls(base, session):
        return [
            await _status(session, "POST", base + "/webhook", data=BODY, headers={"X-Hub-Signature": "sha1=00"}),
            await _status(session, "POST", base + "/webhook", data=BODY),
            await _status(session, "POST", base + "/webhook", data=b"{not json",
                          headers={"X-Hub-Signature-256": sha256_of(b"{not json")}),
            await _status(session, "POST", base + "/webhook", data=BODY,
                          headers={"X-Hub-Signature-256": sha256_of(BODY)}),
            await _status(session, "GET", base + "/webhook",
                          params={"hub.mode": "subscribe", "hub.verify_token": "v", "hub.challenge": "42"}),
            await _status(session, "GET", base + "/webhook",
                          params={"hub.mode": "subscribe", "hub.verify_token": "x", "hub.challenge": "42"}),
        ]

    statuses, handled = serve_and_call(channel, calls)
    assert [status for status, _ in statuses] == [403, 403, 400, 200, 200, 403]
    assert statuses[4][1] == "42"
    [message] = handled
    assert (message.text, message.sender_id, message.input_channel, message.message_id) == (
        "giá điện bậc thang", "facebook-2468", "facebook", "m_1")
    assert message.output_channel.name() == "facebook"
