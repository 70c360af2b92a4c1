"""The demo database's contents: reference data, two demo customers, N synthetic ones (python -m evn.seed).

Deterministic: the same arguments give the same database. Amounts are priced by
evn.domain.tariff from the readings and the dated tariff, never typed in.
"""
from __future__ import annotations

import json
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from tqdm import tqdm

from evn import reference
from evn.adapters import orm
from evn.adapters.bulk import BulkLoader
from evn.adapters.migrate import upgrade
from evn.demo.daily_use import DailyUse, has_daily_readings
from evn.demo.history import HISTORY_TABLES, History, HistoryRows, Shares
from evn.domain.periods import Period
from evn.domain.service_catalogue import load_catalogue
from evn.domain.tariff import compute_bill

MONTHS = 12
CHUNK = 5_000
DUE_AFTER_DAYS = 14
CUSTOMER_COLUMNS = ("id", "code", "name", "phone", "address", "power_company", "tariff_group")
METER_COLUMNS = ("id", "customer_id", "serial", "installed_on")
READING_COLUMNS = ("id", "meter_id", "read_on", "value")
DAILY_COLUMNS = ("meter_id", "read_on", "register", "quality")
DAILY_SHARE = 0.7  # customers whose meter is read remotely, every day
BILL_COLUMNS = (
    "id", "customer_id", "period", "period_start", "period_end", "old_reading", "new_reading", "kwh",
    "amount_before_vat", "vat_percent", "vat_amount", "total", "issued_on", "due_date", "status",
    "tier_breakdown",
)
PAYMENT_COLUMNS = ("id", "bill_id", "amount", "channel", "paid_at", "reference")


@dataclass(frozen=True)
class DemoCustomer:
    code: str
    name: str
    phone: str
    address: str
    power_company: str
    kwh: tuple[int, ...]  # oldest period first
    channels: tuple[str | None, ...]  # None = unpaid
    first_reading: int


DEMO_CUSTOMERS = (
    DemoCustomer(
        code="PE01000000001", name="Nguyễn Văn An", phone="0901234567",
        address="12 Lê Lợi, Phường Bến Nghé, Quận 1, TP.HCM", power_company="EVNHCMC",
        kwh=(205, 190, 176, 168, 214, 262, 298, 315, 284, 236, 180, 350),
        channels=("zalopay", "vnpay", "bank_transfer", "auto_debit", "evn_app", "momo",
                  "vnpay", "zalopay", "bank_transfer", "vnpay", "momo", None),
        first_reading=12_340,
    ),
    DemoCustomer(
        code="PD01000000002", name="Trần Thị Bình", phone="0912345678",
        address="45 Hàng Bài, Phường Tràng Tiền, Quận Hoàn Kiếm, Hà Nội", power_company="EVNHANOI",
        kwh=(110, 125, 140, 132, 118, 105, 115, 138, 142, 127, 116, 120),
        channels=("bank_transfer", "vnpay", "momo", "bank_transfer", "auto_debit", "auto_debit",
                  "zalopay", "bank_transfer", "vnpay", "momo", "bank_transfer", "vnpay"),
        first_reading=5_410,
    ),
)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Đức", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy"]
AREAS = {
    "EVNHCMC": ("TP.HCM", [("Quận 1", ["Bến Nghé", "Đa Kao", "Tân Định"]), ("Quận 3", ["Võ Thị Sáu", "Phường 9"]),
                           ("Quận 7", ["Tân Phong", "Tân Hưng"]), ("Bình Thạnh", ["Phường 1", "Phường 25"]),
                           ("Thủ Đức", ["Linh Trung", "Hiệp Phú"]), ("Gò Vấp", ["Phường 5", "Phường 10"])]),
    "EVNHANOI": ("Hà Nội", [("Hoàn Kiếm", ["Tràng Tiền", "Hàng Bạc"]), ("Ba Đình", ["Kim Mã", "Điện Biên"]),
                           ("Cầu Giấy", ["Dịch Vọng", "Nghĩa Đô"]), ("Đống Đa", ["Láng Hạ", "Ô Chợ Dừa"]),
                           ("Hai Bà Trưng", ["Bách Khoa", "Minh Khai"])]),
}
STREETS = ["Lê Lợi", "Nguyễn Huệ", "Trần Hưng Đạo", "Lý Thường Kiệt", "Hai Bà Trưng", "Điện Biên Phủ",
           "Nguyễn Trãi", "Lê Duẩn", "Phan Đình Phùng", "Cách Mạng Tháng Tám"]
PREFIX = {"EVNHCMC": "PE", "EVNHANOI": "PD"}
SEASON = {1: 0.85, 2: 0.82, 3: 0.95, 4: 1.1, 5: 1.25, 6: 1.3, 7: 1.28, 8: 1.2, 9: 1.05, 10: 0.98, 11: 0.9, 12: 0.86}


def periods_before(reference_date: date) -> list[Period]:
    last = Period.of(reference_date).shift(-1)
    return [last.shift(-offset) for offset in range(MONTHS - 1, -1, -1)]


