"""Service requests, outage reports and handoffs against real databases (fresh per test)."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest

from evn.adapters.unit_of_work import Factory
from evn.domain.outage_schedule import PlannedOutage
from evn.services.errors import NotVerified, RateLimited
from evn.services.handoffs import HandoffService
from evn.services.identity import IdentityService
from evn.services.requests import RequestService

AN = ("PE01000000001", "0901234567")
BINH = ("PD01000000002", "0912345678")
NEW_CONNECTION = {
    "applicant_name": "Lê Văn Cường", "id_number": "079088001234", "contact_phone": "0987654321",
    "address": "25 Nguyễn Trãi, Phường 5, Quận 5, TP.HCM", "preferred_date": "02/12/2026",
}
HOLDER_CHANGE = {
    "new_holder_name": "Nguyễn Thị Hoa", "new_holder_id_number": "079188004321", "contact_phone": "0901234567",
    "reason": "Mua lại nhà",
}
PLANNED = PlannedOutage(
    id="T1", power_company="EVNHCMC", province="TP.HCM", district="Quận 1", wards=("phường Bến Nghé",),
    area="Trạm biến áp Bến Nghé 3", start=datetime(2026, 11, 28, 8, 0), end=datetime(2026, 11, 28, 16, 0),
    reason="Bảo trì lưới điện",
)




@pytest.fixture
def sessions(fresh_sessions):
    return fresh_sessions


@pytest.fixture
def clock(clock):
    clock.now = datetime(2026, 11, 27, 10, 0)  # Friday 17:00 in Vietnam
    return clock


@pytest.fixture
def service(sessions, clock):
    return RequestService(Factory(sessions), IdentityService(Factory(sessions), clock=clock), holidays=set(),
                          schedule=[PLANNED], clock=clock)


def chat() -> str:
    return f"chat-{uuid.uuid4().hex}"


def test_new_connection_needs_no_customer_code_and_gets_a_readable_ticket(service):
    filed = service.file(chat(), "rest", "new_connection", NEW_CONNECTION, None, "draft-1")
    assert not filed.duplicate
    assert filed.request.ticket == "YC-20261127-0001" and filed.request.status == "received"
    # Filed Friday evening: 7 working days counted from Monday -> Tuesday of the week after.
    assert filed.request.due_date == date(2026, 12, 8)
    assert [state for state, _, _ in filed.request.timeline] == ["received"]
    second = service.file(chat(), "zalo", "new_connection", NEW_CONNECTION, None, "draft-2")
    assert second.request.ticket == "YC-20261127-0002"


def test_confirming_the_same_draft_twice_files_once(service):
    conversation = chat()
    first = service.file(conversation, "rest", "new_connection", NEW_CONNECTION, None, "draft-1")
    again = service.file(conversation, "rest", "new_connection", NEW_CONNECTION, None, "draft-1")
    assert again.duplicate and again.request.ticket == first.request.ticket
    assert len(service.mine(conversation, None)) == 1


QUOTA_CHANGE = {"applicant_name": "Nguyễn Văn An", "contact_phone": "0901234567", "household_members": "6"}


def test_contract_changes_need_a_verified_customer(service):
    conversation = chat()
    with pytest.raises(NotVerified):
        service.file(conversation, "rest", "quota_change", QUOTA_CHANGE, AN[0], "d")
    assert service.identity.verify(*AN, conversation).status == "verified"
    filed = service.file(conversation, "rest", "quota_change", QUOTA_CHANGE, AN[0], "d")
    assert filed.request.due_date == date(2026, 12, 2)  # 3 working days from Monday 30/11


def test_a_new_owner_files_a_change_of_holder_without_the_old_phone_and_it_stays_theirs(service):
    new_owner, owner = chat(), chat()
    filed = service.file(new_owner, "rest", "contract_holder_change", {**HOLDER_CHANGE, "address": "12 Lê Lợi, Quận 1"},
                         AN[0], "d")
    assert [r.ticket for r in service.mine(new_owner, None)] == [filed.request.ticket]
    assert service.identity.verify(*AN, owner).status == "verified"
    assert service.mine(owner, AN[0]) == []  # the code's owner does not see a stranger's filing


def test_only_the_owner_sees_or_cancels_a_request(service):
    owner = chat()
    assert service.identity.verify(*AN, owner).status == "verified"
    ticket = service.file(owner, "rest", "contract_holder_change", HOLDER_CHANGE, AN[0], "d").request.ticket
    stranger = chat()
    assert service.find(stranger, None, ticket) is None
    assert service.find(stranger, AN[0], ticket) is None  # a code in a slot is not a verification
    assert service.cancel(stranger, None, ticket) is None
    # The same customer verified in another conversation sees it by code.
    later = chat()
    assert service.identity.verify(*AN, later).status == "verified"
    assert service.find(later, AN[0], ticket.lower().replace("-", " ")).ticket == ticket
    assert [r.ticket for r in service.mine(later, AN[0])] == [ticket]
    # Another verified customer does not.
    binh = chat()
    assert service.identity.verify(*BINH, binh).status == "verified"
    assert service.find(binh, BINH[0], ticket) is None


def test_cancel_an_open_request_once(service, clock):
    conversation = chat()
    ticket = service.file(conversation, "rest", "new_connection", NEW_CONNECTION, None, "d").request.ticket
    clock.now += timedelta(minutes=5)
    cancelled = service.cancel(conversation, None, ticket)
    assert cancelled.status == "cancelled" and [s for s, _, _ in cancelled.timeline] == ["received", "cancelled"]
    again = service.cancel(conversation, None, ticket)
    assert again.status == "cancelled" and len(again.timeline) == 2
    # The same draft may be filed again after a cancellation.
    assert not service.file(conversation, "rest", "new_connection", NEW_CONNECTION, None, "d").duplicate


def test_an_outage_explained_by_the_schedule_files_nothing(service, clock):
    clock.now = datetime(2026, 11, 28, 3, 0)  # 10:00 in Vietnam, inside the planned outage
    owner = chat()
    assert service.identity.verify(*AN, owner).status == "verified"
    outcome = service.report_outage(owner, "rest", AN[0], "từ 8 giờ", verified_code=AN[0])
    assert outcome.planned == PLANNED and outcome.request is None and outcome.hotline == "1900 545454"
    by_address = service.report_outage(chat(), "rest", "12 Hai Bà Trưng, phường Bến Nghé, Quận 1, TP.HCM", "8 giờ")
    assert by_address.planned == PLANNED


def test_a_stranger_learns_nothing_from_a_customer_code_in_an_outage_report(service, clock):
    clock.now = datetime(2026, 11, 28, 3, 0)  # inside the planned outage of the real customer's ward
    known = service.report_outage(chat(), "rest", AN[0], "từ 8 giờ")
    unknown = service.report_outage(chat(), "rest", "PE01999999999", "từ 8 giờ")
    for outcome in (known, unknown):
        assert outcome.planned is None and outcome.request is not None and outcome.hotline == "1900 545454"
        assert outcome.request.priority == "high" and not outcome.merged
    # Not filed in the customer's name: it does not show among their requests.
    owner = chat()
    assert service.identity.verify(*AN, owner).status == "verified"
    assert all(r.kind != "outage" for r in service.mine(owner, AN[0]))


def test_one_source_cannot_flood_outage_reports_filings_or_handoffs(service, sessions, clock):
    conversation = chat()
    for place in range(3):
        service.report_outage(conversation, "rest", f"{place + 1} Nguyễn Huệ, Quận 1, TP.HCM", "vừa mất")
    with pytest.raises(RateLimited) as limited:
        service.report_outage(conversation, "rest", "9 Nguyễn Huệ, Quận 1, TP.HCM", "vừa mất")
    assert limited.value.until > clock.now
    assert service.report_outage(chat(), "rest", "9 Nguyễn Huệ, Quận 1, TP.HCM", "vừa mất").request  # another chat
    address = "d" * 32
    for number in range(10):
        service.report_outage(chat(), "rest", f"{number + 20} Lê Lợi, Quận 1, TP.HCM", "vừa mất", address_key=address)
    with pytest.raises(RateLimited):  # new chats from one address
        service.report_outage(chat(), "rest", "99 Lê Lợi, Quận 1, TP.HCM", "vừa mất", address_key=address)
    clock.now += timedelta(hours=1, seconds=1)
    assert service.report_outage(conversation, "rest", "9 Pasteur, Quận 1, TP.HCM", "vừa mất").request

    filer = chat()
    for draft in range(5):
        service.file(filer, "rest", "new_connection", NEW_CONNECTION, None, f"draft-{draft}")
    assert service.file(filer, "rest", "new_connection", NEW_CONNECTION, None, "draft-1").duplicate  # not counted
    with pytest.raises(RateLimited):
        service.file(filer, "rest", "new_connection", NEW_CONNECTION, None, "draft-9")

    handoffs = HandoffService(Factory(sessions), clock=clock)
    opened, refused = 0, 0
    for _ in range(20):  # twenty anonymous handoffs in a second from one address
        try:
            handoffs.request(chat(), "socketio", "asked", [], address_key="e" * 32)
            opened += 1
        except RateLimited:
            refused += 1
    assert (opened, refused) == (10, 10)


def test_reports_of_one_place_join_its_open_incident_until_twelve_hours_old(service, clock):
    address = "45 Hàng Bài, Phường Tràng Tiền, Quận Hoàn Kiếm, Hà Nội"
    first = service.report_outage(chat(), "rest", address, "từ sáng")
    assert first.request.ticket == "MD-20261127-0001" and first.request.priority == "high"
    assert first.hotline == "1900 1288" and not first.merged
    clock.now += timedelta(minutes=40)
    second = service.report_outage(chat(), "facebook", address.lower(), "10 phút trước")
    assert second.merged and second.request.ticket == first.request.ticket and len(second.request.timeline) == 2
    clock.now += timedelta(hours=3)
    third = service.report_outage(chat(), "rest", address, "vừa mất")
    assert third.merged and third.request.ticket == first.request.ticket, "an open incident takes its place's reports"
    clock.now += timedelta(hours=9)
    fourth = service.report_outage(chat(), "rest", address, "vừa mất")
    assert not fourth.merged and fourth.request.ticket == "MD-20261128-0001"  # 05:40 the next morning


def test_handoff_records_the_last_turns_masked_once_per_conversation(sessions):
    handoffs = HandoffService(Factory(sessions))
    turns = [{"from": "customer", "text": f"tin {i}"} for i in range(12)] + [
        {"from": "customer", "text": "sdt em 0901 234 567"}]
    first = handoffs.request("c1", "rest", "asked", turns)
    assert len(first.transcript) == 10 and first.transcript[-1]["text"] == "sdt em 090****567"
    assert handoffs.request("c1", "rest", "asked", turns).already_waiting
    assert [h.conversation_id for h in handoffs.open_handoffs()] == ["c1"]


def test_a_phone_given_after_a_report_is_kept_on_that_ticket_for_its_reporter_only(service, sessions, clock):
    from evn.adapters import orm

    reporter = chat()
    filed = service.report_outage(reporter, "rest", "30 Ung Văn Khiêm, phường 25, Bình Thạnh, TP.HCM", "")
    ticket = filed.request.ticket
    assert service.add_contact(chat(), None, ticket, "0908123123") is None  # another chat cannot add to it
    assert service.add_contact(reporter, None, ticket, "0908123123").ticket == ticket
    with sessions() as session:
        stored = session.query(orm.ServiceRequest).filter_by(ticket=ticket).one()
        assert stored.details["contact_phone"] == "0908123123"
