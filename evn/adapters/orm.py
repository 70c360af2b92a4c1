"""Database tables. The schema itself is owned by the Alembic migrations in migrations/."""
from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
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
from sqlalchemy.orm import declarative_base, relationship

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
    code = Column(String(16), primary_key=True)
    name = Column(String(200), nullable=False)
    prefix = Column(String(2), nullable=False, unique=True)
    hotline = Column(String(32), nullable=False)


class Customer(Base):
    __tablename__ = "customers"
    id = Column(Integer, primary_key=True)
    code = Column(String(13), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    phone = Column(String(11), nullable=False)
    address = Column(String(300), nullable=False)
    power_company = Column(String(16), ForeignKey("power_companies.code"), nullable=False)
    tariff_group = Column(String(32), nullable=False, default="residential")


class Meter(Base):
    __tablename__ = "meters"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    serial = Column(String(32), nullable=False, unique=True)
    installed_on = Column(Date, nullable=False)


class MeterReading(Base):
    __tablename__ = "meter_readings"
    id = Column(Integer, primary_key=True)
    meter_id = Column(Integer, ForeignKey("meters.id"), nullable=False)
    read_on = Column(Date, nullable=False)
    value = Column(Integer, nullable=False)
    __table_args__ = (UniqueConstraint("meter_id", "read_on"),)


class Bill(Base):
    __tablename__ = "bills"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    period = Column(Integer, nullable=False)  # yyyymm
    period_start = Column(Date, nullable=False)
    period_end = Column(Date, nullable=False)
    old_reading = Column(Integer, nullable=False)
    new_reading = Column(Integer, nullable=False)
    kwh = Column(Integer, nullable=False)
    amount_before_vat = Column(Integer, nullable=False)
    vat_percent = Column(Numeric(5, 2, asdecimal=False), nullable=False)  # floats: SQLite has no decimal
    vat_amount = Column(Integer, nullable=False)
    total = Column(Integer, nullable=False)
    issued_on = Column(Date, nullable=False)
    due_date = Column(Date, nullable=False)
    status = Column(String(16), nullable=False)  # evn.domain.statuses.BillStatus
    tier_breakdown = Column(JSON, nullable=False)  # [[tier, kwh, price], ...]
    payments = relationship("Payment", back_populates="bill", order_by="Payment.paid_at")
    __table_args__ = (
        UniqueConstraint("customer_id", "period"),
        Index("ix_bills_status_customer", "status", "customer_id"),
        Index("ix_bills_period", "period"),
        Index("ix_bills_due_date", "due_date"),  # the reminder scans
    )


class Payment(Base):
    __tablename__ = "payments"
    id = Column(Integer, primary_key=True)
    bill_id = Column(Integer, ForeignKey("bills.id"), nullable=False, index=True)
    amount = Column(Integer, nullable=False)
    channel = Column(String(32), nullable=False)
    paid_at = Column(DateTime, nullable=False)
    reference = Column(String(64), nullable=False, unique=True)
    bill = relationship("Bill", back_populates="payments")


class VerificationAttempt(Base):
    __tablename__ = "verification_attempts"
    id = Column(Integer, primary_key=True)
    customer_code = Column(String(13), nullable=False)
    conversation_id = Column(String(128), nullable=False)
    address_key = Column(String(32), nullable=True)  # keyed hash of the client address (widget, REST)
    succeeded = Column(Boolean, nullable=False)
    attempted_at = Column(DateTime, nullable=False)
    __table_args__ = (
        Index("ix_verification_code_time", "customer_code", "attempted_at"),
        Index("ix_verification_conversation", "conversation_id", "customer_code", "attempted_at"),
        Index("ix_verification_address_time", "address_key", "attempted_at"),
    )


class RateLimitEvent(Base):
    """One counted action (a filing, a handoff) of one source, for per-source limits."""

    __tablename__ = "rate_limit_events"
    id = Column(Integer, primary_key=True)
    scope = Column(String(32), nullable=False)
    source_key = Column(String(160), nullable=False)  # "c:<conversation>" or "a:<address hash>"
    at = Column(DateTime, nullable=False)
    __table_args__ = (Index("ix_rate_limit_events_scope_key_at", "scope", "source_key", "at"),)


class ChannelToken(Base):
    """A platform's current token pair (Zalo's refresh token is single-use: the newest must survive)."""

    __tablename__ = "channel_tokens"
    channel = Column(String(16), primary_key=True)
    seed = Column(String(64), nullable=False)  # hash of the configured refresh token this pair grew from
    access_token = Column(String(1000), nullable=False)
    refresh_token = Column(String(1000), nullable=False)
    expires_at = Column(DateTime, nullable=True)
    updated_at = Column(DateTime, nullable=False)


class SeenMessage(Base):
    """A platform message id already handled: a redelivered webhook is not answered twice."""

    __tablename__ = "seen_messages"
    channel = Column(String(16), primary_key=True)
    message_id = Column(String(128), primary_key=True)
    seen_at = Column(DateTime, nullable=False, index=True)


class Tariff(Base):
    __tablename__ = "tariffs"
    id = Column(Integer, primary_key=True)
    tariff_group = Column(String(32), nullable=False)
    effective_from = Column(Date, nullable=False)
    decision = Column(String(100), nullable=False)
    tiers = relationship("TariffTier", order_by="TariffTier.number", lazy="selectin")
    __table_args__ = (UniqueConstraint("tariff_group", "effective_from"),)


class TariffTier(Base):
    __tablename__ = "tariff_tiers"
    tariff_id = Column(Integer, ForeignKey("tariffs.id"), primary_key=True)
    number = Column(Integer, primary_key=True)
    upper_kwh = Column(Integer, nullable=True)
    price = Column(Integer, nullable=False)


class VatRate(Base):
    __tablename__ = "vat_rates"
    effective_from = Column(Date, primary_key=True)
    percent = Column(Numeric(5, 2, asdecimal=False), nullable=False)
    basis = Column(String(300), nullable=False)


class PaymentLink(Base):
    """A link sent in a chat to pay one bill; the token's id points here."""

    __tablename__ = "payment_links"
    id = Column(Integer, primary_key=True)
    token_id = Column(String(64), nullable=False, unique=True)
    bill_id = Column(Integer, ForeignKey("bills.id"), nullable=False, index=True)
    amount = Column(Integer, nullable=False)
    conversation_id = Column(String(128), nullable=False)
    channel = Column(String(32), nullable=False)
    method = Column(String(32), nullable=True)  # what the customer asked for: vnpay, momo, vietqr...
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    opened_at = Column(DateTime, nullable=True)  # the pay page's first opening (the report's "opened")


class PaymentOrder(Base):
    """One attempt to pay a link through a gateway; its reference is the gateway's order id."""

    __tablename__ = "payment_orders"
    id = Column(Integer, primary_key=True)
    reference = Column(String(34), nullable=False, unique=True)
    link_id = Column(Integer, ForeignKey("payment_links.id"), nullable=False, index=True)
    bill_id = Column(Integer, ForeignKey("bills.id"), nullable=False)
    gateway = Column(String(16), nullable=False)
    amount = Column(Integer, nullable=False)
    status = Column(String(16), nullable=False)  # evn.domain.statuses.OrderStatus
    created_at = Column(DateTime, nullable=False)
    completed_at = Column(DateTime, nullable=True)
    gateway_transaction = Column(String(64), nullable=True)


class ServiceRequest(Base):
    """A service request or an outage report, with a ticket number a person can read out."""

    __tablename__ = "service_requests"
    id = Column(Integer, primary_key=True)
    ticket = Column(String(20), nullable=False, unique=True)
    kind = Column(String(16), nullable=False)  # evn.domain.statuses.RequestKind
    service_type = Column(String(32), nullable=False)
    customer_code = Column(String(13), nullable=True, index=True)
    status = Column(String(16), nullable=False)  # evn.domain.statuses.RequestStatus
    priority = Column(String(8), nullable=False, default="normal")
    details = Column(JSON, nullable=False)
    place_key = Column(String(200), nullable=True)  # outages: where, folded, for merging reports
    channel = Column(String(32), nullable=False)
    conversation_id = Column(String(128), nullable=False, index=True)
    draft_key = Column(String(64), nullable=True, unique=True)  # one filing per confirmed draft
    created_at = Column(DateTime, nullable=False)
    due_date = Column(Date, nullable=True)
    events = relationship("RequestEvent", order_by="RequestEvent.at", lazy="selectin")
    __table_args__ = (Index("ix_service_requests_place", "kind", "place_key", "created_at"),)


class RequestEvent(Base):
    """The timeline of a request: received, assigned, in progress, done, cancelled, merged report."""

    __tablename__ = "request_events"
    id = Column(Integer, primary_key=True)
    request_id = Column(Integer, ForeignKey("service_requests.id"), nullable=False, index=True)
    status = Column(String(16), nullable=False)
    at = Column(DateTime, nullable=False)
    note = Column(String(300), nullable=False, default="")


class Agent(Base):
    """A person who answers customers in the console (python -m evn.agents add <name>)."""

    __tablename__ = "agents"
    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    display_name = Column(String(100), nullable=False)
    password_hash = Column(String(200), nullable=False)  # argon2id (evn.adapters.passwords)
    session_version = Column(Integer, nullable=False, default=0)  # bumped on logout: older cookies refused
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False)


