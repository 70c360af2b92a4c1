"""A question that carries a quantity of kWh and no period (or one with no bill yet) is an estimate, whatever words
ask it; one about the price of a single kWh or a tier's edge ("1 số bao nhiêu", "trên 400 số giá mấy") is the tariff.

"bốn trăm rưỡi ký, vậy tiền chừng nhiêu", "hai tram ruoi so la bao nhieu tien": a number of kWh with no month
and no customer code can only be asked of the tariff (a bill is of a month, a debt of a code), so when the
classifier placed it on a neighbour (a bill, consumption, out of scope) or not at all, the value decides. The
bare answer to the estimate's own question ("350 kWh", `inform`) is left alone: the form reads it.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.message_values import CODE, KWH_AMOUNT, PERIOD_NAMED, PHONE_NUMBER
from evn.domain.language.quantities import asks_a_price, asks_an_amount
from evn.domain.language.tariff_words import asked_tier
from evn.domain.periods import fold
from nlu_components.stateless import StatelessComponent, decide

ESTIMATE = "estimate_bill"
# Where a question with a quantity lands when the classifier does not know it as an estimate.
NEIGHBOURS = {"ask_bill", "ask_consumption", "out_of_scope", "nlu_fallback", "inform", "ask_bill_increase"}
# The tariff too, unless the quantity is a price's unit or a tier's edge ("1 số bao nhiêu", "trên 400 kWh").
TARIFF = "ask_tariff"
LOST = {"out_of_scope", "nlu_fallback", "inform"}


# A month with no bill yet, which the customer's own kWh can only be a guess of ("chủ nhà tính tháng này 200 số",
# "tháng này chắc xài tầm hai trăm rưỡi số"), or any month at all ("mỗi tháng 300 số").
RUNNING = frozenset({"thang nay", "ky nay", "ki nay", "thang sau", "thang toi", "moi thang", "1 thang", "mot thang"})


def _running_only(message: Message) -> bool:
    """No period named but one with no bill yet (or none at all)."""
    return all(fold(str(entity.get("value") or "")) in RUNNING for entity in message.get(ENTITIES) or []
               if entity.get("entity") == PERIOD_NAMED)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class QuantityQuestion(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            kinds = {entity.get("entity") for entity in message.get(ENTITIES) or []} - {PERIOD_NAMED}
            intent = (message.get(INTENT) or {}).get("name")
            text = message.get(TEXT) or ""
            if intent == ESTIMATE and asks_a_price(text):
                decide(message, TARIFF)  # "bậc 5 bn tiền 1 số": the price of a unit, not an estimate
                continue
            if intent in LOST and asked_tier(text) is not None:
                decide(message, TARIFF)  # "bac cao nhat bao nhieu": a tier named is the tariff's
                continue
            if not _running_only(message):
                kinds.add(PERIOD_NAMED)
            if (KWH_AMOUNT not in kinds or kinds & {PERIOD_NAMED, CODE, PHONE_NUMBER} or not asks_an_amount(text)
                    or not (intent in NEIGHBOURS or intent == TARIFF and not asks_a_price(text))):
                continue
            decide(message, ESTIMATE)
        return messages

