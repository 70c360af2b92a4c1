"""The domain as Rasa and rasa-sdk read it: the action server registers exactly the domain's actions, and every
button's payload survives Rasa's slot filling. The domain against the code: tests/unit/test_domain_responses.py."""
from __future__ import annotations

import json

from rasa.core.nlg import interpolator
from rasa_sdk.executor import ActionExecutor


def test_the_action_server_registers_exactly_the_domains_actions(domain_dict):
    """As `rasa run actions` loads the package: a helper base class must not be registered as an action."""
    executor = ActionExecutor()
    executor.register_package("actions")
    assert sorted(executor.actions) == sorted(domain_dict["actions"])


def test_every_button_payload_comes_out_of_rasas_slot_filling_as_a_payload_it_parses(domain_dict, monkeypatch):
    """Rasa fills slots into every string of a response; a payload's braces must not read as a placeholder."""

    def no_placeholder_error(*args, **kwargs):
        raise AssertionError(f"read as a slot placeholder: {kwargs.get('response')}")

    monkeypatch.setattr(interpolator.structlogger, "exception", no_placeholder_error)
    # The slots, and the values an action gives a response with buttons (the rating buttons' question: actions/
    # satisfaction.py), as Rasa's NLG fills both.
    slots = {**{name: "giá trị" for name in domain_dict.get("slots") or {}}, "question": "12"}
    payloads = [button["payload"] for variations in domain_dict["responses"].values() for variation in variations
                for button in variation.get("buttons") or []]
    assert payloads
    for payload in payloads:
        filled = interpolator.interpolate_text(payload, slots)
        intent, _, values = filled.partition("{")
        assert intent.startswith("/") and (not values or isinstance(json.loads("{" + values), dict)), filled
