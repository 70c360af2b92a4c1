"""Cashless payment in the chat: links for unpaid bills, the ways to pay, and the receipt."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.phrases import lines, phrase
from actions.runtime import services
from actions.satisfaction import ask_satisfaction
from actions.service_requests import waiting_draft
from actions.verified_questions import Question, answers, refused_impossible_period
from evn import reference
from evn.domain.formats import format_date, format_datetime, format_vnd
from evn.domain.language import payment_words
from evn.domain.language.payment_channels import channel_name
from evn.domain.satisfaction import Topic
from evn.domain.time import to_vietnam
from evn.services.payments import GATEWAY_ORDER

ALL_PERIODS = "all"  # the period a "pay everything" button sends
GATEWAYS = set(GATEWAY_ORDER)


def wants_all(text: str, period_text: str | None) -> bool:
    return (period_text or "").lower() == ALL_PERIODS or payment_words.wants_all(text)


def wanted_method(q: Question) -> str | None:
    method = q.request.entities.get("payment_method")
    if method is None and payment_words.wants_qr(q.request.text):
        return "vietqr"
    return method


def pay_page_methods(gateways_on: tuple[str, ...]) -> str:
    """'VietQR, VNPay': what the pay page offers now (VietQR always, each gateway while it is on)."""
    return ", ".join([channel_name("vietqr"), *(channel_name(name) for name in gateways_on)])


@answers("request_payment_link")
def answer_payment_link(q: Question) -> list[dict[str, Any]]:
    if refused_impossible_period(q):
        return []
    period_text = q.request.period_text if (q.request.period_text or "").lower() != ALL_PERIODS else None
    method = wanted_method(q)
    on = services().payments.gateways_on()
    if method in GATEWAYS and method not in on:  # say so, then offer what works
        q.dispatcher.utter_message(response="utter_gateway_off", method=channel_name(method),
                                   available=pay_page_methods(on))
        method = None
    channel = q.tracker.get_latest_input_channel() or "rest"
    try:
        offer = services().payments.offer_links(
            q.conversation_id, q.customer_code, period_text, wants_all(q.request.text, q.request.period_text),
            channel, method,
        )
    except ValueError:  # no PAYMENT_LINK_SECRET: the deployment is incomplete, say so politely
        q.dispatcher.utter_message(response="utter_payment_links_unavailable")
        return []
    code = q.customer_code
    if offer.requested_paid:
        paid_on = phrase(q.domain, "utter_part_paid_on", day=format_date(offer.paid_on)) if offer.paid_on else ""
        q.dispatcher.utter_message(response="utter_period_already_paid", code=code, period=str(offer.requested_paid),
                                   total=format_vnd(offer.paid_total), paid_on=paid_on)
    if offer.nothing_due:  # after the latest bill, paid: why nothing is due
        q.dispatcher.utter_message(response="utter_nothing_to_pay", code=code)
    elif offer.requested_missing:
        q.dispatcher.utter_message(response="utter_period_has_no_bill", code=code, period=str(offer.requested_missing))
    elif offer.choices:
        total = sum(c.amount for c in offer.choices)
        buttons = [
            {"title": phrase(q.domain, "utter_part_pay_period", period=str(c.period), amount=format_vnd(c.amount)),
             "payload": f'/request_payment_link{{"period": "{c.period}"}}'}
            for c in offer.choices
        ] + [{"title": phrase(q.domain, "utter_part_pay_all", amount=format_vnd(total)),
              "payload": f'/request_payment_link{{"period": "{ALL_PERIODS}"}}'}]
        rows = [{"period": str(c.period), "amount": format_vnd(c.amount), "due": format_date(c.due_date),
                 "overdue": ""} for c in offer.choices]
        q.dispatcher.utter_message(
            response="utter_payment_link_choose", code=code, count=len(offer.choices),
            lines=lines(q.domain, "utter_line_unpaid_bill", rows), buttons=buttons,
        )
    for link in offer.links:
        q.dispatcher.utter_message(
            response="utter_payment_link", period=str(link.period), amount=format_vnd(link.amount), url=link.url,
            expires=format_datetime(to_vietnam(link.expires_at)), methods=pay_page_methods(on),
            buttons=[{"title": phrase(q.domain, "utter_part_pay_button", amount=format_vnd(link.amount)),
                      "url": link.url, "type": "web_url", "payload": link.url}],
        )
        if method == "vietqr":
            q.dispatcher.utter_message(image=link.qr_url)
    return []


class ActionShowPaymentMethods(Action):
    def name(self) -> str:
        return "action_show_payment_methods"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        on = services().payments.gateways_on()
        named = next((str(e.get("value")) for e in tracker.latest_message.get("entities", [])
                      if e.get("entity") == "payment_method"), None)
        if named in GATEWAYS and named not in on:  # "đóng qua zalopay được không?"
            dispatcher.utter_message(response="utter_gateway_off", method=channel_name(named),
                                     available=pay_page_methods(on))
        shown = [m for m in reference.payment_methods() if m.get("gateway") in (None, *on)]
        dispatcher.utter_message(response="utter_payment_methods",
                                 lines=lines(domain, "utter_line_payment_method", shown))
        return []


def _announced_before(tracker: Tracker, reference: object) -> bool:
    if not reference:
        return False
    earlier = [e for e in tracker.events if e.get("event") == "user"][:-1]
    return any(
        x.get("entity") == "payment_reference" and x.get("value") == reference
        for e in earlier for x in (e.get("parse_data") or {}).get("entities", [])
    )


class ActionAnnouncePayment(Action):
    """Runs when the web app reports a confirmed payment (intent EXTERNAL_payment_received)."""

    def name(self) -> str:
        return "action_announce_payment"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        entities = {e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities", [])}
        try:
            amount = format_vnd(int(str(entities.get("amount"))))
        except ValueError:
            return []
        if _announced_before(tracker, entities.get("payment_reference")):
            return [UserUtteranceReverted()]  # the outbox delivers at least once: a second delivery says nothing
        dispatcher.utter_message(
            response="utter_payment_received", amount=amount, period=str(entities.get("period", "")),
            channel=channel_name(str(entities.get("payment_method", ""))),
        )
        busy = waiting_draft(tracker) or bool(tracker.get_slot("handoff_waiting") or tracker.get_slot("handoff_agent"))
        paid = str(entities.get("payment_reference") or "")
        asked = ask_satisfaction(dispatcher, tracker, domain, Topic.PAYMENT, paid, busy=busy)
        # The news came from outside, not from the customer: the dialogue goes on from where it was (a form's
        # question, a summary awaiting "đồng ý"), as if the notice had not interrupted it. The question's mark
        # stays in the events, where the customer's answer is read against it (satisfaction_policy.py).
        return [*asked, UserUtteranceReverted()]
