"""A message with words of a bill and none of a power cut is not a report of an outage, whatever the classifier said.

A report files a ticket. "ba con ở Q1 nhờ con đóng tiền điện giùm mà ba hổng nhớ mã" read to the classifier like a
report (a place, a complaint's tone); it asks about a bill (evn/domain/language/power_cut_words.py). The next
request in the classifier's ranking takes its place, with its own confidence, so the fallback after this component
still says "em chưa hiểu" (and offers the two likeliest) when that one is unsure.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.power_cut_words import speaks_of_a_bill_not_a_cut
from nlu_components.stateless import StatelessComponent, decide

REPORT = "report_outage"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class BillNotACut(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if (message.get(INTENT) or {}).get("name") != REPORT or not speaks_of_a_bill_not_a_cut(
                    message.get(TEXT) or ""):
                continue
            others = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != REPORT]
            if others:
                decide(message, str(others[0]["name"]), float(others[0].get("confidence") or 0))
        return messages
