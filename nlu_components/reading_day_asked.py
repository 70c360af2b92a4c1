"""Words that ask when the meter is read or the bill comes ("ngày nào chốt số công tơ", "chừng nào có hóa đơn")
ask the customer's reading day, whatever the classifier heard in them (small talk, a fallback): a consumption
question, which answers them from the customer's bills (evn/domain/language/reading_day_words.py,
actions/reading_days.py). A bill or consumption question already answers them the same way."""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.reading_day_words import asks_reading_day
from nlu_components.stateless import StatelessComponent, decide

ASKED = "ask_consumption"
ANSWERING = {"ask_bill", "ask_consumption", "ask_bill_increase", "dispute_reading", "report_hazard", "human_handoff",
             "request_service", "report_outage", "ask_outage_schedule"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ReadingDayAsked(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if (message.get(INTENT) or {}).get("name") not in ANSWERING and asks_reading_day(message.get(TEXT) or ""):
                decide(message, ASKED)
        return messages
