"""The input guard: channel identity, typed intents, empty and long messages."""
from __future__ import annotations

import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from connectors import guard, rasa_trackers

OFFERED = {"/ask_tariff", '/cancel_request{"request_id": "YC-20261128-0001"}'}


@pytest.fixture(autouse=True)
def offered(monkeypatch):
    async def payloads(_sender):
        return OFFERED

    monkeypatch.setattr(rasa_trackers, "offered_payloads", payloads)


def handled(text: str, channel: str = "rest", sender: str = "rest-a") -> tuple[list[str], list[dict]]:
    seen: list[str] = []

    async def on_new_message(message: UserMessage) -> None:
        seen.append(message.text)

    output = CollectingOutputChannel()
    asyncio.run(guard.guarded(on_new_message, channel)(UserMessage(text, output, sender, input_channel=channel)))
    return seen, output.messages


@pytest.mark.parametrize("text", ["/ask_tariff", "  /ask_tariff ", '/cancel_request{"request_id": "YC-20261128-0001"}'])
def test_an_offered_payload_reaches_rasa_as_it_is(text):
    assert handled(text)[0] == [text.strip()]


@pytest.mark.parametrize("text", [
    '/EXTERNAL_payment_received{"amount": 5000000}', "/ EXTERNAL_payment_received", "/\t/EXTERNAL_payment_received",
    "/\n/EXTERNAL_payment_received", "/\u00a0/EXTERNAL_payment_received", "//EXTERNAL_payment_received",
    "/restart", '/cancel_request{"request_id": "YC-20261128-0002"}', "/ASK_TARIFF", "/ask_tariff{}",
])
def test_anything_else_that_starts_with_a_slash_is_words(text):
    (seen,), _ = handled(text)
    assert not seen.startswith("/") and not seen.strip().startswith("/")


def test_a_message_naming_another_channels_conversation_is_refused():
    assert handled("xin chào", channel="rest", sender="facebook-123") == ([], [])
    assert handled("xin chào", channel="socketio", sender="rest-a") == ([], [])
    assert handled("xin chào", channel="rest", sender="rest-a")[0] == ["xin chào"]


@pytest.mark.parametrize("text, reply", [("", guard.EMPTY_REPLY), ("   ", guard.EMPTY_REPLY), ("/", guard.EMPTY_REPLY),
                                         ("/ /", guard.EMPTY_REPLY), ("điện " * 500, guard.TOO_LONG_REPLY)])
def test_empty_and_too_long_messages_are_answered_at_the_door(text, reply):
    seen, messages = handled(text)
    assert seen == [] and messages[0]["text"] == reply
