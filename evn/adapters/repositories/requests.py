"""Service requests and outage reports, and their history of statuses."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from evn.adapters import orm
from evn.adapters.repositories.base import Repository
from evn.domain.statuses import (
    RequestStatus,
)


class RequestRepository(Repository):
    """Service requests and outage reports with their timelines."""

    def by_draft(self, draft_key: str) -> orm.ServiceRequest | None:
        return self._one(select(orm.ServiceRequest).where(orm.ServiceRequest.draft_key == draft_key))

    def get(self, request_id: int) -> orm.ServiceRequest | None:
        return self.session.get(orm.ServiceRequest, request_id)

    def event(self, event_id: int) -> orm.RequestEvent | None:
        return self.session.get(orm.RequestEvent, event_id)

    def by_ticket(self, ticket: str) -> orm.ServiceRequest | None:
        return self._one(select(orm.ServiceRequest).where(orm.ServiceRequest.ticket == ticket))

    def tickets_starting(self, prefix: str) -> int:
        return self.session.execute(
            select(func.count(orm.ServiceRequest.id)).where(orm.ServiceRequest.ticket.like(f"{prefix}%"))
        ).scalar_one()

    def add(self, first_note: str, **values: Any) -> orm.ServiceRequest:
        """A new request, received, with the first line of its timeline."""
        request = orm.ServiceRequest(status=RequestStatus.RECEIVED.value, **values)
        self.session.add(request)
        self.session.flush()
        self.add_event(request, RequestStatus.RECEIVED, values["created_at"], first_note)
        return request

    def add_event(self, request: orm.ServiceRequest, status: RequestStatus | str, at: datetime,
                  note: str) -> orm.RequestEvent:
        event = orm.RequestEvent(request_id=request.id, status=str(getattr(status, "value", status)), at=at, note=note)
        self.session.add(event)
        self.session.flush()
        self.session.refresh(request)
        return event

    def set_status(self, request: orm.ServiceRequest, status: RequestStatus) -> None:
        request.status = status.value

    def owned(self, conversation_id: str, code: str | None, limit: int) -> list[orm.ServiceRequest]:
        """Newest first: those filed in this conversation, the incidents' it reported in, and those of this
        (verified) customer."""
        joined = (select(orm.Incident.request_id)
                  .join(orm.IncidentReport, orm.IncidentReport.incident_id == orm.Incident.id)
                  .where(orm.IncidentReport.conversation_id == conversation_id))
        owner = (orm.ServiceRequest.conversation_id == conversation_id) | orm.ServiceRequest.id.in_(joined)
        if code:
            owner = owner | (orm.ServiceRequest.customer_code == code)
        return list(self.session.execute(
            select(orm.ServiceRequest).where(owner).order_by(orm.ServiceRequest.created_at.desc()).limit(limit)
        ).scalars())
