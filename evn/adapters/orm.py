"""Database tables. The schema itself is owned by the Alembic migrations in migrations/.

Columns are declared the SQLAlchemy 2.0 way (`Mapped[...]`, `mapped_column`), so mypy knows a loaded row's
values (`customer.code` is a str) in the application's environment. The Rasa server's environment still runs
SQLAlchemy 1.4 (Rasa 3.6 pins it), for the few services its channels use: there `mapped_column` is 1.4's
`Column`, which takes the same arguments and gives the same tables, and the annotations are not read.
"""
from __future__ import annotations

from datetime import date, datetime  # noqa: F401 - read by SQLAlchemy 2.0 from the annotations
from typing import Any

import sqlalchemy
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declarative_base, relationship

# SQLAlchemy 2.0's mapped_column; 1.4's Column under that name in the Rasa server's environment.
mapped_column: Any = getattr(sqlalchemy.orm, "mapped_column", sqlalchemy.Column)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
Base: Any = declarative_base(metadata=metadata)  # no SQLAlchemy stubs: columns are Any to mypy


class PowerCompany(Base):
    __tablename__ = "power_companies"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    prefix: Mapped[str] = mapped_column(String(2), nullable=False, unique=True)
    hotline: Mapped[str] = mapped_column(String(32), nullable=False)


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(13), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    phone: Mapped[str] = mapped_column(String(11), nullable=False)
    address: Mapped[str] = mapped_column(String(300), nullable=False)
    power_company: Mapped[str] = mapped_column(String(16), ForeignKey("power_companies.code"), nullable=False)
    tariff_group: Mapped[str] = mapped_column(String(32), nullable=False, default="residential")


class Meter(Base):
    __tablename__ = "meters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    serial: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    installed_on: Mapped[date] = mapped_column(Date, nullable=False)


class MeterReading(Base):
    __tablename__ = "meter_readings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meter_id: Mapped[int] = mapped_column(Integer, ForeignKey("meters.id"), nullable=False)
    read_on: Mapped[date] = mapped_column(Date, nullable=False)
    value: Mapped[int] = mapped_column(Integer, nullable=False)
    __table_args__ = (UniqueConstraint("meter_id", "read_on"),)


class DailyReading(Base):
    """A remotely read meter's register at the end of a day, as the meter data system exports it
    (docs/meter-data.md). The key is the query: one meter's days in order (a period so far, a chart)."""

    __tablename__ = "daily_readings"
    meter_id: Mapped[int] = mapped_column(Integer, ForeignKey("meters.id"), primary_key=True)
    read_on: Mapped[date] = mapped_column(Date, primary_key=True)
    register: Mapped[int | None] = mapped_column(Integer, nullable=True)  # kWh; None when the day was not read
    quality: Mapped[str] = mapped_column(String(1), nullable=False)  # evn.domain.daily_readings.Quality


class MeterDataImport(Base):
    """One file of the meter data system loaded (or refused): what was in it, what went in."""

    __tablename__ = "meter_data_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(200), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    rows: Mapped[int] = mapped_column(Integer, nullable=False)
    loaded: Mapped[int] = mapped_column(Integer, nullable=False)
    unchanged: Mapped[int] = mapped_column(Integer, nullable=False)
    replaced: Mapped[int] = mapped_column(Integer, nullable=False)
    rejected: Mapped[int] = mapped_column(Integer, nullable=False)
    first_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    last_day: Mapped[date | None] = mapped_column(Date, nullable=True)


class Picture(Base):
    """A picture a customer sent, as kept: its file (evn.adapters.picture_store, named by `id`) is a re-encoding,
    never the bytes received. Bound to the conversation it came in; removed with its file after `expires_at`."""

    __tablename__ = "pictures"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(128), nullable=False, index=True)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False)  # upload, facebook, zalo
    media_type: Mapped[str] = mapped_column(String(8), nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    received_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)


class ScamCheck(Base):
    """One check of what a customer forwarded ("có phải điện lực thật không?"): what was checked, the verdict,
    the sign or look-alike it rests on, the channel. `shown` is only what the answer repeated, masked (a domain,
    "****8999"); the forwarded text itself is not kept. The operations report counts them per pattern and month,
    the console lists those found not the company's for the security team."""

    __tablename__ = "scam_checks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    conversation_id: Mapped[str] = mapped_column(String(128), nullable=False)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # evn.domain.scam_check.findings.Kind
    verdict: Mapped[str] = mapped_column(String(16), nullable=False)  # evn.domain.scam_check.findings.Verdict
    pattern: Mapped[str] = mapped_column(String(40), nullable=False)
    shown: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    picture_id: Mapped[str | None] = mapped_column(String(40), nullable=True)


