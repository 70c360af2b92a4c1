"""Customers, their bills, and the reference data bills are priced and routed by."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from evn.adapters import orm
from evn.adapters.repositories.base import Repository
from evn.domain import tariff as tariff_rules
from evn.domain.statuses import (
    BillStatus,
)


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
        changed = self._changed(
            update(orm.Bill)
            .where(orm.Bill.id == bill_id, orm.Bill.status == BillStatus.UNPAID.value)
            .values(status=BillStatus.PAID.value)
        )
        return changed == 1


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
