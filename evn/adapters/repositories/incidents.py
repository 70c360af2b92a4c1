"""Incidents (unplanned outages): found by place or area, their reporters and the steps staff took."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, distinct, or_, select

from evn.adapters import orm
from evn.adapters.repositories.base import Repository
from evn.adapters.repositories.links import holding
from evn.domain.incidents import Area


class IncidentRepository(Repository):
    def add(self, **values: Any) -> orm.Incident:
        incident = orm.Incident(**values)
        self.session.add(incident)
        self.session.flush()
        return incident

    def get(self, incident_id: int) -> orm.Incident | None:
        return self.session.get(orm.Incident, incident_id)

    def of_request(self, request_id: int) -> orm.Incident | None:
        return self._one(select(orm.Incident).where(orm.Incident.request_id == request_id))

    def open_at(self, place_key: str, area: Area | None, company: str | None,
                since: datetime) -> orm.Incident | None:
        """The oldest open incident of this place, or of its area when it has one, opened after `since`."""
        return self.session.execute(
            select(orm.Incident).where(_at(place_key, area, company), orm.Incident.restored_at.is_(None),
                                       orm.Incident.opened_at > since).order_by(orm.Incident.opened_at)
        ).scalars().first()

    def latest_at(self, place_key: str, area: Area | None, company: str | None,
                  since: datetime) -> list[orm.Incident]:
        """Incidents of this place, or of its area when it has one, opened or restored since `since`, newest
        first (what "có điện lại chưa" is answered from)."""
        place = _at(place_key, area, company)
        recent = or_(orm.Incident.opened_at >= since, orm.Incident.restored_at >= since,
                     orm.Incident.restored_at.is_(None))
        return list(self.session.execute(
            select(orm.Incident).where(place, recent).order_by(orm.Incident.opened_at.desc(), orm.Incident.id.desc())
            .limit(20)).scalars())

    def open(self, limit: int = 200) -> list[orm.Incident]:
        """Every open incident, oldest first (the console's page)."""
        return list(self.session.execute(
            select(orm.Incident).where(orm.Incident.restored_at.is_(None))
            .order_by(orm.Incident.opened_at, orm.Incident.id).limit(limit)).scalars())

    def recently_restored(self, since: datetime, limit: int = 50) -> list[orm.Incident]:
        return list(self.session.execute(
            select(orm.Incident).where(orm.Incident.restored_at >= since)
            .order_by(orm.Incident.restored_at.desc()).limit(limit)).scalars())

    # --- reporters ----------------------------------------------------------------------------

    def add_report(self, incident: orm.Incident, conversation_id: str, channel: str, customer_code: str | None,
                   at: datetime) -> bool:
        """A conversation reported it (once per conversation); False when it had already."""
        statement = self._insert(orm.IncidentReport.__table__).values(
            incident_id=incident.id, conversation_id=conversation_id, channel=channel, customer_code=customer_code,
            reported_at=at).on_conflict_do_nothing()
        return self._changed(statement) != 0

    def remove_report(self, report: orm.IncidentReport) -> None:
        self.session.delete(report)

    def reports(self, incident_id: int) -> list[orm.IncidentReport]:
        return list(self.session.execute(
            select(orm.IncidentReport).where(orm.IncidentReport.incident_id == incident_id)
            .order_by(orm.IncidentReport.reported_at, orm.IncidentReport.id)).scalars())

    def reported_by(self, incident_id: int, conversation_id: str) -> bool:
        return self.report_of(incident_id, conversation_id) is not None

    def report_of(self, incident_id: int, conversation_id: str) -> orm.IncidentReport | None:
        return self._one(select(orm.IncidentReport).where(orm.IncidentReport.incident_id == incident_id,
                                                          orm.IncidentReport.conversation_id == conversation_id))

    def reporter_of_request(self, request_id: int, conversation_id: str) -> orm.IncidentReport | None:
        """This conversation's report of the incident whose ticket is `request_id`, if it reported it."""
        return self._one(select(orm.IncidentReport)
                         .join(orm.Incident, orm.Incident.id == orm.IncidentReport.incident_id)
                         .where(orm.Incident.request_id == request_id,
                                orm.IncidentReport.conversation_id == conversation_id))

    def reported_in(self, conversation_id: str, since: datetime) -> list[orm.Incident]:
        """The incidents this conversation reported since `since`, newest first."""
        return list(self.session.execute(
            select(orm.Incident).join(orm.IncidentReport, orm.IncidentReport.incident_id == orm.Incident.id)
            .where(orm.IncidentReport.conversation_id == conversation_id, orm.IncidentReport.reported_at >= since)
            .order_by(orm.IncidentReport.reported_at.desc())).scalars())

    # --- steps --------------------------------------------------------------------------------

    def add_update(self, **values: Any) -> orm.IncidentUpdate:
        update = orm.IncidentUpdate(**values)
        self.session.add(update)
        self.session.flush()
        return update

    def update(self, update_id: int) -> orm.IncidentUpdate | None:
        return self.session.get(orm.IncidentUpdate, update_id)

    def latest_update(self, incident_id: int) -> orm.IncidentUpdate | None:
        return self.session.execute(
            select(orm.IncidentUpdate).where(orm.IncidentUpdate.incident_id == incident_id)
            .order_by(orm.IncidentUpdate.id.desc()).limit(1)).scalars().first()

    def updates(self, incident_id: int) -> list[orm.IncidentUpdate]:
        return list(self.session.execute(
            select(orm.IncidentUpdate).where(orm.IncidentUpdate.incident_id == incident_id)
            .order_by(orm.IncidentUpdate.id)).scalars())

    # --- who lives there ----------------------------------------------------------------------

    def linked_addresses(self, power_company: str | None, now: datetime) -> Sequence[tuple[str, str]]:
        """(code, address) of every customer with a link that holds, of this company (every company: None)."""
        query = (select(distinct(orm.Customer.code), orm.Customer.address)
                 .join(orm.AccountLink, orm.AccountLink.customer_code == orm.Customer.code).where(holding(now)))
        if power_company:
            query = query.where(orm.Customer.power_company == power_company)
        return [(code, address) for code, address in self.session.execute(query).all()]


def _at(place_key: str, area: Area | None, company: str | None) -> Any:
    """An incident at this very place, or in this area (a ward of a district) when there is one, of the same
    province and power company where both sides know them (district names repeat across provinces)."""
    place = orm.Incident.place_key == place_key
    if area is None:
        return place
    same = [orm.Incident.district == area.district, orm.Incident.ward == area.ward]
    if area.province:
        same.append(or_(orm.Incident.province.is_(None), orm.Incident.province == area.province))
    if company:
        same.append(or_(orm.Incident.power_company.is_(None), orm.Incident.power_company == company))
    if not area.province and not company:
        same.append(orm.Incident.place_key == place_key)  # nothing says which province: the very place only
    return or_(place, and_(*same))
