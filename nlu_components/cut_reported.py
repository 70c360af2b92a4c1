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

from evn.domain import linear_regex
from evn.domain.language.outage_report_words import address_in
from evn.domain.language.power_cut_words import asks_of_a_planned_cut, speaks_of_a_power_cut
from evn.domain.language.request_clauses import is_a_question
from evn.domain.periods import fold
from nlu_components.stateless import BELOW_A_FORMS_CERTAINTY, VALUE_LED, StatelessComponent, decide

REPORT, SCHEDULE = "report_outage", "ask_outage_schedule"
HAPPENED = linear_regex.compile(r"\b(?:cup|mat|cat) dien (?:roi|r)\b")  # "cúp điện rồi": it has happened


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CutReported(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            # The schedule's words for a cut at a house told as a statement ("cúp điện rồi, 56/12 Nguyễn Thái Sơn
            # p3 Gò Vấp"): a cut happening there, not a schedule asked of.
            at_a_house = intent == SCHEDULE and (address_in(text) is not None or HAPPENED.search(
                " ".join(fold(text).split())) is not None)
            if ((intent in VALUE_LED or at_a_house) and speaks_of_a_power_cut(text)
                    and not is_a_question(text) and not asks_of_a_planned_cut(text)):  # "lịch cắt điện …": asked
                decide(message, REPORT, BELOW_A_FORMS_CERTAINTY)
        return messages
