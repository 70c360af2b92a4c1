"""Whether, how or when one bill was paid is a question about its payment, whatever the classifier placed it on.

"thang 7 nha minh tra bang cach nao vay, quen mat tieu" (July's bill: paid how?), "tháng đó đóng chưa", "hạn chót
khi nào": the words ask about one bill's payment (evn/domain/language/payment_words.py); taken for small talk,
nothing or the ways to pay, the question is `ask_payment_status`, answered of that bill.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language import payment_words
from evn.domain.language.message_values import PERIOD_NAMED
from nlu_components.stateless import StatelessComponent, decide

PAYMENT_STATUS = "ask_payment_status"
NEIGHBOURS = {"out_of_scope", "nlu_fallback", "inform", "ask_payment_methods"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class BillPaymentQuestion(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if (message.get(INTENT) or {}).get("name") not in NEIGHBOURS:
                continue
            period = any(e.get("entity") == PERIOD_NAMED for e in message.get(ENTITIES) or [])
            if payment_words.asks_if_a_bill_is_paid(message.get(TEXT) or "", of_a_named_period=period):
                decide(message, PAYMENT_STATUS)
        return messages
