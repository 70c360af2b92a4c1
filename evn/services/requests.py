"""Service requests and outage reports: filing once, following up, cancelling, merging reports.

A request is in the database, with its ticket number, before the assistant
says so. Only its owner sees or cancels it: the conversation that filed it, or
the verified customer whose code it carries.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from evn.domain import incidents as incident_rules
from evn.domain import outage_schedule, places, rate_limits, tickets, working_days
from evn.domain.account_links import conversation_recipient
from evn.domain.identity import find_customer_code
from evn.domain.notices import NoticeKind
from evn.domain.outage_schedule import PlannedOutage
from evn.domain.service_catalogue import Catalogue, load_catalogue
from evn.domain.statuses import Priority, RequestKind, RequestStatus
from evn.domain.time import to_vietnam, vietnam_date
from evn.services import limits
from evn.services.clock import utcnow
from evn.services.errors import Conflict, NotVerified
from evn.services.identity import IdentityService
from evn.services.incidents import IncidentView, join_or_open
from evn.services.notices import notify_linked
from evn.services.unit_of_work import Stored, UnitOfWork, UnitOfWorkFactory

OUTAGE_TYPE = RequestKind.OUTAGE.value
# The timeline's notes, as operators read them in the back office.
NOTE_RECEIVED = "Đã tiếp nhận"
NOTE_CANCELLED = "Khách hàng hủy qua chat"
NOTE_MERGED = "Thêm một báo cáo mất điện cùng khu vực"


@dataclass(frozen=True)
class RequestView:
    ticket: str
    kind: str
    service_type: str
    status: RequestStatus
    priority: str
    created_at: datetime  # UTC
    due_date: date | None
    timeline: tuple[tuple[RequestStatus, datetime, str], ...]
    details: dict

    @property
    def cancellable(self) -> bool:
        return self.status.is_open


@dataclass(frozen=True)
class Filed:
    request: RequestView
    duplicate: bool  # the same draft was confirmed again: nothing new was filed


@dataclass(frozen=True)
class OutageOutcome:
    planned: PlannedOutage | None
    request: RequestView | None
    merged: bool
    hotline: str | None
    incident: IncidentView | None = None  # what is known of it (cause, estimate), or of the one it follows


class RequestService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        identity: IdentityService,
        catalogue: Catalogue | None = None,
        holidays: AbstractSet[date] | None = None,
        schedule: list[PlannedOutage] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.uow = uow
        self.identity = identity
        self.catalogue = catalogue or load_catalogue()
        self.holidays = holidays if holidays is not None else working_days.load_holidays()
        self.schedule = schedule if schedule is not None else outage_schedule.load_schedule()
        self.clock = clock

    # --- filing ---------------------------------------------------------------------------

    def file(
        self, conversation_id: str, channel: str, service_type: str, fields: dict, customer_code: str | None,
        draft_id: str, address_key: str | None = None,
    ) -> Filed:
        """Files once per draft; RateLimited when this source filed too many lately."""
        kind = self.catalogue.get(service_type)
        if kind is None:
            raise LookupError(service_type)
        # A request carries a customer's code only for that verified customer: a new owner may file a
        # change of holder without the old owner's phone, and it stays theirs, not the code's.
        verified = bool(customer_code) and self.identity.is_verified(conversation_id, customer_code)
        if kind.needs_verified_customer and not verified:
            raise NotVerified(customer_code or "")
        now = self.clock()
        today = vietnam_date(now)
        due = working_days.add_working_days(today, kind.working_days, self.holidays)
        key = _draft_key(conversation_id, draft_id)
        for _ in range(5):  # two filings the same second may want the same sequence number
            try:
                with self.uow() as uow:
                    existing = uow.requests.by_draft(key)
                    if existing is not None:
                        return Filed(_view(existing), duplicate=True)
                    limits.admit(uow, rate_limits.SERVICE_REQUEST, conversation_id, address_key, now)
                    request = _add(
                        uow, "YC", today, now, kind=RequestKind.SERVICE.value, service_type=service_type,
                        details={**fields, **({"photo_url": None} if kind.photo else {})},
                        customer_code=customer_code if verified else None,
                        channel=channel, conversation_id=conversation_id, draft_key=key, due_date=due,
                        priority=Priority.NORMAL.value,
                    )
                    filed = Filed(_view(request), duplicate=False)
                    uow.commit()
                    return filed
            except Conflict:
                with self.uow() as uow:
                    existing = uow.requests.by_draft(key)
                    if existing is not None:
                        return Filed(_view(existing), duplicate=True)
        raise RuntimeError("could not allocate a ticket number")

    # --- following up ---------------------------------------------------------------------

    def find(self, conversation_id: str, verified_code: str | None, ticket_text: str) -> RequestView | None:
        """The request if this conversation may see it; None otherwise (whether or not it exists). A report joined
        to another's incident sees its ticket's status, not the first reporter's details."""
        code = self._verified(conversation_id, verified_code)
        with self.uow() as uow:
            found = _owned(uow, ticket_text, conversation_id, code)
            return _view(*found) if found else None

    def mine(self, conversation_id: str, verified_code: str | None, limit: int = 10) -> list[RequestView]:
        code = self._verified(conversation_id, verified_code)
        with self.uow() as uow:
            return [_view(row, _role(row, conversation_id, code)) for row in uow.requests.owned(conversation_id, code,
                                                                                                 limit)]

    def cancel(self, conversation_id: str, verified_code: str | None, ticket_text: str) -> RequestView | None:
        """Cancels an open request of its filer or verified owner; returns it (cancelled or not cancellable), or
        None. A report joined to another's incident cannot cancel the shared ticket (withdraw takes it back)."""
        code = self._verified(conversation_id, verified_code)
        now = self.clock()
        with self.uow() as uow:
            found = _owned(uow, ticket_text, conversation_id, code)
            if found is None or found[1] is Role.JOINED:
                return None
            request = found[0]
            if RequestStatus(request.status).is_open:
                uow.requests.set_status(request, RequestStatus.CANCELLED)
                request.draft_key = None  # the same request may be filed again later
                uow.requests.add_event(request, RequestStatus.CANCELLED, now, NOTE_CANCELLED)
            view = _view(request, found[1])
            uow.commit()
            return view

    def withdraw(self, conversation_id: str, ticket_text: str) -> str | None:
        """A report joined to another's incident taken back ("hủy phản ánh"): this conversation is no longer told
        of it; the shared ticket stays for the others. The ticket, or None when this conversation joined none."""
        with self.uow() as uow:
            found = _owned(uow, ticket_text, conversation_id, None)
            if found is None or found[1] is not Role.JOINED:
                return None
            request = found[0]
            report = uow.incidents.reporter_of_request(request.id, conversation_id)
            if report is not None:
                uow.incidents.remove_report(report)
            uow.commit()
            return str(request.ticket)

    def add_contact(self, conversation_id: str, verified_code: str | None, ticket_text: str,
                    phone: str) -> RequestView | None:
        """The phone a reporter gives after the report ("sđt 0908…"), kept on their open ticket for the crew to
        call (a joined reporter's on their own report, never over the first reporter's); None when this
        conversation owns no such open ticket."""
        code = self._verified(conversation_id, verified_code)
        with self.uow() as uow:
            found = _owned(uow, ticket_text, conversation_id, code)
            if found is None or not RequestStatus(found[0].status).is_open:
                return None
            request, role = found
            joined = uow.incidents.reporter_of_request(request.id, conversation_id) if role is Role.JOINED else None
            if joined is not None:
                joined.contact_phone = phone
            else:
                request.details = {**(request.details or {}), "contact_phone": phone}
            view = _view(request, role)
            uow.commit()
            return view

    # --- the back office -------------------------------------------------------------------

    def change_status(self, ticket: str, status: RequestStatus, note: str = "") -> RequestView | None:
        """An operator moves a request on; the customer's channels hear of it in the same transaction."""
        now = self.clock()
        with self.uow() as uow:
            request = uow.requests.by_ticket(ticket.strip().upper())
            if request is None:
                return None
            if RequestStatus(request.status) is status:
                return _view(request)
            uow.requests.set_status(request, status)
            if not status.is_open:
                request.draft_key = None
            event = uow.requests.add_event(request, status, now, note[:300])
            filer = conversation_recipient(request.conversation_id, request.customer_code or "")
            if request.customer_code:  # a notice speaks of a customer's request; anonymous reports have none
                notify_linked(uow, NoticeKind.REQUEST_STATUS, str(event.id), request.customer_code, now,
                              also=[filer] if filer else [])
            view = _view(request)
            uow.commit()
            return view

    # --- outages --------------------------------------------------------------------------

    def report_outage(
        self, conversation_id: str, channel: str, place_text: str, since_text: str,
        verified_code: str | None = None, address_key: str | None = None, hazard: str | None = None,
    ) -> OutageOutcome:
        """Planned outage? say so. Otherwise the report joins its place's open incident (evn.domain.incidents), or
        opens one with a high-priority ticket; where an incident was just restored, at the top priority.

        A danger to people (`hazard`, evn.domain.language.hazards) is never explained by the schedule
        nor merged into an earlier report: it is a ticket of its own at the top priority.

        A customer code in the place is looked up only when this conversation verified
        it: to anyone else a known and an unknown code get the same answer (the hotline
        of the code's power company, by its prefix), and the ticket is not filed in that
        customer's name.
        """
        now = self.clock()
        code_in_text = find_customer_code(place_text)
        own_code = self._verified(conversation_id, verified_code) if code_in_text == verified_code else None
        with self.uow() as uow:
            customer = uow.customers.get_by_code(own_code) if own_code else None
            address = customer.address if customer else place_text
            if customer is not None:
                company = uow.reference.power_company(customer.power_company)
            elif code_in_text:
                company = uow.reference.power_company_for_prefix(code_in_text[:2])
            else:
                company = _company_of_city(uow, address)
            hotline = company.hotline if company else None
            planned = None if hazard else outage_schedule.covering(
                self.schedule, address, to_vietnam(now).replace(tzinfo=None))
            if planned is not None:
                return OutageOutcome(planned, None, False, hotline)
            limits.admit(uow, rate_limits.OUTAGE_REPORT, conversation_id, address_key, now)
            place_key = places.place_key(address)
            code = customer.code if customer else None

            def new_ticket(priority: str, follows: str | None = None) -> Stored:
                return _add(
                    uow, "MD", vietnam_date(now), now, kind=OUTAGE_TYPE, service_type=OUTAGE_TYPE,
                    details={"place": place_text, "since": since_text, **({"hazard": hazard} if hazard else {}),
                             **({"follows": follows} if follows else {})},
                    customer_code=code, channel=channel, conversation_id=conversation_id, draft_key=None,
                    due_date=None, priority=priority, place_key=place_key,
                )

            if hazard:  # a danger is a ticket of its own, never an incident's report
                outcome = OutageOutcome(None, _view(new_ticket(Priority.URGENT.value)), False, hotline)
            else:
                request, incident, joined = join_or_open(
                    uow, new_ticket, place_text, place_key, incident_rules.area_of(address, self.schedule),
                    company.code if company else None, conversation_id, channel, code, now)
                if joined:
                    uow.requests.add_event(request, request.status, now, NOTE_MERGED)
                outcome = OutageOutcome(None, _view(request, Role.JOINED if joined else Role.FILER), joined, hotline,
                                        incident)
            uow.commit()
            return outcome

    def _verified(self, conversation_id: str, verified_code: str | None) -> str | None:
        return verified_code if verified_code and self.identity.is_verified(conversation_id, verified_code) else None


