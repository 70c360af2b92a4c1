"""A question that carries a quantity of kWh and no period is an estimate, whatever words ask it; one about
the price of a single kWh or a tier's edge ("1 số bao nhiêu", "trên 400 số giá mấy") is the tariff.

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
from evn.domain.quantities import asks_a_price, asks_an_amount
from nlu_components.stateless import StatelessComponent

ESTIMATE = "estimate_bill"
# Where a question with a quantity lands when the classifier does not know it as an estimate.
NEIGHBOURS = {"ask_bill", "ask_consumption", "out_of_scope", "nlu_fallback", "inform", "ask_bill_increase"}
# The tariff too, unless the quantity is a price's unit or a tier's edge ("1 số bao nhiêu", "trên 400 kWh").
TARIFF = "ask_tariff"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class QuantityQuestion(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            kinds = {entity.get("entity") for entity in message.get(ENTITIES) or []}
            intent = (message.get(INTENT) or {}).get("name")
            text = message.get(TEXT) or ""
            if intent == ESTIMATE and asks_a_price(text):
                _decide(message, TARIFF, intent)  # "bậc 5 bn tiền 1 số": the price of a unit, not an estimate
                continue
            if (KWH_AMOUNT not in kinds or kinds & {PERIOD_NAMED, CODE, PHONE_NUMBER} or not asks_an_amount(text)
                    or not (intent in NEIGHBOURS or intent == TARIFF and not asks_a_price(text))):
                continue
            _decide(message, ESTIMATE, intent)
        return messages


def _decide(message: Message, intent: str, classified_as: str | None) -> None:
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
    message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}, *ranking][:10], add_to_output=True)
    message.set("classified_as", classified_as, add_to_output=False)
