"""Notices against real databases (SQLite and PostgreSQL): generated once per event and user, delivered by the rules.

The platforms' routes are recorded here (the senders are this project's ports); the senders
themselves are checked against the Zalo and Graph fakes in test_notice_senders.py and end to end.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from evn.adapters import orm
from evn.adapters.db import make_engine
from evn.adapters.unit_of_work import Factory
from evn.demo.billing_run import issue_period
from evn.domain.notices import NoticeKind, NoticeStatus, QuietHours, Route
from evn.domain.outage_schedule import PlannedOutage
from evn.domain.periods import Period
from evn.domain.statuses import RequestStatus
from evn.services.notices import (
    NoticeDelivery,
    NoticePreferences,
    NoticeScanner,
    WidgetPresence,
)
from tests.support.notices import Routes, link

AN = "PE01000000001"  # 12 Lê Lợi, Phường Bến Nghé, Quận 1, TP.HCM
BINH = "PD01000000002"
NOVEMBER = Period(2026, 11)


@pytest.fixture
def world(fresh_sessions, clock):
    clock.now = datetime(2026, 12, 1, 3, 0)  # 10:00 on 01/12/2026 in Vietnam: the November bills come out
    uow = Factory(fresh_sessions)
    routes = Routes()
    last_messages: dict[str, datetime] = {}
    paused: set[str] = set()  # conversations a person holds
    delivery = NoticeDelivery(
        uow, {route: routes.sender(route) for route in Route},
        lambda conversation: (last_messages.get(conversation), conversation in paused),
        lambda conversation, channel, bill_id: f"https://pay.example/{bill_id}",
        quiet=QuietHours.parse("21:00-07:00"), zns_templates={"bill_issued": "401", "request_status": "402"},
        messenger_templates={"bill_issued": "evn_bill_issued"}, clock=clock,
    )
    delivery.paused = paused
    return uow, NoticeScanner(uow, clock=clock), delivery, routes, last_messages


def bill_run(uow) -> None:
    with uow() as session:
        engine = session.session.get_bind()
    issue_period(make_engine(str(engine.url.render_as_string(hide_password=False))), NOVEMBER)


def notices(uow, code: str = AN) -> list[SimpleNamespace]:
    with uow() as session:
        return [SimpleNamespace(**{c.name: getattr(row, c.name) for c in orm.Notice.__table__.columns})
                for row in session.notices.of_customer(code)]


def test_a_billing_run_notifies_each_linked_user_once_and_no_one_else(world, clock):
    uow, scanner, _delivery, _routes, _last = world
    assert scanner.scan_new_bills() == 0, "the first scan starts at the newest bill: no history announced"
    zalo, family = link(uow, "zalo", AN, clock()), link(uow, "facebook", AN, clock())
    link(uow, "zalo", BINH, clock())
    with uow() as session:
        before_run = session.notices.cursor("bills")
    bill_run(uow)
    assert scanner.scan_new_bills() == 3
    assert scanner.scan_new_bills() == 0
    rows = notices(uow)
    assert sorted((n.kind, n.conversation_id) for n in rows) == sorted(
        [("bill_issued", zalo), ("bill_issued", family)])
    assert all(n.status == NoticeStatus.PENDING.value for n in rows)
    # The unique key: a second scanner from an old cursor writes nothing twice.
    with uow() as session:
        session.notices.move_cursor("bills", before_run, clock())
        session.commit()
    assert scanner.scan_new_bills() == 0


def test_zalo_within_48_hours_is_a_chat_message_and_later_a_zns_template(world, clock):
    uow, scanner, delivery, routes, last = world
    scanner.scan_new_bills()
    recent, idle = link(uow, "zalo", AN, clock()), link(uow, "zalo", AN, clock())
    last[recent] = clock() - timedelta(hours=47)
    last[idle] = clock() - timedelta(hours=49)
    bill_run(uow)
    scanner.scan_new_bills()
    assert delivery.run_once().sent == 2
    (chat_notice, chat, _), = routes.of(Route.CHAT)
    (zns_notice, zns, template), = routes.of(Route.ZNS)
    assert (chat_notice.conversation_id, zns_notice.conversation_id, template) == (recent, idle, "401")
    assert chat.facts["period"] == "11/2026" and chat.facts["due_date"] == "15/12/2026"
    assert chat.facts["amount"].endswith(" đ") and chat.facts["payment_url"].startswith("https://pay.example/")
    assert zns.phone == "0901234567" and "payment_url" not in zns.facts
    sent = {n.conversation_id: n for n in notices(uow)}
    assert (sent[recent].status, sent[recent].route, sent[idle].route) == ("sent", "chat", "zns")
    assert sent[idle].result == "zns-2" and sent[idle].sent_at == clock()
    assert delivery.run_once().sent == 0, "nothing twice"


def test_messenger_outside_24_hours_uses_a_utility_template_or_is_recorded_undeliverable(world, clock):
    uow, scanner, delivery, routes, last = world
    scanner.scan_new_bills()
    messenger = link(uow, "facebook", AN, clock())
    last[messenger] = clock() - timedelta(hours=30)
    bill_run(uow)
    scanner.scan_new_bills()
    delivery.run_once()
    ((notice, _content, template),) = routes.of(Route.UTILITY)
    assert (notice.conversation_id, template) == (messenger, "evn_bill_issued")
    # A kind without a utility template is not sent with some tag instead: it is recorded as undeliverable.
    with uow() as session:
        request = session.requests.add("Đã tiếp nhận", ticket="YC-TEST-0001", kind="service",
                                       service_type="change_info", customer_code=AN,
                                       details={}, channel="rest", conversation_id="rest-x", created_at=clock())
        session.commit()
        del request
    core_requests(uow, clock).change_status("YC-TEST-0001", RequestStatus.IN_PROGRESS, "Đang khảo sát")
    assert delivery.run_once().undeliverable == 1
    row = next(n for n in notices(uow) if n.kind == "request_status")
    assert (row.status, row.route) == ("undeliverable", None) and "utility template" in row.result
    assert not routes.of(Route.CHAT)


def core_requests(uow, clock):
    from evn.services.identity import IdentityService
    from evn.services.requests import RequestService
    return RequestService(uow, IdentityService(uow, clock=clock), clock=clock)


def test_a_status_change_tells_the_filing_conversation_and_the_linked_users_in_its_transaction(world, clock):
    uow, _scanner, delivery, routes, last = world
    filer = f"web-{uuid.uuid4().hex[:16]}"
    linked = link(uow, "zalo", AN, clock())
    last[linked] = clock()
    with uow() as session:
        session.requests.add("Đã tiếp nhận", ticket="YC-TEST-0002", kind="service", service_type="change_info",
                             customer_code=AN, details={}, channel="socketio",
                             conversation_id=filer, created_at=clock())
        session.commit()
    WidgetPresence(uow, clock=clock).opened(filer)  # the filer's widget is open
    view = core_requests(uow, clock).change_status("yc-test-0002", RequestStatus.DONE, "Đã cập nhật")
    assert view is not None and view.status is RequestStatus.DONE
    rows = [n for n in notices(uow) if n.kind == "request_status"]
    assert sorted(n.conversation_id for n in rows) == sorted([filer, linked])
    assert core_requests(uow, clock).change_status("YC-TEST-0002", RequestStatus.DONE) is not None
    assert len([n for n in notices(uow) if n.kind == "request_status"]) == 2, "no change, no notice"
    delivery.run_once()
    facts = {n.conversation_id: c.facts for n, c, _ in routes.of(Route.CHAT)}
    assert facts[filer] == facts[linked] == {"customer_code": AN, "ticket": "YC-TEST-0002",
                                             "request_status": "done", "request_note": "Đã cập nhật"}


def test_stopping_a_kind_or_all_and_receiving_again(world, clock):
    uow, scanner, delivery, routes, last = world
    preferences = NoticePreferences(uow, clock=clock)
    scanner.scan_new_bills()
    chat = link(uow, "socketio", AN, clock())
    user = chat.split("-", 1)[1]
    preferences.stop("socketio", user)
    assert preferences.stopped("socketio", user) == {"all"}
    preferences.resume("socketio", user, [NoticeKind.BILL_ISSUED])
    assert "bill_issued" not in preferences.stopped("socketio", user)
    assert "outage_planned" in preferences.stopped("socketio", user), "the other kinds stay stopped"
    preferences.stop("socketio", user, [NoticeKind.BILL_ISSUED])
    bill_run(uow)
    scanner.scan_new_bills()
    assert delivery.run_once().skipped == 1
    (row,) = notices(uow)
    assert row.status == NoticeStatus.OPTED_OUT.value and not routes.calls
    preferences.resume("socketio", user)
    assert preferences.stopped("socketio", user) == set()


def test_quiet_hours_hold_a_bill_until_seven_but_not_an_outage_warning(world, clock):
    uow, _scanner, delivery, routes, _last = world
    clock.now = datetime(2026, 12, 1, 15, 30)  # 22:30 in Vietnam
    outage = PlannedOutage("HCM-TEST-1", "EVNHCMC", "TP.HCM", "Quận 1", ("phường Bến Nghé",), "Trạm Lê Lợi",
                           datetime(2026, 12, 2, 8, 0), datetime(2026, 12, 2, 12, 0), "Bảo trì lưới điện")
    delivery.schedule = [outage]
    chat = link(uow, "socketio", AN, clock())
    link(uow, "socketio", BINH, clock())  # Hà Nội: not in the area
    scanner = NoticeScanner(uow, [outage], clock=clock)
    scanner.scan_new_bills()
    bill_run(uow)
    assert scanner.scan_new_bills() == 2 and scanner.scan_outages() == 1
    report = delivery.run_once()
    assert (report.sent, report.held) == (1, 2)
    ((notice, content, _),) = routes.of(Route.CHAT)
    assert (notice.kind, notice.conversation_id) == (NoticeKind.OUTAGE_PLANNED, chat)
    assert content.facts["outage_start"] == "08:00 02/12/2026" and "Bến Nghé" in content.facts["outage_area"]
    held = {n.customer_code: n for n in notices(uow) if n.kind == "bill_issued"}
    assert held[AN].next_attempt_at == datetime(2026, 12, 2, 0, 0)  # 07:00 in Vietnam
    clock.now = datetime(2026, 12, 2, 0, 1)
    assert delivery.run_once().sent == 2
    assert scanner.scan_outages() == 0, "a second scan warns nobody twice"


def test_a_reminder_before_the_due_date_and_once_overdue_unless_paid_meanwhile(world, clock):
    uow, scanner, delivery, routes, _last = world
    scanner.scan_new_bills()
    chat = link(uow, "socketio", AN, clock())
    bill_run(uow)
    clock.now = datetime(2026, 12, 12, 3, 0)  # 3 days before 15/12
    assert scanner.scan_reminders() == 1
    assert scanner.scan_reminders() == 0
    clock.now = datetime(2026, 12, 16, 3, 0)
    assert scanner.scan_reminders() == 1
    kinds = sorted(n.kind for n in notices(uow))
    assert kinds == ["bill_due", "bill_overdue"]
    with uow() as session:
        session.session.execute(update(orm.Bill).where(orm.Bill.period == NOVEMBER.key).values(status="paid"))
        session.commit()
    assert delivery.run_once().skipped == 2
    assert {n.status for n in notices(uow)} == {NoticeStatus.SUPERSEDED.value} and not routes.calls
    del chat


def test_a_failed_delivery_is_retried_with_backoff_and_never_doubled_by_a_restart(world, clock):
    uow, scanner, delivery, routes, _last = world
    scanner.scan_new_bills()
    link(uow, "socketio", AN, clock())
    bill_run(uow)
    scanner.scan_new_bills()
    routes.failures = 1
    assert delivery.run_once().failed == 1
    (row,) = notices(uow)
    assert row.status == "pending" and row.attempts == 1 and "unavailable" in row.result
    assert row.next_attempt_at == clock() + timedelta(seconds=2)
    assert delivery.run_once().sent == 0, "not before its backoff"
    clock.advance(seconds=3)
    restarted = NoticeDelivery(uow, delivery.senders, lambda _c: (None, False), delivery.payment_link, clock=clock)
    assert restarted.run_once().sent == 1
    assert restarted.run_once().sent == 0 and delivery.run_once().sent == 0
    assert len(routes.calls) == 1
    with uow() as session:
        statuses = session.session.execute(select(orm.Notice.status)).scalars().all()
    assert statuses == ["sent"]


def test_a_notice_for_a_closed_widget_waits_and_goes_when_the_customer_opens_it(world, clock):
    uow, scanner, delivery, routes, _last = world
    presence = WidgetPresence(uow, clock=clock)
    scanner.scan_new_bills()
    chat = link(uow, "socketio", AN, clock(), widget_open=False)
    bill_run(uow)
    scanner.scan_new_bills()
    assert delivery.run_once().held == 1
    (row,) = notices(uow)
    assert (row.status, row.attempts) == ("waiting", 0) and not routes.calls
    assert delivery.run_once().held == 0, "waiting is not retried in a loop"
    assert presence.opened(chat) == 1
    assert delivery.run_once().sent == 1 and routes.of(Route.CHAT)[0][0].conversation_id == chat
    presence.opened(chat)  # a second tab
    presence.closed(chat)
    with uow() as session:
        assert session.widget_presence.is_open(chat, clock() - timedelta(hours=1)), "one tab still open"
    presence.closed(chat)
    presence.closed(chat)  # a socket never counted below zero
    with uow() as session:
        assert not session.widget_presence.is_open(chat, clock() - timedelta(hours=1))
        assert not session.widget_presence.is_open(f"web-{uuid.uuid4().hex}", clock() - timedelta(hours=1))


def test_an_unlinked_user_a_held_conversation_and_one_zns_per_phone(world, clock):
    uow, scanner, delivery, routes, last = world
    scanner.scan_new_bills()
    gone, held = link(uow, "socketio", AN, clock()), link(uow, "socketio", AN, clock())
    first_zalo, second_zalo = link(uow, "zalo", AN, clock()), link(uow, "zalo", AN, clock())
    delivery.paused.add(held)  # an agent holds this conversation
    bill_run(uow)
    scanner.scan_new_bills()
    with uow() as session:
        (row,) = session.links.active(gone, clock())
        session.links.unlink(row, clock())
        session.commit()
    report = delivery.run_once()
    by_conversation = {n.conversation_id: n for n in notices(uow)}
    assert by_conversation[gone].status == "superseded" and by_conversation[gone].result == "unlinked since"
    assert by_conversation[held].status == "pending" and by_conversation[held].attempts == 0
    assert by_conversation[held].next_attempt_at == clock() + timedelta(minutes=5)
    zns = sorted(by_conversation[c].status for c in (first_zalo, second_zalo))
    assert zns == ["sent", "superseded"], "the registered phone gets one ZNS, not one per linked Zalo user"
    assert len(routes.of(Route.ZNS)) == 1 and report.sent == 1
    delivery.paused.discard(held)
    clock.advance(minutes=6)
    assert delivery.run_once().sent == 1


def test_one_bad_row_does_not_stop_the_queue(world, clock):
    uow, scanner, delivery, routes, _last = world
    scanner.scan_new_bills()
    chat = link(uow, "socketio", AN, clock())
    bill_run(uow)
    scanner.scan_new_bills()
    with uow() as session:
        session.session.execute(update(orm.Notice).values(subject="not-a-bill-id"))
        session.session.add(orm.Notice(kind="bill_issued", subject="zz", channel="socketio", channel_user="x",
                                       conversation_id=chat, customer_code=AN, status="pending", attempts=0,
                                       created_at=clock(), next_attempt_at=clock() - timedelta(seconds=1)))
        session.commit()
    report = delivery.run_once()
    assert report.failed == 2 and not routes.calls
    assert all(n.status == "pending" and "ValueError" in n.result and n.attempts == 1 for n in notices(uow))
    for _ in range(delivery.max_attempts):  # counted every time: given up at last, not retried forever
        clock.advance(hours=1)
        delivery.run_once()
    assert {n.status for n in notices(uow)} == {"failed"}


def test_a_waiting_notice_is_released_by_the_sweep_when_the_widget_opened_meanwhile(world, clock):
    uow, scanner, delivery, _routes, _last = world
    scanner.scan_new_bills()
    chat = link(uow, "socketio", AN, clock(), widget_open=False)
    bill_run(uow)
    scanner.scan_new_bills()
    delivery.run_once()
    with uow() as session:  # the widget opened between the dispatcher's look and its "waiting"
        session.widget_presence.opened(chat, clock())
        session.commit()
    assert notices(uow)[0].status == "waiting"
    assert scanner.release_open_widgets() == 1 and delivery.run_once().sent == 1
