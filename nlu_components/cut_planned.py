"""A cut asked of the schedule is a question for the schedule, never a report that files a ticket.

"lịch cắt điện phường Tràng Tiền", "nghe nói thứ 7 này khu em cúp điện, thật không", "cat dien cau giay ha noi
thang 12": words of a cut beside the schedule's words or a day or month to come, and none of a cut going on now
(evn/domain/language/power_cut_words.py). Taken for a report or for values given, it asks the schedule; a message
that also asks something else ("xem hóa đơn tháng 10 với lịch cắt điện phường …") is still divided into its parts,
served in order (nlu_components/several_requests.py).
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.power_cut_words import asks_of_a_planned_cut
from nlu_components.stateless import VALUE_LED, StatelessComponent, decide

SCHEDULE = "ask_outage_schedule"
TAKEN_FOR = VALUE_LED | {"report_outage"}  # a report, or the place and month given as values


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CutPlanned(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if (message.get(INTENT) or {}).get("name") in TAKEN_FOR and asks_of_a_planned_cut(message.get(TEXT) or ""):
                decide(message, SCHEDULE)
        return messages
