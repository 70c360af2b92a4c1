"""The base of the NLU components that learn nothing: rules over the message (danger, form of address, no words)."""
from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

# What the classifier says when the values led a message or it heard nothing it knows.
VALUE_LED = frozenset({"inform", "nlu_fallback"})
# A rule's request said below the certainty a form asks of a new question (actions/forms.py, CONFIDENT), so a form
# that asked something still reads the message as its answer.
BELOW_A_FORMS_CERTAINTY = 0.75


class StatelessComponent(GraphComponent):
    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> StatelessComponent:
        return cls()


def decide(message: Message, intent: str, confidence: float = 1.0) -> None:
    """A rule's verdict on the intent, first in the ranking, the classifier's guess kept as `classified_as`."""
    classified_as = (message.get(INTENT) or {}).get("name")
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
    chosen = {"name": intent, "confidence": confidence}
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *ranking][:10], add_to_output=True)
    if classified_as not in (None, intent):
        message.set("classified_as", classified_as, add_to_output=False)
