"""The Zalo output channel against the fake Zalo OA API: shapes, limits, token refresh, retries.

The last tests drive the webhook handler without a server (the running-server tests are
in tests/e2e/test_zalo_channel.py).
"""
import asyncio
import logging
import time

import pytest

from connectors.zalo.api import TOKEN_ERROR_TEXT, ZaloApi
from connectors.zalo.channel import NON_TEXT_REPLY, ZaloInput, ZaloOutput
from connectors.zalo.config import ZaloConfig
from connectors.zalo.messages import MAX_BUTTONS, MAX_TEXT_CHARS, button_messages, split_text
from connectors.zalo.tokens import ZaloTokens
from evn.settings import ZaloSettings
from tests.fakes.http_fake import FakeHttpServer
from tests.fakes.zalo_api import FakeZaloApi
from tests.support.zalo_connector import APP_ID, CONFIG, SECRET, signed, text_event


@pytest.fixture
def fake():
    server = FakeZaloApi(app_id=APP_ID, access_token="access-1", refresh_token="refresh-1", secret_key=SECRET).start()
    yield server
    server.stop()


def make_api(server, backoff_base=0.01, **kwargs) -> ZaloApi:
    return ZaloApi(
        app_id=APP_ID, oa_secret_key=SECRET, tokens=ZaloTokens("access-1", "refresh-1"), api_base=server.url,
        oauth_url=server.url + "/v4/oa/access_token", backoff_base=backoff_base, **kwargs,
    )


def run(coroutine):
    return asyncio.run(coroutine)


# ----------------------------------------------------------------------------- text


def test_short_text_is_one_message():
    assert split_text("Dạ, em chào anh/chị.") == ["Dạ, em chào anh/chị."]
    assert split_text("   ") == [] and split_text("") == []


def test_long_text_splits_on_lines_first():
    lines = [f"Dòng {i}: giá điện bậc {i % 6 + 1} là 1.984 đ/kWh." + " x" * 30 for i in range(120)]
    text = "\n".join(lines)
    chunks = split_text(text)
    assert len(text) > MAX_TEXT_CHARS and len(chunks) > 1
    assert all(len(chunk) <= MAX_TEXT_CHARS for chunk in chunks)
    assert "\n".join(chunks) == text  # nothing lost, cut only at line ends
    assert all(chunk.split("\n")[0] in lines for chunk in chunks)


def test_a_long_line_splits_between_words_and_a_huge_word_anywhere():
    words = " ".join(f"điện{i}" for i in range(1500))
    chunks = split_text(words)
    assert all(len(c) <= MAX_TEXT_CHARS for c in chunks) and " ".join(chunks) == words
    blob = "x" * 4500
    assert split_text(blob) == ["x" * 2000, "x" * 2000, "x" * 500]


def test_long_text_is_sent_in_pieces_zalo_accepts(fake):
    text = "\n".join(["Dạ, " + " ".join(["điện năng"] * 40)] * 20)
    run(ZaloOutput(make_api(fake)).send_text_message("user-long", text))
    sent = fake.texts_for("user-long")
    assert len(sent) == len(split_text(text)) > 1
    assert "\n".join(sent) == text


# ----------------------------------------------------------------------------- buttons and images


def test_buttons_map_to_query_and_url_buttons():
    buttons = [
        {"title": "Giá điện bậc thang", "payload": "/ask_tariff"},
        {"title": "Thanh toán 979.560 đ", "url": "https://pay.example.vn/pay/abc", "type": "web_url",
         "payload": "https://pay.example.vn/pay/abc"},
        {"title": "Trang EVN", "payload": "http://www.evn.com.vn"},
        {"title": "Chọn kỳ", "payload": '/inform{"period": "10/2026"}'},
    ]
    [message] = button_messages("Anh/chị chọn giúp em ạ:", buttons)
    assert message["text"] == "Anh/chị chọn giúp em ạ:"
    attachment = message["attachment"]
    assert attachment["type"] == "template" and "template_type" not in attachment["payload"]
    assert attachment["payload"]["buttons"] == [
        {"title": "Giá điện bậc thang", "type": "oa.query.show", "payload": "/ask_tariff"},
        {"title": "Thanh toán 979.560 đ", "type": "oa.open.url", "payload": {"url": "https://pay.example.vn/pay/abc"}},
        {"title": "Trang EVN", "type": "oa.open.url", "payload": {"url": "http://www.evn.com.vn"}},
        {"title": "Chọn kỳ", "type": "oa.query.show", "payload": '/inform{"period": "10/2026"}'},
    ]


