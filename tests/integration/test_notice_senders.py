"""The notice routes against fakes speaking Zalo's ZNS and Messenger's Send API wire formats."""
from __future__ import annotations

import pytest

from evn.adapters.notice_senders import MessengerUtilitySender, ZnsSender, international_phone
from evn.domain.notices import NoticeKind
from evn.services.notices import Content, PendingNotice
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.zalo_api import FakeZaloApi

BILL = Content({"customer_code": "PE01000000001", "period": "11/2026", "amount": "914.436 đ",
                "due_date": "15/12/2026", "payment_url": "https://pay.example/1"}, "0901234567")


def notice(channel: str, user: str, kind: NoticeKind = NoticeKind.BILL_ISSUED) -> PendingNotice:
    prefix = {"zalo": "zalo", "facebook": "facebook"}[channel]
    return PendingNotice(7, kind, "3636", channel, user, f"{prefix}-{user}", "PE01000000001", 0)


@pytest.fixture
def zalo():
    fake = FakeZaloApi("app", "access-1", "refresh-1").start()
    fake.zns_templates = {"401"}
    yield fake
    fake.stop()


def test_zns_sends_the_template_to_the_registered_phone_with_the_kinds_data(zalo):
    sender = ZnsSender(f"{zalo.url}/message/template", lambda: "access-1")
    message_id = sender(notice("zalo", "u1"), BILL, "401")
    (body,) = zalo.zns
    assert message_id and body == {
        "phone": "84901234567", "template_id": "401", "tracking_id": "notice-7",
        "template_data": {"customer_code": "PE01000000001", "period": "11/2026", "amount": "914.436 đ",
                          "due_date": "15/12/2026"},
    }


def test_zns_refusals_raise_so_the_delivery_retries_or_gives_up(zalo):
    with pytest.raises(RuntimeError, match="error -124"):
        ZnsSender(f"{zalo.url}/message/template", lambda: "access-1")(notice("zalo", "u1"), BILL, "999")
    with pytest.raises(RuntimeError, match="error -216"):
        ZnsSender(f"{zalo.url}/message/template", lambda: "stale")(notice("zalo", "u1"), BILL, "401")
    with pytest.raises(ValueError):
        ZnsSender(f"{zalo.url}/message/template", lambda: "access-1")(notice("zalo", "u1"), Content({}, ""), "401")
    assert zalo.zns == []


def test_messenger_utility_message_names_an_approved_template_with_the_facts_in_order():
    graph = FakeGraphApi("page-token", utility_templates={"evn_bill_issued"}).start()
    try:
        sender = MessengerUtilitySender(graph.url, "page-token")
        assert sender(notice("facebook", "psid-1"), BILL, "evn_bill_issued").startswith("m_")
        (body,) = graph.sent
        assert body["messaging_type"] == "UTILITY" and body["recipient"] == {"id": "psid-1"}
        template = body["message"]["template"]
        assert template["name"] == "evn_bill_issued" and template["language"] == {"code": "vi"}
        assert [p["text"] for p in template["components"][0]["parameters"]] == [
            "PE01000000001", "11/2026", "914.436 đ", "15/12/2026"]
        with pytest.raises(RuntimeError):
            sender(notice("facebook", "psid-1"), BILL, "not_approved")
    finally:
        graph.stop()


def test_phones_go_international():
    assert international_phone("0901234567") == "84901234567"
    assert international_phone("84901234567") == "84901234567"