class Handoff(Base):
    """A conversation handed to a person: waiting, held by an agent, then closed with its outcome."""

    __tablename__ = "handoffs"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    reason = Column(String(32), nullable=False)  # asked | fallbacks | complaint
    transcript = Column(JSON, nullable=False)
    status = Column(String(16), nullable=False)  # evn.domain.statuses.HandoffStatus
    created_at = Column(DateTime, nullable=False)
    question = Column(String(500), nullable=True)  # the customer's last words before asking, masked
    verified_code = Column(String(13), nullable=True)  # the customer verified in that conversation, if any
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=True, index=True)
    taken_at = Column(DateTime, nullable=True)
    closed_at = Column(DateTime, nullable=True)
    outcome = Column(String(16), nullable=True)  # evn.domain.statuses.HandoffOutcome
    outcome_note = Column(String(200), nullable=True)
    unanswered_at = Column(DateTime, nullable=True)  # when the customer was told nobody took it in time
    __table_args__ = (Index("ix_handoffs_status_created", "status", "created_at"),)


class AccountLink(Base):
    """A customer code a channel user asked the assistant to remember: the consent record itself.

    One row per linking (time, channel, the channel's own user id, code); unlinking stamps it, so the
    history of consents stays. `active_key` is set only while the link holds and is unique, so a
    code is linked once per conversation at a time (NULLs do not collide). A link unused (no
    recognition through it) for evn.domain.account_links.UNUSED_FOR is treated as absent.
    """

    __tablename__ = "account_links"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    channel_user = Column(String(64), nullable=False)
    customer_code = Column(String(13), nullable=False, index=True)
    linked_at = Column(DateTime, nullable=False)
    unlinked_at = Column(DateTime, nullable=True)
    active_key = Column(String(160), nullable=True, unique=True)
    last_used_at = Column(DateTime, nullable=True)  # the last recognition through it; NULL: none since linking
    ended_by = Column(String(16), nullable=True)  # evn.domain.account_links.LinkEnd, when it ended