def seed(engine: Engine, customers: int, reference_date: date, reset: bool = False, quiet: bool = False,
         shares: Shares | None = None, readings_until: date | None = None, daily_share: float = DAILY_SHARE) -> dict:
    """`readings_until`: the last day of daily readings (default: the end of the reference date's month, the
    first period not billed); `daily_share`: the share of synthetic customers with a remotely read meter."""
    started = time.perf_counter()
    upgrade(str(engine.url.render_as_string(hide_password=False)))
    if reset:
        _clear(engine)
    _load_reference(engine)
    with engine.connect() as connection:
        existing = connection.execute(select(orm.Customer.id).limit(1)).first()
    if existing:
        return {"customers": None, "seconds": time.perf_counter() - started, "skipped": True}
    generator = _Generator(reference_date, random.Random(20261101), shares or Shares(),
                           readings_until or Period.of(reference_date).last_day, daily_share)
    total = len(DEMO_CUSTOMERS) + customers
    with tqdm(total=total, unit=" khách", desc="Tạo dữ liệu mẫu", disable=quiet, file=sys.stderr) as bar:
        for start in range(0, total, CHUNK):
            batch = _Batch()
            for index in range(start, min(start + CHUNK, total)):
                customer = DEMO_CUSTOMERS[index] if index < len(DEMO_CUSTOMERS) else generator.synthetic(index)
                generator.add(batch, index, customer)
            with engine.connect() as connection:
                if connection.dialect.name == "sqlite":
                    # Per connection and outside a transaction (the engine begins one with BEGIN IMMEDIATE).
                    connection.connection.execute("PRAGMA synchronous=OFF")
                with connection.begin():
                    loader = BulkLoader(connection)
                    for table, columns, rows in batch.tables():
                        loader.insert(table, columns, rows)
            bar.update(min(CHUNK, total - start))
    with engine.begin() as connection:
        BulkLoader(connection).reset_sequences(["customers", "meters", "meter_readings", "bills", "payments",
                                                *HISTORY_TABLES])
    return {"customers": total, "seconds": time.perf_counter() - started, "skipped": False}


class _Batch:
    def __init__(self) -> None:
        self.customers: list[tuple] = []
        self.meters: list[tuple] = []
        self.readings: list[tuple] = []
        self.bills: list[tuple] = []
        self.payments: list[tuple] = []
        self.daily: list[tuple] = []
        self.history = HistoryRows()

    def tables(self):
        return [
            ("customers", CUSTOMER_COLUMNS, self.customers),
            ("meters", METER_COLUMNS, self.meters),
            ("meter_readings", READING_COLUMNS, self.readings),
            ("daily_readings", DAILY_COLUMNS, self.daily),
            ("bills", BILL_COLUMNS, self.bills),
            ("payments", PAYMENT_COLUMNS, self.payments),
            *self.history.tables(),
        ]


