"""Linked accounts in the conversation: the offer after a verification, linking, listing and unlinking.

Linking is a question that needs a verified customer (verify_form first, then
action_answer_verified runs `link`), and it needs the phone checked in this
conversation: a code recognised through an earlier link is not a new consent.
Unlinking and the list need nothing: they only touch this channel user's own links.

"ai đang liên kết mã của tôi" (manage_links) is a question of the customer verified by
phone, from any channel: every chat user linked to their code (channel, masked id, link
date, last use), with a button per link that revokes it (its payload names the link; the
service revokes only a link to the verified code). A link that expired unused is said so
once, when its user comes back: "liên kết đã hết hạn, xác minh lại".
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import find_request
from actions.phrases import lines, phrase
from actions.runtime import services
from actions.verified_questions import HANDLERS, Question, answers
from evn.domain import account_links
from evn.domain.formats import format_date, format_vnd
from evn.domain.identity import find_customer_code
from evn.domain.masking import mask_name
from evn.domain.time import to_vietnam
from evn.services.errors import NotVerified
from evn.services.links import LinkedUser, NotLinkable

ALL = "all"
LINK_INTENT = "link_account"
MANAGE_INTENT = "manage_links"
LINK_ID = "link_id"  # the entity a revoke button's payload carries
# Questions that need the phone checked in this conversation: a link is not enough for them.
PHONE_INTENTS = frozenset({LINK_INTENT, MANAGE_INTENT})
DEBT_INTENT = "ask_payment_status"


def offer_link(dispatcher: CollectingDispatcher, conversation_id: str, code: str) -> None:
    """After a verification by phone: remember this customer on this channel? (once per code)."""
    if account_links.can_link(conversation_id) and code not in services().links.codes(conversation_id):
        dispatcher.utter_message(response="utter_offer_link")


@answers(LINK_INTENT)
def link(q: Question) -> list[dict[str, Any]]:
    try:
        linked = services().links.link(q.conversation_id, q.customer_code)
    except NotLinkable:
        q.dispatcher.utter_message(response="utter_link_not_here")
        return []
    except NotVerified:  # recognised through a link, so linked already
        q.dispatcher.utter_message(response="utter_link_already", code=q.customer_code)
        return []
    q.dispatcher.utter_message(response="utter_link_already" if linked.already else "utter_linked",
                               code=linked.code)
    return []


@answers(MANAGE_INTENT)
def manage(q: Question) -> list[dict[str, Any]]:
    """Every chat user linked to the verified code, a button to revoke each; a button's tap revokes that one."""
    links = services().links
    try:
        link_id = _link_id(q.request.entities.get(LINK_ID))
        if link_id is not None:
            revoked = links.revoke(q.conversation_id, q.customer_code, link_id)
            if revoked is None:
                q.dispatcher.utter_message(response="utter_link_revoke_gone", code=q.customer_code)
                return []
            q.dispatcher.utter_message(response="utter_link_revoked", code=q.customer_code,
                                       **_shown(q.domain, revoked))
            return []
        users = links.users_of(q.conversation_id, q.customer_code)
    except NotVerified:  # recognised through a link: the phone is asked now, then this question again
        q.dispatcher.utter_message(response="utter_links_need_phone", code=q.customer_code)
        return [SlotSet("verified", False), SlotSet("verified_code", None), SlotSet("phone", None),
                SlotSet("customer_code", q.customer_code), FollowupAction("verify_form")]
    if not users:
        q.dispatcher.utter_message(response="utter_code_no_links", code=q.customer_code)
        return []
    rows = [{"number": number, **_shown(q.domain, user)} for number, user in enumerate(users, 1)]
    buttons = [{"title": phrase(q.domain, "utter_part_revoke_link", number=number),
                "payload": f'/{MANAGE_INTENT}{{"{LINK_ID}":"{user.id}"}}'} for number, user in enumerate(users, 1)]
    q.dispatcher.utter_message(response="utter_code_links", buttons=buttons, code=q.customer_code,
                               count=len(users), lines=lines(q.domain, "utter_line_code_link", rows),
                               days=account_links.UNUSED_FOR.days)
    return []


def _link_id(value: Any) -> int | None:
    text = str(value) if value is not None else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _shown(domain: DomainDict, user: LinkedUser) -> dict[str, str]:
    """A linked chat user as the customer reads it: channel, masked id, dates in Vietnam time."""
    return {
        "channel": phrase(domain, f"utter_part_channel_{user.channel}"),
        "user": user.user,
        "this_chat": phrase(domain, "utter_part_this_chat") if user.this_chat else "",
        "linked": format_date(to_vietnam(user.linked_at)),
        "used": format_date(to_vietnam(user.last_used_at)) if user.last_used_at
        else phrase(domain, "utter_part_never_used"),
    }


