"""The faster check of action server answers accepts and refuses exactly what Rasa's own does."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from rasa_server_plugins.action_result_schema import RASA_CHECK, validate_action_result

GOOD = [
    {"events": [{"event": "slot", "name": "verified", "value": True}], "responses": [{"text": "Dạ."}]},
    {"events": [], "responses": []},
    {},
]
BAD = [
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": [{"text": 5}]},
]


@pytest.mark.parametrize("result", GOOD + BAD)
def test_same_verdict_as_rasa(result):
    assert RASA_CHECK is not validate_action_result
    original = RASA_CHECK
    action = RemoteAction("action_x", None)
    try:
        expected = original(action, result)
    except ValidationError as error:
        expected = type(error)
    try:
        got = validate_action_result(action, result)
    except ValidationError as error:
        got = type(error)
        assert "Failed to validate Action server response" in error.message
    assert got == expected