class UsageAlert(Base):
    """A level the customer set on their period's use (evn.domain.usage_alerts), kept after cancelling.

    `conversation_id` is the chat it was set in (the consent, as an account link's row is); the alert itself
    goes to every chat linked to the code. The scan reads the active ones in id order.
    """

    __tablename__ = "usage_alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)  # evn.domain.usage_alerts.AlertKind
    level: Mapped[int] = mapped_column(BigInteger, nullable=False)
    conversation_id: Mapped[str] = mapped_column(String(128), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Bill(Base):
    __tablename__ = "bills"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer, ForeignKey("customers.id"), nullable=False)
    period: Mapped[int] = mapped_column(Integer, nullable=False)  # yyyymm
    period_start: Mapped[date] = mapped_column(Date, nullable=False)
    period_end: Mapped[date] = mapped_column(Date, nullable=False)
    old_reading: Mapped[int] = mapped_column(Integer, nullable=False)
    new_reading: Mapped[int] = mapped_column(Integer, nullable=False)
    kwh: Mapped[int] = mapped_column(Integer, nullable=False)
    amount_before_vat: Mapped[int] = mapped_column(Integer, nullable=False)
    # floats: SQLite has no decimal
    vat_percent: Mapped[float] = mapped_column(Numeric(5, 2, asdecimal=False), nullable=False)
    vat_amount: Mapped[int] = mapped_column(Integer, nullable=False)
    total: Mapped[int] = mapped_column(Integer, nullable=False)
    issued_on: Mapped[date] = mapped_column(Date, nullable=False)
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # evn.domain.statuses.BillStatus
    tier_breakdown: Mapped[Any] = mapped_column(JSON, nullable=False)  # [[tier, kwh, price], ...]
    payments = relationship("Payment", back_populates="bill", order_by="Payment.paid_at")
    __table_args__ = (
        UniqueConstraint("customer_id", "period"),
        Index("ix_bills_status_customer", "status", "customer_id"),
        Index("ix_bills_period", "period"),
        Index("ix_bills_due_date", "due_date"),  # the reminder scans
    )


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bill_id: Mapped[int] = mapped_column(Integer, ForeignKey("bills.id"), nullable=False, index=True)
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    channel: Mapped[str] = mapped_column(String(32), nullable=False)
    paid_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    reference: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    bill = relationship("Bill", back_populates="payments")


class VerificationAttempt(Base):
    __tablename__ = "verification_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_code: Mapped[str] = mapped_column(String(13), nullable=False)
    conversation_id: Mapped[str] = mapped_column(String(128), nullable=False)
    # keyed hash of the client address (widget, REST)
    address_key: Mapped[str | None] = mapped_column(String(32), nullable=True)
    succeeded: Mapped[bool] = mapped_column(Boolean, nullable=False)
    attempted_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    __table_args__ = (
        Index("ix_verification_code_time", "customer_code", "attempted_at"),
        Index("ix_verification_conversation", "conversation_id", "customer_code", "attempted_at"),
        Index("ix_verification_address_time", "address_key", "attempted_at"),
    )


class RateLimitEvent(Base):
    """One counted action (a filing, a handoff) of one source, for per-source limits."""

    __tablename__ = "rate_limit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(32), nullable=False)
    source_key: Mapped[str] = mapped_column(String(160), nullable=False)  # "c:<conversation>" or "a:<address hash>"
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    __table_args__ = (Index("ix_rate_limit_events_scope_key_at", "scope", "source_key", "at"),)


class ChannelToken(Base):
    """A platform's current token pair (Zalo's refresh token is single-use: the newest must survive)."""

    __tablename__ = "channel_tokens"
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    # hash of the configured refresh token this pair grew from
    seed: Mapped[str] = mapped_column(String(64), nullable=False)
    access_token: Mapped[str] = mapped_column(String(1000), nullable=False)
    refresh_token: Mapped[str] = mapped_column(String(1000), nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class SeenMessage(Base):
    """A platform message id already handled: a redelivered webhook is not answered twice."""

    __tablename__ = "seen_messages"
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)


