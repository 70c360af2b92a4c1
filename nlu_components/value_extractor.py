"""Codes, phones, quantities of kWh and periods, as the core reads them, in any form customers type.

Runs after the regex extractor and replaces what it found of these kinds with evn/domain/message_values.py's
reading of the message: "pe 01000000001" is PE01000000001, "+84 90 123 4567" is 0901234567, "hai trăm rưỡi
số" is 250 kWh, "tháng chín năm ngoái" is "tháng 9 năm ngoái", and the digits of a code typed apart from its
prefix are not a phone.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.message_values import CODE, KWH_AMOUNT, PERIOD_NAMED, PHONE_NUMBER, find_values
from nlu_components.stateless import StatelessComponent

KINDS = (CODE, PHONE_NUMBER, KWH_AMOUNT, PERIOD_NAMED)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ValueExtractor(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            kept = [entity for entity in message.get(ENTITIES) or [] if entity.get("entity") not in KINDS]
            found = [{"entity": value.kind, "start": value.start, "end": value.end, "value": value.value,
                      "confidence_entity": 1.0, "extractor": type(self).__name__} for value in find_values(text)]
            message.set(ENTITIES, sorted(kept + found, key=lambda entity: entity.get("start", 0)), add_to_output=True)
        return messages
