"""Registry of questions that need a verified customer, keyed by intent.

Each capability registers its handlers with @answers; action_answer_verified
(actions/identity.py) dispatches to them once verify_form is done.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import Request, impossible_period


@dataclass(frozen=True)
class Question:
    dispatcher: CollectingDispatcher
    tracker: Tracker
    conversation_id: str
    customer_code: str
    request: Request
    domain: DomainDict  # for pieces of replies (actions/phrases.py)


Handler = Callable[[Question], list[dict[str, Any]]]


def refused_impossible_period(q: Question) -> bool:
    """Says what is wrong with an impossible period ('31/02/2026', 'tháng 13') instead of guessing."""
    problem = impossible_period(q.request)
    if problem is None:
        return False
    q.dispatcher.utter_message(response=f"utter_invalid_period_{problem}")
    return True
HANDLERS: dict[str, Handler] = {}


def answers(intent: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[intent] = handler
        return handler

    return register