class AgentAudit(Base):
    """Everything an agent does: who, when, which conversation, what (a reply's text included)."""

    __tablename__ = "agent_audit"
    id = Column(Integer, primary_key=True)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=True, index=True)
    username = Column(String(64), nullable=False)
    action = Column(String(32), nullable=False)  # evn.domain.statuses.AgentAction
    handoff_id = Column(Integer, nullable=True, index=True)
    conversation_id = Column(String(128), nullable=True)
    detail = Column(JSON, nullable=False)
    at = Column(DateTime, nullable=False, index=True)


class AgentLoginLimit(Base):
    """A counter of the console's login limits (evn.domain.login_limits): per user name, per source, per pair.

    A login counts its attempt under this row's lock before the password is checked (kind, username,
    source is unique, so the row is made once), so racing logins cannot check more than the limits allow.
    """

    __tablename__ = "agent_login_limits"
    id = Column(Integer, primary_key=True)
    kind = Column(String(8), nullable=False)  # name | source | pair
    username = Column(String(64), nullable=False)  # "" in a source's row
    source = Column(String(64), nullable=False)  # the client address (IPv6: its /64); "" in a name's row
    failures = Column(Integer, nullable=False, default=0)  # a pair's failed checks since its last success
    last_failure_at = Column(DateTime, nullable=True)
    paced_until = Column(DateTime, nullable=True)  # a name's or a source's failures repaid at this time
    updated_at = Column(DateTime, nullable=False, index=True)
    __table_args__ = (UniqueConstraint("kind", "username", "source"),)


