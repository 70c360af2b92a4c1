"""Safety first in NLU: a message that describes a danger is `report_hazard`, whatever the classifier thought.

It runs after the FallbackClassifier, so a danger told in words the classifier has never
seen (or mid-form, where its confidence is low) is still recognised; the rules then give
the safety advice before any other question (data/rules/safety.yml).
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.hazards import hazard_in
from nlu_components.stateless import StatelessComponent, decide

HAZARD_INTENT = "report_hazard"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class HazardDetector(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not hazard_in(message.get(TEXT) or ""):
                _unless_sure(message)
                continue
            decide(message, HAZARD_INTENT)
        return messages


SURE = 0.9
FALLBACK_THRESHOLD = 0.4  # config.yml, FallbackClassifier threshold


def _unless_sure(message: Message) -> None:
    """The classifier alone says danger where no danger word is: only when it is sure, else its next guess
    (an alarm is costly too: "đồng hồ điện còn đứng tên chủ cũ" is no fire)."""
    intent = message.get(INTENT) or {}
    if intent.get("name") != HAZARD_INTENT or intent.get("confidence", 0) >= SURE:
        return
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != HAZARD_INTENT]
    # The next guess stands only above the FallbackClassifier's threshold (config.yml); else not understood.
    chosen = ranking[0] if ranking and ranking[0].get("confidence", 0) >= FALLBACK_THRESHOLD else (
        {"name": "nlu_fallback", "confidence": 1.0 - float(intent.get("confidence", 0))})
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *[r for r in ranking if r is not chosen]], add_to_output=True)
