"""Service requests and outage reports: filing once, following up, cancelling, merging reports.

A request is in the database, with its ticket number, before the assistant
says so. Only its owner sees or cancels it: the conversation that filed it, or
the verified customer whose code it carries.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable, Iterable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from evn.adapters import orm
from evn.domain import outage_schedule, rate_limits, tickets, working_days
from evn.domain.identity import find_customer_code
from evn.domain.outage_schedule import PlannedOutage
from evn.domain.periods import fold
from evn.domain.service_catalogue import Catalogue, load_catalogue
from evn.services.billing import NotVerified
from evn.services.clock import to_vietnam, utcnow
from evn.services import limits
from evn.services.identity import IdentityService
from evn.services.unit_of_work import Repositories, unit_of_work

OPEN_STATUSES = ("received", "assigned", "in_progress")
MERGE_WINDOW = timedelta(hours=1)
OUTAGE_TYPE = "outage"


@dataclass(frozen=True)
class RequestView:
    ticket: str
    kind: str
    service_type: str
    status: str
    priority: str
    created_at: datetime  # UTC
    due_date: date | None
    timeline: tuple[tuple[str, datetime, str], ...]
    details: dict

    @property
    def cancellable(self) -> bool:
        return self.status in OPEN_STATUSES


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


class RequestService:
    def __init__(
        self,
        sessions: sessionmaker,
        identity: IdentityService,
        catalogue: Catalogue | None = None,
        holidays: set[date] | None = None,
        schedule: list[PlannedOutage] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
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
        if kind.needs_verified_customer and not self.identity.is_verified(conversation_id, customer_code):
            raise NotVerified(customer_code or "")
        now = self.clock()
        today = to_vietnam(now).date()
        due = working_days.add_working_days(today, kind.working_days, self.holidays)
        key = _draft_key(conversation_id, draft_id)
        for _ in range(5):  # two filings the same second may want the same sequence number
            try:
                with unit_of_work(self.sessions) as repos:
                    existing = _by_draft(repos, key)
                    if existing is not None:
                        return Filed(_view(existing), duplicate=True)
                    limits.admit(repos, rate_limits.SERVICE_REQUEST, conversation_id, address_key, now)
                    request = self._insert(
                        repos, "YC", today, now, kind="service", service_type=service_type, details=dict(fields),
                        customer_code=customer_code if kind.needs_verified_customer else None, channel=channel,
                        conversation_id=conversation_id, draft_key=key, due_date=due, priority="normal",
                    )
                    return Filed(_view(request), duplicate=False)
            except IntegrityError:
                with unit_of_work(self.sessions) as repos:
                    existing = _by_draft(repos, key)
                    if existing is not None:
                        return Filed(_view(existing), duplicate=True)
        raise RuntimeError("could not allocate a ticket number")

    def _insert(self, repos: Repositories, prefix: str, today: date, now: datetime, **values) -> orm.ServiceRequest:
        day_prefix = tickets.ticket_number(prefix, today, 0)[:-4]
        count = repos.session.execute(
            select(func.count(orm.ServiceRequest.id)).where(orm.ServiceRequest.ticket.like(f"{day_prefix}%"))
        ).scalar_one()
        request = orm.ServiceRequest(
            ticket=tickets.ticket_number(prefix, today, count + 1), status="received", created_at=now, **values
        )
        repos.session.add(request)
        repos.session.flush()
        repos.session.add(orm.RequestEvent(request_id=request.id, status="received", at=now, note="Đã tiếp nhận"))
        repos.session.flush()
        repos.session.refresh(request)
        return request

    # --- following up ---------------------------------------------------------------------

    def find(self, conversation_id: str, verified_code: str | None, ticket_text: str) -> RequestView | None:
        """The request if this conversation may see it; None otherwise (whether or not it exists)."""
        code = self._verified(conversation_id, verified_code)
        with unit_of_work(self.sessions) as repos:
            request = _owned(repos, ticket_text, conversation_id, code)
            return _view(request) if request else None

    def mine(self, conversation_id: str, verified_code: str | None, limit: int = 10) -> list[RequestView]:
        code = self._verified(conversation_id, verified_code)
        owner = orm.ServiceRequest.conversation_id == conversation_id
        if code:
            owner = owner | (orm.ServiceRequest.customer_code == code)
        with unit_of_work(self.sessions) as repos:
            rows = repos.session.execute(
                select(orm.ServiceRequest).where(owner).order_by(orm.ServiceRequest.created_at.desc()).limit(limit)
            ).scalars()
            return [_view(row) for row in rows]

    def cancel(self, conversation_id: str, verified_code: str | None, ticket_text: str) -> RequestView | None:
        """Cancels an open request of this owner; returns it (cancelled or not cancellable), or None."""
        code = self._verified(conversation_id, verified_code)
        now = self.clock()
        with unit_of_work(self.sessions) as repos:
            request = _owned(repos, ticket_text, conversation_id, code)
            if request is None:
                return None
            if request.status in OPEN_STATUSES:
                request.status = "cancelled"
                request.draft_key = None  # the same request may be filed again later
                repos.session.add(orm.RequestEvent(
                    request_id=request.id, status="cancelled", at=now, note="Khách hàng hủy qua chat"
                ))
                repos.session.flush()
                repos.session.refresh(request)
            return _view(request)

    # --- outages --------------------------------------------------------------------------

    def report_outage(
        self, conversation_id: str, channel: str, place_text: str, since_text: str,
        verified_code: str | None = None, address_key: str | None = None,
    ) -> OutageOutcome:
        """Planned outage? say so. Otherwise one high-priority ticket per place and hour.

        A customer code in the place is looked up only when this conversation verified
        it: to anyone else a known and an unknown code get the same answer (the hotline
        of the code's power company, by its prefix), and the ticket is not filed in that
        customer's name.
        """
        now = self.clock()
        code_in_text = find_customer_code(place_text)
        own_code = self._verified(conversation_id, verified_code) if code_in_text == verified_code else None
        with unit_of_work(self.sessions) as repos:
            customer = repos.customers.get_by_code(own_code) if own_code else None
            address = customer.address if customer else place_text
            if customer is not None:
                company = repos.reference.power_company(customer.power_company)
            elif code_in_text:
                company = repos.reference.power_company_for_prefix(code_in_text[:2])
            else:
                company = None
            hotline = company.hotline if company else _hotline_for(repos, address)
            planned = outage_schedule.covering(self.schedule, address, to_vietnam(now).replace(tzinfo=None))
            if planned is not None:
                return OutageOutcome(planned, None, False, hotline)
            limits.admit(repos, rate_limits.OUTAGE_REPORT, conversation_id, address_key, now)
            place_key = _place_key(address)
            recent = repos.session.execute(
                select(orm.ServiceRequest).where(
                    orm.ServiceRequest.kind == OUTAGE_TYPE,
                    orm.ServiceRequest.place_key == place_key,
                    orm.ServiceRequest.status.in_(OPEN_STATUSES),
                    orm.ServiceRequest.created_at > now - MERGE_WINDOW,
                ).order_by(orm.ServiceRequest.created_at)
            ).scalars().first()
            if recent is not None:
                repos.session.add(orm.RequestEvent(
                    request_id=recent.id, status=recent.status, at=now, note="Thêm một báo cáo mất điện cùng khu vực"
                ))
                repos.session.flush()
                repos.session.refresh(recent)
                return OutageOutcome(None, _view(recent), True, hotline)
            request = self._insert(
                repos, "MD", to_vietnam(now).date(), now, kind=OUTAGE_TYPE, service_type=OUTAGE_TYPE,
                details={"place": place_text, "since": since_text}, customer_code=customer.code if customer else None,
                channel=channel, conversation_id=conversation_id, draft_key=None, due_date=None, priority="high",
                place_key=place_key,
            )
            return OutageOutcome(None, _view(request), False, hotline)

    def _verified(self, conversation_id: str, verified_code: str | None) -> str | None:
        return verified_code if verified_code and self.identity.is_verified(conversation_id, verified_code) else None


def _draft_key(conversation_id: str, draft_id: str) -> str:
    return hashlib.sha256(f"{conversation_id}|{draft_id}".encode()).hexdigest()


def _by_draft(repos: Repositories, key: str) -> orm.ServiceRequest | None:
    return repos.session.execute(
        select(orm.ServiceRequest).where(orm.ServiceRequest.draft_key == key)
    ).scalar_one_or_none()


def _owned(
    repos: Repositories, ticket_text: str, conversation_id: str, verified_code: str | None
) -> orm.ServiceRequest | None:
    """The request named in `ticket_text` if this conversation owns it: same conversation, or
    the verified customer's code. A stranger cannot tell a foreign ticket from a missing one."""
    ticket = tickets.parse_ticket_number(ticket_text or "")
    if ticket is None:
        return None
    request = repos.session.execute(
        select(orm.ServiceRequest).where(orm.ServiceRequest.ticket == ticket)
    ).scalar_one_or_none()
    if request is None:
        return None
    owner = request.conversation_id == conversation_id or (
        verified_code is not None and request.customer_code == verified_code
    )
    return request if owner else None


def _view(request: orm.ServiceRequest) -> RequestView:
    return RequestView(
        ticket=request.ticket, kind=request.kind, service_type=request.service_type, status=request.status,
        priority=request.priority, created_at=request.created_at, due_date=request.due_date,
        timeline=tuple((e.status, e.at, e.note) for e in request.events), details=dict(request.details or {}),
    )


def _place_key(address: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", fold(address)).split())[:200]


_CITY_COMPANY: Iterable[tuple[tuple[str, ...], str]] = (
    (("ha noi", "hanoi"), "EVNHANOI"),
    (("tp.hcm", "tphcm", "hcm", "ho chi minh", "sai gon", "saigon"), "EVNHCMC"),
)


def _hotline_for(repos: Repositories, address: str) -> str | None:
    folded = fold(address)
    for words, code in _CITY_COMPANY:
        if any(word in folded for word in words):
            company = repos.reference.power_company(code)
            return company.hotline if company else None
    return None
