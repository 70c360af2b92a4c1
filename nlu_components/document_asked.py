"""The bill as a document ("gửi hóa đơn pdf", "xin biên lai") is `request_bill_document`, and the bill by e-mail
("gửi hóa đơn qua email") `ask_invoice_email`, whatever the classifier said, unless it took the message for a
danger, a cut, a person asked for, a service request or a scam check: their words alone decide them
(evn/domain/language/document_words.py), like the hotline, so no classifier examples move other intents."""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain.language.document_words import asks_by_email, asks_document
from nlu_components.stateless import StatelessComponent, decide

DOCUMENT, EMAIL = "request_bill_document", "ask_invoice_email"
KEPT = {"report_hazard", "report_outage", "human_handoff", "request_service", "check_scam", "cancel_request"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class DocumentAsked(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            if intent in KEPT:
                continue
            if asks_by_email(text):
                if intent != EMAIL:
                    decide(message, EMAIL)
            elif asks_document(text) and intent != DOCUMENT:
                decide(message, DOCUMENT)
        return messages
