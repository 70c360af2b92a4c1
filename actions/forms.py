"""A form whose fields come from the service catalogue, validated and extracted without one method per field.

rasa-sdk finds `extract_<slot>` / `validate_<slot>` by name; for the catalogue's fields
this class answers instead, from the field's kind (evn.domain.service_catalogue), so a
new field is a change to the catalogue and a slot in domain.yml only (a test checks
that every catalogue field has its slot). Other slots keep their named methods.
"""
from __future__ import annotations

from abc import abstractmethod
from typing import Any

from rasa_sdk import FormValidationAction, Tracker, utils
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import hear_complaint, said_this_turn
from actions.phrases import addressed
from actions.runtime import services
from evn.domain.interruptions import INTERRUPTIONS
from evn.domain.language import form_fields
from evn.domain.language.follow_ups import asks_about_terms
from evn.domain.language.no_registered_phone import asks_about_papers, lacks_registered_phone
from evn.domain.language.request_clauses import before_the_question, is_a_question
from evn.domain.periods import fold
from evn.domain.service_catalogue import UNMISTAKABLE_KINDS, Catalogue, FieldSpec, Problem, ServiceType, validate

# Intents that are answers to the form's questions, not new questions.
ANSWER_INTENTS = {"inform", "nlu_fallback", "affirm", None}
# Questions the rules answer in the middle of a form, which then asks its question again.
QUESTIONS = {"ask_bill", "ask_consumption", "ask_bill_increase", "ask_payment_status", "ask_tariff", "estimate_bill",
             "request_payment_link", "ask_payment_methods", "check_request_status", "ask_outage_schedule"}
CONFIDENT = 0.8


# Messages that are never an answer to a form's question (evn/domain/interruptions.py): a payment's notice then
# rewinds, so the form goes on.


def interrupted(tracker: Tracker) -> bool:
    return (tracker.latest_message.get("intent") or {}).get("name") in INTERRUPTIONS


