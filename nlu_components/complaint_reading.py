"""A complaint with no request in it is heard, not answered as small talk.

"nhắn hoài không ai trả lời, làm ăn gì kỳ vậy" reads to the classifier like a question about the bot
(bot_challenge) or like something out of scope; answering it with "em là chatbot" or "em chỉ hỗ trợ việc
điện" is indifference. When the words are a complaint (evn/domain/complaints.py) and the classifier found
only small talk, the message goes where an apology and the ways forward are given first
(actions/misunderstood.py). A complaint that carries a request ("tiền điện cắt cổ, tháng 10 bao nhiêu")
keeps its request: every answer hears the complaint before it (actions/conversation.py `hear_complaint`).
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.complaints import is_complaint
from nlu_components.stateless import StatelessComponent, decide

SMALL_TALK = {"bot_challenge", "out_of_scope", "greet", "goodbye", "thank"}
HEARD = "nlu_fallback"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ComplaintReading(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            if intent not in SMALL_TALK or not is_complaint(message.get(TEXT) or ""):
                continue
            decide(message, HEARD)
        return messages