class Tariff(Base):
    __tablename__ = "tariffs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tariff_group: Mapped[str] = mapped_column(String(32), nullable=False)
    effective_from: Mapped[date] = mapped_column(Date, nullable=False)
    decision: Mapped[str] = mapped_column(String(100), nullable=False)
    tiers = relationship("TariffTier", order_by="TariffTier.number", lazy="selectin")
    __table_args__ = (UniqueConstraint("tariff_group", "effective_from"),)


class TariffTier(Base):
    __tablename__ = "tariff_tiers"
    tariff_id: Mapped[int] = mapped_column(Integer, ForeignKey("tariffs.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    upper_kwh: Mapped[int | None] = mapped_column(Integer, nullable=True)
    price: Mapped[int] = mapped_column(Integer, nullable=False)


class VatRate(Base):
    __tablename__ = "vat_rates"
    effective_from: Mapped[date] = mapped_column(Date, primary_key=True)
    percent: Mapped[float] = mapped_column(Numeric(5, 2, asdecimal=False), nullable=False)
    basis: Mapped[str] = mapped_column(String(300), nullable=False)


class PaymentLink(Base):
    """A link sent in a chat to pay one bill; the token's id points here."""

    __tablename__ = "payment_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_id: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    bill_id: Mapped[int] = mapped_column(Integer, ForeignKey("bills.id"), nullable=False, index=True)
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    conversation_id: Mapped[str] = mapped_column(String(128), nullable=False)
    channel: Mapped[str] = mapped_column(String(32), nullable=False)
    # what the customer asked for: vnpay, momo, vietqr...
    method: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    # the pay page's first opening (the report's "opened")
    opened_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class PaymentOrder(Base):
    """One attempt to pay a link through a gateway; its reference is the gateway's order id."""

    __tablename__ = "payment_orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(34), nullable=False, unique=True)
    link_id: Mapped[int] = mapped_column(Integer, ForeignKey("payment_links.id"), nullable=False, index=True)
    bill_id: Mapped[int] = mapped_column(Integer, ForeignKey("bills.id"), nullable=False)
    gateway: Mapped[str] = mapped_column(String(16), nullable=False)
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # evn.domain.statuses.OrderStatus
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    gateway_transaction: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ServiceRequest(Base):
    """A service request or an outage report, with a ticket number a person can read out."""

    __tablename__ = "service_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket: Mapped[str] = mapped_column(String(20), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # evn.domain.statuses.RequestKind
    service_type: Mapped[str] = mapped_column(String(32), nullable=False)
    customer_code: Mapped[str | None] = mapped_column(String(13), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # evn.domain.statuses.RequestStatus
    priority: Mapped[str] = mapped_column(String(8), nullable=False, default="normal")
    details: Mapped[Any] = mapped_column(JSON, nullable=False)
    # outages: where, folded, for merging reports
    place_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    channel: Mapped[str] = mapped_column(String(32), nullable=False)
    conversation_id: Mapped[str] = mapped_column(String(128), nullable=False, index=True)
    # one filing per confirmed draft
    draft_key: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    events = relationship("RequestEvent", order_by="RequestEvent.at", lazy="selectin")
    __table_args__ = (Index("ix_service_requests_place", "kind", "place_key", "created_at"),)


class RequestEvent(Base):
    """The timeline of a request: received, assigned, in progress, done, cancelled, merged report."""

    __tablename__ = "request_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(Integer, ForeignKey("service_requests.id"), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    note: Mapped[str] = mapped_column(String(300), nullable=False, default="")


class Incident(Base):
    """An unplanned outage (evn.domain.incidents): the first report's ticket, its place, cause and estimate.

    `province`/`district`/`ward` are the keys of the area the place lies in (evn.domain.incidents.Area), when
    the address names a ward; the linked customers of that area hear of it. `follows_id` is the incident whose
    restoration did not reach this place (a customer still without power).
    """

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(Integer, ForeignKey("service_requests.id"), nullable=False, unique=True)
    place_key: Mapped[str] = mapped_column(String(200), nullable=False)
    province: Mapped[str | None] = mapped_column(String(60), nullable=True)
    district: Mapped[str | None] = mapped_column(String(60), nullable=True)
    ward: Mapped[str | None] = mapped_column(String(60), nullable=True)
    # what customers are told the place is: the area ("phường Bến Nghé, quận 1"), else the place as reported
    label: Mapped[str] = mapped_column(String(120), nullable=False)
    power_company: Mapped[str | None] = mapped_column(String(16), nullable=True)
    cause: Mapped[str | None] = mapped_column(String(16), nullable=True)  # evn.domain.incidents.Cause
    estimated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    restored_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    follows_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("incidents.id"), nullable=True)
    __table_args__ = (Index("ix_incidents_place", "place_key", "opened_at"),
                      Index("ix_incidents_area", "district", "ward", "opened_at"))


class IncidentReport(Base):
    """A conversation that reported an incident (the first report or one merged into it): told of each update."""

    __tablename__ = "incident_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(Integer, ForeignKey("incidents.id"), nullable=False)
    conversation_id: Mapped[str] = mapped_column(String(128), nullable=False)
    channel: Mapped[str] = mapped_column(String(32), nullable=False)
    customer_code: Mapped[str | None] = mapped_column(String(13), nullable=True)
    # the phone this reporter gave for the crew to call ("sđt 0908…" after the report)
    contact_phone: Mapped[str | None] = mapped_column(String(11), nullable=True)
    reported_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    __table_args__ = (UniqueConstraint("incident_id", "conversation_id", name="uq_incident_reports_conversation"),)


class IncidentUpdate(Base):
    """A step of an incident staff took (an estimate given or changed, the restoration): a notice's subject."""

    __tablename__ = "incident_updates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(Integer, ForeignKey("incidents.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # evn.domain.incidents.UpdateKind
    cause: Mapped[str | None] = mapped_column(String(16), nullable=True)
    estimated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    by: Mapped[str] = mapped_column(String(64), nullable=False)  # an agent's user name, or the back-office command


class Agent(Base):
    """A person who answers customers in the console (python -m evn.agents add <name>)."""

    __tablename__ = "agents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    display_name: Mapped[str] = mapped_column(String(100), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)  # argon2id (evn.adapters.passwords)
    # bumped on logout: older cookies refused
    session_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class Handoff(Base):
    """A conversation handed to a person: waiting, held by an agent, then closed with its outcome."""

    __tablename__ = "handoffs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(128), nullable=False, index=True)
    channel: Mapped[str] = mapped_column(String(32), nullable=False)
    reason: Mapped[str] = mapped_column(String(32), nullable=False)  # asked | fallbacks | complaint
    transcript: Mapped[Any] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # evn.domain.statuses.HandoffStatus
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    # the customer's last words before asking, masked
    question: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # the customer verified in that conversation, if any
    verified_code: Mapped[str | None] = mapped_column(String(13), nullable=True)
    agent_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("agents.id"), nullable=True, index=True)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)  # evn.domain.statuses.HandoffOutcome
    outcome_note: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # when the customer was told nobody took it in time
    unanswered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    __table_args__ = (Index("ix_handoffs_status_created", "status", "created_at"),)


