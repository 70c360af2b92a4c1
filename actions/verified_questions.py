"""Registry of questions that need a verified customer, keyed by intent.

Each capability registers its handlers with @answers; action_answer_verified
(actions/identity.py) dispatches to them once verify_form is done.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import Request


@dataclass(frozen=True)
class Question:
    dispatcher: CollectingDispatcher
    tracker: Tracker
    conversation_id: str
    customer_code: str
    request: Request


Handler = Callable[[Question], list[dict[str, Any]]]
HANDLERS: dict[str, Handler] = {}


def answers(intent: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[intent] = handler
        return handler

    return register
