"""A question for the power company's phone line ("tổng đài điện lực miền nam số mấy", "hotline evn hcm") is
`ask_hotline`, whatever the classifier said (small talk, nothing, a handoff): its words alone decide it
(evn/domain/language/hotline_words.py), like dispute_reading, so no classifier examples move other intents."""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.hotline_words import asks_hotline
from nlu_components.stateless import StatelessComponent, decide

HOTLINE = "ask_hotline"
# Requests that keep their place even with such words: a danger, a cut reported, a service, a person asked for.
KEPT = {"report_hazard", "report_outage", "request_service", "human_handoff"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class HotlineAsked(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            if intent not in KEPT and intent != HOTLINE and asks_hotline(message.get(TEXT) or ""):
                decide(message, HOTLINE)
        return messages
