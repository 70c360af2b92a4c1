"""The input guard: channel identity, typed intents, empty and long messages."""
from __future__ import annotations

import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from connectors import guard
from rasa_server_plugins import rasa_trackers

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
        await message.output_channel.send_response(message.sender_id, {"text": "Dạ, em nghe ạ."})

    output = CollectingOutputChannel()
    asyncio.run(guard.guarded(on_new_message, channel, timeout=5)(UserMessage(text, output, sender,
                                                                                input_channel=channel)))
    return seen, output.messages


def turn(on_new_message, timeout: float = 5) -> list[str]:
    output = CollectingOutputChannel()
    asyncio.run(guard.guarded(on_new_message, "rest", timeout=timeout)(
        UserMessage("tiền điện tháng này", output, "rest-a", input_channel="rest")))
    return [message["text"] for message in output.messages]


def test_a_turn_that_answers_gets_only_its_answer():
    assert handled("xin chào")[1] == [{"recipient_id": "rest-a", "text": "Dạ, em nghe ạ."}]


def test_a_turn_that_sends_nothing_gets_the_busy_answer_not_an_empty_reply():
    async def silent(_message: UserMessage) -> None:  # what Rasa does when the action server is down
        return None

    assert turn(silent) == [guard.BUSY_REPLY]
    assert "hệ thống đang bận, anh/chị thử lại sau ít phút" in guard.BUSY_REPLY


def test_a_stalled_turn_is_cut_at_the_timeout_with_the_busy_answer():
    cancelled = []

    async def stalled(_message: UserMessage) -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    assert turn(stalled, timeout=0.2) == [guard.BUSY_REPLY]
    assert cancelled == [True]  # the turn itself was stopped, not left running


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


def test_turns_sharing_one_output_channel_are_counted_apart():
    """Messenger's output channel serves every sender of one delivery at once: a silent turn is still seen."""
    output = CollectingOutputChannel()

    async def talks(message: UserMessage) -> None:
        await message.output_channel.send_response(message.sender_id, {"text": "Dạ."})

    async def silent(message: UserMessage) -> None:
        await asyncio.sleep(0.05)

    async def both() -> None:
        await asyncio.gather(
            guard.guarded(talks, "rest", timeout=5)(UserMessage("a", output, "rest-a", input_channel="rest")),
            guard.guarded(silent, "rest", timeout=5)(UserMessage("b", output, "rest-b", input_channel="rest")),
        )

    asyncio.run(both())
    assert sorted((m["recipient_id"], m["text"]) for m in output.messages) == [
        ("rest-a", "Dạ."), ("rest-b", guard.BUSY_REPLY)]


# --- a pause nobody holds -----------------------------------------------------------------------------------

class PausedRasa:
    """A Rasa paused for the conversation: a turn only logs the message until it is resumed."""

    def __init__(self) -> None:
        self.paused, self.turns, self.resumed = True, 0, []

    async def on_new_message(self, message: UserMessage) -> None:
        self.turns += 1
        if not self.paused:
            await message.output_channel.send_response(message.sender_id, {"text": "Dạ, giá điện bậc 1 là…"})

    async def is_paused(self, _sender: str) -> bool:
        return self.paused

    def resume(self, conversation_id: str) -> None:  # what the outbox's "handoff closed" does (over HTTP)
        self.resumed.append(conversation_id)
        self.paused = False


@pytest.fixture
def paused(monkeypatch):
    from types import SimpleNamespace

    rasa = PausedRasa()
    rasa.open_handoff = None  # the business database's waiting or held handoff of the conversation

    def current(conversation_id: str):
        if isinstance(rasa.open_handoff, Exception):
            raise rasa.open_handoff
        return rasa.open_handoff

    monkeypatch.setattr(rasa_trackers, "is_paused", rasa.is_paused)
    monkeypatch.setattr(guard, "core", lambda: SimpleNamespace(handoffs=SimpleNamespace(current=current)))
    monkeypatch.setattr(guard, "rasa_api", lambda: rasa)
    return rasa


def test_a_paused_conversation_no_handoff_holds_is_resumed_told_and_answered(paused):
    assert turn(paused.on_new_message) == [guard.RESUMED_REPLY, "Dạ, giá điện bậc 1 là…"]
    assert paused.resumed == ["rest-a"] and paused.turns == 2
    assert "em đã quay lại hỗ trợ anh/chị" in guard.RESUMED_REPLY


def test_while_an_agent_holds_the_conversation_the_bot_stays_silent_and_paused(paused):
    paused.open_handoff = object()
    assert turn(paused.on_new_message) == [] and paused.resumed == [] and paused.turns == 1


def test_when_the_database_cannot_say_the_pause_stands(paused):
    paused.open_handoff = OSError("database away")
    assert turn(paused.on_new_message) == [] and paused.resumed == []
