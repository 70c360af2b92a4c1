"""A question about a cut that is over is a question for the schedule, not a report.

"p27 Bình Thạnh tối qua cúp điện là do lịch hả ad", "sáng nay ở p Linh Trung cúp điện từ 8h tới trưa là sao vậy,
giờ thì có điện rồi": the classifier hears "cúp điện" and reads a report, which would file a ticket for power
that is back. Asked (a question) of a time that is past and not going on (evn/domain/language/power_cut_words.py),
it asks whether it was planned: the schedule of that day answers it.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.power_cut_words import asks_about_a_cut_that_is_over
from evn.domain.language.request_clauses import is_a_question
from nlu_components.stateless import StatelessComponent, decide

REPORT, SCHEDULE = "report_outage", "ask_outage_schedule"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CutThatIsOver(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if ((message.get(INTENT) or {}).get("name") == REPORT and is_a_question(text)
                    and asks_about_a_cut_that_is_over(text)):
                decide(message, SCHEDULE)
        return messages
