"""Queries the services need, one repository per aggregate. All take an open Session."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Sequence

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from evn.adapters import orm
from evn.domain import tariff as tariff_rules


class CustomerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_by_code(self, code: str) -> orm.Customer | None:
        return self.session.execute(
            select(orm.Customer).where(orm.Customer.code == code)
        ).scalar_one_or_none()

    def count(self) -> int:
        return self.session.execute(select(func.count(orm.Customer.id))).scalar_one()


class BillRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_period(self, customer_id: int, period_key: int) -> orm.Bill | None:
        return self.session.execute(
            select(orm.Bill)
            .options(selectinload(orm.Bill.payments))
            .where(orm.Bill.customer_id == customer_id, orm.Bill.period == period_key)
        ).scalar_one_or_none()

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
                .where(orm.Bill.customer_id == customer_id, orm.Bill.status == "unpaid")
                .order_by(orm.Bill.period)
            ).scalars()
        )


class ReferenceRepository:
    """Tariffs, VAT rates and power companies, as the domain's value objects."""

    def __init__(self, session: Session) -> None:
        self.session = session

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
        return self.session.execute(
            select(orm.PowerCompany).where(orm.PowerCompany.prefix == prefix.upper())
        ).scalar_one_or_none()


class VerificationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self, code: str, conversation_id: str, succeeded: bool, at: datetime, address_key: str | None = None
    ) -> None:
        self.session.add(
            orm.VerificationAttempt(
                customer_code=code, conversation_id=conversation_id, address_key=address_key,
                succeeded=succeeded, attempted_at=at,
            )
        )

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


class RateLimitRepository:
    """Counted actions per source, for the limits in evn.domain.rate_limits."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def count(self, scope: str, source_key: str, since: datetime) -> Sequence[datetime]:
        return self.session.execute(
            select(orm.RateLimitEvent.at).where(
                orm.RateLimitEvent.scope == scope, orm.RateLimitEvent.source_key == source_key,
                orm.RateLimitEvent.at > since,
            ).order_by(orm.RateLimitEvent.at)
        ).scalars().all()

    def add(self, scope: str, source_key: str, at: datetime) -> None:
        self.session.add(orm.RateLimitEvent(scope=scope, source_key=source_key, at=at))


class ChannelStateRepository:
    """Platform tokens and message ids already handled, shared by every Rasa process."""

    def __init__(self, session: Session) -> None:
        self.session = session

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

    def add_seen(self, channel: str, message_id: str, at: datetime) -> None:
        """Raises IntegrityError (at flush) when this id was seen before."""
        self.session.add(orm.SeenMessage(channel=channel, message_id=message_id, seen_at=at))
        self.session.flush()

    def forget_seen_before(self, before: datetime) -> int:
        return self.session.execute(delete(orm.SeenMessage).where(orm.SeenMessage.seen_at < before)).rowcount


class PaymentRepository:
    """Links, gateway orders and the conditional updates that keep money from doubling."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_link(self, link: orm.PaymentLink) -> orm.PaymentLink:
        self.session.add(link)
        self.session.flush()
        return link

    def link(self, token_id: str) -> orm.PaymentLink | None:
        return self.session.execute(
            select(orm.PaymentLink).where(orm.PaymentLink.token_id == token_id)
        ).scalar_one_or_none()

    def add_order(self, order: orm.PaymentOrder) -> orm.PaymentOrder:
        self.session.add(order)
        self.session.flush()
        return order

    def order(self, reference: str) -> orm.PaymentOrder | None:
        return self.session.execute(
            select(orm.PaymentOrder).where(orm.PaymentOrder.reference == reference)
        ).scalar_one_or_none()

    def close_order(self, reference: str, status: str, at: datetime, transaction: str | None) -> bool:
        """pending -> status, once: the second of two racing callbacks gets False."""
        result = self.session.execute(
            update(orm.PaymentOrder)
            .where(orm.PaymentOrder.reference == reference, orm.PaymentOrder.status == "pending")
            .values(status=status, completed_at=at, gateway_transaction=transaction)
        )
        return result.rowcount == 1

    def set_order_status(self, reference: str, status: str) -> None:
        self.session.execute(
            update(orm.PaymentOrder).where(orm.PaymentOrder.reference == reference).values(status=status)
        )

    def mark_bill_paid(self, bill_id: int) -> bool:
        """unpaid -> paid, once: a bill paid through another order is not paid twice."""
        result = self.session.execute(
            update(orm.Bill).where(orm.Bill.id == bill_id, orm.Bill.status == "unpaid").values(status="paid")
        )
        return result.rowcount == 1

    def add_payment(self, payment: orm.Payment) -> None:
        self.session.add(payment)
        self.session.flush()
