"""Incidents against real databases (SQLite and PostgreSQL): reports joined, steps told once to each reporter and
to the area's linked customers, the night's restoration not held, a customer still dark after it filed anew."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import datetime, timedelta

import pytest

from evn.adapters.unit_of_work import Factory
from evn.bootstrap import bootstrap
from evn.domain.formats import format_datetime
from evn.domain.incidents import Cause, IncidentError
from evn.domain.notices import NoticeKind, NoticeStatus, QuietHours, Route
from evn.domain.time import to_vietnam
from evn.services.clock import utcnow
from evn.services.identity import IdentityService
from evn.services.incidents import IncidentService
from evn.services.notices import NoticeDelivery, NoticePreferences
from evn.services.requests import RequestService
from evn.settings import Settings
from tests.support.notices import Routes, link
from tests.support.seeded_database import demo_sqlite

AN = "PE01000000001"  # 12 Lê Lợi, Phường Bến Nghé, Quận 1, TP.HCM
BINH = "PD01000000002"  # Hà Nội
PLACE = "30 Lê Lợi, phường Bến Nghé, quận 1, TP.HCM"


@pytest.fixture
def world(fresh_sessions, clock):
    clock.now = datetime(2026, 12, 1, 3, 0)  # 10:00 in Vietnam
    uow = Factory(fresh_sessions)
    routes = Routes()
    delivery = NoticeDelivery(
        uow, {route: routes.sender(route) for route in Route}, lambda conversation: (clock(), False),
        lambda *_: None, quiet=QuietHours.parse("21:00-07:00"), zns_templates={"outage_restored": "501"},
        clock=clock)
    requests = RequestService(uow, IdentityService(uow, clock=clock), holidays=set(), schedule=[], clock=clock)
    return uow, requests, IncidentService(uow, clock=clock), delivery, routes


def reporter(channel: str = "facebook") -> str:
    return f"{channel}-{uuid.uuid4().int % 10**15}"


def told(routes: Routes) -> list[tuple[str, str, dict]]:
    return [(notice.conversation_id, notice.kind.value, content.facts) for notice, content, _ in routes.of(Route.CHAT)]


def test_two_reports_two_estimates_and_the_restoration_each_told_once(world, clock):
    uow, requests, incidents, delivery, routes = world
    first, second = reporter("facebook"), reporter("zalo")
    neighbour = link(uow, "zalo", AN, clock())  # lives in phường Bến Nghé, quận 1
    link(uow, "socketio", BINH, clock())  # Hà Nội: not told
    opened = requests.report_outage(first, "facebook", PLACE, "từ 9h")
    assert not opened.merged and opened.incident is not None and opened.incident.label == "phường Bến Nghé, quận 1"
    clock.advance(minutes=10)
    joined = requests.report_outage(second, "zalo", "55 le loi p ben nghe q1 tphcm", "")  # typed another way
    assert joined.merged and joined.request.ticket == opened.request.ticket
    ticket = opened.request.ticket
    estimate = clock() + timedelta(hours=3)
    incidents.set_estimate(ticket, "agent:lan", Cause.TREE, estimate)
    assert incidents.set_estimate(ticket.lower(), "agent:lan", Cause.TREE, estimate).cause is Cause.TREE
    assert delivery.run_once().sent == 3, "an unchanged estimate tells nobody again"
    clock.advance(minutes=30)
    incidents.set_estimate(ticket, "back_office", estimated_at=estimate + timedelta(hours=1))
    delivery.run_once()
    clock.advance(hours=2)
    restored = incidents.restore(ticket, "agent:lan")
    assert restored.restored_at == clock()
    delivery.run_once()
    heard = told(routes)
    for conversation in (first, second, neighbour):
        steps = [(kind, facts.get("estimated_at"), facts.get("restored_at")) for to, kind, facts in heard
                 if to == conversation]
        assert steps == [("outage_update", "13:10 01/12/2026", None), ("outage_update", "14:10 01/12/2026", None),
                         ("outage_restored", "14:10 01/12/2026", "12:40 01/12/2026")], conversation
    assert len(heard) == 9 and all(facts["ticket"] == ticket and facts["outage_area"] == "phường Bến Nghé, quận 1"
                                   for _, _, facts in heard)
    assert heard[0][2]["incident_cause"] == "tree"
    assert requests.find(first, None, ticket).status.value == "done"
    with pytest.raises(IncidentError):
        incidents.set_estimate(ticket, "agent:lan", Cause.GRID_FAULT)


def test_an_estimate_overtaken_before_it_went_is_not_sent(world, clock):
    uow, requests, incidents, delivery, routes = world
    chat = reporter()
    ticket = requests.report_outage(chat, "facebook", PLACE, "").request.ticket
    incidents.set_estimate(ticket, "agent", Cause.GRID_FAULT, clock() + timedelta(hours=2))
    incidents.set_estimate(ticket, "agent", Cause.GRID_FAULT, clock() + timedelta(hours=4))
    report = delivery.run_once()
    assert (report.sent, report.skipped) == (1, 1)
    assert [facts["estimated_at"] for _, _, facts in told(routes)] == ["14:00 01/12/2026"]


def test_a_restoration_at_night_is_not_held_unless_the_customer_stopped_outage_notices(world, clock):
    uow, requests, incidents, delivery, routes = world
    clock.now = datetime(2026, 12, 1, 16, 0)  # 23:00 in Vietnam
    awake, stopped = reporter("zalo"), reporter("zalo")
    ticket = requests.report_outage(awake, "zalo", PLACE, "").request.ticket
    requests.report_outage(stopped, "zalo", PLACE, "")
    NoticePreferences(uow, clock=clock).stop("zalo", stopped.split("-", 1)[1],
                                              [NoticeKind.OUTAGE_UPDATE, NoticeKind.OUTAGE_RESTORED])
    incidents.set_estimate(ticket, "agent", Cause.WEATHER, clock() + timedelta(hours=2))
    report = delivery.run_once()
    assert (report.sent, report.held, report.skipped) == (0, 1, 1), "an estimate waits for the morning"
    clock.advance(minutes=50)
    incidents.restore(ticket, "agent")
    report = delivery.run_once()
    assert (report.sent, report.skipped) == (1, 1)  # the stopped user is not told
    assert told(routes) == [(awake, "outage_restored", told(routes)[0][2])]
    clock.now = datetime(2026, 12, 2, 0, 1)  # 07:01: the estimate held overnight was overtaken
    report = delivery.run_once()
    assert (report.sent, report.skipped) == (0, 1)


def test_a_customer_still_dark_after_the_restoration_gets_a_new_ticket_at_the_top_priority(world, clock):
    uow, requests, incidents, delivery, routes = world
    ticket = requests.report_outage(reporter(), "facebook", PLACE, "").request.ticket
    incidents.restore(ticket, "agent")
    clock.advance(minutes=20)
    dark = requests.report_outage(reporter(), "facebook", "80 Lê Lợi, phường Bến Nghé, quận 1, TP.HCM", "vẫn mất")
    assert not dark.merged and dark.request.ticket != ticket and dark.request.priority == "urgent"
    assert dark.request.details["follows"] == ticket and dark.incident.follows == ticket
    assert [i.ticket for i in incidents.open_incidents()] == [dark.request.ticket]
    clock.advance(hours=5)
    later = requests.report_outage(reporter(), "facebook", "90 Lê Lợi, phường Bến Nghé, quận 1, TP.HCM", "")
    assert later.merged and later.request.ticket == dark.request.ticket, "the still-dark incident is open"


def test_reporters_without_a_code_and_linked_users_of_another_ward_and_a_bad_estimate(world, clock):
    uow, requests, incidents, delivery, routes = world
    rest = f"rest-{uuid.uuid4().hex}"  # the REST channel takes no notices
    ticket = requests.report_outage(rest, "rest", PLACE, "").request.ticket
    link(uow, "facebook", BINH, clock())
    incidents.set_estimate(ticket, "agent", Cause.OVERLOAD, clock() + timedelta(hours=1))
    assert delivery.run_once().sent == 0
    with pytest.raises(IncidentError):
        incidents.set_estimate(ticket, "agent", estimated_at=clock() - timedelta(minutes=5))
    with pytest.raises(IncidentError):
        incidents.set_estimate(ticket, "agent", estimated_at=clock() + timedelta(days=8))
    with pytest.raises(LookupError):
        incidents.restore("MD-20991231-0001", "agent")


def test_a_zalo_reporter_outside_48_hours_without_a_code_is_recorded_undeliverable(world, clock):
    uow, requests, incidents, delivery, routes = world
    delivery.conversation_state = lambda conversation: (clock() - timedelta(days=3), False)
    chat = reporter("zalo")
    ticket = requests.report_outage(chat, "zalo", PLACE, "").request.ticket
    incidents.restore(ticket, "agent")
    assert delivery.run_once().undeliverable == 1
    with uow() as session:
        (row,) = [n for n in session.notices.of_customer("") if n.conversation_id == chat]
        assert row.status == NoticeStatus.UNDELIVERABLE.value and "registered phone" in row.result


def test_what_is_known_when_a_customer_asks_whether_the_power_is_back(world, clock):
    uow, requests, incidents, delivery, routes = world
    asker = reporter("zalo")
    assert incidents.restoration(asker, "zalo", None) is None, "no place known"
    coded = incidents.restoration(asker, "zalo", "nhà mã PE01000000001 ở đường Lê Lợi")
    assert coded.incident is None and "PE01000000001" not in coded.place
    nothing = incidents.restoration(asker, "zalo", "7 Hai Bà Trưng, phường Bến Nghé, quận 1, TP.HCM")
    assert nothing.incident is None and nothing.planned is None and nothing.place == "phường Bến Nghé, quận 1"
    first = reporter()
    ticket = requests.report_outage(first, "facebook", PLACE, "").request.ticket
    mine = incidents.restoration(first, "facebook", "có điện lại chưa em")
    assert mine.incident.ticket == ticket and mine.incident.estimated_at is None
    assert mine.incident.estimate_expected_by == clock() + timedelta(hours=1)
    asked = incidents.restoration(asker, "zalo", "7 Hai Bà Trưng, phường Bến Nghé, quận 1, TP.HCM")
    assert asked.incident.ticket == ticket
    incidents.set_estimate(ticket, "agent", Cause.TRANSFORMER, clock() + timedelta(hours=2))
    delivery.run_once()
    assert asker in [to for to, _, _ in told(routes)], "who asked about an open incident hears its next steps"
    by_address = incidents.restoration(reporter(), "facebook", None, customer_code=AN)
    assert by_address.incident.estimated_at == clock() + timedelta(hours=2)


def test_the_back_office_command_gives_an_estimate_and_marks_the_power_back(tmp_path):
    url = demo_sqlite(tmp_path / "office.sqlite3")
    core = bootstrap(Settings.from_env({"DATABASE_URL": url}, root=tmp_path))
    chat = reporter("zalo")
    ticket = core.requests.report_outage(chat, "zalo", PLACE, "").request.ticket

    def office(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "evn.entrypoints.back_office", *args], capture_output=True,
                              text=True, timeout=60, env={**os.environ, "DATABASE_URL": url})

    at = format_datetime(to_vietnam(utcnow() + timedelta(hours=2)))  # "hh:mm dd/mm/yyyy", as the assistant writes
    given = office("estimate", ticket.lower(), "--cause", "tree", "--at", at)
    assert given.returncode == 0 and ticket in given.stdout and "tree" in given.stdout, given.stderr
    assert office("estimate", ticket, "--at", "31/02/2026 10:00").returncode == 2
    assert office("estimate", ticket, "--at", "01/01/2020 10:00").returncode == 1
    assert office("restored", "MD-20991231-0001").returncode == 1
    assert office("restored", ticket).returncode == 0
    assert office("restored", ticket).returncode == 1, "restored once"
    with core.uow() as uow:
        rows = [(n.kind, n.conversation_id) for n in uow.notices.of_customer("")]
    assert rows == [("outage_update", chat), ("outage_restored", chat)]


def test_a_reporter_joined_to_another_s_incident_follows_its_ticket_and_leaves_their_own_phone(world, clock):
    uow, requests, incidents, delivery, routes = world
    first, second = reporter("zalo"), reporter("facebook")
    ticket = requests.report_outage(first, "zalo", PLACE, "").request.ticket
    assert requests.report_outage(second, "facebook", "31 Lê Lợi, phường Bến Nghé, quận 1, TP.HCM", "").merged
    assert requests.add_contact(first, None, ticket, "0908123123") is not None
    assert requests.add_contact(second, None, ticket, "0912345678") is not None
    assert [view.ticket for view in requests.mine(second, None)] == [ticket]
    assert requests.find(second, None, ticket).details == {}, "the first reporter's address and phone are theirs"
    assert requests.find(reporter(), None, ticket) is None
    view = requests.find(first, None, ticket)
    assert view.details["contact_phone"] == "0908123123", "the filer's phone is not overwritten"
    assert requests.cancel(second, None, ticket) is None, "a joined reporter cannot cancel the shared ticket"
    with uow() as session:
        incident = session.incidents.of_request(session.requests.by_ticket(ticket).id)
        assert session.incidents.report_of(incident.id, second).contact_phone == "0912345678"


def test_a_joined_reporter_withdraws_only_their_own_report(world, clock):
    uow, requests, incidents, delivery, routes = world
    first, second = reporter("zalo"), reporter("facebook")
    ticket = requests.report_outage(first, "zalo", PLACE, "").request.ticket
    requests.report_outage(second, "facebook", "33 Lê Lợi, phường Bến Nghé, quận 1, TP.HCM", "")
    assert requests.withdraw(first, ticket) is None, "the filer cancels, not withdraws"
    assert requests.withdraw(second, ticket) == ticket
    assert requests.find(second, None, ticket) is None and requests.find(first, None, ticket).status.value == "received"
    incidents.restore(ticket, "agent")
    delivery.run_once()
    assert [to for to, _, _ in told(routes)] == [first], "who withdrew is not told"


def test_the_same_ward_name_in_another_province_is_another_place_and_a_code_is_no_label(world, clock):
    uow, requests, incidents, delivery, routes = world
    hanoi = requests.report_outage(reporter(), "zalo", "5 Phố Huế, Phường Bến Nghé, Quận 1, Hà Nội", "")
    hcm = requests.report_outage(reporter(), "zalo", "30 Lê Lợi, Phường Bến Nghé, Quận 1, TP.HCM", "")
    assert not hcm.merged and hcm.request.ticket != hanoi.request.ticket
    coded = requests.report_outage(reporter(), "zalo", "mat dien ma PE01000000001 ne", "")
    assert "PE01000000001" not in coded.incident.label and "0001" in coded.incident.label
