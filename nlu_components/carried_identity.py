"""A message that carries a customer code or phone is never "not understood": what it carries is actionable.

When the classifier hesitates between giving identity (`inform`) and a question ("PE… 09… tiền tháng 10 nha":
ask_bill 0,52 / inform 0,47), the question is what the customer wants: the code and phone ride along and
verify (the forms read them from any message). When it found nothing at all, the message gives its code
("cho mình xem nợ của mẹ luôn, mã PE…"): `inform`, whose rules start that code's verification, and the
question asked before is answered for it once verified (actions/identity.py). So is a greeting or thanks that
carries a code ("xin chào, mã PE…, sđt 09…"), and a message taken for one out of scope: a customer code is the
power company's ("pd01000000002 / 0912.345.678 tháng 8 bao nhiu").
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.message_values import CODE, PHONE_NUMBER
from nlu_components.stateless import StatelessComponent, decide

INFORM, FALLBACK = "inform", "nlu_fallback"
ENOUGH = 0.3  # a question this likely, next to inform, is what the message asks
# A greeting or thanks around a code ("xin chào, mã PE…, sđt 09…") is courtesy: the code is what it gives.
COURTESY = {"greet", "thank", "goodbye"}
OUT_OF_SCOPE = "out_of_scope"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CarriedIdentity(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            kinds = {entity.get("entity") for entity in message.get(ENTITIES) or []}
            intent = (message.get(INTENT) or {}).get("name")
            if (intent in COURTESY or intent == OUT_OF_SCOPE) and CODE in kinds:
                decide(message, INFORM)
                continue
            if intent != FALLBACK or not kinds & {CODE, PHONE_NUMBER}:
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FALLBACK]
            top = ranking[:2]
            questions = [r for r in top if r.get("name") != INFORM and r.get("confidence", 0) >= ENOUGH]
            chosen = questions[0] if questions and any(r.get("name") == INFORM for r in top) else (
                {"name": INFORM, "confidence": 1.0} if CODE in kinds else None)
            if chosen is None:
                continue
            decide(message, str(chosen["name"]), float(chosen.get("confidence", 1.0)))
        return messages