def test_more_than_five_buttons_go_in_several_messages(fake):
    buttons = [{"title": f"Lựa chọn {i}", "payload": f"/choice_{i}"} for i in range(12)]
    run(ZaloOutput(make_api(fake)).send_text_with_buttons("user-buttons", "Dạ, anh/chị muốn hỏi việc nào ạ?", buttons))
    messages = fake.messages_for("user-buttons")
    groups = [m["attachment"]["payload"]["buttons"] for m in messages]
    assert [len(g) for g in groups] == [5, 5, 2] and all(len(g) <= MAX_BUTTONS for g in groups)
    assert messages[0]["text"] == "Dạ, anh/chị muốn hỏi việc nào ạ?"
    assert [b["payload"] for g in groups for b in g] == [f"/choice_{i}" for i in range(12)]
    assert all(m["text"] for m in messages)


def test_long_text_with_buttons_puts_the_buttons_on_the_last_piece():
    messages = button_messages("a " * 1500, [{"title": "OK", "payload": "/affirm"}])
    assert len(messages) == 2 and "attachment" not in messages[0] and "attachment" in messages[1]


def test_image_is_a_media_template(fake):
    run(ZaloOutput(make_api(fake)).send_image_url("user-image", "https://example.vn/qr.png"))
    assert fake.messages_for("user-image") == [{
        "attachment": {"type": "template", "payload": {
            "template_type": "media", "elements": [{"media_type": "image", "url": "https://example.vn/qr.png"}]}}
    }]


class PdfServer(FakeHttpServer):
    """The web app's document links, as the Zalo channel fetches them."""

    def handle(self, record):
        if record["path"] == "/documents/bill-1-9.abcdefghijklmnopqrstuv.pdf":
            return 200, PDF
        return 404, {"error": "not found"}


PDF = b"%PDF-1.4 a bill"


@pytest.fixture
def documents():
    server = PdfServer().start()
    yield server
    server.stop()


def test_a_file_is_fetched_from_our_link_uploaded_and_sent_by_its_token(fake, documents):
    from connectors.documents import DocumentFetcher

    output = ZaloOutput(make_api(fake), DocumentFetcher(documents.url))
    file = {"type": "file", "url": documents.url + "/documents/bill-1-9.abcdefghijklmnopqrstuv.pdf",
            "name": "hoa-don-PE1-10-2026.pdf"}
    run(output.send_attachment("user-file", file))
    assert fake.file_messages_for("user-file") == [("hoa-don-PE1-10-2026.pdf", PDF)]
    for elsewhere in ("https://evil.example/documents/bill-1-9.abcdefghijklmnopqrstuv.pdf",
                      documents.url + "/documents/bill-1-8.abcdefghijklmnopqrstuv.pdf",
                      documents.url + "/documents/%2e%2e/agent.pdf", documents.url + "/other/bill.pdf"):
        run(output.send_attachment("user-link", {**file, "url": elsewhere}))
    assert fake.file_messages_for("user-link") == [], "nothing but our own document links is fetched"
    assert fake.texts_for("user-link")[-1] == f"hoa-don-PE1-10-2026.pdf: {documents.url}/other/bill.pdf", \
        "a file that cannot be sent goes as its link"
    run(output.send_attachment("user-odd", {"type": "image", "url": file["url"]}))
    assert fake.messages_for("user-odd") == []


def test_custom_json_passes_through(fake):
    custom = {"text": "Gọi tổng đài", "attachment": {"type": "template", "payload": {"buttons": [
        {"title": "Gọi 19006769", "type": "oa.open.phone", "payload": {"phone_code": "19006769"}}]}}}
    run(ZaloOutput(make_api(fake)).send_custom_json("user-custom", custom))
    assert fake.messages_for("user-custom") == [custom]


# ----------------------------------------------------------------------------- tokens and failures


@pytest.mark.parametrize(("text", "token_error"), [
    ("Access token is invalid", True), ("access_token has EXPIRED", True), ("access token: (expired)", True),
    ("access tokenexpired", False), ("access token đãexpired", False), ("access token is invalidé", False),
    ("access token\nexpired", False),
])
def test_a_token_error_message_names_it_in_whole_words(text, token_error):
    assert bool(TOKEN_ERROR_TEXT.search(text)) is token_error