class OutboxMessage(Base):
    """A side effect decided in a transaction (a message to a chat, a notice), delivered after it.

    Written in the same transaction as the change it announces, so it is never lost;
    `key` is unique, so one event is announced once; the dispatcher retries with backoff.
    """

    __tablename__ = "outbox"
    id = Column(Integer, primary_key=True)
    kind = Column(String(32), nullable=False)
    key = Column(String(200), nullable=False, unique=True)
    payload = Column(JSON, nullable=False)
    status = Column(String(16), nullable=False)  # evn.domain.statuses.OutboxStatus
    attempts = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False)
    next_attempt_at = Column(DateTime, nullable=False)
    delivered_at = Column(DateTime, nullable=True)
    last_error = Column(String(300), nullable=True)
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
    id = Column(Integer, primary_key=True)
    kind = Column(String(24), nullable=False)
    subject = Column(String(64), nullable=False)
    channel = Column(String(16), nullable=False)
    channel_user = Column(String(64), nullable=False)
    conversation_id = Column(String(128), nullable=False)
    customer_code = Column(String(13), nullable=False, index=True)
    status = Column(String(16), nullable=False)
    route = Column(String(16), nullable=True)
    attempts = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False)
    next_attempt_at = Column(DateTime, nullable=False)
    sent_at = Column(DateTime, nullable=True)
    result = Column(String(300), nullable=True)
    __table_args__ = (
        UniqueConstraint("kind", "subject", "channel", "channel_user", name="uq_notices_event_user"),
        Index("ix_notices_due", "status", "next_attempt_at"),
        Index("ix_notices_conversation_status", "conversation_id", "status"),
    )


class NoticePreference(Base):
    """A channel user's "ngừng nhận thông báo": one row per kind stopped ("all" for every kind)."""

    __tablename__ = "notice_preferences"
    id = Column(Integer, primary_key=True)
    channel = Column(String(16), nullable=False)
    channel_user = Column(String(64), nullable=False)
    kind = Column(String(24), nullable=False)
    created_at = Column(DateTime, nullable=False)
    __table_args__ = (
        UniqueConstraint("channel", "channel_user", "kind", name="uq_notice_preferences_user_kind"),
    )


class NoticeCursor(Base):
    """How far a scanner has read a growing table (the last bill id it turned into notices)."""

    __tablename__ = "notice_cursors"
    name = Column(String(32), primary_key=True)
    position = Column(Integer, nullable=False)
    updated_at = Column(DateTime, nullable=False)


class WidgetSessionRevocation(Base):
    """A widget session ended by its customer (↺, a new conversation): its token no longer opens the
    conversation, in any Rasa process. Kept while a token of it could still be unexpired."""

    __tablename__ = "widget_session_revocations"
    conversation_id = Column(String(128), primary_key=True)
    revoked_at = Column(DateTime, nullable=False, index=True)


class WidgetPresence(Base):
    """How many sockets a widget conversation has open (across Rasa processes): a notice for a closed
    widget waits, and is sent when the customer next opens it."""

    __tablename__ = "widget_presence"
    conversation_id = Column(String(128), primary_key=True)
    sockets = Column(Integer, nullable=False)
    seen_at = Column(DateTime, nullable=False)