class SatisfactionRating(Base):
    """One question of how the customer felt (evn.domain.satisfaction), put after something finished: what it
    followed (topic, and the ticket, handoff or payment as `subject`), the channel, the agent of a handoff; then
    the score and the comment, masked, if the customer answered, and the callback a low score asked for. A row
    without a score is a question left unanswered."""

    __tablename__ = "satisfaction_ratings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(128), nullable=False)
    channel: Mapped[str] = mapped_column(String(32), nullable=False)
    topic: Mapped[str] = mapped_column(String(16), nullable=False)  # evn.domain.satisfaction.Topic
    subject: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    agent_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("agents.id"), nullable=True)
    asked_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    comment: Mapped[str | None] = mapped_column(String(500), nullable=True)
    callback_ticket: Mapped[str | None] = mapped_column(String(20), nullable=True)
    __table_args__ = (
        Index("ix_satisfaction_conversation", "conversation_id", "asked_at"),
        Index("ix_satisfaction_asked", "asked_at"),
        Index("ix_satisfaction_agent", "agent_id", "answered_at"),
    )


class AccountLink(Base):
    """A customer code a channel user asked the assistant to remember: the consent record itself.

    One row per linking (time, channel, the channel's own user id, code); unlinking stamps it, so the
    history of consents stays. `active_key` is set only while the link holds and is unique, so a
    code is linked once per conversation at a time (NULLs do not collide). A link unused (no
    recognition through it) for evn.domain.account_links.UNUSED_FOR is treated as absent.
    """

    __tablename__ = "account_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(128), nullable=False, index=True)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    channel_user: Mapped[str] = mapped_column(String(64), nullable=False)
    customer_code: Mapped[str] = mapped_column(String(13), nullable=False, index=True)
    linked_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    unlinked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    active_key: Mapped[str | None] = mapped_column(String(160), nullable=True, unique=True)
    # the last recognition through it; NULL: none since linking
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # evn.domain.account_links.LinkEnd, when it ended
    ended_by: Mapped[str | None] = mapped_column(String(16), nullable=True)


