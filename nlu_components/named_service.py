"""A message that names a service before the fields it gives is the request for that service; one that asks to be
called back is the callback service, whatever the classifier made of it (evn/domain/language/callback_words.py).

"Tôi cần lắp điện mới cho nhà mới xây ở 25 Nguyễn Văn Linh…, CCCD 0790…, tên …, sđt 0977…" or "đăng ký điện
mới giúp em: tên …, CCCD …, sđt …" read to the classifier like values given (`inform`: a phone, a CCCD); the
words before the first field name a service of the catalogue (evn/reference/service_catalogue.yml), so the
message asks for it, and the service form then takes every field it carries. Said with less certainty than a
form asks of a new question (actions/forms.py, CONFIDENT), so a form that asked something still reads it as
its answer.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain import linear_regex
from evn.domain.language import form_fields
from evn.domain.language.callback_words import asks_callback
from evn.domain.language.request_clauses import tells_of_a_filed_request
from evn.domain.periods import fold
from evn.domain.service_catalogue import CALLBACK, ServiceType, load_catalogue
from nlu_components.stateless import BELOW_A_FORMS_CERTAINTY, VALUE_LED, StatelessComponent, decide

REQUEST = "request_service"
# What a message asking of a callback keeps: a danger first; a request's cancel, status or change is of one asked; a
# no is a no; a scam check quotes a caller.
KEEPS = {REQUEST, "report_hazard", "cancel_request", "check_request_status", "edit_request", "deny", "check_scam"}
# The first clause: up to the first mark or digit ("chị muốn tăng công suất lên 10kW, lý do …").
_FIRST_CLAUSE = linear_regex.compile(r"^[^,;:\n\d]*")


def _named_first(text: str) -> ServiceType | None:
    """The service named before the first field, or else in the first clause: a field's label may be a word of
    the service's own name ("tăng công suất lên 10kW": "công suất" labels the capacity asked)."""
    catalogue = load_catalogue()
    head = form_fields.before_any(text, fold(text), [])
    first = _FIRST_CLAUSE.match(text)
    return catalogue.find(head) or (catalogue.find(first.group(0)) if first else None)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class NamedService(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            text = message.get(TEXT) or ""
            if intent not in KEEPS and asks_callback(text) and not tells_of_a_filed_request(text):
                _ask_callback(message, text)  # "em cần nhân viên gọi lại": a call, not a person in the chat
                continue
            if intent == REQUEST or _named_first(text) is None or tells_of_a_filed_request(text):
                continue  # "đơn xin cấp điện mới nộp từ tháng 10 mà vẫn im re": the status of one filed
            # Values led, or the fields are labelled ("…gọi lại. lý do: hỏi giá điện kinh doanh; sđt …"): the
            # words of a field do not make the message another question.
            if intent in VALUE_LED or form_fields.has_labelled_fields(text):
                decide(message, REQUEST, BELOW_A_FORMS_CERTAINTY)
        return messages


def _ask_callback(message: Message, text: str) -> None:
    decide(message, REQUEST, BELOW_A_FORMS_CERTAINTY)
    named = {"entity": "service_type", "value": CALLBACK, "start": 0, "end": len(text), "extractor": "NamedService"}
    others = [e for e in message.get(ENTITIES) or [] if e.get("entity") != "service_type"]
    message.set(ENTITIES, [*others, named], add_to_output=True)
