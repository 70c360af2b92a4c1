"""Service requests in the chat: a form that asks only what the type needs, a summary, filing once."""
from __future__ import annotations

import uuid
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import source_address
from actions.forms import CatalogueForm
from actions.identity import VerificationSlots, is_locked, is_verified, said_no_registered_phone
from actions.limits import tell_rate_limited
from actions.phrases import addressed, lines, phrase
from actions.runtime import services
from actions.satisfaction import ask_satisfaction, note_callback
from actions.verified_questions import Question, answers
from evn.domain.formats import format_date, format_datetime
from evn.domain.language import form_fields
from evn.domain.language.confirmations import is_no, is_yes
from evn.domain.masking import mask_id_number, mask_phone
from evn.domain.periods import fold
from evn.domain.satisfaction import Topic
from evn.domain.service_catalogue import CALLBACK, Catalogue, FieldSpec, ServiceType, correction
from evn.domain.statuses import RequestStatus
from evn.domain.tickets import parse_ticket_number
from evn.domain.time import to_vietnam
from evn.services.errors import NotVerified, RateLimited
from evn.services.requests import RequestView


def catalogue() -> Catalogue:
    return services().requests.catalogue


def field_slots() -> tuple[str, ...]:
    return catalogue().field_codes


def service_type_of(tracker: Tracker) -> ServiceType | None:
    code = tracker.get_slot("service_type")
    return catalogue().get(code) if code else None


def shown(field: FieldSpec, value: str) -> str:
    """Summaries mask phone and ID numbers like every other reply."""
    if field.kind == "phone":
        return mask_phone(value)
    if field.kind == "id_number":
        return mask_id_number(value)
    return value


