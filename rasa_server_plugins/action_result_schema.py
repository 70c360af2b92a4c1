"""The check of an action server's answer, with its schema validator built once.

Rasa 3.6 checks every answer of the action server with `jsonschema.validate`, which
checks the schema itself and builds a new validator on every call: 19 ms of each action
call on this machine, the largest part of a turn (bench/turn_profile.py). The same check
with the validator built once takes about 1 ms and raises the same ValidationError with
Rasa's own message. Installed when the Rasa server imports the project's channels.
"""
from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import ValidationError, validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

RASA_CHECK = RemoteAction._validate_action_result  # Rasa's own, kept to compare with (tests)


@cache
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    return validators.validator_for(schema)(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    error: ValidationError | None = best_match(_validator().iter_errors(result))
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, make sure your response from the Action "
            f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result