def test_expired_token_is_refreshed_once_and_kept(fake):
    api = make_api(fake)
    fake.expire_token()
    run(ZaloOutput(api).send_text_message("user-refresh", "một"))
    assert fake.texts_for("user-refresh") == ["một"] and fake.refreshes == 1
    assert api.tokens.access_token == fake.access_token != "access-1"
    assert api.tokens.refresh_token == fake.refresh_token != "refresh-1"
    refresh = [r for r in fake.requests if r["path"] == "/v4/oa/access_token"][0]
    assert refresh["headers"]["secret_key"] == SECRET
    assert "grant_type=refresh_token" in refresh["raw"].decode() and f"app_id={APP_ID}" in refresh["raw"].decode()
    # A second output channel sharing the tokens (a later message) uses the new token directly.
    run(ZaloOutput(api).send_text_message("user-refresh", "hai"))
    assert fake.texts_for("user-refresh") == ["một", "hai"] and fake.refreshes == 1


def test_concurrent_messages_refresh_only_once(fake):
    api = make_api(fake)
    fake.expire_token()

    async def many():
        await asyncio.gather(*(ZaloOutput(api).send_text_message(f"user-conc-{i}", f"tin {i}") for i in range(5)))

    run(many())
    assert fake.refreshes == 1
    assert sorted(t for i in range(5) for t in fake.texts_for(f"user-conc-{i}")) == [f"tin {i}" for i in range(5)]


def test_refused_refresh_does_not_raise(fake, caplog):
    api = ZaloApi(app_id=APP_ID, oa_secret_key="wrong", tokens=ZaloTokens("access-1", "refresh-1"),
                  api_base=fake.url, oauth_url=fake.url + "/v4/oa/access_token", backoff_base=0.01)
    fake.expire_token()
    with caplog.at_level(logging.WARNING, logger="connectors.zalo.api"):
        assert run(api.send("user-x", {"text": "xin chào"})) is False
    assert fake.sent == [] and "refresh refused" in caplog.text


def test_502_is_retried_with_exponential_backoff(fake, monkeypatch):
    waits = []
    real_sleep = asyncio.sleep

    async def recording_sleep(delay, *args, **kwargs):
        waits.append(delay)
        await real_sleep(0)

    monkeypatch.setattr("connectors.http_retry.asyncio.sleep", recording_sleep)
    api = make_api(fake, backoff_base=0.5)
    fake.fail_next(2, status=502)
    assert run(api.send("user-retry", {"text": "thử lại"})) is True
    assert waits == [0.5, 1.0]  # exponential: base, then twice the base
    assert fake.texts_for("user-retry") == ["thử lại"]
    assert len([r for r in fake.requests if r["path"] == "/v3.0/oa/message/cs"]) == 3


def test_three_failures_give_up_without_raising(fake):
    fake.fail_next(3, status=503)
    assert run(make_api(fake).send("user-down", {"text": "x"})) is False
    fake.fail_next(0)
    # Nothing raises from the output channel either, whatever happens.
    run(ZaloOutput(make_api(fake)).send_text_message("", "người nhận rỗng"))  # -201 from the fake
    assert fake.sent == []


def test_unreachable_api_does_not_raise():
    api = ZaloApi(app_id=APP_ID, oa_secret_key=SECRET, tokens=ZaloTokens("a", "r"),
                  api_base="http://127.0.0.1:9", backoff_base=0.01, timeout=2)
    run(ZaloOutput(api).send_text_message("user", "xin chào"))
    run(ZaloOutput(api).send_text_with_buttons("user", "xin chào", [{"title": "A", "payload": "/a"}]))
    assert run(api.send("user", {"text": "x"})) is False


class _RefusingZalo(FakeHttpServer):
    def handle(self, record):
        return 200, {"error": -230, "message": "User 0901234567 has not interacted with the OA in 7 days"}


def test_other_errors_are_logged_with_phones_masked(caplog):
    server = _RefusingZalo().start()
    try:
        api = ZaloApi(app_id=APP_ID, oa_secret_key=SECRET, tokens=ZaloTokens("a", "r"), api_base=server.url)
        with caplog.at_level(logging.WARNING, logger="connectors.zalo.api"):
            run(ZaloOutput(api).send_text_message("user", "xin chào"))
    finally:
        server.stop()
    assert "-230" in caplog.text and "090****567" in caplog.text and "0901234567" not in caplog.text
    assert len(server.requests) == 1  # not retried, not refreshed


