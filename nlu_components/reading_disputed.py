"""Words that say a reading is wrong ("chỉ số tháng 10 ghi sai", "vẫn không khớp") dispute it, whatever the
classifier said (a bill, a rise, a complaint): the readings and the daily registers are shown first
(evn/domain/language/reading_dispute_words.py, actions/reading_dispute.py). The classifier has no examples of
it: these words alone decide it (examples of it moved the classifier on other intents' borderline messages). A bill
that rose, with a reading suspected ("bill tăng đột biến, có ai ghi sai chỉ số không"), asks why it rose: that answer
shows the readings and offers the meter's check."""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.reading_dispute_words import disputes_reading, tells_a_rise
from nlu_components.stateless import StatelessComponent, decide

DISPUTE = "dispute_reading"
# Requests that keep their place even with such words: a danger, a handoff, a service named outright.
KEPT = {"report_hazard", "human_handoff", "request_service", "report_outage"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ReadingDisputed(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            text = message.get(TEXT) or ""
            if intent not in KEPT and intent != DISPUTE and disputes_reading(text) and not tells_a_rise(text):
                decide(message, DISPUTE)
        return messages