class ValidateServiceForm(VerificationSlots, CatalogueForm):
    """Type first; then verification if the type needs it; then the type's own fields."""

    def name(self) -> str:
        return "validate_service_form"

    def fee_of(self, kind: ServiceType, domain: DomainDict) -> str:
        return fee_of(domain, kind)

    @property
    def catalogue(self) -> Catalogue:  # type: ignore[override]
        return catalogue()

    def field_for(self, tracker: Tracker, slot: str | None) -> FieldSpec | None:
        kind = service_type_of(tracker)
        if kind is None or slot is None:
            return None
        return next((field for field in kind.fields if field.code == slot), None)

    def service_of(self, tracker: Tracker) -> ServiceType | None:
        return service_type_of(tracker)

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        kind = service_type_of(tracker)
        if kind is None:
            return ["service_type"]
        slots = ["service_type"]
        if kind.needs_verified_customer and not is_verified(tracker):
            if is_locked(tracker) or said_no_registered_phone(tracker):
                return []  # told already; the summary explains what is missing
            slots += ["customer_code", "phone"]
        return slots + [field.code for field in kind.fields]

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        events = await super().run(dispatcher, tracker, domain)
        # The catalogue holds the questions (data, like the responses), so a new type needs no new responses.
        asked = [e.get("value") for e in events if e.get("event") == "slot" and e.get("name") == "requested_slot"]
        field = self.field_for(tracker, asked[-1] if asked else None)
        if field is not None:
            dispatcher.utter_message(text=addressed(field.question, tracker))
        return events

    async def extract_service_type(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("service_type"):
            return {}
        text = tracker.latest_message.get("text") or ""
        # The words before the first field name the request; a service inside a field ("lý do: hỏi về lắp điện mặt
        # trời") is not the one asked for, unless nothing else names one.
        head = form_fields.before_any(text, fold(text), [])
        entities = [e for e in tracker.latest_message.get("entities", []) if e.get("entity") == "service_type"
                    and catalogue().get(str(e.get("value")))]
        in_head = [e for e in entities if int(e.get("end") or 0) <= len(head)]
        found = (_named(in_head) or catalogue().find(head) or catalogue().find(text) or _named(entities))
        if found:
            return {"service_type": found.code}
        if tracker.get_slot("requested_slot") == "service_type":
            return {"service_type": "?"}  # refused with the list of types in validate_service_type
        return {}

    def validate_service_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        kind = catalogue().get(str(value))
        if kind is None:
            dispatcher.utter_message(
                response="utter_unknown_service_type", types=", ".join(t.name for t in catalogue().all())
            )
            return {"service_type": None}
        dispatcher.utter_message(response="utter_service_type_understood", name=kind.name)
        if kind.papers:
            dispatcher.utter_message(response="utter_service_papers", papers=addressed(kind.papers, tracker))
        return {"service_type": kind.code, "draft_id": tracker.get_slot("draft_id") or uuid.uuid4().hex}


def fee_of(domain: DomainDict, kind: ServiceType) -> str:
    """What a request costs, as said: "miễn phí" or the catalogue's words."""
    return phrase(domain, "utter_part_fee_free") if kind.is_free else kind.fee


def _named(entities: list[dict[str, Any]]) -> ServiceType | None:
    """The catalogue type of the first of these service_type entities."""
    return catalogue().get(str(entities[0].get("value"))) if entities else None


def _draft(tracker: Tracker) -> tuple[ServiceType | None, dict[str, str] | None]:
    """The type being filed and its answers, or None for answers while one is still missing."""
    kind = service_type_of(tracker)
    if kind is None:
        return None, None
    values = {field.code: tracker.get_slot(field.code) for field in kind.fields}
    return kind, values if all(values.values()) else None


def waiting_draft(tracker: Tracker) -> bool:
    """A request summed up with every answer, not filed yet: a yes files it."""
    return _draft(tracker)[1] is not None


def _clear_draft() -> list[dict]:
    return [SlotSet(slot, None) for slot in ("service_type", "draft_id", *field_slots())]


class ActionServiceSummary(Action):
    def name(self) -> str:
        return "action_service_summary"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        kind, values = _draft(tracker)
        if kind is None or values is None or (kind.needs_verified_customer and not is_verified(tracker)):
            dispatcher.utter_message(response="utter_service_incomplete")
            return _clear_draft()
        rows = [{"label": field.label, "value": shown(field, values[field.code])} for field in kind.fields]
        summary = lines(domain, "utter_line_summary_field", rows)
        if kind.needs_verified_customer:
            summary = phrase(domain, "utter_line_summary_code", code=tracker.get_slot("verified_code")) + "\n" + summary
        dispatcher.utter_message(
            response="utter_service_summary", name=kind.name, lines=summary,
            fee=fee_of(domain, kind), days=kind.working_days,
        )
        return []


class ActionSubmitServiceRequest(Action):
    """Writes the request, then answers; confirming the same draft again files nothing new."""

    def name(self) -> str:
        return "action_submit_service_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        kind, values = _draft(tracker)
        if kind is None or values is None:
            last = tracker.get_slot("last_ticket")
            if last:
                dispatcher.utter_message(response="utter_service_already_filed", ticket=last)
            else:
                dispatcher.utter_message(response="utter_anything_else")
            return []
        try:
            filed = services().requests.file(
                tracker.sender_id, tracker.get_latest_input_channel() or "rest", kind.code, values,
                tracker.get_slot("verified_code"), tracker.get_slot("draft_id"), source_address(tracker),
            )
        except NotVerified:
            dispatcher.utter_message(response="utter_service_incomplete")
            return _clear_draft()
        except RateLimited as limited:
            tell_rate_limited(dispatcher, limited)
            return []
        ticket = filed.request.ticket
        assert filed.request.due_date is not None  # service requests always have one
        if filed.duplicate:
            dispatcher.utter_message(response="utter_service_already_filed", ticket=ticket)
            return [*_clear_draft(), SlotSet("last_ticket", ticket)]
        dispatcher.utter_message(
            response="utter_service_filed", name=kind.name, ticket=ticket,
            due=format_date(filed.request.due_date), days=kind.working_days, fee=fee_of(domain, kind),
            next_steps=addressed(kind.next_steps, tracker),
        )
        if kind.code == CALLBACK:  # a low rating's callback, if it follows one, is noted on that rating
            note_callback(tracker.sender_id, ticket)
        return [*_clear_draft(), SlotSet("last_ticket", ticket),
                *ask_satisfaction(dispatcher, tracker, domain, Topic.REQUEST, ticket)]


class ActionFiledRequestTerms(Action):
    """"bao lâu thì xong", "có mất phí không", "mã yêu cầu là gì" right after filing: the request just filed,
    its number, the day it is due, its working days and its fee (a follow-up, evn/domain/follow_ups.py)."""

    def name(self) -> str:
        return "action_filed_request_terms"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        ticket = tracker.get_slot("last_ticket")
        request = services().requests.find(tracker.sender_id, tracker.get_slot("verified_code"), ticket) \
            if ticket else None
        kind = catalogue().get(request.service_type) if request is not None else None
        if request is None or kind is None or request.due_date is None:  # an outage report: where it stands
            show_status(dispatcher, tracker, domain, request.ticket if request is not None else None)
            return []
        dispatcher.utter_message(  # with what happens next: "khi nào có người gọi" is answered by it
            response="utter_filed_request_terms", name=kind.name, ticket=request.ticket,
            due=format_date(request.due_date), days=kind.working_days,
            fee=fee_of(domain, kind), next_steps=addressed(kind.next_steps, tracker),
        )
        return []


class ActionEditServiceRequest(Action):
    """A correction changes that one answer and keeps the rest ("sửa ngày thành 8/12"): the form then
    asks only what is missing (the new value, when none was given) and shows the summary again. When
    the words name no field, every answer is asked again."""

    def name(self) -> str:
        return "action_edit_service_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        kind = service_type_of(tracker)
        field, value = correction(tracker.latest_message.get("text") or "", tuple(kind.fields) if kind else ())
        if field is None:
            return [SlotSet(slot, None) for slot in field_slots()]
        if value is None:
            return [SlotSet(field.code, None)]
        return [SlotSet(field.code, CatalogueForm.check_field(field, value, dispatcher))]  # None: asked again


def said_yes(tracker: Tracker) -> bool:
    """At a yes/no question: the words decide ("ok hủy luôn"), then the classifier's affirm."""
    text = tracker.latest_message.get("text") or ""
    if is_no(text):
        return False
    return is_yes(text) or (tracker.latest_message.get("intent") or {}).get("name") in ("affirm", "cancel_request")


class ActionStopServiceForm(Action):
    """Asked to cancel the request being filled in: yes discards it, no goes on with the next question."""

    def name(self) -> str:
        return "action_stop_service_form"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if said_yes(tracker):
            return ActionDiscardServiceRequest().run(dispatcher, tracker, domain)
        return [FollowupAction("service_form")]


class ActionDiscardServiceRequest(Action):
    def name(self) -> str:
        return "action_discard_service_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_service_discarded")
        return _clear_draft()


