"""A message that tells of a power cut and is not a question is a report of it, whatever values it carries.

"mat dien o 12 le loi p.ben nghe q1 tphcm" reads to the classifier like a place given (`inform`): the address
outweighs "mất điện". Said as a statement with words of a cut (evn/domain/language/power_cut_words.py), it is a
report, and the outage form reads the address from it. A question ("q1 có cúp điện không") is left to the
classifier: it may ask for the schedule. Said below a form's certainty, so a form that asked still takes it.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.power_cut_words import asks_of_a_planned_cut, speaks_of_a_power_cut
from evn.domain.language.request_clauses import is_a_question
from nlu_components.stateless import BELOW_A_FORMS_CERTAINTY, VALUE_LED, StatelessComponent, decide

REPORT = "report_outage"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CutReported(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if ((message.get(INTENT) or {}).get("name") in VALUE_LED and speaks_of_a_power_cut(text)
                    and not is_a_question(text) and not asks_of_a_planned_cut(text)):  # "lịch cắt điện …": asked
                decide(message, REPORT, BELOW_A_FORMS_CERTAINTY)
        return messages
