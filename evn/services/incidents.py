"""Incidents: staff give a cause and an estimate, change them, mark the power back; customers ask and hear.

Each step is written with its notices in one transaction: the incident's reporters (in the conversation
each reported in, with or without a customer code) and the linked customers whose address lies in the
incident's area (evn.domain.incidents.Area) get one notice of it each, by the notices' unique key, however
many times a step is retried. 100.000 customers of one area cost a few statements (NoticeRepository.
for_recipients stages them). The reports themselves come in through RequestService.report_outage.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from evn.domain import incidents, places, rate_limits
from evn.domain.account_links import conversation_recipient
from evn.domain.identity import find_customer_code
from evn.domain.incidents import Area, Cause, IncidentError, UpdateKind
from evn.domain.masking import mask_identifier
from evn.domain.notices import NoticeKind
from evn.domain.outage_schedule import PlannedOutage, covering
from evn.domain.statuses import RequestStatus
from evn.domain.tickets import parse_ticket_number
from evn.domain.time import to_vietnam
from evn.services import limits
from evn.services.clock import utcnow
from evn.services.errors import RateLimited
from evn.services.unit_of_work import Stored, UnitOfWork, UnitOfWorkFactory

NOTE_ESTIMATE = "Cập nhật nguyên nhân, thời gian dự kiến có điện"
NOTE_RESTORED = "Đã khôi phục cấp điện"
ASKED_ABOUT = timedelta(hours=24)  # "có điện lại chưa" looks at incidents open or restored this recently


@dataclass(frozen=True)
class ReportView:
    channel: str
    reported_at: datetime
    customer: str  # the code masked, or "" for a report without one


@dataclass(frozen=True)
class IncidentView:
    ticket: str
    label: str
    priority: str
    cause: Cause | None
    estimated_at: datetime | None  # naive UTC, as every time here
    opened_at: datetime
    restored_at: datetime | None
    follows: str | None  # the ticket of the incident whose restoration did not reach this place
    reports: tuple[ReportView, ...] = ()

    @property
    def estimate_expected_by(self) -> datetime:
        return incidents.estimate_expected_by(self.opened_at)


@dataclass(frozen=True)
class Restoration:
    """What is known about the power at a place: an incident there (open or just restored), a planned outage
    in force, or neither."""

    place: str
    incident: IncidentView | None
    planned: PlannedOutage | None


class IncidentService:
    def __init__(self, uow: UnitOfWorkFactory, schedule: Sequence[PlannedOutage] = (),
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.uow = uow
        self.schedule = list(schedule)
        self.clock = clock

    # --- staff ---------------------------------------------------------------------------------

    def set_estimate(self, ticket: str, by: str, cause: Cause | None = None,
                     estimated_at: datetime | None = None) -> IncidentView:
        """Gives or changes the cause and the estimated restoration (naive UTC); the reporters and the area's
        linked customers hear of it. Nothing new is written when nothing changes."""
        now = self.clock()
        if cause is None and estimated_at is None:
            raise IncidentError("Cần nguyên nhân hoặc thời gian dự kiến.")
        estimate = incidents.checked_estimate(estimated_at, now) if estimated_at is not None else None
        with self.uow() as uow:
            incident, request = _open_incident(uow, ticket)
            cause_value = cause.value if cause is not None else incident.cause
            estimate = estimate if estimate is not None else incident.estimated_at
            if (cause_value, estimate) != (incident.cause, incident.estimated_at):
                incident.cause, incident.estimated_at = cause_value, estimate
                update = uow.incidents.add_update(incident_id=incident.id, kind=UpdateKind.ESTIMATE.value,
                                                  cause=cause_value, estimated_at=estimate, at=now, by=by[:64])
                uow.requests.add_event(request, RequestStatus.IN_PROGRESS, now, NOTE_ESTIMATE)
                uow.requests.set_status(request, RequestStatus.IN_PROGRESS)
                _notify(uow, incident, NoticeKind.OUTAGE_UPDATE, update.id, now)
            view = _view(uow, incident)
            uow.commit()
            return view

    def restore(self, ticket: str, by: str) -> IncidentView:
        """The power is back: the incident and its ticket close, everyone who heard of it hears this."""
        now = self.clock()
        with self.uow() as uow:
            incident, request = _open_incident(uow, ticket)
            incident.restored_at = now
            update = uow.incidents.add_update(incident_id=incident.id, kind=UpdateKind.RESTORED.value,
                                              cause=incident.cause, estimated_at=incident.estimated_at, at=now,
                                              by=by[:64])
            uow.requests.set_status(request, RequestStatus.DONE)
            request.draft_key = None
            uow.requests.add_event(request, RequestStatus.DONE, now, NOTE_RESTORED)
            _notify(uow, incident, NoticeKind.OUTAGE_RESTORED, update.id, now)
            view = _view(uow, incident)
            uow.commit()
            return view

    def open_incidents(self) -> list[IncidentView]:
        """The console's page: every open incident with its reports, oldest first."""
        with self.uow() as uow:
            return [_view(uow, incident, with_reports=True) for incident in uow.incidents.open()]

    def get(self, ticket: str) -> IncidentView | None:
        with self.uow() as uow:
            found = _find(uow, ticket)
            return _view(uow, found[0], with_reports=True) if found else None

    # --- customers -----------------------------------------------------------------------------

    def restoration(self, conversation_id: str, channel: str, place_text: str | None,
                    customer_code: str | None = None, said: str = "") -> Restoration | None:
        """"có điện lại chưa" at a place: the one named, else the one this conversation reported lately, else the
        address of the customer the caller verified (`customer_code`); `said`, the whole message, for its ward when
        the place is cut short. None when no place is known. A customer asking about an open incident is told of its
        next steps too (a report is recorded for the conversation, once, where its channel takes notices)."""
        now = self.clock()
        with self.uow() as uow:
            place = place_text if place_text and places.is_street_address(place_text) else None
            reported = uow.incidents.reported_in(conversation_id, now - ASKED_ABOUT) if place is None else []
            if reported:
                incident = reported[0]
                return Restoration(incident.label, _view(uow, incident), None)
            customer = uow.customers.get_by_code(customer_code) if customer_code and not place else None
            place = place or (customer.address if customer else None)
            if not place:
                return None
            # The ward read from the address found, else from the whole message ("… 88 Trần Văn Đang, phường 11,
            # quận 3 có điện lại chưa": the address is cut short where "Đang" reads as a word).
            area = incidents.area_of(place, self.schedule) or (
                incidents.area_of(said, self.schedule) if said and place == place_text else None)
            company = customer.power_company if customer else places.power_company_of_city(place)
            found = uow.incidents.latest_at(places.place_key(place), area, company, now - ASKED_ABOUT)
            latest = next((i for i in found if i.restored_at is None), found[0] if found else None)
            planned = covering(self.schedule, place, to_vietnam(now).replace(tzinfo=None))
            label = area.label if area else _without_codes(place)
            if latest is None:
                return Restoration(label, None, planned)
            incident = latest
            if incident.restored_at is None and conversation_recipient(conversation_id, customer_code or ""):
                try:  # counted as a report: asking again and again joins nothing more
                    limits.admit(uow, rate_limits.OUTAGE_REPORT, conversation_id, None, now)
                    uow.incidents.add_report(incident, conversation_id, channel, customer_code, now)
                    uow.commit()
                except RateLimited:
                    pass
            return Restoration(incident.label, _view(uow, incident), planned)


