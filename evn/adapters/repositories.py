"""Every query the services need, one repository per aggregate, all on the unit of work's session.

Services never see the session: they ask a repository, which builds and finds rows.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Integer, String, and_, cast, delete, exists, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, selectinload

from evn.adapters import orm
from evn.domain import account_links
from evn.domain import tariff as tariff_rules
from evn.domain.notices import NoticeStatus
from evn.domain.statuses import (
    OPEN_REQUEST_STATUSES,
    BillStatus,
    HandoffStatus,
    OrderStatus,
    OutboxStatus,
    RequestKind,
    RequestStatus,
)


class Repository:
    """One aggregate's queries on the unit of work's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _insert(self, table: Any) -> Any:
        """An INSERT with the dialect's ON CONFLICT clauses (PostgreSQL's or SQLite's, the same SQL)."""
        if self.session.get_bind().dialect.name == "postgresql":
            return postgresql_insert(table)
        return sqlite_insert(table)

    def _one(self, query: Any) -> Any:
        return self.session.execute(query).scalar_one_or_none()


class CustomerRepository(Repository):
    def get_by_code(self, code: str) -> orm.Customer | None:
        return self._one(select(orm.Customer).where(orm.Customer.code == code))

    def get(self, customer_id: int) -> orm.Customer | None:
        return self.session.get(orm.Customer, customer_id)

    def count(self) -> int:
        return self.session.execute(select(func.count(orm.Customer.id))).scalar_one()


class BillRepository(Repository):

    def get(self, bill_id: int) -> orm.Bill | None:
        return self.session.get(orm.Bill, bill_id)

    def for_period(self, customer_id: int, period_key: int) -> orm.Bill | None:
        return self._one(
            select(orm.Bill)
            .options(selectinload(orm.Bill.payments))
            .where(orm.Bill.customer_id == customer_id, orm.Bill.period == period_key)
        )

    def latest(self, customer_id: int, count: int = 1) -> list[orm.Bill]:
        """Newest first."""
        return list(
            self.session.execute(
                select(orm.Bill)
                .options(selectinload(orm.Bill.payments))
                .where(orm.Bill.customer_id == customer_id)
                .order_by(orm.Bill.period.desc())
                .limit(count)
            ).scalars()
        )

    def up_to(self, customer_id: int, period_key: int, count: int) -> list[orm.Bill]:
        """The bill of `period_key` and the ones before it, newest first."""
        return list(
            self.session.execute(
                select(orm.Bill)
                .options(selectinload(orm.Bill.payments))
                .where(orm.Bill.customer_id == customer_id, orm.Bill.period <= period_key)
                .order_by(orm.Bill.period.desc())
                .limit(count)
            ).scalars()
        )

    def earliest_period(self, customer_id: int) -> int | None:
        return self.session.execute(
            select(func.min(orm.Bill.period)).where(orm.Bill.customer_id == customer_id)
        ).scalar_one()

    def unpaid(self, customer_id: int) -> list[orm.Bill]:
        return list(
            self.session.execute(
                select(orm.Bill)
                .options(selectinload(orm.Bill.payments))
                .where(orm.Bill.customer_id == customer_id, orm.Bill.status == BillStatus.UNPAID.value)
                .order_by(orm.Bill.period)
            ).scalars()
        )

    def mark_paid(self, bill_id: int) -> bool:
        """unpaid -> paid, once: a bill paid through another order is not paid twice."""
        result = self.session.execute(
            update(orm.Bill)
            .where(orm.Bill.id == bill_id, orm.Bill.status == BillStatus.UNPAID.value)
            .values(status=BillStatus.PAID.value)
        )
        return result.rowcount == 1


class ReferenceRepository(Repository):
    """Tariffs, VAT rates and power companies, as the domain's value objects."""

    def tariffs(self, group: str = "residential") -> list[tariff_rules.Tariff]:
        rows = self.session.execute(
            select(orm.Tariff).where(orm.Tariff.tariff_group == group).order_by(orm.Tariff.effective_from)
        ).scalars()
        return [
            tariff_rules.Tariff(
                effective_from=row.effective_from,
                decision=row.decision,
                tiers=tuple(tariff_rules.Tier(t.number, t.upper_kwh, t.price) for t in row.tiers),
            )
            for row in rows
        ]

    def vat_rates(self) -> list[tariff_rules.VatRate]:
        rows = self.session.execute(select(orm.VatRate).order_by(orm.VatRate.effective_from)).scalars()
        return [tariff_rules.VatRate(row.effective_from, Decimal(str(row.percent))) for row in rows]

    def power_company(self, code: str) -> orm.PowerCompany | None:
        return self.session.get(orm.PowerCompany, code)

    def power_company_for_prefix(self, prefix: str) -> orm.PowerCompany | None:
        return self._one(select(orm.PowerCompany).where(orm.PowerCompany.prefix == prefix.upper()))


