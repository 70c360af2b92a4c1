"""A customer who says they cannot give the registered phone is asking for the other road: the holder's change.

"nhà mới mua ko biết sđt chủ cũ", "bố em mất rồi, hợp đồng vẫn đứng tên bố, em ko biết sđt bố đăng ký": no bill
can be shown without that phone, so what helps is the change of contract holder, filed without it (the papers
are checked at the counter). Read by the words of evn/domain/language/no_registered_phone.py when the classifier
heard nothing it knows there (small talk, a no, values, a report of a cut): the request for that change, below a
form's certainty, so a form that asked something still reads the message (it answers "no phone needed").
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.no_registered_phone import lacks_registered_phone
from nlu_components.stateless import BELOW_A_FORMS_CERTAINTY, StatelessComponent, decide

REQUEST = "request_service"
HOLDER_CHANGE = "contract_holder_change"
NEIGHBOURS = {"nlu_fallback", "out_of_scope", "deny", "inform", "report_outage", "greet"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class OtherRoad(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if ((message.get(INTENT) or {}).get("name") not in NEIGHBOURS
                    or not lacks_registered_phone(message.get(TEXT) or "")):
                continue
            decide(message, REQUEST, BELOW_A_FORMS_CERTAINTY)
            entities = message.get(ENTITIES) or []
            if not any(e.get("entity") == "service_type" for e in entities):
                message.set(ENTITIES, [*entities, {"entity": "service_type", "value": HOLDER_CHANGE, "start": 0,
                                                   "end": 0, "extractor": "OtherRoad"}], add_to_output=True)
        return messages
