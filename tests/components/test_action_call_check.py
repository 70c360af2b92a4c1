"""The action server's guard refuses calls that Rasa would never send, before rasa-sdk raises on them."""
from __future__ import annotations

import json
import zlib

import pytest

from rasa_sdk_plugins import action_call_problem

TRACKER = {"sender_id": "rest-x", "slots": {}, "latest_message": {}, "events": [], "active_loop": {}}
CALL = {"next_action": "action_show_tariff", "tracker": TRACKER, "domain": {"responses": {}}, "version": "3.6.21"}


def body(call: object) -> bytes:
    return json.dumps(call).encode()


def test_a_call_as_rasa_sends_it_passes():
    assert action_call_problem(body(CALL), None) is None
    assert action_call_problem(zlib.compress(body(CALL)), "deflate") is None


@pytest.mark.parametrize(("call", "problem"), [
    ({**CALL, "domain": {}}, "domain must be an object with its responses"),
    ({k: v for k, v in CALL.items() if k != "domain"}, "domain must be an object with its responses"),
    ({**CALL, "domain": {"responses": []}}, "domain must be an object with its responses"),
    ({**CALL, "next_action": 3}, "next_action must be a string"),
    ({**CALL, "tracker": []}, "tracker must be an object"),
    ({**CALL, "tracker": {**TRACKER, "events": ["x"]}}, "tracker.events must be a list of objects"),
    ([], "body must be an object"),
])
def test_calls_rasa_never_sends_are_named(call, problem):
    assert action_call_problem(body(call), None) == problem


def test_bodies_that_are_not_json_or_not_deflate_are_named():
    assert action_call_problem(b"{", None) == "body is not JSON"
    assert action_call_problem(b"not deflate", "deflate") == "body is not deflate-compressed"