def tell_expired(dispatcher: CollectingDispatcher, conversation_id: str) -> bool:
    """Links of this user that expired unused: said once ("liên kết đã hết hạn, xác minh lại"), and ended."""
    expired = services().links.end_expired(conversation_id)
    if expired:
        dispatcher.utter_message(response="utter_link_expired", codes=", ".join(expired),
                                 days=account_links.UNUSED_FOR.days)
    return bool(expired)


def named_code(tracker: Tracker) -> str | None:
    """The code the customer named or tapped ("all" from the button that unlinks every one)."""
    values = [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == "customer_code"]
    if ALL in values:
        return ALL
    return find_customer_code(tracker.latest_message.get("text") or "")


class ActionUnlinkAccount(Action):
    """"hủy liên kết": at once for the only code or the one named; which one (buttons) when there are several."""

    def name(self) -> str:
        return "action_unlink_account"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        links = services().links
        codes = links.codes(tracker.sender_id)
        if not codes:
            if not tell_expired(dispatcher, tracker.sender_id):
                dispatcher.utter_message(response="utter_no_links")
            return []
        wanted = named_code(tracker)
        if wanted is None and len(codes) > 1:
            buttons = [{"title": code, "payload": f'/unlink_account{{"customer_code":"{code}"}}'} for code in codes]
            buttons.append({"title": phrase(domain, "utter_part_unlink_all"),
                            "payload": f'/unlink_account{{"customer_code":"{ALL}"}}'})
            dispatcher.utter_message(response="utter_which_to_unlink", buttons=buttons)
            return []
        if wanted not in (None, ALL) and wanted not in codes:
            dispatcher.utter_message(response="utter_not_linked", code=wanted)
            return []
        every = wanted == ALL or wanted is None  # "all", or the only one
        ended = links.unlink(tracker.sender_id, None if every else wanted)
        dispatcher.utter_message(response="utter_unlinked", codes=", ".join(ended))
        if tracker.get_slot("verified_code") in ended and not services().identity.is_verified(
                tracker.sender_id, tracker.get_slot("verified_code")):
            return [SlotSet("verified_code", None), SlotSet("verified", False)]
        return []


class ActionListLinks(Action):
    """"danh sách tài khoản": the codes this channel user linked, each with its holder's masked name."""

    def name(self) -> str:
        return "action_list_links"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        core = services()
        codes = core.links.codes(tracker.sender_id)
        if not codes:
            if not tell_expired(dispatcher, tracker.sender_id):
                dispatcher.utter_message(response="utter_no_links")
            return []
        lines = "\n".join(
            phrase(domain, "utter_line_link", code=code, name=mask_name(core.billing.customer(tracker.sender_id,
                                                                                             code).name))
            for code in codes
        )
        dispatcher.utter_message(response="utter_links", lines=lines, count=len(codes))
        return []


class ActionAskVerifyFormCustomerCode(Action):
    """verify_form's question for the code: which linked one, with buttons, when this user linked several."""

    def name(self) -> str:
        return "action_ask_verify_form_customer_code"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        tell_expired(dispatcher, tracker.sender_id)  # they come back after half a year: say why we ask again
        codes = services().links.codes(tracker.sender_id)
        if len(codes) < 2:
            dispatcher.utter_message(response="utter_ask_customer_code")
            return []
        buttons = [{"title": code, "payload": f'/inform{{"customer_code":"{code}"}}'} for code in codes]
        request = find_request(tracker, HANDLERS)
        if request is not None and request.intent == DEBT_INTENT:  # "tất cả": every code's debt, then which one
            dispatcher.utter_message(response="utter_linked_debts", buttons=buttons,
                                     **all_debts(tracker.sender_id, codes, domain))
            return []
        dispatcher.utter_message(response="utter_which_linked_code", buttons=buttons)
        return []


def all_debts(conversation_id: str, codes: list[str], domain: DomainDict) -> dict[str, str]:
    """Each linked code's debt in a line and the sum: what a landlord with several meters asks first."""
    rows, total = [], 0
    for code in codes:
        debt = services().billing.debt(conversation_id, code)
        total += debt.total
        rows.append({"code": code, "count": len(debt.unpaid), "amount": format_vnd(debt.total)} if debt.unpaid
                    else {"code": code, "count": 0, "amount": phrase(domain, "utter_part_no_debt")})
    return {"lines": lines(domain, "utter_line_linked_debt", rows), "total": format_vnd(total)}
