"""Usage alerts: a customer's levels, and the scan's rows (each active alert with the registers it needs)."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, text, update

from evn.adapters import orm
from evn.adapters.repositories.base import Repository

# Each active alert with its customer, the registers of three days of its meter (each one probe of the daily
# readings' primary key) and the kWh of the period before's bill. One pass: alerts, customers and meters are
# joined by hash once (a page of alerts at a time re-read them all for every page: quadratic in the alerts).
_SCAN = text("""
SELECT a.id, a.kind, a.level, c.code, a.conversation_id, c.tariff_group,
  (SELECT d.register FROM daily_readings d WHERE d.meter_id = m.id AND d.read_on = :last_day),
  (SELECT d.register FROM daily_readings d WHERE d.meter_id = m.id AND d.read_on = :opening_day),
  (SELECT d.register FROM daily_readings d WHERE d.meter_id = m.id AND d.read_on = :rate_day),
  (SELECT b.kwh FROM bills b WHERE b.customer_id = c.id AND b.period = :previous_period)
FROM usage_alerts a
JOIN customers c ON c.id = a.customer_id
JOIN meters m ON m.customer_id = c.id
  AND NOT EXISTS (SELECT 1 FROM meters m2 WHERE m2.customer_id = c.id AND m2.id < m.id)
WHERE a.cancelled_at IS NULL
""")


@dataclass(frozen=True)
class ScanRow:
    alert_id: int
    kind: str
    level: int
    code: str
    conversation_id: str  # where it was set
    tariff_group: str
    closing: int | None  # the register of the last day read
    opening: int | None  # the register of the day before the period
    rate_from: int | None  # the register RATE_DAYS before the last day read
    previous_kwh: int | None  # the period before's billed kWh


class UsageAlertRepository(Repository):
    def active(self, customer_id: int) -> list[orm.UsageAlert]:
        return list(self.session.execute(
            select(orm.UsageAlert).where(orm.UsageAlert.customer_id == customer_id,
                                         orm.UsageAlert.cancelled_at.is_(None))
            .order_by(orm.UsageAlert.id)).scalars())

    def add(self, customer_id: int, kind: str, level: int, conversation_id: str, at: datetime) -> orm.UsageAlert:
        alert = orm.UsageAlert(customer_id=customer_id, kind=kind, level=level, conversation_id=conversation_id,
                               created_at=at)
        self.session.add(alert)
        self.session.flush()
        return alert

    def cancel(self, alert_ids: Sequence[int], at: datetime) -> int:
        if not alert_ids:
            return 0
        return self._changed(update(orm.UsageAlert).where(orm.UsageAlert.id.in_(list(alert_ids)),
                                                          orm.UsageAlert.cancelled_at.is_(None))
                             .values(cancelled_at=at))

    def holds(self, code: str, kind: str, level: int, conversation_id: str | None = None) -> bool:
        """An active alert of this level for this customer (set in that conversation, when one is named)."""
        alert = orm.UsageAlert
        where = [orm.Customer.code == code, alert.kind == kind, alert.level == level, alert.cancelled_at.is_(None)]
        if conversation_id is not None:
            where.append(alert.conversation_id == conversation_id)
        return self._one(select(alert.id).join(orm.Customer, orm.Customer.id == alert.customer_id)
                         .where(*where).limit(1)) is not None

    def scan(self, last_day: date, opening_day: date, rate_day: date, previous_period: int,
             batch: int) -> Iterator[list[ScanRow]]:
        """Every active alert's row, `batch` at a time, streamed (a server-side cursor on PostgreSQL)."""
        result = self.session.execute(_SCAN.execution_options(stream_results=True), {
            "last_day": last_day, "opening_day": opening_day, "rate_day": rate_day,
            "previous_period": previous_period})
        for rows in result.partitions(batch):
            yield [ScanRow(*row) for row in rows]
