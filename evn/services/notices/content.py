"""What a notice says, from the data as it is now (None when the data has overtaken it)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from evn.domain import consumption, usage_alerts
from evn.domain.formats import format_date, format_datetime, format_kwh, format_vnd
from evn.domain.notices import (
    NoticeKind,
)
from evn.domain.outage_schedule import PlannedOutage, place_of
from evn.domain.periods import Period
from evn.domain.statuses import BillStatus
from evn.domain.time import to_vietnam, vietnam_date
from evn.services.unit_of_work import UnitOfWork
from evn.services.usage import period_figures


@dataclass(frozen=True)
class PendingNotice:
    id: int
    kind: NoticeKind
    subject: str
    channel: str
    channel_user: str
    conversation_id: str
    customer_code: str
    attempts: int


@dataclass(frozen=True)
class Content:
    """What a notice says (display strings, Vietnamese formats) and the phone a template goes to."""

    facts: dict[str, str]
    phone: str = ""


def notice_content(uow: UnitOfWork, notice: PendingNotice, schedule: Sequence[PlannedOutage],
             now: datetime) -> Content | None:
    """The notice's words from the data as it is now; None when the data has overtaken it."""
    if notice.kind.is_incident:  # its reporters may have given no customer code
        return incident_content(uow, notice)
    customer = uow.customers.get_by_code(notice.customer_code)
    if customer is None:
        return None
    facts = {"customer_code": customer.code}
    if notice.kind is NoticeKind.OUTAGE_PLANNED:
        outage = next((o for o in schedule if o.id == notice.subject), None)
        if outage is None or outage.start <= to_vietnam(now).replace(tzinfo=None):
            return None
        facts.update(outage_content(outage))
    if notice.kind.is_bill:
        bill = uow.bills.get(int(notice.subject))
        if bill is None or bill.status != BillStatus.UNPAID.value:
            return None
        facts.update(period=str(Period.from_key(bill.period)), amount=format_vnd(bill.total),
                     due_date=format_date(bill.due_date))
        if notice.kind is NoticeKind.BILL_ISSUED:
            facts.update(rise_content(uow, bill))
    elif notice.kind is NoticeKind.REQUEST_STATUS:
        event = uow.requests.event(int(notice.subject))
        if event is None:
            return None
        request = uow.requests.get(event.request_id)
        assert request is not None  # a foreign key
        facts.update(ticket=request.ticket, request_status=event.status, request_note=event.note or "")
    elif notice.kind is NoticeKind.USAGE_ALERT:
        alert = usage_alert_content(uow, customer, notice.subject, now)
        if alert is None:
            return None
        facts.update(alert)
    elif notice.kind is NoticeKind.PAYMENT_RECEIVED:
        payment = uow.payments.by_reference(notice.subject)
        if payment is None:
            return None
        bill = uow.bills.get(payment.bill_id)
        assert bill is not None  # a foreign key
        facts.update(amount=format_vnd(payment.amount), period=str(Period.from_key(bill.period)),
                     payment_method=payment.channel, payment_reference=payment.reference)
    return Content(facts, customer.phone)


def incident_content(uow: UnitOfWork, notice: PendingNotice) -> Content | None:
    """An incident's step: its place, cause, estimate or restoration; None for an estimate a later step
    overtook (a newer estimate, the restoration) before it went."""
    update = uow.incidents.update(int(notice.subject))
    incident = uow.incidents.get(update.incident_id) if update is not None else None
    if update is None or incident is None:
        return None
    latest = uow.incidents.latest_update(incident.id)
    if notice.kind is NoticeKind.OUTAGE_UPDATE and latest is not None and latest.id != update.id:
        return None
    request = uow.requests.get(incident.request_id)
    assert request is not None  # a foreign key
    facts = {"ticket": request.ticket, "outage_area": incident.label, "incident_cause": update.cause or "",
             "estimated_at": format_datetime(to_vietnam(update.estimated_at)) if update.estimated_at else ""}
    if notice.kind is NoticeKind.OUTAGE_RESTORED:
        facts["restored_at"] = format_datetime(to_vietnam(update.at))
    customer = uow.customers.get_by_code(notice.customer_code) if notice.customer_code else None
    return Content(facts, customer.phone if customer else "")


def outage_content(outage: PlannedOutage) -> dict[str, str]:
    return {"outage_area": place_of(outage), "outage_start": format_datetime(outage.start),
            "outage_end": format_datetime(outage.end), "outage_reason": outage.reason}


def usage_alert_content(uow: UnitOfWork, customer: Any, subject: str, now: datetime) -> dict[str, str] | None:
    """The alert's level and the period as read now; None once the alert is cancelled or the data gone."""
    read = usage_alerts.read_subject(subject)
    if read is None or read[0] != customer.code:
        return None
    _, level, period = read
    if not uow.usage_alerts.holds(customer.code, level.kind.value, level.value):
        return None
    meter = uow.meter_data.meter_of(customer.id)
    figures = None if meter is None else period_figures(uow, customer, meter, period,
                                                        vietnam_date(now) - timedelta(days=1))
    so_far, forecast = figures or (None, None)
    if so_far is None or forecast is None or so_far.read_to is None:
        return None
    return {"period": str(period), "level_kind": level.kind.value, "level_value": str(level.value),
            "kwh_so_far": format_kwh(so_far.kwh), "read_to": format_date(so_far.read_to),
            "forecast_kwh": format_kwh(forecast.kwh), "forecast_total": format_vnd(forecast.bill.total),
            "period_end": format_date(period.last_day)}


def rise_content(uow: UnitOfWork, bill: Any) -> dict[str, str]:
    """Why a new bill rose, told with it when it is ≥ 30 % above the period before or the same period last year
    (evn.domain.consumption.notable_rise): the periods, the kWh and the days of each; empty otherwise."""
    period = Period.from_key(bill.period)
    earlier = {against: uow.bills.for_period(bill.customer_id, period.shift(months).key)
               for against, months in (("previous", -1), ("last_year", -12))}
    rise = consumption.notable_rise(bill.kwh, *(row.kwh if row else None for row in earlier.values()))
    if rise is None:
        return {}
    compared = earlier[rise.against]
    assert compared is not None  # the rise was found against it
    days = (bill.period_end - bill.period_start).days + 1
    compared_days = (compared.period_end - compared.period_start).days + 1
    return {"rise_percent": str(rise.percent), "rise_kwh": format_kwh(rise.kwh),
            "rise_period": str(Period.from_key(compared.period)), "rise_against_kwh": format_kwh(rise.against_kwh),
            "rise_days": str(days), "rise_against_days": str(compared_days)}
