"""The linked-accounts actions as the action server calls them, on the seeded SQLite database: the list of every
chat user linked to the verified code with a revoke button each, the phone asked first when only a link
recognised the customer, revoking with a button, and an expired link said once when its user comes back."""
from __future__ import annotations

import uuid
from datetime import timedelta

from evn.domain import account_links
from tests.integration.action_calls import responses, run, slots_set, texts, tracker, user

BINH, BINH_PHONE = "PD01000000002", "0912345678"
ASK = user("ai đang liên kết với mã của tôi", "manage_links")


def a_link(core, conversation: str, code: str = BINH, days_ago: int = 0) -> int:
    """A link as linking writes it (its consent verified earlier), made `days_ago`; its id."""
    at = core.clock() - timedelta(days=days_ago)
    with core.uow() as uow:
        uow.links.add(conversation_id=conversation, channel="zalo", channel_user=conversation.removeprefix("zalo-"),
                      customer_code=code, linked_at=at, active_key=account_links.active_key(conversation, code))
        uow.commit()
        return next(link.id for link in uow.links.active(conversation, at))


def zalo_user() -> str:
    return f"zalo-{uuid.uuid4().hex[:16]}"


def test_the_list_of_a_codes_users_needs_the_phone_and_each_user_gets_a_revoke_button(actions_env, domain):
    from actions.identity import ActionAnswerVerified

    core = actions_env
    owner, tenant = zalo_user(), zalo_user()
    a_link(core, owner)
    tenant_link = a_link(core, tenant)
    recognised = {"verified": True, "verified_code": BINH, "customer_code": BINH}

    messages, events = run(ActionAnswerVerified(), tracker(owner, [ASK], recognised), domain)
    assert responses(messages) == ["utter_links_need_phone"], "a link is not enough: nothing before the phone"
    assert tenant[-4:] not in texts(messages)
    assert slots_set(events) | {"customer_code": BINH} == {
        "phone": None, "verified": False, "verified_code": None, "customer_code": BINH}
    assert {"event": "followup", "name": "verify_form", "timestamp": None} in events

    assert core.identity.verify(BINH, BINH_PHONE, owner).status == "verified"
    messages, _events = run(ActionAnswerVerified(), tracker(owner, [ASK], recognised), domain)
    assert responses(messages) == ["utter_code_links"]
    listed = texts(messages)
    lines = listed.splitlines()
    (mine,) = [line for line in lines if f"Zalo ****{owner[-4:]}" in line]
    (theirs,) = [line for line in lines if f"Zalo ****{tenant[-4:]}" in line]
    assert "(tài khoản chat này)" in mine and "(tài khoản chat này)" not in theirs
    assert "liên kết ngày 01/12/2026, dùng lần cuối chưa dùng" in theirs, theirs
    assert tenant.removeprefix("zalo-") not in listed, "masked"
    number = theirs.split(".", 1)[0]
    buttons = {b["title"]: b["payload"] for b in messages[0]["buttons"]}
    assert buttons[f"Hủy liên kết {number}"] == f'/manage_links{{"link_id":"{tenant_link}"}}'

    tap = user(buttons[f"Hủy liên kết {number}"], "manage_links", [{"entity": "link_id", "value": str(tenant_link)}])
    messages, _events = run(ActionAnswerVerified(), tracker(owner, [ASK, tap], recognised), domain)
    assert responses(messages) == ["utter_link_revoked"]
    assert f"đã hủy liên kết của Zalo ****{tenant[-4:]} với mã {BINH}" in texts(messages)
    assert not core.identity.recognises(tenant, BINH)
    messages, _events = run(ActionAnswerVerified(), tracker(owner, [ASK, tap], recognised), domain)
    assert responses(messages) == ["utter_link_revoke_gone"]


def test_an_expired_link_is_said_once_when_its_user_comes_back(actions_env, domain):
    from actions.identity import ActionAnswerVerified
    from actions.links import ActionAskVerifyFormCustomerCode, ActionListLinks

    core = actions_env
    chat = zalo_user()
    a_link(core, chat, days_ago=account_links.UNUSED_FOR.days + 1)
    ask = user("tiền điện tháng 9/2026", "ask_bill")
    messages, _events = run(ActionAskVerifyFormCustomerCode(), tracker(chat, [ask]), domain)
    assert responses(messages) == ["utter_link_expired", "utter_ask_customer_code"]
    said = texts(messages)
    assert f"liên kết mã {BINH}" in said and "hết hạn vì 180 ngày" in said and "xác minh lại" in said
    messages, _events = run(ActionAskVerifyFormCustomerCode(), tracker(chat, [ask]), domain)
    assert responses(messages) == ["utter_ask_customer_code"], "once"

    other = zalo_user()  # still verified in the slots, and its link expired meanwhile
    a_link(core, other, days_ago=account_links.UNUSED_FOR.days + 1)
    messages, events = run(ActionAnswerVerified(), tracker(other, [ask], {"verified": True, "verified_code": BINH}),
                           domain)
    assert responses(messages) == ["utter_link_expired"]
    assert {"event": "followup", "name": "verify_form", "timestamp": None} in events

    listed = zalo_user()
    a_link(core, listed, days_ago=account_links.UNUSED_FOR.days + 1)
    messages, _events = run(ActionListLinks(), tracker(listed, [user("danh sách tài khoản", "list_linked_accounts")]),
                            domain)
    assert responses(messages) == ["utter_link_expired"]
