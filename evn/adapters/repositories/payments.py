"""Payment links, the gateway orders they start, and the payments that close them."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from evn.adapters import orm
from evn.adapters.repositories.base import Repository
from evn.domain.statuses import (
    OrderStatus,
)


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
        changed = self._changed(
            update(orm.PaymentOrder)
            .where(orm.PaymentOrder.reference == reference, orm.PaymentOrder.status == OrderStatus.PENDING.value)
            .values(status=status.value, completed_at=at, gateway_transaction=transaction)
        )
        return changed == 1

    def set_order_status(self, reference: str, status: OrderStatus) -> None:
        self.session.execute(
            update(orm.PaymentOrder).where(orm.PaymentOrder.reference == reference).values(status=status.value)
        )

    def get_payment(self, payment_id: int) -> orm.Payment | None:
        return self.session.get(orm.Payment, payment_id)

    def by_reference(self, reference: str) -> orm.Payment | None:
        return self._one(select(orm.Payment).where(orm.Payment.reference == reference))

    def add_payment(self, **fields: Any) -> None:
        """Raises IntegrityError (at flush) when this reference was recorded already."""
        self.session.add(orm.Payment(**fields))
        self.session.flush()
