"""A message with no letter or digit at all ("🙂🙂🙂", "???") is not understood, whatever the classifier guessed.

Its character n-grams carry nothing, so any intent the classifier gives it is noise; the
customer gets the menu of what the assistant does (and a person after two in a row).
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.stateless import StatelessComponent

FALLBACK = "nlu_fallback"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class WordlessFallback(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text and not text.startswith("/") and not any(ch.isalnum() for ch in text):
                message.set(INTENT, {"name": FALLBACK, "confidence": 1.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [{"name": FALLBACK, "confidence": 1.0}], add_to_output=True)
        return messages