class VerificationRepository(Repository):

    def record(
        self, code: str, conversation_id: str, succeeded: bool, at: datetime, address_key: str | None = None
    ) -> None:
        self.session.add(
            orm.VerificationAttempt(
                customer_code=code, conversation_id=conversation_id, address_key=address_key,
                succeeded=succeeded, attempted_at=at,
            )
        )
        self.session.flush()

    def last_success(self, conversation_id: str, code: str | None = None) -> datetime | None:
        """The conversation's last success for `code` (for any code when None)."""
        query = select(func.max(orm.VerificationAttempt.attempted_at)).where(
            orm.VerificationAttempt.conversation_id == conversation_id,
            orm.VerificationAttempt.succeeded.is_(True),
        )
        if code is not None:
            query = query.where(orm.VerificationAttempt.customer_code == code)
        return self.session.execute(query).scalar_one()

    def failures(
        self, since: datetime, *, code: str | None = None, conversation_id: str | None = None,
        address_key: str | None = None, conversation_or_address: tuple[str, str | None] | None = None,
    ) -> Sequence[datetime]:
        """Times of misses after `since`, narrowed by any of code, conversation, address."""
        attempt = orm.VerificationAttempt
        query = select(attempt.attempted_at).where(attempt.succeeded.is_(False), attempt.attempted_at > since)
        if code is not None:
            query = query.where(attempt.customer_code == code)
        if conversation_id is not None:
            query = query.where(attempt.conversation_id == conversation_id)
        if address_key is not None:
            query = query.where(attempt.address_key == address_key)
        if conversation_or_address is not None:
            conversation, address = conversation_or_address
            either = attempt.conversation_id == conversation
            if address is not None:
                either = or_(either, attempt.address_key == address)
            query = query.where(either)
        return self.session.execute(query.order_by(attempt.attempted_at)).scalars().all()


class RateLimitRepository(Repository):
    """Counted actions per source, for the limits in evn.domain.rate_limits."""

    def count(self, scope: str, source_key: str, since: datetime) -> Sequence[datetime]:
        return self.session.execute(
            select(orm.RateLimitEvent.at).where(
                orm.RateLimitEvent.scope == scope, orm.RateLimitEvent.source_key == source_key,
                orm.RateLimitEvent.at > since,
            ).order_by(orm.RateLimitEvent.at)
        ).scalars().all()

    def add(self, scope: str, source_key: str, at: datetime) -> None:
        self.session.add(orm.RateLimitEvent(scope=scope, source_key=source_key, at=at))


class ChannelStateRepository(Repository):
    """Platform tokens and message ids already handled, shared by every Rasa process."""

    def tokens(self, channel: str) -> orm.ChannelToken | None:
        return self.session.get(orm.ChannelToken, channel)

    def save_tokens(
        self, channel: str, seed: str, access: str, refresh: str, expires_at: datetime | None, at: datetime
    ) -> None:
        row = self.session.get(orm.ChannelToken, channel)
        if row is None:
            self.session.add(orm.ChannelToken(
                channel=channel, seed=seed, access_token=access, refresh_token=refresh, expires_at=expires_at,
                updated_at=at,
            ))
        else:
            row.seed, row.access_token, row.refresh_token = seed, access, refresh
            row.expires_at, row.updated_at = expires_at, at

    def add_seen(self, channel: str, message_id: str, at: datetime) -> bool:
        """False when this id was seen before (on this channel)."""
        try:
            with self.session.begin_nested():
                self.session.add(orm.SeenMessage(channel=channel, message_id=message_id, seen_at=at))
        except IntegrityError:
            return False
        return True

    def forget_seen_before(self, before: datetime) -> int:
        return self.session.execute(delete(orm.SeenMessage).where(orm.SeenMessage.seen_at < before)).rowcount