# --- following up -----------------------------------------------------------------------------

def describe(domain: DomainDict, request: RequestView) -> tuple[str, str]:
    """(the request's name, its status) as the customer reads them."""
    kind = catalogue().get(request.service_type)
    name = kind.name if kind else phrase(domain, "utter_part_outage_report")
    return name, status_name(domain, request.status)


def status_name(domain: DomainDict, status: RequestStatus) -> str:
    return phrase(domain, f"utter_part_status_{status.value}")


def show_status(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, ticket_text: str | None
) -> None:
    requests = services().requests
    verified_code = tracker.get_slot("verified_code")
    if ticket_text:
        request = requests.find(tracker.sender_id, verified_code, ticket_text)
        if request is None:
            dispatcher.utter_message(response="utter_request_not_found",
                                     ticket=parse_ticket_number(ticket_text) or ticket_text)
            return
        name, status = describe(domain, request)
        timeline = [{"at": format_datetime(to_vietnam(at)), "status": status_name(domain, state),
                     "note": phrase(domain, "utter_part_note", note=note) if note else ""}
                    for state, at, note in request.timeline]
        due = phrase(domain, "utter_line_due", due=format_date(request.due_date)) + "\n" if request.due_date else ""
        dispatcher.utter_message(
            response="utter_request_status", ticket=request.ticket, name=name, status=status,
            created=format_date(to_vietnam(request.created_at)), due=due,
            timeline=lines(domain, "utter_line_timeline", timeline),
        )
        return
    mine = requests.mine(tracker.sender_id, verified_code)
    if not mine:
        dispatcher.utter_message(response="utter_no_requests")
        return
    rows = [{"ticket": r.ticket, "name": describe(domain, r)[0], "status": describe(domain, r)[1],
             "due": phrase(domain, "utter_part_due", due=format_date(r.due_date)) if r.due_date else ""}
            for r in mine]
    dispatcher.utter_message(response="utter_my_requests", lines=lines(domain, "utter_line_request", rows))