def _add(uow: UnitOfWork, prefix: str, today: date, now: datetime, **values: Any) -> Stored:
    """A new request with the next ticket number of the day."""
    day_prefix = tickets.ticket_number(prefix, today, 0)[:-4]
    ticket = tickets.ticket_number(prefix, today, uow.requests.tickets_starting(day_prefix) + 1)
    return uow.requests.add(NOTE_RECEIVED, ticket=ticket, created_at=now, **values)


def _draft_key(conversation_id: str, draft_id: str) -> str:
    return hashlib.sha256(f"{conversation_id}|{draft_id}".encode()).hexdigest()


class Role(Enum):
    """How a conversation holds a request: it filed it, it is the verified customer's, or it joined the incident
    the request is the ticket of (sees its status, its own report only)."""

    FILER = "filer"
    OWNER = "owner"
    JOINED = "joined"


def _role(request: Stored, conversation_id: str, verified_code: str | None) -> Role:
    if request.conversation_id == conversation_id:
        return Role.FILER
    return Role.OWNER if verified_code is not None and request.customer_code == verified_code else Role.JOINED


def _owned(
    uow: UnitOfWork, ticket_text: str, conversation_id: str, verified_code: str | None
) -> tuple[Stored, Role] | None:
    """The request named in `ticket_text` and how this conversation holds it, if it does: it filed it, the
    verified customer's code, or a report joined to the incident it is the ticket of. A stranger cannot tell a
    foreign ticket from a missing one."""
    ticket = tickets.parse_ticket_number(ticket_text or "")
    request = uow.requests.by_ticket(ticket) if ticket else None
    if request is None:
        return None
    role = _role(request, conversation_id, verified_code)
    if role is Role.JOINED and uow.incidents.reporter_of_request(request.id, conversation_id) is None:
        return None
    return request, role


def _view(request: Stored, role: Role = Role.FILER) -> RequestView:
    return RequestView(
        ticket=request.ticket, kind=request.kind, service_type=request.service_type,
        status=RequestStatus(request.status), priority=request.priority, created_at=request.created_at,
        due_date=request.due_date,
        timeline=tuple((RequestStatus(e.status), e.at, e.note) for e in request.events),
        details=dict(request.details or {}) if role is not Role.JOINED else {},
    )


def _company_of_city(uow: UnitOfWork, address: str) -> Stored | None:
    code = places.power_company_of_city(address)
    return uow.reference.power_company(code) if code else None