class PaymentRepository(Repository):
    """Links, gateway orders and the conditional updates that keep money from doubling."""

    def add_link(self, **fields: Any) -> orm.PaymentLink:
        link = orm.PaymentLink(**fields)
        self.session.add(link)
        self.session.flush()
        return link

    def link(self, token_id: str) -> orm.PaymentLink | None:
        return self._one(select(orm.PaymentLink).where(orm.PaymentLink.token_id == token_id))

    def link_by_id(self, link_id: int) -> orm.PaymentLink | None:
        return self.session.get(orm.PaymentLink, link_id)

    def mark_opened(self, token_id: str, at: datetime) -> None:
        """The first opening only: a conditional update, so a reload or two tabs keep the first time."""
        self.session.execute(
            update(orm.PaymentLink).where(orm.PaymentLink.token_id == token_id, orm.PaymentLink.opened_at.is_(None))
            .values(opened_at=at)
        )

    def add_order(self, **fields: Any) -> orm.PaymentOrder:
        order = orm.PaymentOrder(status=OrderStatus.PENDING.value, **fields)
        self.session.add(order)
        self.session.flush()
        return order

    def order(self, reference: str) -> orm.PaymentOrder | None:
        return self._one(select(orm.PaymentOrder).where(orm.PaymentOrder.reference == reference))

    def close_order(self, reference: str, status: OrderStatus, at: datetime, transaction: str | None) -> bool:
        """pending -> status, once: the second of two racing callbacks gets False."""
        result = self.session.execute(
            update(orm.PaymentOrder)
            .where(orm.PaymentOrder.reference == reference, orm.PaymentOrder.status == OrderStatus.PENDING.value)
            .values(status=status.value, completed_at=at, gateway_transaction=transaction)
        )
        return result.rowcount == 1

    def set_order_status(self, reference: str, status: OrderStatus) -> None:
        self.session.execute(
            update(orm.PaymentOrder).where(orm.PaymentOrder.reference == reference).values(status=status.value)
        )

    def by_reference(self, reference: str) -> orm.Payment | None:
        return self._one(select(orm.Payment).where(orm.Payment.reference == reference))

    def add_payment(self, **fields: Any) -> None:
        """Raises IntegrityError (at flush) when this reference was recorded already."""
        self.session.add(orm.Payment(**fields))
        self.session.flush()


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
        """Newest first: those filed in this conversation, and those of this (verified) customer."""
        owner = orm.ServiceRequest.conversation_id == conversation_id
        if code:
            owner = owner | (orm.ServiceRequest.customer_code == code)
        return list(self.session.execute(
            select(orm.ServiceRequest).where(owner).order_by(orm.ServiceRequest.created_at.desc()).limit(limit)
        ).scalars())

    def open_outage_at(self, place_key: str, since: datetime) -> orm.ServiceRequest | None:
        """The oldest open outage report of this place filed after `since`."""
        return self.session.execute(
            select(orm.ServiceRequest).where(
                orm.ServiceRequest.kind == RequestKind.OUTAGE.value,
                orm.ServiceRequest.place_key == place_key,
                orm.ServiceRequest.status.in_([s.value for s in OPEN_REQUEST_STATUSES]),
                orm.ServiceRequest.created_at > since,
            ).order_by(orm.ServiceRequest.created_at)
        ).scalars().first()


