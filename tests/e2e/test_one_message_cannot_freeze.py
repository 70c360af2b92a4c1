"""Issue 23, finding 1: one customer message froze a Rasa process (a backtracking pattern on its event loop).

The attack as it was run: ask for a person, an agent takes the conversation, then "quay lại trợ lý ảo" with
" nhé em" repeated to the message limit and one more word. On the backtracking engine the channel's
back-to-the-assistant check ran for longer than anyone waits (20 s at 27 pairs, × 1,6 per pair); Rasa's
GET / and every other conversation of the process stood still. Now every pattern runs on RE2.
"""
from __future__ import annotations

import threading
import uuid

import requests

from tests.e2e.agent_console import AgentClient, create_agent, handoff_of, tracker, wait_until


def test_the_attack_message_is_read_at_once_and_the_server_keeps_answering(stack, sqlite_url):
    sender = uuid.uuid4().hex[:12]
    conversation = f"rest-{sender}"
    stack.say(sender, "cho tôi gặp nhân viên")
    handoff = handoff_of(stack, conversation)
    AgentClient(stack.web_url, *create_agent(sqlite_url)).take(handoff)
    wait_until(lambda: tracker(stack, conversation)["paused"], what="the bot paused")
    attack = "quay lại trợ lý ảo" + " nhé em" * 280 + " hả"  # the last word makes the whole-message check fail
    assert len(attack) <= 2000
    answered: list[object] = []
    sending = threading.Thread(target=lambda: answered.append(stack.say(sender, attack)), daemon=True)
    sending.start()
    # While the attack is being read, the process answers others: its root, and another customer.
    assert requests.get(f"{stack.rasa_url}/", timeout=10).ok
    other = stack.say(uuid.uuid4().hex[:12], "giá điện bậc thang")
    assert other and "bậc" in other[0]["text"].lower()
    sending.join(timeout=30)
    assert answered == [[]], "held by the agent: the message is theirs, the bot says nothing"
    assert tracker(stack, conversation)["paused"], "not the whole message asking for the assistant: no hand-back"
