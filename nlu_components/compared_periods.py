"""Periods named with words that compare them are a comparison, whatever else the classifier heard.

"so thang 10 voi thang 9 giup e, PE… 09…" reads to the classifier like a bill question with identity (or
nothing it knows); "tháng 7 xài nhiều số hơn tháng 6 hả" like consumption. With a period named and words that
compare (evn/domain/comparisons.py), the question is why one differs from the other: ask_bill_increase, which
compares the two months named (actions/billing.py).
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.comparisons import compares
from evn.domain.language.message_values import PERIOD_NAMED
from nlu_components.stateless import StatelessComponent, decide

COMPARISON = "ask_bill_increase"
# A comparison is read as one of these by the classifier; other intents (a payment, a link) keep theirs.
NEIGHBOURS = {"ask_bill", "ask_consumption", "nlu_fallback", "inform", "out_of_scope", "estimate_bill"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ComparedPeriods(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            periods = [e for e in message.get(ENTITIES) or [] if e.get("entity") == PERIOD_NAMED]
            if intent not in NEIGHBOURS or not periods or not compares(message.get(TEXT) or ""):
                continue
            decide(message, COMPARISON)
        return messages
