"""A question that carries a quantity of kWh and no period is an estimate, whatever words ask it.

"bốn trăm rưỡi ký, vậy tiền chừng nhiêu", "hai tram ruoi so la bao nhieu tien": a number of kWh with no month
and no customer code can only be asked of the tariff (a bill is of a month, a debt of a code), so when the
classifier placed it on a neighbour (a bill, consumption, out of scope) or not at all, the value decides. The
bare answer to the estimate's own question ("350 kWh", `inform`) is left alone: the form reads it.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.message_values import CODE, KWH_AMOUNT, PERIOD_NAMED, PHONE_NUMBER
from evn.domain.quantities import asks_an_amount
from nlu_components.stateless import StatelessComponent

ESTIMATE = "estimate_bill"
# Where a question with a quantity lands when the classifier does not know it as an estimate.
NEIGHBOURS = {"ask_bill", "ask_consumption", "out_of_scope", "nlu_fallback", "inform", "ask_bill_increase"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class QuantityQuestion(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            kinds = {entity.get("entity") for entity in message.get(ENTITIES) or []}
            intent = (message.get(INTENT) or {}).get("name")
            if (KWH_AMOUNT not in kinds or kinds & {PERIOD_NAMED, CODE, PHONE_NUMBER} or intent not in NEIGHBOURS
                    or not asks_an_amount(message.get(TEXT) or "")):
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != ESTIMATE]
            message.set(INTENT, {"name": ESTIMATE, "confidence": 1.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{"name": ESTIMATE, "confidence": 1.0}, *ranking][:10], add_to_output=True)
            message.set("classified_as", intent, add_to_output=False)
        return messages