class AnswerForm(FormValidationAction):
    """Abstract base of the forms: a danger told mid-form is not taken as the answer to its question."""

    @abstractmethod
    def name(self) -> str:
        """The form's validation action."""

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if interrupted(tracker):
            return []
        return await self.extract_answers(dispatcher, tracker, domain)

    async def extract_answers(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The slots this message fills (rasa-sdk's extract_<slot> methods); never asked for an interruption.

        Unlike rasa-sdk's, a slot that becomes required by what this very message gave (the type of a
        request, which brings its verification and its fields) is read from the same message: a request
        that names its type, code, phone and fields at once is taken at once.
        """
        found: dict[str, Any] = {}
        extracted: set[str] = set()
        while True:
            required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
            pending = [slot for slot in required if slot not in extracted]
            if not pending:
                return [SlotSet(slot, value) for slot, value in found.items()]
            for slot in pending:
                extracted.add(slot)
                output = await self._extract_slot(slot, dispatcher, tracker, domain)
                found.update(output)
                tracker.slots.update(output)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        hear_complaint(dispatcher, tracker)
        return await super().run(dispatcher, tracker, domain)


class CatalogueForm(AnswerForm):
    """Abstract (the action server registers only concrete actions): a form names itself and its fields."""

    catalogue: Catalogue

    @abstractmethod
    def field_for(self, tracker: Tracker, slot: str | None) -> FieldSpec | None:
        """The catalogue field behind `slot` for the type being filed (None for other slots)."""

    @abstractmethod
    def service_of(self, tracker: Tracker) -> ServiceType | None:
        """The catalogue type being filed, once known."""

    def fields_of(self, tracker: Tracker) -> tuple[FieldSpec, ...]:
        kind = self.service_of(tracker)
        return tuple(kind.fields) if kind is not None else ()

    async def extract_answers(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().extract_answers(dispatcher, tracker, domain)
        requested = tracker.get_slot("requested_slot")
        field = self.field_for(tracker, requested)
        text = tracker.latest_message.get("text") or ""
        kind = self.service_of(tracker)
        if field is not None and lacks_registered_phone(text):
            if kind is not None and asks_about_terms(text):  # "phí sao, mấy ngày xong? có cần sđt chủ cũ ko"
                self.tell_terms(dispatcher, kind, domain)
            dispatcher.utter_message(response="utter_no_old_phone_needed")  # not an answer: asked again
            return events
        if field is not None and kind is not None and kind.papers and asks_about_papers(text):
            dispatcher.utter_message(response="utter_service_papers", papers=addressed(kind.papers, tracker))
            return events
        if kind is not None and asks_about_terms(text) and not said_this_turn(tracker, "utter_service_terms") \
                and not self.takes_a_question(kind, field):
            # "mà phí lắp hết bao nhiêu vậy" (or asked with the request itself): answered from the catalogue, and
            # the question asked again; a value given before it ("Trần Văn Nam. mà … có tốn phí ko") still counts.
            self.tell_terms(dispatcher, kind, domain)
            if field is None:
                return events
            text = before_the_question(text)
            if not text or validate(field.kind, text, services().today())[1] is not None:
                return events
            tracker.slots[field.code] = text
            return [*events, SlotSet(field.code, text)]
        # A message that is, whole, the answer asked ("Bùi Thị Mai": not "mai", tomorrow) is that answer alone.
        carried = self.fields_carried(tracker, text)
        # A phone, a CCCD or a date is read from anywhere in the words: with other fields beside it ("sdt 0988…, địa
        # chỉ 45/2 Lê Văn Việt…"), the message is those fields, not the one answer.
        whole = (field is not None and field.kind != "text"
                 and validate(field.kind, text, services().today())[1] is None
                 and (field.kind == "name" or not set(carried) - {field.code}))
        if whole:
            carried = {}
        for code, value in carried.items():
            tracker.slots[code] = value
            events.append(SlotSet(code, value))
        corrected = bool(carried) and form_fields.corrects(text)  # the rest of a correction answers nothing
        if field is not None and field.code not in carried and not corrected \
                and self.answers_the_question(tracker, field):
            # With other fields in it, what comes before them answers the question ("Nguyễn Văn An, sđt …").
            value = (form_fields.before_any(text, fold(text), self.found_in(tracker, text)) if carried
                     else text).strip()
            problem = self.problem_of_another_field(tracker, field, value) if value else None
            if problem is not None:  # "từ ngày 28/11 nha" asked the name: the date is what is wrong, not the name
                dispatcher.utter_message(response=f"utter_invalid_field_{problem.code}", **problem.values)
            elif value:
                target = self.answered_instead(tracker, field, value) or field
                tracker.slots[target.code] = value
                events.append(SlotSet(target.code, value))
        return events

    def tell_terms(self, dispatcher: CollectingDispatcher, kind: ServiceType, domain: DomainDict) -> None:
        """The request's fee and working days, from the catalogue."""
        dispatcher.utter_message(response="utter_service_terms", name=kind.name, fee=self.fee_of(kind, domain),
                                 days=kind.working_days)

    def problem_of_another_field(self, tracker: Tracker, asked: FieldSpec, value: str) -> Problem | None:
        """What is wrong with an answer that does not fit the question but is plainly another open field's value
        with a problem of its own (a date that has passed, given where the name was asked)."""
        today = services().today()
        if validate(asked.kind, value, today)[1] is None:
            return None
        for other in self.fields_of(tracker):
            if other.code == asked.code or tracker.get_slot(other.code) or other.kind != "date":
                continue
            problem = validate(other.kind, value, today)[1]
            if problem is not None and problem.code != other.kind:  # a date, but not one that can be taken
                return problem
        return None

    @abstractmethod
    def fee_of(self, kind: ServiceType, domain: DomainDict) -> str:
        """What the request costs, as the customer is told it."""

    def found_in(self, tracker: Tracker, text: str) -> list[form_fields.Found]:
        codes = tuple(f.code for f in self.fields_of(tracker))
        return form_fields.fields_in(text, fold(text), codes) if codes else []

    def fields_carried(self, tracker: Tracker, text: str) -> dict[str, str]:
        """The open fields this message gives a valid value for, labelled or by their shape
        (evn.domain.language.form_fields);
        a field already answered keeps its answer unless the message names it again ("đổi ngày thành …")."""
        by_code = {f.code: f for f in self.fields_of(tracker)}
        carried: dict[str, str] = {}
        correcting = form_fields.corrects(text)  # "à khoan, số đúng là 0977…": the phone answered before, again
        for found in self.found_in(tracker, text):
            field = by_code.get(found.code)
            if field is None or (tracker.get_slot(found.code) and not found.labelled and not correcting):
                continue
            value = found.value(text)
            if value and validate(field.kind, value, services().today())[1] is None:
                carried[found.code] = value
        return carried

    def answered_instead(self, tracker: Tracker, asked: FieldSpec, value: str) -> FieldSpec | None:
        """The one other open field this answer unmistakably belongs to (a phone typed where the CCCD
        was asked): it is kept there and the question asked again, instead of an error."""
        today = services().today()
        if validate(asked.kind, value, today)[1] is None:
            return None
        fits = [f for f in self.fields_of(tracker) if f.code != asked.code and f.kind in UNMISTAKABLE_KINDS
                and not tracker.get_slot(f.code) and validate(f.kind, value, today)[1] is None]
        return fits[0] if len(fits) == 1 else None

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """As rasa-sdk's, but a catalogue field is checked by its kind instead of a validate_<slot> method."""
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        slots = {name: value for name, value in tracker.slots_to_validate().items() if name in required}
        for name, value in list(slots.items()):
            if name in self.catalogue.field_codes:
                field = self.field_for(tracker, name)
                update: dict[str, Any] = {name: self.check_field(field, value, dispatcher) if field else None}
            else:
                method = getattr(self, f"validate_{name}", None)
                if method is None:
                    continue
                update = await utils.call_potential_coroutine(method(value, dispatcher, tracker, domain))
            slots.update(update)
            tracker.slots.update(update)
        return [SlotSet(name, value) for name, value in slots.items()]

    @staticmethod
    def takes_a_question(kind: ServiceType, field: FieldSpec | None) -> bool:
        """What to call about is often a question ("muốn biết chi phí lắp điện mới"): there it is the answer."""
        return kind.asks_a_question and field is not None and field.kind == "text"

    def answers_the_question(self, tracker: Tracker, field: FieldSpec) -> bool:
        """A message that is a confident new question (tariff, schedule) is left to the rules."""
        intent = tracker.latest_message.get("intent") or {}
        kind = self.service_of(tracker)
        if intent.get("name") in ANSWER_INTENTS or intent.get("confidence", 0) < CONFIDENT \
                or (kind is not None and self.takes_a_question(kind, field)):
            return True
        text = tracker.latest_message.get("text") or ""
        if field.kind == "text" and intent.get("name") in QUESTIONS and is_a_question(text):
            return False  # "à mà khoan, tiền điện tháng 10 bao nhiêu": any words fit a text field, a question is not
        problem = validate(field.kind, text, services().today())[1]
        return problem is None or problem.code != field.kind  # "hôm qua" is a date, only one that has passed

    @staticmethod
    def check_field(field: FieldSpec, value: Any, dispatcher: CollectingDispatcher) -> str | None:
        normalised, problem = validate(field.kind, str(value or ""), services().today())
        if problem is not None:
            dispatcher.utter_message(response=f"utter_invalid_field_{problem.code}", **problem.values)
            return None
        if hasattr(normalised, "strftime"):
            return f"{normalised:%d/%m/%Y}"
        return str(normalised)

    def required_field_slots(self, codes: list[str]) -> list[str]:
        return [code for code in codes if code in self.catalogue.field_codes]