class HandoffRepository(Repository):

    def get(self, handoff_id: int) -> orm.Handoff | None:
        return self.session.get(orm.Handoff, handoff_id)

    def waiting_for(self, conversation_id: str) -> orm.Handoff | None:
        """The conversation's handoff that is not closed yet (waiting or held by an agent)."""
        return self.session.execute(
            select(orm.Handoff).where(
                orm.Handoff.conversation_id == conversation_id,
                orm.Handoff.status.in_([HandoffStatus.OPEN.value, HandoffStatus.TAKEN.value]),
            ).order_by(orm.Handoff.id.desc())
        ).scalars().first()

    def add(self, **values: Any) -> orm.Handoff:
        handoff = orm.Handoff(status=HandoffStatus.OPEN.value, **values)
        self.session.add(handoff)
        self.session.flush()
        return handoff

    def waiting(self) -> list[orm.Handoff]:
        """Oldest first."""
        return list(self.session.execute(
            select(orm.Handoff).where(orm.Handoff.status == HandoffStatus.OPEN.value)
            .order_by(orm.Handoff.created_at, orm.Handoff.id)
        ).scalars())

    def position(self, handoff: orm.Handoff) -> int:
        """1 for the oldest waiting conversation."""
        return self.session.execute(
            select(func.count(orm.Handoff.id)).where(
                orm.Handoff.status == HandoffStatus.OPEN.value,
                or_(orm.Handoff.created_at < handoff.created_at,
                    (orm.Handoff.created_at == handoff.created_at) & (orm.Handoff.id <= handoff.id)),
            )
        ).scalar_one()

    def held_by(self, agent_id: int) -> list[orm.Handoff]:
        return list(self.session.execute(
            select(orm.Handoff).where(orm.Handoff.status == HandoffStatus.TAKEN.value, orm.Handoff.agent_id == agent_id)
            .order_by(orm.Handoff.taken_at)
        ).scalars())

    def take(self, handoff_id: int, agent_id: int, at: datetime) -> bool:
        """One conditional UPDATE: of two agents taking the same conversation, exactly one gets True."""
        result = self.session.execute(
            update(orm.Handoff)
            .where(orm.Handoff.id == handoff_id, orm.Handoff.status == HandoffStatus.OPEN.value)
            .values(status=HandoffStatus.TAKEN.value, agent_id=agent_id, taken_at=at)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    def close(self, handoff_id: int, from_status: str, at: datetime, outcome: str, note: str | None,
              agent_id: int | None = None) -> bool:
        """Closes a handoff still in `from_status` (held by `agent_id` when given); False when it was not."""
        condition = [orm.Handoff.id == handoff_id, orm.Handoff.status == from_status]
        if agent_id is not None:
            condition.append(orm.Handoff.agent_id == agent_id)
        result = self.session.execute(
            update(orm.Handoff).where(*condition)
            .values(status=HandoffStatus.CLOSED.value, closed_at=at, outcome=outcome, outcome_note=note)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    def unanswered(self, waited_since: datetime, limit: int = 100) -> list[orm.Handoff]:
        """Waiting since before `waited_since` and the customer not told yet."""
        return list(self.session.execute(
            select(orm.Handoff).where(
                orm.Handoff.status == HandoffStatus.OPEN.value, orm.Handoff.unanswered_at.is_(None),
                orm.Handoff.created_at <= waited_since,
            ).order_by(orm.Handoff.created_at).limit(limit)
        ).scalars())


class AccountLinkRepository(Repository):
    """Links that hold: not ended, and used (or made) since evn.domain.account_links.fresh_since(now).

    Every read takes `now`, so an expired link is absent from recognition, lists and notices
    alike, decided in SQL (`holding`), with nothing to sweep.
    """

    def active(self, conversation_id: str, now: datetime) -> list[orm.AccountLink]:
        """The conversation's links that hold, oldest first."""
        return list(self.session.execute(
            select(orm.AccountLink).where(orm.AccountLink.conversation_id == conversation_id, holding(now))
            .order_by(orm.AccountLink.linked_at, orm.AccountLink.id)
        ).scalars())

    def expired(self, conversation_id: str, now: datetime) -> list[orm.AccountLink]:
        """The conversation's links not ended but unused too long, oldest first (its user was not told yet)."""
        link = orm.AccountLink
        return list(self.session.execute(
            select(link).where(link.conversation_id == conversation_id, link.unlinked_at.is_(None),
                               _last_use(link) < account_links.fresh_since(now))
            .order_by(link.linked_at, link.id)
        ).scalars())

    def of_codes(self, codes: Sequence[str], now: datetime) -> list[orm.AccountLink]:
        """Every link that holds to one of these customer codes (the users a customer's notice goes to)."""
        return list(self.session.execute(
            select(orm.AccountLink).where(orm.AccountLink.customer_code.in_(list(codes)), holding(now))
            .order_by(orm.AccountLink.id)
        ).scalars())

    def with_addresses(self, power_company: str, now: datetime) -> list[tuple[orm.AccountLink, str]]:
        """The links that hold to this company's customers, with each customer's address (outage warnings)."""
        return [(link, address) for link, address in self.session.execute(
            select(orm.AccountLink, orm.Customer.address)
            .join(orm.Customer, orm.Customer.code == orm.AccountLink.customer_code)
            .where(holding(now), orm.Customer.power_company == power_company)
            .order_by(orm.AccountLink.id)
        ).all()]

    def holds(self, conversation_id: str, code: str, now: datetime) -> bool:
        return self._held(conversation_id, code, now) is not None

    def use(self, conversation_id: str, code: str, now: datetime) -> bool:
        """A recognition through the link: its last use moves to `now` (once a minute). False when none holds."""
        link = self._held(conversation_id, code, now)
        if link is None:
            return False
        if account_links.worth_recording(link.linked_at, link.last_used_at, now):
            link.last_used_at = now
        return True

    def _held(self, conversation_id: str, code: str, now: datetime) -> orm.AccountLink | None:
        return self.session.execute(
            select(orm.AccountLink).where(
                orm.AccountLink.conversation_id == conversation_id, orm.AccountLink.customer_code == code,
                holding(now)).limit(1)
        ).scalars().first()

    def get(self, link_id: int) -> orm.AccountLink | None:
        return self.session.get(orm.AccountLink, link_id)

    def add(self, **values: Any) -> bool:
        """False when this code is linked to this conversation already (its active key is taken)."""
        try:
            with self.session.begin_nested():
                self.session.add(orm.AccountLink(**values))
        except IntegrityError:
            return False
        return True

    def unlink(self, link: orm.AccountLink, at: datetime, by: str = account_links.LinkEnd.USER.value) -> None:
        link.unlinked_at, link.active_key, link.ended_by = at, None, by

    def end_conversation(self, conversation_id: str, at: datetime, by: str) -> int:
        """Ends every link of the conversation not ended yet (expired ones too); how many."""
        link = orm.AccountLink
        return self.session.execute(
            update(link).where(link.conversation_id == conversation_id, link.unlinked_at.is_(None))
            .values(unlinked_at=at, active_key=None, ended_by=by)
        ).rowcount


def _last_use(link: Any) -> Any:
    """evn.domain.account_links.last_use in SQL."""
    return func.coalesce(link.last_used_at, link.linked_at)


def holding(now: datetime, link: Any = orm.AccountLink) -> Any:
    """A link that holds at `now`: not ended, and not expired unused (evn.domain.account_links)."""
    return and_(link.unlinked_at.is_(None), _last_use(link) >= account_links.fresh_since(now))


class WidgetSessionRepository(Repository):
    """Widget sessions their customer ended (↺): in the database, so every Rasa process refuses them."""

    def revoke(self, conversation_id: str, at: datetime) -> None:
        table = orm.WidgetSessionRevocation.__table__
        self.session.execute(self._insert(table).values(conversation_id=conversation_id, revoked_at=at)
                             .on_conflict_do_nothing())

    def is_revoked(self, conversation_id: str) -> bool:
        return self.session.get(orm.WidgetSessionRevocation, conversation_id) is not None

    def forget_before(self, before: datetime, limit: int = 1000) -> int:
        """Drops revocations older than `before` (no token of theirs can still be unexpired)."""
        table = orm.WidgetSessionRevocation
        old = select(table.conversation_id).where(table.revoked_at < before).limit(limit).scalar_subquery()
        return self.session.execute(delete(table).where(table.conversation_id.in_(old))
                                    .execution_options(synchronize_session=False)).rowcount


class AgentRepository(Repository):

    def get(self, agent_id: int) -> orm.Agent | None:
        return self.session.get(orm.Agent, agent_id)

    def by_username(self, username: str) -> orm.Agent | None:
        return self._one(select(orm.Agent).where(orm.Agent.username == username))

    def add(self, **values: Any) -> orm.Agent:
        agent = orm.Agent(**values)
        self.session.add(agent)
        self.session.flush()
        return agent


class AuditRepository(Repository):

    def add(self, **values: Any) -> None:
        self.session.add(orm.AgentAudit(**values))

    def failed_logins(self, username: str, since: datetime) -> int:
        return self.session.execute(
            select(func.count(orm.AgentAudit.id)).where(
                orm.AgentAudit.username == username, orm.AgentAudit.action.in_(("login_failed", "login_locked")),
                orm.AgentAudit.at >= since)
        ).scalar_one()

    def for_handoff(self, handoff_id: int) -> list[orm.AgentAudit]:
        return list(self.session.execute(
            select(orm.AgentAudit).where(orm.AgentAudit.handoff_id == handoff_id).order_by(orm.AgentAudit.id)
        ).scalars())


class LoginLimitRepository(Repository):
    """The counters of the console's login limits (evn.domain.login_limits), each read under its row's lock.

    Lock order, so that two logins never wait on each other in a circle: a name's row, then a source's,
    then their pair's (a pair's row is only touched under its name's lock).
    """

    def locked(self, kind: str, username: str, source: str, now: datetime) -> orm.AgentLoginLimit:
        """The counter, made if it is new, locked until the transaction ends (SQLite: its write lock is)."""
        table = orm.AgentLoginLimit.__table__
        self.session.execute(self._insert(table).values(
            kind=kind, username=username, source=source, failures=0, updated_at=now,
        ).on_conflict_do_nothing())
        return self.session.execute(
            select(orm.AgentLoginLimit).where(
                orm.AgentLoginLimit.kind == kind, orm.AgentLoginLimit.username == username,
                orm.AgentLoginLimit.source == source,
            ).with_for_update().execution_options(populate_existing=True)
        ).scalar_one()

    def pairs_of(self, username: str) -> list[orm.AgentLoginLimit]:
        return list(self.session.execute(
            select(orm.AgentLoginLimit).where(orm.AgentLoginLimit.kind == "pair",
                                              orm.AgentLoginLimit.username == username)
            .order_by(orm.AgentLoginLimit.id).with_for_update()
        ).scalars())

    def remove(self, rows: Sequence[orm.AgentLoginLimit]) -> None:
        for row in rows:
            self.session.delete(row)
        self.session.flush()

    def purge(self, before: datetime, limit: int = 1000) -> int:
        """Forgets counters unchanged since `before`, skipping any a login holds right now (never waits)."""
        stale = self.session.execute(
            select(orm.AgentLoginLimit.id).where(orm.AgentLoginLimit.updated_at < before)
            .order_by(orm.AgentLoginLimit.id).limit(limit).with_for_update(skip_locked=True)
        ).scalars().all()
        if not stale:
            return 0
        return self.session.execute(
            delete(orm.AgentLoginLimit).where(orm.AgentLoginLimit.id.in_(stale))
            .execution_options(synchronize_session=False)
        ).rowcount


class OutboxRepository(Repository):
    """Side effects waiting to be delivered (evn.services.outbox).

    A conversation's messages go in the order they were written: a message is due, and can be
    claimed, only while no earlier message to the same conversation (`payload.conversation_id`) is
    still pending, whether it waits for its backoff or is leased to a dispatcher right now. One
    delivered or given up (failed) holds nothing back. Messages without a conversation are never held.
    """

    def add(self, kind: str, key: str, payload: dict[str, Any], at: datetime) -> bool:
        """False when a message with this key exists already: one event is announced once."""
        try:
            with self.session.begin_nested():
                self.session.add(orm.OutboxMessage(
                    kind=kind, key=key, payload=payload, status=OutboxStatus.PENDING.value, attempts=0,
                    created_at=at, next_attempt_at=at,
                ))
        except IntegrityError:
            return False
        return True

    def due(self, now: datetime, limit: int) -> list[orm.OutboxMessage]:
        return list(self.session.execute(
            select(orm.OutboxMessage)
            .where(orm.OutboxMessage.status == OutboxStatus.PENDING.value, orm.OutboxMessage.next_attempt_at <= now,
                   self._first_of_its_conversation())
            .order_by(orm.OutboxMessage.next_attempt_at, orm.OutboxMessage.id)
            .limit(limit)
        ).scalars())

    def claim(self, message_id: int, attempt: int, until: datetime) -> bool:
        """Moves the next attempt of a due message to `until`, once: a second dispatcher gets False, and so
        does one that read it as due while an earlier message to its conversation is still pending."""
        result = self.session.execute(
            update(orm.OutboxMessage)
            .where(orm.OutboxMessage.id == message_id, orm.OutboxMessage.attempts == attempt,
                   orm.OutboxMessage.status == OutboxStatus.PENDING.value, self._first_of_its_conversation())
            .values(attempts=attempt + 1, next_attempt_at=until)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    @staticmethod
    def _first_of_its_conversation() -> Any:
        """No earlier message to the same conversation is pending (one condition, in the claim's own UPDATE:
        atomic however many dispatchers claim at once). The conversation is read from the JSON payload
        (->> on PostgreSQL, json_extract on SQLite); NULL matches nothing, so a message without one waits
        for nobody."""
        message, earlier = orm.OutboxMessage, aliased(orm.OutboxMessage)
        return ~exists().where(
            earlier.status == OutboxStatus.PENDING.value,
            earlier.id < message.id,
            earlier.payload["conversation_id"].as_string() == message.payload["conversation_id"].as_string(),
        )

    def delivered(self, message_id: int, at: datetime) -> None:
        self.session.execute(
            update(orm.OutboxMessage).where(orm.OutboxMessage.id == message_id)
            .values(status=OutboxStatus.DELIVERED.value, delivered_at=at, last_error=None)
        )

    def failed(self, message_id: int, error: str, next_attempt_at: datetime | None) -> None:
        """Records a failed attempt; without a next attempt the message is given up."""
        values: dict[str, Any] = {"last_error": error[:300]}
        if next_attempt_at is None:
            values["status"] = OutboxStatus.FAILED.value
        else:
            values["next_attempt_at"] = next_attempt_at
        self.session.execute(update(orm.OutboxMessage).where(orm.OutboxMessage.id == message_id).values(**values))

    def by_key(self, key: str) -> orm.OutboxMessage | None:
        return self._one(select(orm.OutboxMessage).where(orm.OutboxMessage.key == key))


class NoticeRepository(Repository):
    """Notices (evn.services.notices): generated in SQL by the thousand, delivered one by one."""

    COLUMNS = ("kind", "subject", "channel", "channel_user", "conversation_id", "customer_code", "status",
               "attempts", "created_at", "next_attempt_at")

    def cursor(self, name: str) -> int | None:
        return self._one(select(orm.NoticeCursor.position).where(orm.NoticeCursor.name == name))

    def move_cursor(self, name: str, position: int, at: datetime) -> None:
        found = self.session.get(orm.NoticeCursor, name)
        if found is None:
            self.session.add(orm.NoticeCursor(name=name, position=position, updated_at=at))
        else:
            found.position, found.updated_at = position, at

    def last_bill_id(self) -> int:
        return int(self.session.execute(select(func.coalesce(func.max(orm.Bill.id), 0))).scalar_one())

    def for_new_bills(self, kind: str, after_id: int, up_to_id: int, at: datetime) -> int:
        """One notice per unpaid bill with after_id < id <= up_to_id and each user linked to its customer."""
        return self._insert_for_bills(kind, at, orm.Bill.id > after_id, orm.Bill.id <= up_to_id)

    def for_bills_due(self, kind: str, first_due: Any, last_due: Any, at: datetime) -> int:
        """One notice per unpaid bill due first_due..last_due and each user linked to its customer."""
        return self._insert_for_bills(kind, at, orm.Bill.due_date >= first_due, orm.Bill.due_date <= last_due)

    def _insert_for_bills(self, kind: str, at: datetime, *where: Any) -> int:
        link = orm.AccountLink
        rows = (
            select(
                literal(kind, String), cast(orm.Bill.id, String), link.channel, link.channel_user,
                link.conversation_id, link.customer_code, literal(NoticeStatus.PENDING.value, String),
                literal(0, Integer), literal(at, DateTime), literal(at, DateTime),
            )
            .select_from(orm.Bill)
            .join(orm.Customer, orm.Customer.id == orm.Bill.customer_id)
            .join(link, (link.customer_code == orm.Customer.code) & holding(at))
            .where(orm.Bill.status == BillStatus.UNPAID.value, *where)
        )
        return self._insert_new(rows)

    def for_links(self, kind: str, subject: str, links: Sequence[orm.AccountLink], at: datetime) -> int:
        """One notice of this event to each of these links' users (those told already are skipped)."""
        if not links:
            return 0
        rows = [
            {"kind": kind, "subject": subject, "channel": link.channel, "channel_user": link.channel_user,
             "conversation_id": link.conversation_id, "customer_code": link.customer_code,
             "status": NoticeStatus.PENDING.value, "attempts": 0, "created_at": at, "next_attempt_at": at}
            for link in links
        ]
        result = self.session.execute(self._insert(orm.Notice.__table__).values(rows).on_conflict_do_nothing())
        return max(result.rowcount, 0)

    def _insert_new(self, rows: Any) -> int:
        statement = self._insert(orm.Notice.__table__).from_select(self.COLUMNS, rows).on_conflict_do_nothing()
        result = self.session.execute(statement)
        return max(result.rowcount, 0)

    def due(self, now: datetime, limit: int) -> list[orm.Notice]:
        return list(self.session.execute(
            select(orm.Notice)
            .where(orm.Notice.status == NoticeStatus.PENDING.value, orm.Notice.next_attempt_at <= now)
            .order_by(orm.Notice.next_attempt_at, orm.Notice.id)
            .limit(limit)
        ).scalars())

    def claim(self, notice_id: int, attempts: int, until: datetime) -> bool:
        """Moves a due notice's next attempt to `until`, once: a second dispatcher gets False."""
        result = self.session.execute(
            update(orm.Notice)
            .where(orm.Notice.id == notice_id, orm.Notice.attempts == attempts,
                   orm.Notice.status == NoticeStatus.PENDING.value)
            .values(attempts=attempts + 1, next_attempt_at=until)
        )
        return result.rowcount == 1

    def hold(self, notice_id: int, until: datetime) -> None:
        """Quiet hours: the next attempt moves to their end, no attempt counted."""
        self.session.execute(update(orm.Notice).where(orm.Notice.id == notice_id).values(next_attempt_at=until))

    def record(self, notice_id: int, status: str, at: datetime, route: str | None = None,
               result: str | None = None, next_attempt_at: datetime | None = None,
               attempts: int | None = None) -> None:
        values: dict[str, Any] = {"status": status, "result": (result or "")[:300] or None}
        if attempts is not None:
            values["attempts"] = attempts
        if route is not None:
            values["route"] = route
        if status == NoticeStatus.SENT.value:
            values["sent_at"] = at
        if next_attempt_at is not None:
            values["next_attempt_at"] = next_attempt_at
        self.session.execute(update(orm.Notice).where(orm.Notice.id == notice_id).values(**values))

    def get(self, notice_id: int) -> orm.Notice | None:
        return self.session.get(orm.Notice, notice_id)

    def zns_sent(self, kind: str, subject: str, code: str) -> bool:
        """A ZNS goes to the customer's one registered phone: once per event, however many users linked it."""
        return self.session.execute(select(orm.Notice.id).where(
            orm.Notice.kind == kind, orm.Notice.subject == subject, orm.Notice.customer_code == code,
            orm.Notice.route == "zns", orm.Notice.status == NoticeStatus.SENT.value).limit(1)).first() is not None

    def release_open_widgets(self, since: datetime, at: datetime) -> int:
        open_now = select(orm.WidgetPresence.conversation_id).where(orm.WidgetPresence.sockets > 0,
                                                                    orm.WidgetPresence.seen_at >= since)
        return self.session.execute(
            update(orm.Notice).where(orm.Notice.status == NoticeStatus.WAITING.value,
                                     orm.Notice.conversation_id.in_(open_now))
            .values(status=NoticeStatus.PENDING.value, next_attempt_at=at)
            .execution_options(synchronize_session=False)
        ).rowcount

    def release_waiting(self, conversation_id: str, at: datetime) -> int:
        """The customer opened the widget: what waited for them is due now."""
        return self.session.execute(
            update(orm.Notice).where(orm.Notice.conversation_id == conversation_id,
                                     orm.Notice.status == NoticeStatus.WAITING.value)
            .values(status=NoticeStatus.PENDING.value, next_attempt_at=at)
        ).rowcount

    def of_customer(self, code: str) -> list[orm.Notice]:
        return list(self.session.execute(
            select(orm.Notice).where(orm.Notice.customer_code == code).order_by(orm.Notice.id)
        ).scalars())

    # --- a user's choices -------------------------------------------------------------------

    def stopped_kinds(self, channel: str, channel_user: str) -> set[str]:
        return set(self.session.execute(
            select(orm.NoticePreference.kind).where(
                orm.NoticePreference.channel == channel, orm.NoticePreference.channel_user == channel_user)
        ).scalars())

    def stop(self, channel: str, channel_user: str, kind: str, at: datetime) -> None:
        self.session.execute(self._insert(orm.NoticePreference.__table__).values(
            channel=channel, channel_user=channel_user, kind=kind, created_at=at).on_conflict_do_nothing())

    def resume(self, channel: str, channel_user: str, kind: str | None) -> int:
        """Removes the stop for this kind (and "all"), or every stop when kind is None."""
        where = [orm.NoticePreference.channel == channel, orm.NoticePreference.channel_user == channel_user]
        if kind is not None:
            where.append(orm.NoticePreference.kind.in_((kind, "all")))
        return self.session.execute(delete(orm.NoticePreference).where(*where)).rowcount


class WidgetPresenceRepository(Repository):
    """Sockets open per widget conversation, counted in the database so every Rasa process sees them."""

    def opened(self, conversation_id: str, at: datetime) -> None:
        table = orm.WidgetPresence.__table__
        statement = self._insert(table).values(conversation_id=conversation_id, sockets=1, seen_at=at)
        self.session.execute(statement.on_conflict_do_update(
            index_elements=["conversation_id"], set_={"sockets": table.c.sockets + 1, "seen_at": at}))

    def closed(self, conversation_id: str, at: datetime) -> None:
        table = orm.WidgetPresence.__table__
        self.session.execute(update(table).where(table.c.conversation_id == conversation_id, table.c.sockets > 0)
                             .values(sockets=table.c.sockets - 1, seen_at=at))

    def is_open(self, conversation_id: str, since: datetime) -> bool:
        """A socket open and heard of since `since` (a crashed process's count goes stale, not true forever)."""
        row = self.session.get(orm.WidgetPresence, conversation_id)
        return row is not None and row.sockets > 0 and row.seen_at >= since