class _Generator:
    def __init__(self, reference_date: date, rng: random.Random, shares: Shares, readings_until: date,
                 daily_share: float) -> None:
        if not 0 <= daily_share <= 1:
            raise ValueError("the share of customers with daily readings is between 0 and 1")
        self.periods = periods_before(reference_date)
        self.daily_share = daily_share
        self.daily = DailyUse(self.periods[0].first_day - timedelta(days=1),
                              max(readings_until, self.periods[-1].last_day))
        self.rng = rng
        self.tariffs = reference.tariffs()
        self.vat_rates = reference.vat_rates()
        self._prices: dict[tuple[int, Period], tuple[int, str, int, int, str]] = {}
        end = datetime.combine(reference_date, datetime.min.time()) - timedelta(hours=7)  # local midnight, UTC
        self.history = History(rng, shares, load_catalogue(), MONTHS, self.periods[0].first_day, end)
        self.first_read_on = (self.periods[0].first_day - timedelta(days=1)).isoformat()
        # Per-period constants, computed once rather than per bill.
        self.calendar = [
            (
                period,
                period.key,
                period.first_day.isoformat(),
                period.last_day.isoformat(),
                datetime.combine(period.last_day + timedelta(days=1), datetime.min.time()),
            )
            for period in self.periods
        ]

    def synthetic(self, index: int) -> DemoCustomer:
        rng = self.rng
        company = "EVNHCMC" if index % 5 < 3 else "EVNHANOI"
        city, districts = AREAS[company]
        district, wards = rng.choice(districts)
        ward = rng.choice(wards)
        ward_name = ward if ward.startswith("Phường") else f"Phường {ward}"
        base = rng.lognormvariate(5.2, 0.45)  # median ~180 kWh
        kwh = tuple(max(0, int(base * SEASON[p.month] * rng.uniform(0.85, 1.15))) for p in self.periods)
        unpaid = [rng.random() < (0.12 if i == MONTHS - 1 else 0.015) for i in range(MONTHS)]
        channels = self.history.channels(base, unpaid)
        return DemoCustomer(
            code=f"{PREFIX[company]}03{index:09d}",
            name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            phone=f"0{rng.choice('3579')}{rng.randrange(10**8):08d}",
            address=f"{rng.randrange(1, 300)} {rng.choice(STREETS)}, {ward_name}, {_district(district)}, {city}",
            power_company=company,
            kwh=kwh,
            channels=channels,
            first_reading=rng.randrange(1_000, 40_000),
        )

    def add(self, batch: _Batch, index: int, customer: DemoCustomer) -> None:
        customer_id = index + 1
        synthetic = index >= len(DEMO_CUSTOMERS)
        random_ = self.rng.random
        batch.customers.append(
            (customer_id, customer.code, customer.name, customer.phone, customer.address,
             customer.power_company, "residential")
        )
        batch.meters.append((customer_id, customer_id, f"CT{customer.code[2:]}", self.first_read_on))
        reading = customer.first_reading
        reading_id = customer_id * (MONTHS + 1)
        batch.readings.append((reading_id, customer_id, self.first_read_on, reading))
        for month, ((period, key, first, last, issued), kwh, channel) in enumerate(
            zip(self.calendar, customer.kwh, customer.channels, strict=True)
        ):
            bill_id = customer_id * MONTHS + month
            old, reading = reading, reading + kwh
            batch.readings.append((reading_id + month + 1, customer_id, last, reading))
            before_vat, vat_percent, vat, total, breakdown = self._price(kwh, period)
            batch.bills.append(
                (bill_id, customer_id, key, first, last, old, reading, kwh, before_vat, vat_percent, vat, total,
                 issued.date().isoformat(), (issued + timedelta(days=DUE_AFTER_DAYS)).date().isoformat(),
                 "unpaid" if channel is None else "paid", breakdown)
            )
            if channel is not None:
                paid_at = issued + timedelta(seconds=int(random_() * DUE_AFTER_DAYS * 86400 * 0.7) + 3600)
                batch.payments.append(
                    (bill_id, bill_id, total, channel, paid_at.isoformat(sep=" "), f"SEED-{bill_id:012d}")
                )
                if synthetic:
                    self.history.payment(batch.history, month, bill_id, total, channel, paid_at, issued)
        if synthetic:
            self.history.requests(batch.history, customer.code)
        if not synthetic or has_daily_readings(customer.code, self.daily_share):
            batch.daily.extend(self.daily.rows(customer_id, customer.code, customer.power_company,
                                               customer.first_reading, list(zip(self.periods, customer.kwh,
                                                                                strict=True))))

    def _price(self, kwh: int, period: Period) -> tuple[int, str, int, int, str]:
        """Bills repeat (kWh, period) pairs a lot: each priced once per generator."""
        key = (kwh, period)
        if key not in self._prices:
            self._prices[key] = self._compute_price(kwh, period)
        return self._prices[key]

    def _compute_price(self, kwh: int, period: Period) -> tuple[int, str, int, int, str]:
        amount = compute_bill(kwh, period.first_day, period.last_day, self.tariffs, self.vat_rates)
        breakdown = json.dumps([[line.tier, line.kwh, line.price] for line in amount.lines])
        return amount.amount_before_vat, str(amount.vat_percent), amount.vat, amount.total, breakdown


def _district(name: str) -> str:
    return name if name.startswith("Quận") else f"Quận {name}"


def _load_reference(engine: Engine) -> None:
    """Idempotent: rows already present (same key) are left as they are."""
    with engine.begin() as connection:
        for company in reference.power_companies():
            company_known = select(orm.PowerCompany.code).where(orm.PowerCompany.code == company["code"])
            if connection.execute(company_known).first() is None:
                connection.execute(orm.PowerCompany.__table__.insert().values(**company))
        for group in ("residential",):
            for tariff in reference.tariffs(group):
                key = (orm.Tariff.tariff_group == group, orm.Tariff.effective_from == tariff.effective_from)
                if connection.execute(select(orm.Tariff.id).where(*key)).first() is not None:
                    continue
                tariff_id = connection.execute(
                    orm.Tariff.__table__.insert().values(
                        tariff_group=group, effective_from=tariff.effective_from, decision=tariff.decision
                    )
                ).inserted_primary_key[0]  # type: ignore[index]  # 2.0's Row | None: an insert without a key
                connection.execute(
                    orm.TariffTier.__table__.insert(),
                    [{"tariff_id": tariff_id, "number": t.number, "upper_kwh": t.upper_kwh, "price": t.price}
                     for t in tariff.tiers],
                )
        for entry in reference.load_yaml("tariffs.yml")["vat"]:
            day = date.fromisoformat(str(entry["effective_from"]))
            known = select(orm.VatRate.effective_from).where(orm.VatRate.effective_from == day)
            if connection.execute(known).first() is None:
                connection.execute(
                    orm.VatRate.__table__.insert().values(
                        effective_from=day, percent=entry["percent"], basis=entry["basis"]
                    )
                )


def _clear(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in ("payment_orders", "payment_links", "request_events", "service_requests", "payments", "bills",
                      "meter_readings", "daily_readings", "meter_data_imports", "meters", "verification_attempts",
                      "customers"):
            connection.execute(delete(orm.metadata.tables[table]))