def ticket_in(tracker: Tracker, request_entities: dict[str, str] | None = None) -> str | None:
    entities = request_entities or {
        e.get("entity"): str(e.get("value")) for e in tracker.latest_message.get("entities", [])
    }
    return entities.get("request_id") or parse_ticket_number(tracker.latest_message.get("text") or "")


class ActionRequestStatus(Action):
    def name(self) -> str:
        return "action_request_status"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        show_status(dispatcher, tracker, domain, ticket_in(tracker))
        return []


class ActionCancelRequest(Action):
    """Finds the request and asks for confirmation; only its owner gets this far."""

    def name(self) -> str:
        return "action_cancel_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        requests = services().requests
        ticket = ticket_in(tracker)
        verified_code = tracker.get_slot("verified_code")
        if not ticket:
            open_ones = [r for r in requests.mine(tracker.sender_id, verified_code) if r.cancellable]
            if not open_ones:
                dispatcher.utter_message(response="utter_no_requests")
                return [SlotSet("cancel_ticket", None)]
            if len(open_ones) == 1:  # one candidate: name it instead of asking which
                only = open_ones[0]
                dispatcher.utter_message(response="utter_confirm_cancel", ticket=only.ticket,
                                         name=describe(domain, only)[0])
                return [SlotSet("cancel_ticket", only.ticket)]
            dispatcher.utter_message(
                response="utter_which_to_cancel",
                buttons=[{"title": phrase(domain, "utter_part_request_button", ticket=r.ticket,
                                          name=describe(domain, r)[0]),
                          "payload": f'/cancel_request{{"request_id": "{r.ticket}"}}'} for r in open_ones],
            )
            return [SlotSet("cancel_ticket", None)]
        request = requests.find(tracker.sender_id, verified_code, ticket)
        if request is None:
            dispatcher.utter_message(response="utter_request_not_found", ticket=parse_ticket_number(ticket) or ticket)
            return [SlotSet("cancel_ticket", None)]
        if not request.cancellable:
            dispatcher.utter_message(response="utter_request_not_cancellable", ticket=request.ticket,
                                     status=describe(domain, request)[1])
            return [SlotSet("cancel_ticket", None)]
        dispatcher.utter_message(response="utter_confirm_cancel", ticket=request.ticket,
                                 name=describe(domain, request)[0])
        return [SlotSet("cancel_ticket", request.ticket)]


class ActionConfirmCancel(Action):
    def name(self) -> str:
        return "action_confirm_cancel"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        ticket = tracker.get_slot("cancel_ticket")
        if not ticket:  # a ticket picked from the list (or typed) after "which one?": ask about that one
            return ActionCancelRequest().run(dispatcher, tracker, domain)
        if not said_yes(tracker):
            dispatcher.utter_message(response="utter_keep_request", ticket=ticket)
            return [SlotSet("cancel_ticket", None)]
        request = services().requests.cancel(tracker.sender_id, tracker.get_slot("verified_code"), ticket)
        withdrawn = services().requests.withdraw(tracker.sender_id, ticket) if request is None else None
        if withdrawn is not None:  # a report joined to the area's incident: taken back, the ticket stays
            dispatcher.utter_message(response="utter_report_withdrawn", ticket=withdrawn)
        elif request is None:
            dispatcher.utter_message(response="utter_request_not_found", ticket=ticket)
        elif request.status == "cancelled":
            dispatcher.utter_message(response="utter_request_cancelled", ticket=ticket)
        else:
            dispatcher.utter_message(response="utter_request_not_cancellable", ticket=ticket,
                                     status=describe(domain, request)[1])
        return [SlotSet("cancel_ticket", None)]


@answers("check_request_status")
def answer_status_after_verification(q: Question) -> list[dict[str, Any]]:
    show_status(q.dispatcher, q.tracker, q.domain, q.request.entities.get("request_id"))
    return []