# ----------------------------------------------------------------------------- the webhook handler, no server

def test_without_credentials_the_channel_is_off(monkeypatch):
    for key in ("ZALO_APP_ID", "ZALO_OA_SECRET_KEY", "ZALO_ACCESS_TOKEN", "ZALO_REFRESH_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    channel = ZaloInput.from_credentials(None)
    seen = []

    async def on_new_message(message):
        seen.append(message)

    raw, mac = signed(text_event("xin chào", "m-off"))
    status, body = run(channel.handle_webhook(raw, mac, on_new_message))
    assert (status, body) == (404, {"error": "zalo channel not configured"}) and seen == []
    assert channel.get_output_channel() is None


def test_credentials_override_the_environment(monkeypatch):
    monkeypatch.setenv("ZALO_APP_ID", "from-env")
    monkeypatch.setenv("ZALO_API_BASE", "http://env.example")
    config = ZaloConfig.load({"app_id": "from-credentials", "api_base": ""})
    assert config.app_id == "from-credentials" and config.api_base == "http://env.example"
    assert ZaloConfig.load({}, ZaloSettings()).api_base == "https://openapi.zalo.me"
    assert ZaloConfig.load({}, ZaloSettings()).oauth_url == "https://oauth.zaloapp.com/v4/oa/access_token"


def test_webhook_hands_text_to_rasa_in_order_and_only_once(fake):
    channel = ZaloInput(ZaloConfig(**CONFIG, api_base=fake.url), api=make_api(fake))
    seen = []

    async def on_new_message(message):
        await asyncio.sleep(0.05 if message.text == "một" else 0)  # the first is slower: order must hold
        seen.append(message)

    async def scenario():
        results = []
        for text, msg_id in (("một", "m-1"), ("hai", "m-2"), ("một", "m-1")):
            results.append(await channel.handle_webhook(*signed(text_event(text, msg_id)), on_new_message))
        sticker = {**text_event("", "m-3"), "event_name": "user_send_sticker",
                   "message": {"msg_id": "m-3", "attachments": [{"type": "sticker"}]}}
        results.append(await channel.handle_webhook(*signed(sticker), on_new_message))
        await channel.drain()
        return results

    results = run(scenario())
    assert [r[0] for r in results] == [200, 200, 200, 200]
    assert results[2][1] == {"status": "duplicate"}
    assert [m.text for m in seen] == ["một", "hai"]
    first = seen[0]
    assert first.sender_id == "zalo-user-1" and first.input_channel == "zalo" and first.message_id == "m-1"
    assert first.metadata["oa_id"] == "oa-9" and isinstance(first.output_channel, ZaloOutput)
    assert fake.texts_for("user-1") == [NON_TEXT_REPLY]


def test_webhook_rejections(fake):
    channel = ZaloInput(ZaloConfig(**CONFIG, api_base=fake.url), api=make_api(fake))

    async def on_new_message(message):
        raise AssertionError("nothing may be processed")

    def call(raw, mac):
        return run(channel.handle_webhook(raw, mac, on_new_message))[0]

    raw, mac = signed(text_event("xin chào", "r-1"))
    assert call(raw, None) == 403
    assert call(raw, "mac=" + "0" * 64) == 403
    assert call(raw + b" ", mac) == 403
    old = text_event("xin chào", "r-2")
    old["timestamp"] = str(int((time.time() - 301) * 1000))
    assert call(*signed(old)) == 403
    future = text_event("xin chào", "r-3")
    future["timestamp"] = str(int((time.time() + 120) * 1000))
    assert call(*signed(future)) == 403
    foreign = {**text_event("xin chào", "r-4"), "app_id": "99"}
    assert call(*signed(foreign)) == 403
    assert call(b"{not json", "mac=00") == 400
    assert call(b"[]", "mac=00") == 400
    no_sender = text_event("xin chào", "r-5")
    del no_sender["sender"]
    assert call(*signed(no_sender)) == 400
    wrong_text = text_event("xin chào", "r-6")
    wrong_text["message"]["text"] = 12345
    assert call(*signed(wrong_text)) == 400
