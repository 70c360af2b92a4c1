"""Verification of the customer (code + registered phone) and the answers that need it."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.billing import answer_sum_of_shown
from actions.conversation import (
    CARRIES_PERIOD,
    Request,
    entity_value,
    find_request,
    hear_complaint,
    said_this_turn,
    source_address,
    user_events,
    with_the_period_counted_from_the_shown,
    with_the_period_just_answered,
)
from actions.forms import AnswerForm
from actions.links import PHONE_INTENTS, offer_link, tell_expired
from actions.phrases import phrase
from actions.runtime import services
from actions.verified_questions import HANDLERS, Question
from evn.domain.formats import format_datetime
from evn.domain.identity import code_of_phone, customer_codes, find_customer_code, normalize_phone
from evn.domain.language.bill_words import asks_why_it_rose, names_a_bill
from evn.domain.language.comparisons import compares
from evn.domain.language.no_registered_phone import lacks_registered_phone
from evn.domain.masking import mask_name
from evn.domain.time import to_vietnam
from evn.services import identity as outcome

RECOGNISED_SLOTS = ("customer_code", "verified_code", "verified")
BESIDE = 0.3  # a question this likely, in a message the values led, is asked too (nlu_components/carried_identity.py)
LAST_QUESTION = "last_question"  # the slot naming the verified question of a period last answered
PERIOD_QUESTIONS = CARRIES_PERIOD | {"ask_payment_status"}
NO_PHONE = "\u2205"  # what the phone slot holds for a moment when the customer says they do not have it


def is_verified(tracker: Tracker) -> bool:
    """Verified by phone in this conversation (what a change to a contract needs)."""
    return services().identity.is_verified(tracker.sender_id, tracker.get_slot("verified_code"))


def is_recognised(tracker: Tracker) -> bool:
    """Verified by phone, or a code this channel user linked (enough to look up bills and pay)."""
    return services().identity.recognises(tracker.sender_id, tracker.get_slot("verified_code"))


def tell_locked(dispatcher: CollectingDispatcher, domain: DomainDict, result: outcome.VerificationResult) -> None:
    assert result.locked_until is not None
    dispatcher.utter_message(
        response="utter_verification_locked",
        until=format_datetime(to_vietnam(result.locked_until)),
        hotline=result.hotline or phrase(domain, "utter_part_local_hotline"),
    )


def locked(tracker: Tracker, code: str | None) -> outcome.VerificationResult | None:
    """The lock on `code` for this conversation and client, if any."""
    if not code:
        return None
    return services().identity.locked_until(code, tracker.sender_id, source_address(tracker))


def is_locked(tracker: Tracker) -> bool:
    return locked(tracker, tracker.get_slot("customer_code")) is not None


def recognised_for_form(tracker: Tracker) -> bool:
    """The code the form is about is recognised: another customer's code, named while verified, is not
    (its own phone is asked, actions/identity.py `other_codes`)."""
    code, verified_code = tracker.get_slot("customer_code"), tracker.get_slot("verified_code")
    if code and code != verified_code:
        return services().identity.recognises(tracker.sender_id, code)
    return is_recognised(tracker)


def other_codes(tracker: Tracker, code: str, request: Request) -> tuple[str, str | None]:
    """A question about codes other than the verified one ("mã PD… của nhà bên cạnh"): the code to answer for
    (the verified one when the message names it too, else a named code this conversation is recognised for;
    "" when only strangers are named) and the first named code it is not recognised for, whose own phone is
    asked next (`verify_other`): nothing of it is shown before."""
    named = [c for c in request.codes if c != code]
    if not named:
        return code, None
    identity = services().identity
    strangers = [c for c in named if not identity.recognises(tracker.sender_id, c)]
    known = [c for c in named if c not in strangers]
    answer_for = code if code in request.codes or not known else known[-1]
    if not strangers:
        return answer_for, None
    return (answer_for if code in request.codes or known else ""), strangers[0]


def question_beside_values(tracker: Tracker) -> str | None:
    """The question a message that gives values (inform) also asks, when the classifier saw it this clearly."""
    latest = tracker.latest_message or {}
    if (latest.get("intent") or {}).get("name") != "inform":
        return None
    text = latest.get("text") or ""
    ranked = next((str(r["name"]) for r in latest.get("intent_ranking") or []
                   if r.get("name") in HANDLERS and float(r.get("confidence") or 0) >= BESIDE
                   and (r.get("name") != "ask_bill_increase" or compares(text) or asks_why_it_rose(text))), None)
    if ranked is None and names_a_bill(text):
        return "ask_bill"  # "bill mới nhất của e, PE… 09…", "2 tháng gần đây nhất, PE… 09…": the bills asked
    return ranked


def _stranger_named(tracker: Tracker, code: str) -> str | None:
    """A code the latest message names that is not the verified one and this conversation is not recognised for."""
    named = [str(e.get("value")) for e in tracker.latest_message.get("entities") or []
             if e.get("entity") == "customer_code" and e.get("value") != code]
    return next((c for c in named if not services().identity.recognises(tracker.sender_id, c)), None)


def _gives_identity(tracker: Tracker) -> bool:
    """The latest message gives a code or a phone (a verification's answer), not a question of its own."""
    return any(e.get("entity") in ("customer_code", "phone") for e in tracker.latest_message.get("entities") or [])


def _bill_asked_with(tracker: Tracker, code: str) -> Request:
    """The bill of the period named with the code ("mã bố tôi PD…, tháng 7 bao nhiêu"), else the latest."""
    given = next((event for event in reversed(user_events(tracker)) if entity_value(event, "customer_code") == code),
                 None)
    period = entity_value(given, "period") if given is not None else None
    return Request("ask_bill", str(given.get("text") or "") if period and given else "", period)


def verify_other(dispatcher: CollectingDispatcher, stranger: str) -> list[dict[str, Any]]:
    """Why another customer's code waits for its own phone, and that phone asked (verify_form)."""
    dispatcher.utter_message(response="utter_other_code_needs_phone", code=stranger)
    return [SlotSet("customer_code", stranger), SlotSet("phone", None), FollowupAction("verify_form")]


def _forgotten_this_turn(tracker: Tracker, slot: str) -> bool:
    """Whether an action emptied `slot` after the customer's latest message (verify_other asking another code's
    phone): that message was read for it already."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == slot and event.get("value") is None:
            return True
    return False


class VerificationSlots:
    """Asking for and checking customer_code + phone; shared by every form that verifies."""

    async def extract_customer_code(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        current = tracker.get_slot("customer_code")
        if current and current in customer_codes(text):
            return {}  # "mã tôi PE…, xem luôn mã PD… của bà": the code this verification was started for stays
        code = find_customer_code(text)
        if code:  # a code given again: the customer wants to try, the phone may be asked again
            return {"customer_code": code, "no_registered_phone": False}
        if tracker.get_slot("requested_slot") == "customer_code" and _is_answer(tracker):
            return {"customer_code": tracker.latest_message.get("text")}  # validated (and refused) below
        return {}

    async def extract_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        if _forgotten_this_turn(tracker, "phone") and code_of_phone(text) != tracker.get_slot("customer_code"):
            return {}  # another code named beside a verified one: this message's phone was the verified code's
        if normalize_phone(text):
            return {"phone": text, "no_registered_phone": False}
        if tracker.get_slot("requested_slot") in ("phone", None) and lacks_registered_phone(text):
            return {"phone": NO_PHONE}  # asked for it, or said up front ("nhà mới mua, ko biết sđt chủ cũ")
        if tracker.get_slot("requested_slot") == "phone" and _is_answer(tracker) and not find_customer_code(text):
            return {"phone": text}
        return {}

    def validate_customer_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        code = find_customer_code(str(value or ""))
        if code is None:
            dispatcher.utter_message(response="utter_invalid_customer_code")
            return {"customer_code": None}
        lock = locked(tracker, code)
        if lock:
            tell_locked(dispatcher, domain, lock)
            return {"customer_code": code, "phone": None, "requested_slot": None}
        return {"customer_code": code}

    def validate_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == NO_PHONE:  # never asked again: the other road, once
            dispatcher.utter_message(response="utter_other_road")
            return {"phone": None, "no_registered_phone": True, "requested_slot": None}
        code = tracker.get_slot("customer_code")
        if not code:
            return {"phone": None}
        result = services().identity.verify(code, str(value or ""), tracker.sender_id, source_address(tracker))
        if result.status == outcome.INVALID_PHONE:
            dispatcher.utter_message(response="utter_invalid_phone")
            return {"phone": None}
        if result.status == outcome.VERIFIED and result.customer_code:
            customer = services().billing.customer(tracker.sender_id, result.customer_code)
            dispatcher.utter_message(
                response="utter_verified", name=customer.name, masked_phone=customer.masked_phone
            )
            offer_link(dispatcher, tracker.sender_id, result.customer_code)
            # The phone itself is not kept in the conversation, only the fact it matched.
            return {"phone": customer.masked_phone, "verified_code": result.customer_code, "verified": True}
        if result.status == outcome.LOCKED:
            tell_locked(dispatcher, domain, result)
            return {"phone": None, "requested_slot": None}
        # The code stays: a mistyped phone is corrected by typing the phone again, a wrong code by
        # sending another (extract_customer_code takes a code from any message). Which was wrong is not said.
        dispatcher.utter_message(response="utter_verification_mismatch", attempts_left=result.attempts_left)
        return {"phone": None}


class ValidateVerifyForm(VerificationSlots, AnswerForm):
    """Asks for nothing when already verified, recognised through a linked account, or locked, so the form
    ends at once. A user who linked one code is recognised without asking; several: which one (buttons)."""

    def name(self) -> str:
        return "validate_verify_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        tell_expired(dispatcher, tracker.sender_id)  # a link that expired unused: said once, before anything is asked
        return await super().run(dispatcher, tracker, domain)

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if recognised_for_form(tracker) or is_locked(tracker) or said_no_registered_phone(tracker):
            return []
        return domain_slots

    async def extract_customer_code(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        found = await super().extract_customer_code(dispatcher, tracker, domain)
        asked = find_request(tracker, HANDLERS)
        if is_recognised(tracker) or (asked is not None and asked.intent in PHONE_INTENTS):
            return found  # a new consent to link, or the code's links shown and revoked, need the phone checked now
        codes = services().links.codes(tracker.sender_id)
        named = find_customer_code(str(found.get("customer_code") or ""))
        code = named if named in codes else codes[0] if not named and len(codes) == 1 else None
        if code is None:
            return found
        customer = services().billing.customer(tracker.sender_id, code)
        dispatcher.utter_message(response="utter_recognised_by_link", code=code, name=mask_name(customer.name))
        return {"customer_code": code, "verified_code": code, "verified": True}

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """rasa-sdk keeps only the slots still required; recognised through a link, none is, so the slots the
        extraction set are kept here."""
        events = await super().get_validation_events(dispatcher, tracker, domain)
        pending = tracker.slots_to_validate()
        if pending.get("verified") is True and pending.get("verified_code"):
            kept = {event["name"] for event in events}
            events += [SlotSet(name, pending[name]) for name in RECOGNISED_SLOTS
                       if name in pending and name not in kept]
        return events


def said_no_registered_phone(tracker: Tracker) -> bool:
    """They said they do not have the phone, and this message brings neither a code nor a phone to try."""
    text = tracker.latest_message.get("text") or ""
    return bool(tracker.get_slot("no_registered_phone")) and not (find_customer_code(text) or normalize_phone(text))


def _is_answer(tracker: Tracker) -> bool:
    """A reply to the form's question, not a new question asked in the middle of it."""
    return (tracker.latest_message.get("intent") or {}).get("name") in {"inform", "nlu_fallback", None}


class ActionAnswerVerified(Action):
    """Answers the customer's question once verified (after verify_form, or directly).

    The `verified` slot only steers the rules; the database decides. When the
    verification has expired the form is started again.
    """

    def __init__(self, asked: str | None = None) -> None:
        self.asked = asked  # a follow-up the classifier did not place, read as this question of the latest message

    def name(self) -> str:
        return "action_answer_verified"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        hear_complaint(dispatcher, tracker)
        code = tracker.get_slot("verified_code")
        forget_phone = [SlotSet("phone", None)]  # the form's copy; never needed again
        if not is_recognised(tracker):
            unverified = [*forget_phone, SlotSet("verified_code", None), SlotSet("verified", False)]
            lock = locked(tracker, tracker.get_slot("customer_code"))
            if lock:
                if not said_this_turn(tracker, "utter_verification_locked"):  # the form may have said it
                    tell_locked(dispatcher, domain, lock)
                return unverified
            if tracker.get_slot("no_registered_phone"):
                if not said_this_turn(tracker, "utter_other_road"):
                    dispatcher.utter_message(response="utter_other_road")
                return unverified
            if tracker.get_slot("verified"):
                if not tell_expired(dispatcher, tracker.sender_id):  # the link it stood on expired, or the phone check
                    dispatcher.utter_message(response="utter_verification_expired")
                return [*unverified, FollowupAction("verify_form")]
            dispatcher.utter_message(response="utter_anything_else")
            return unverified
        request = find_request(tracker, [self.asked] if self.asked else HANDLERS, latest_only=bool(self.asked))
        beside = None if request or self.asked else question_beside_values(tracker)
        if beside:  # "đổi qua mã PD… sđt 09…, xem tháng 9 của mã này": the values led, the question rides along
            request = find_request(tracker, [beside], latest_only=True)
        frame = tracker.get_slot(LAST_QUESTION)
        if request is None and not self.asked and frame in HANDLERS and not _gives_identity(tracker):
            request = find_request(tracker, [frame], latest_only=True)  # "tháng 9 thì sao": the last question again
        if request is not None:
            request = with_the_period_counted_from_the_shown(tracker, with_the_period_just_answered(tracker, request))
        if request is None:
            stranger = _stranger_named(tracker, code)
            if stranger:  # "giờ đổi qua mã PD… sđt 09…": that code's own verification
                return forget_phone + verify_other(dispatcher, stranger)
            shown: list[dict[str, Any]] = []
            if said_this_turn(tracker, "utter_verified"):  # a code and phone given unprompted: its bill first
                latest = Question(dispatcher, tracker, tracker.sender_id, code, _bill_asked_with(tracker, code), domain)
                shown = [*HANDLERS["ask_bill"](latest), SlotSet(LAST_QUESTION, "ask_bill")]
            dispatcher.utter_message(response="utter_anything_else")
            return forget_phone + shown
        answer_for, stranger = other_codes(tracker, code, request)
        events: list[dict[str, Any]] = list(forget_phone)
        if answer_for:  # not when only another customer's code was named: nothing shown before its own phone
            if answer_for != code:
                events.append(SlotSet("verified_code", answer_for))  # a code this conversation verified before
            question = Question(dispatcher, tracker, tracker.sender_id, answer_for, request, domain)
            # "cộng lại 2 tháng" after bills shown one by one adds those, whatever was asked of them
            summed = answer_sum_of_shown(question)
            events += summed if summed is not None else HANDLERS[request.intent](question)
            if request.intent in PERIOD_QUESTIONS:  # what "tháng 9 thì sao" asks again
                events.append(SlotSet(LAST_QUESTION, request.intent))
        return events + (verify_other(dispatcher, stranger) if stranger else [])
