"""A billing run, standing in for EVN's billing system: a period's bills for every customer without one.

    python -m evn.seed --issue-period 11/2026

Each customer's new reading is the last one plus this month's consumption (the last
bill's kWh moved by the season, with a deterministic spread per customer and period),
and the bill is priced by the dated tariff and VAT (evn.domain.tariff), issued the day
after the period ends and due 14 days later. Customers who already have the period, or
a later one, are left alone, so a run can be repeated or resumed. Rows go in with the
bulk loader, a chunk of customers per transaction; the notice scanner then finds the
new bills by their ids.
"""
from __future__ import annotations

import hashlib
import json
import random
import time
from datetime import timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection, Engine

from evn import reference
from evn.adapters import orm
from evn.adapters.bulk import BulkLoader
from evn.domain.periods import Period
from evn.domain.statuses import BillStatus
from evn.domain.tariff import compute_bill

CHUNK = 20_000
DUE_AFTER_DAYS = 14
FIRST_BILL_KWH = 150  # a customer with no bill yet
SEASON = {1: 0.85, 2: 0.82, 3: 0.95, 4: 1.1, 5: 1.25, 6: 1.3, 7: 1.28, 8: 1.2, 9: 1.05, 10: 0.98, 11: 0.9, 12: 0.86}
READING_COLUMNS = ("meter_id", "read_on", "value")
BILL_COLUMNS = (
    "customer_id", "period", "period_start", "period_end", "old_reading", "new_reading", "kwh",
    "amount_before_vat", "vat_percent", "vat_amount", "total", "issued_on", "due_date", "status", "tier_breakdown",
)


def consumption(code: str, period: Period, last_kwh: int | None, last_month: int | None) -> int:
    """This period's kWh: deterministic for a customer and period, so a repeated run gives the same bills."""
    if last_kwh is None or last_month is None:
        return FIRST_BILL_KWH
    seed = int.from_bytes(hashlib.sha256(f"{code}|{period.key}".encode()).digest()[:8], "big")
    spread = random.Random(seed).uniform(0.9, 1.1)
    return max(0, round(last_kwh * SEASON[period.month] / SEASON[last_month] * spread))


def issue_period(engine: Engine, period: Period) -> dict:
    started = time.perf_counter()
    tariffs, vat_rates = reference.tariffs(), reference.vat_rates()
    prices: dict[int, tuple] = {}
    first_day, last_day = period.first_day.isoformat(), period.last_day.isoformat()  # as the bulk loader takes them
    issued_on = (period.last_day + timedelta(days=1)).isoformat()
    due_date = (period.last_day + timedelta(days=1 + DUE_AFTER_DAYS)).isoformat()
    with engine.connect() as connection:
        last_id = connection.execute(select(func.coalesce(func.max(orm.Customer.id), 0))).scalar_one()
    issued = 0
    for first in range(1, last_id + 1, CHUNK):
        with engine.begin() as connection:
            rows = _customers(connection, period, first, first + CHUNK - 1)
            readings, bills = [], []
            for customer_id, code, meter_id, last_period, new_reading, kwh_before, reading in rows:
                if last_period is not None and last_period >= period.key:
                    continue  # has this period (or a later one) already
                old = new_reading if new_reading is not None else (reading or 0)
                kwh = consumption(code, period, kwh_before, Period.from_key(last_period).month if last_period else None)
                if kwh not in prices:
                    amount = compute_bill(kwh, period.first_day, period.last_day, tariffs, vat_rates)
                    prices[kwh] = (amount.amount_before_vat, str(amount.vat_percent), amount.vat, amount.total,
                                   json.dumps([[line.tier, line.kwh, line.price] for line in amount.lines]))
                before_vat, vat_percent, vat, total, breakdown = prices[kwh]
                readings.append((meter_id, last_day, old + kwh))
                bills.append((customer_id, period.key, first_day, last_day, old, old + kwh, kwh,
                              before_vat, vat_percent, vat, total, issued_on, due_date, BillStatus.UNPAID.value,
                              breakdown))
            loader = BulkLoader(connection)
            loader.insert("meter_readings", READING_COLUMNS, readings)
            loader.insert("bills", BILL_COLUMNS, bills)
            issued += len(bills)
    return {"bills": issued, "seconds": time.perf_counter() - started}


def _customers(connection: Connection, period: Period, first_id: int, last_id: int) -> list[tuple]:
    """Per customer of the id range: code, meter, latest bill (period, reading, kWh), latest reading."""
    in_range = and_(orm.Customer.id >= first_id, orm.Customer.id <= last_id)
    latest_bill = (
        select(orm.Bill.customer_id, func.max(orm.Bill.period).label("period"))
        .where(orm.Bill.customer_id >= first_id, orm.Bill.customer_id <= last_id)
        .group_by(orm.Bill.customer_id).subquery()
    )
    meter = (
        select(orm.Meter.customer_id, func.min(orm.Meter.id).label("meter_id"))
        .where(orm.Meter.customer_id >= first_id, orm.Meter.customer_id <= last_id)
        .group_by(orm.Meter.customer_id).subquery()
    )
    last_reading = (
        select(func.max(orm.MeterReading.value)).where(orm.MeterReading.meter_id == meter.c.meter_id)
        .scalar_subquery()
    )
    query = (
        select(orm.Customer.id, orm.Customer.code, meter.c.meter_id, latest_bill.c.period, orm.Bill.new_reading,
               orm.Bill.kwh, last_reading)
        .join(meter, meter.c.customer_id == orm.Customer.id)
        .outerjoin(latest_bill, latest_bill.c.customer_id == orm.Customer.id)
        .outerjoin(orm.Bill, and_(orm.Bill.customer_id == orm.Customer.id, orm.Bill.period == latest_bill.c.period))
        .where(in_range)
        .order_by(orm.Customer.id)
    )
    return [tuple(row) for row in connection.execute(query)]