# --- in a report's transaction (RequestService.report_outage) ------------------------------------

def join_or_open(uow: UnitOfWork, request_factory: Callable[[str, str | None], Stored], place_text: str,
                 place_key: str, area: Area | None, power_company: str | None, conversation_id: str, channel: str,
                 customer_code: str | None, now: datetime) -> tuple[Stored, IncidentView, bool]:
    """The report joins the open incident of its place or its area (a ward), or opens one: (its request, the
    incident, joined).

    A report where an incident was restored within STILL_DARK_WITHIN (at the place or in its area) is a
    customer the restoration did not reach: a new incident at the top priority, following that one.
    `request_factory(priority, follows_ticket)` files the new ticket."""
    joined = uow.incidents.open_at(place_key, area, power_company, now - incidents.JOIN_WITHIN)
    if joined is not None:
        uow.incidents.add_report(joined, conversation_id, channel, customer_code, now)
        return _request(uow, joined.request_id), _view(uow, joined), True
    recent = uow.incidents.latest_at(place_key, area, power_company, now - incidents.STILL_DARK_WITHIN)
    dark = next((i for i in recent if incidents.still_dark(i.restored_at, now)), None)
    follows = _request(uow, dark.request_id).ticket if dark is not None else None
    request = request_factory("urgent" if dark is not None else "high", follows)
    incident = uow.incidents.add(
        request_id=request.id, place_key=place_key, province=area.province if area else None,
        district=area.district if area else None, ward=area.ward if area else None,
        label=(area.label if area else _without_codes(place_text))[:120], power_company=power_company,
        opened_at=now, follows_id=dark.id if dark is not None else None)
    uow.incidents.add_report(incident, conversation_id, channel, customer_code, now)
    return request, _view(uow, incident), False


