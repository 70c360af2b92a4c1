"""The customer's own form of address as entities, so slots carry it and every reply mirrors it.

"bác muốn xem hóa đơn" gives `addressee` = "bác" and `addressee_title` = "Bác"; the slots of
the same names (domain.yml) fill from them at every turn and the responses say {addressee}.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.address_forms import self_reference, title
from nlu_components.stateless import StatelessComponent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class AddresseeDetector(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            form = self_reference(text)
            if form is None:
                continue
            found = [{"entity": name, "value": value, "start": 0, "end": 0, "extractor": type(self).__name__}
                     for name, value in (("addressee", form), ("addressee_title", title(form)))]
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), *found], add_to_output=True)
        return messages
