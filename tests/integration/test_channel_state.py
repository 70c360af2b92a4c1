"""What channels remember in the database: Zalo's single-use token pair and message ids already handled.

Two channel objects on one database stand for two Rasa processes, or one before and
after a restart; Zalo's API is the local fake speaking its wire format.
"""
from __future__ import annotations

import asyncio

import pytest

from connectors.state import DatabaseDeduplicator
from connectors.zalo.api import ZaloApi
from connectors.zalo.channel import ZaloInput, ZaloOutput
from connectors.zalo.config import ZaloConfig
from connectors.zalo.tokens import TokenStore, ZaloTokens
from evn.adapters.unit_of_work import Factory
from evn.services.channel_state import ChannelStateService, TokenPair
from tests.fakes.zalo_api import FakeZaloApi
from tests.support.zalo_connector import APP_ID, CONFIG, SECRET, signed, text_event

pytestmark = pytest.mark.rasa_environment  # Rasa's own code


@pytest.fixture
def fake():
    server = FakeZaloApi(app_id=APP_ID, access_token="access-1", refresh_token="refresh-1", secret_key=SECRET).start()
    yield server
    server.stop()


def process(sessions, fake) -> tuple[ZaloInput, TokenStore]:
    """A Zalo channel as a freshly started Rasa process builds it (ZaloInput.from_credentials)."""
    config = ZaloConfig(**CONFIG, api_base=fake.url, oauth_url=fake.url + "/v4/oa/access_token")
    store = TokenStore(ChannelStateService(Factory(sessions)), config.refresh_token)
    current = store.current(TokenPair(config.access_token, config.refresh_token))
    api = ZaloApi(app_id=APP_ID, oa_secret_key=SECRET, tokens=ZaloTokens(current.access_token, current.refresh_token),
                  api_base=fake.url, oauth_url=config.oauth_url, backoff_base=0.01, store=store)
    return ZaloInput(config, api, DatabaseDeduplicator("zalo", ChannelStateService(Factory(sessions)))), store


def test_a_refreshed_token_pair_survives_a_restart(fresh_sessions, fake):
    first, _ = process(fresh_sessions, fake)
    fake.expire_token()
    asyncio.run(ZaloOutput(first.api).send_text_message("user-a", "một"))
    assert fake.refreshes == 1 and fake.refresh_token != "refresh-1"
    # A restart reads the configured (now used-up) pair from the environment again.
    restarted, _ = process(fresh_sessions, fake)
    assert restarted.api.tokens.access_token == fake.access_token
    assert restarted.api.tokens.refresh_token == fake.refresh_token
    fake.expire_token()
    asyncio.run(ZaloOutput(restarted.api).send_text_message("user-a", "hai"))
    assert fake.texts_for("user-a") == ["một", "hai"] and fake.refreshes == 2


def test_a_process_with_a_stale_pair_takes_the_one_another_process_refreshed(fresh_sessions, fake):
    one, _ = process(fresh_sessions, fake)
    two, _ = process(fresh_sessions, fake)
    fake.expire_token()
    asyncio.run(ZaloOutput(one.api).send_text_message("user-b", "một"))
    # Process two still holds access-1; Zalo refuses it, the refresh token it holds is used up,
    # but the database has the pair process one got.
    asyncio.run(ZaloOutput(two.api).send_text_message("user-b", "hai"))
    assert fake.texts_for("user-b") == ["một", "hai"] and fake.refreshes == 1


def test_a_newly_configured_pair_replaces_the_stored_one(fresh_sessions):
    service = ChannelStateService(Factory(fresh_sessions))
    assert service.current_tokens("zalo", TokenPair("a1", "r1")) == TokenPair("a1", "r1")
    service.refreshed("zalo", "r1", TokenPair("a2", "r2"))
    assert service.current_tokens("zalo", TokenPair("a1", "r1")).access_token == "a2"
    assert service.current_tokens("zalo", TokenPair("new-a", "new-r")) == TokenPair("new-a", "new-r")


def test_a_redelivered_webhook_is_answered_once_by_any_process(fresh_sessions, fake):
    one, _ = process(fresh_sessions, fake)
    two, _ = process(fresh_sessions, fake)
    seen = []

    async def on_new_message(message):
        seen.append(message.text)

    async def deliver():
        raw, mac = signed(text_event("giá điện", "msg-redelivered"))
        answers = [await channel.handle_webhook(raw, mac, on_new_message) for channel in (one, two, one)]
        await one.drain()
        await two.drain()
        return answers

    answers = asyncio.run(deliver())
    assert [body["status"] for _, body in answers] == ["accepted", "duplicate", "duplicate"]
    assert seen == ["giá điện"]


def test_message_ids_are_remembered_per_channel(fresh_sessions):
    service = ChannelStateService(Factory(fresh_sessions))
    assert service.first_delivery("zalo", "m-1") and not service.first_delivery("zalo", "m-1")
    assert service.first_delivery("facebook", "m-1")