class AgentAudit(Base):
    """Everything an agent does: who, when, which conversation, what (a reply's text included)."""

    __tablename__ = "agent_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("agents.id"), nullable=True, index=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)  # evn.domain.statuses.AgentAction
    handoff_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    conversation_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    detail: Mapped[Any] = mapped_column(JSON, nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)


class AgentLoginLimit(Base):
    """A counter of the console's login limits (evn.domain.login_limits): per user name, per source, per pair.

    A login counts its attempt under this row's lock before the password is checked (kind, username,
    source is unique, so the row is made once), so racing logins cannot check more than the limits allow.
    """

    __tablename__ = "agent_login_limits"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)  # name | source | pair
    username: Mapped[str] = mapped_column(String(64), nullable=False)  # "" in a source's row
    # the client address (IPv6: its /64); "" in a name's row
    source: Mapped[str] = mapped_column(String(64), nullable=False)
    # a pair's failed checks since its last success
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # a name's or a source's failures repaid at this time
    paced_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    __table_args__ = (UniqueConstraint("kind", "username", "source"),)


class OutboxMessage(Base):
    """A side effect decided in a transaction (a message to a chat, a notice), delivered after it.

    Written in the same transaction as the change it announces, so it is never lost;
    `key` is unique, so one event is announced once; the dispatcher retries with backoff.
    """

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    key: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    payload: Mapped[Any] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # evn.domain.statuses.OutboxStatus
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)


class Notice(Base):
    """What the assistant tells a channel user unasked, and what became of it: the notices' own outbox.

    One row per event and channel user, by the unique key (kind, subject, channel, channel_user):
    a scan run twice, or two scanners, cannot notify twice. `subject` names the event's row (a
    bill id, an outage id, a request event id, a payment reference); the words are rendered from
    it at delivery. `status` is evn.domain.notices.NoticeStatus; `route` how it went (chat, zns,
    utility template) and `result` the platform's message id or the reason it did not go.
    """

    __tablename__ = "notices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    subject: Mapped[str] = mapped_column(String(64), nullable=False)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    channel_user: Mapped[str] = mapped_column(String(64), nullable=False)
    conversation_id: Mapped[str] = mapped_column(String(128), nullable=False)
    customer_code: Mapped[str] = mapped_column(String(13), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    route: Mapped[str | None] = mapped_column(String(16), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    result: Mapped[str | None] = mapped_column(String(300), nullable=True)
    __table_args__ = (
        UniqueConstraint("kind", "subject", "channel", "channel_user", name="uq_notices_event_user"),
        Index("ix_notices_due", "status", "next_attempt_at"),
        Index("ix_notices_conversation_status", "conversation_id", "status"),
    )


class NoticePreference(Base):
    """A channel user's "ngừng nhận thông báo": one row per kind stopped ("all" for every kind)."""

    __tablename__ = "notice_preferences"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    channel_user: Mapped[str] = mapped_column(String(64), nullable=False)
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    __table_args__ = (
        UniqueConstraint("channel", "channel_user", "kind", name="uq_notice_preferences_user_kind"),
    )


class NoticeCursor(Base):
    """How far a scanner has read a growing table (the last bill id it turned into notices)."""

    __tablename__ = "notice_cursors"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class WidgetSessionRevocation(Base):
    """A widget session ended by its customer (↺, a new conversation): its token no longer opens the
    conversation, in any Rasa process. Kept while a token of it could still be unexpired."""

    __tablename__ = "widget_session_revocations"
    conversation_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    revoked_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)


class WidgetPresence(Base):
    """How many sockets a widget conversation has open (across Rasa processes): a notice for a closed
    widget waits, and is sent when the customer next opens it."""

    __tablename__ = "widget_presence"
    conversation_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    sockets: Mapped[int] = mapped_column(Integer, nullable=False)
    seen_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
