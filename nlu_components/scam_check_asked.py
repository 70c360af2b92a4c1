"""A message that forwards something to check or asks whether it is the company's ("link này có phải lừa đảo ko",
a pasted SMS that threatens a cut within hours, "evn có hỏi mã otp không") is `check_scam`, whatever the
classifier said: its words decide (evn/domain/scam_check/asked.py), like ask_hotline, so no classifier examples
move other intents."""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.scam_check.asked import asks_for_a_check
from nlu_components.stateless import StatelessComponent, decide

CHECK = "check_scam"
# Requests that keep their place even with such words: a danger. ("Bấm phím 9 để gặp nhân viên" in a forwarded
# robocall is no request for a person.)
KEPT = {"report_hazard"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ScamCheckAsked(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            if intent not in KEPT and intent != CHECK and asks_for_a_check(message.get(TEXT) or ""):
                decide(message, CHECK)
        return messages