# --- helpers ---------------------------------------------------------------------------------------

def _find(uow: UnitOfWork, ticket: str) -> tuple[Stored, Stored] | None:
    number = parse_ticket_number(ticket or "")
    request = uow.requests.by_ticket(number) if number else None
    incident = uow.incidents.of_request(request.id) if request is not None else None
    return (incident, request) if incident is not None else None


def _open_incident(uow: UnitOfWork, ticket: str) -> tuple[Stored, Stored]:
    found = _find(uow, ticket)
    if found is None:
        raise LookupError(ticket)
    if found[0].restored_at is not None:
        raise IncidentError("Sự cố đã được khôi phục, không thay đổi được nữa.")
    return found


def _notify(uow: UnitOfWork, incident: Stored, kind: NoticeKind, update_id: int, now: datetime) -> int:
    """One notice of this step to each reporter (in the conversation they reported in) and to each user linked
    to a customer of the incident's area (or of its very place, when it names no ward)."""
    subject = str(update_id)
    events: list[tuple[str, str, Sequence[tuple[str, str, str]]]] = []
    for report in uow.incidents.reports(incident.id):
        recipient = conversation_recipient(report.conversation_id, report.customer_code or "")
        if recipient is not None:
            events.append((report.customer_code or "", subject,
                           [(recipient.channel, recipient.channel_user, recipient.conversation_id)]))
    # A ward is matched when something says which province or company it is in (district names repeat).
    known = incident.district and incident.ward and (incident.province or incident.power_company)
    area = Area(incident.province, incident.district, incident.ward) if known else None
    for code, address in uow.incidents.linked_addresses(incident.power_company, now):
        lives = area is not None and (found := incidents.area_of(address)) is not None and area.holds(found)
        if lives or (area is None and places.place_key(address) == incident.place_key):
            events.append((code, subject, ()))
    return uow.notices.for_recipients(kind.value, events, now)


def _without_codes(place_text: str) -> str:
    """The place as reported, for its label, with any customer code in it masked (a code is no place's name)."""
    text = " ".join(place_text.split())
    code = find_customer_code(text)
    return text.replace(code, mask_identifier(code)) if code else text


def _view(uow: UnitOfWork, incident: Stored, with_reports: bool = False) -> IncidentView:
    request = _request(uow, incident.request_id)
    follows = uow.incidents.get(incident.follows_id) if incident.follows_id else None
    reports = tuple(ReportView(r.channel, r.reported_at, mask_identifier(r.customer_code) if r.customer_code
                               else "") for r in uow.incidents.reports(incident.id)) if with_reports else ()
    return IncidentView(
        ticket=request.ticket, label=incident.label, priority=request.priority,
        cause=Cause(incident.cause) if incident.cause else None, estimated_at=incident.estimated_at,
        opened_at=incident.opened_at, restored_at=incident.restored_at,
        follows=_request(uow, follows.request_id).ticket if follows is not None else None, reports=reports)


def _request(uow: UnitOfWork, request_id: int) -> Stored:
    request = uow.requests.get(request_id)
    assert request is not None, "an incident's ticket is a foreign key"
    return request
