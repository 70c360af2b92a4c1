"""Issue #27's numbers on PostgreSQL: a day's export loaded, the alert scan, a customer's period so far, a chart.

    python -m bench.usage_bench [--meters 1000000] [--history-meters 100000] [--history-days 730]
                                [--database-url URL] [--samples 1000]

The database (by default a fresh `evn_usage_bench` on the local server) gets `--meters` synthetic customers
with a remotely read meter and last month's bill, written in SQL (generate_series), then:
1. Load: one day's export (20/11/2026) for every meter, as the meter data system sends it (a CSV of one row per
   meter), through the same service `python -m evn.meter_data import` runs: every row checked against the days
   around it, loaded in one transaction. Target: under 60 s for 1.000.000 meters.
2. Scan: one alert per customer (a kWh level, an amount, a share above last month, by thirds), every one checked
   against the forecast of 11/2026 as the scan after a load does, and a notice written for each level crossed.
   Target: under 60 s for 1.000.000 meters.
3. So far: `--history-meters` meters get `--history-days` days of registers (two years); `--samples` verified
   customers among them ask their period so far (UsageService.so_far, the chat's call): p50/p95. Target p95 ≤ 20 ms.
4. Chart: a days chart and a periods chart drawn (evn.adapters.usage_charts) `--samples`/5 times each: p50/p95.
   Target p95 ≤ 100 ms.
Prints a table and writes results/usage_bench.json.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import random
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.bench import percentile
from bench.results import save
from evn.adapters import usage_charts
from evn.adapters.db import make_engine, session_factory
from evn.adapters.migrate import upgrade
from evn.adapters.unit_of_work import Factory
from evn.demo.seed import seed
from evn.domain.periods import Period
from evn.domain.signing.chart_links import ChartKind
from evn.services.billing import BillingService
from evn.services.identity import IdentityService
from evn.services.meter_data import import_readings
from evn.services.usage import ChartSigning, UsageService
from evn.services.usage_alerts import UsageAlertService
from tests.support.seeded_database import POSTGRES_ADMIN_URL

DAY = date(2026, 11, 20)  # the day the export covers
TODAY = DAY + timedelta(days=1)
NOW = datetime(2026, 11, 21, 1, 0)  # 08:00 in Vietnam: the morning load
PERIOD = Period(2026, 11)
FIRST_ID = 1_000_000  # synthetic customers' codes and serials count from here, clear of the demo's
CHUNK = 20_000  # meters per INSERT of the history
BASE = 20_000  # every synthetic register on 31/10/2026; each meter adds 8–15 kWh a day (8 + id % 8)


def fresh_database(url: str | None) -> str:
    if url:
        return url
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS evn_usage_bench"))
        connection.execute(text("CREATE DATABASE evn_usage_bench"))
    admin.dispose()
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/evn_usage_bench"


def timed(run) -> tuple[object, float]:
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


def synthetic_customers(engine, meters: int) -> float:
    """Customers, their meters, their bill of 10/2026 and the registers the load and the scan read around."""
    def write() -> None:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO customers (code, name, phone, address, power_company, tariff_group) "
                "SELECT 'PB' || lpad(g::text, 11, '0'), 'Khách ' || g, '09' || lpad((g % 100000000)::text, 8, '0'), "
                "'Ấp ' || g, 'EVNSPC', 'residential' FROM generate_series(:first, :last) g"),
                {"first": FIRST_ID, "last": FIRST_ID + meters - 1})
            connection.execute(text(
                "INSERT INTO meters (customer_id, serial, installed_on) SELECT id, 'BM' || substr(code, 3), "
                "'2020-01-01' FROM customers WHERE code LIKE 'PB%'"))
            connection.execute(text(
                "INSERT INTO bills (customer_id, period, period_start, period_end, old_reading, new_reading, kwh, "
                "amount_before_vat, vat_percent, vat_amount, total, issued_on, due_date, status, tier_breakdown) "
                "SELECT id, 202610, '2026-10-01', '2026-10-31', 9000, 9300, 300, 739500, 8, 59160, 798660, "
                "'2026-11-01', '2026-11-15', 'paid', '[]' FROM customers WHERE code LIKE 'PB%'"))
            # The days the load and the scan read: the day before the period, RATE_DAYS before the export's
            # day, and the day before it.
            for day in (date(2026, 10, 31), DAY - timedelta(days=14), DAY - timedelta(days=1)):
                connection.execute(text(
                    "INSERT INTO daily_readings (meter_id, read_on, register, quality) "
                    "SELECT m.id, CAST(:day AS date), "
                    ":base + (CAST(:day AS date) - DATE '2026-10-31') * (8 + m.id % 8), 'A' "
                    "FROM meters m WHERE m.serial LIKE 'BM%'"), {"day": day, "base": BASE})
            connection.execute(text("ANALYZE"))
    return timed(write)[1]


def export_file(engine, folder: Path) -> Path:
    """The meter data system's export of DAY: one row per meter."""
    path = folder / f"export-{DAY:%Y%m%d}.csv"
    with engine.connect() as connection, path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("meter", "day", "register_kwh", "quality"))
        rows = connection.execution_options(stream_results=True, yield_per=50_000).execute(text(
            "SELECT serial, id FROM meters WHERE serial LIKE 'BM%' ORDER BY id"))
        for serial, meter_id in rows:
            writer.writerow((serial, DAY.isoformat(), BASE + 20 * (8 + meter_id % 8), "A"))
    return path


def load(uow, path: Path) -> dict:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with path.open(encoding="utf-8", newline="") as handle:
        report, seconds = timed(lambda: import_readings(uow, csv.reader(handle), file_name=path.name,
                                                        sha256=digest, today=TODAY, now=NOW))
    return {"rows": report.rows, "loaded": report.loaded, "rejected": report.rejected,  # type: ignore[attr-defined]
            "seconds": round(seconds, 1)}


def alerts_for_everyone(engine) -> None:
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO usage_alerts (customer_id, kind, level, conversation_id, created_at) "
            "SELECT id, CASE id % 3 WHEN 0 THEN 'kwh' WHEN 1 THEN 'amount' ELSE 'percent' END, "
            "CASE id % 3 WHEN 0 THEN 300 + id % 200 WHEN 1 THEN 800000 + (id % 5) * 100000 ELSE 20 + id % 30 END, "
            "'zalo-b' || id, :now FROM customers WHERE code LIKE 'PB%'"), {"now": NOW})
        connection.execute(text("ANALYZE usage_alerts"))


def history(engine, meters: int, days: int) -> float:
    """`days` days of registers up to DAY for the first `meters` synthetic meters, in chunks."""
    first_day = DAY - timedelta(days=days - 1)

    def write() -> None:
        with engine.connect() as connection:
            low, high = connection.execute(text(
                "SELECT min(id), min(id) + :n - 1 FROM meters WHERE serial LIKE 'BM%'"), {"n": meters}).one()
        for start in range(low, high + 1, CHUNK):
            with engine.begin() as connection:
                connection.execute(text(
                    "INSERT INTO daily_readings (meter_id, read_on, register, quality) "
                    "SELECT m, d::date, :base + (d::date - DATE '2026-10-31') * (8 + m % 8), 'A' "
                    "FROM generate_series(:low, :high) m, "
                    "generate_series(CAST(:first AS date), CAST(:last AS date), interval '1 day') d "
                    "ON CONFLICT DO NOTHING"),
                    {"low": start, "high": min(start + CHUNK - 1, high), "first": first_day, "last": DAY,
                     "base": BASE})
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE daily_readings"))
    return timed(write)[1]


def so_far(uow, usage: UsageService, samples: int, meters: int, seed: int = 27) -> tuple[dict, list[tuple[str, str]]]:
    identity = IdentityService(uow)
    chosen = random.Random(seed).sample(range(FIRST_ID, FIRST_ID + meters), samples)
    chats = []
    for number in chosen:
        code, phone, chat = f"PB{number:011d}", f"09{number % 100_000_000:08d}", f"zalo-bench{number}-{time.time_ns()}"
        assert identity.verify(code, phone, chat).status == "verified"
        chats.append((chat, code))
    usage.so_far(*chats[0])  # the first call pays for imports and the pool
    timings = []
    for chat, code in chats:
        view, seconds = timed(lambda chat=chat, code=code: usage.so_far(chat, code))
        assert view is not None and view.so_far.read_to == DAY  # type: ignore[attr-defined]
        timings.append(seconds * 1000)
    return stats(timings), chats


def charts(usage: UsageService, chats: list[tuple[str, str]], count: int) -> dict:
    drawn = {}
    for kind in (ChartKind.DAYS, ChartKind.PERIODS):
        timings = []
        for chat, code in chats[:count]:
            chart = usage.chart(usage.chart_link(chat, code, kind, PERIOD).rsplit("/", 1)[1].removesuffix(".png"))
            assert not isinstance(chart, str)
            timings.append(timed(lambda chart=chart: usage_charts.png(chart))[1] * 1000)
        drawn[kind.value] = stats(timings)
    return drawn


def stats(timings_ms: list[float]) -> dict:
    return {"n": len(timings_ms), "p50_ms": round(percentile(timings_ms, 50), 1),
            "p95_ms": round(percentile(timings_ms, 95), 1), "max_ms": round(max(timings_ms), 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--meters", type=int, default=1_000_000)
    parser.add_argument("--history-meters", type=int, default=100_000)
    parser.add_argument("--history-days", type=int, default=730)
    parser.add_argument("--samples", type=int, default=1_000)
    parser.add_argument("--database-url", default=None, help="PostgreSQL (default: a fresh evn_usage_bench)")
    parser.add_argument("--sample-seed", type=int, default=27, help="which customers ask (the same: a warm cache)")
    parser.add_argument("--latency-only", action="store_true",
                        help="only steps 3 and 4, on the database a full run left (evn_usage_bench by default)")
    args = parser.parse_args()
    if args.latency_only:
        url = args.database_url or POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/evn_usage_bench"
        engine = make_engine(url, pool_size=4)
        uow = Factory(session_factory(engine))
        usage = UsageService(uow, BillingService(uow, IdentityService(uow), today=lambda: TODAY),
                             ChartSigning("bench-secret", "http://bench"), today=lambda: TODAY, clock=lambda: NOW)
        latency: dict = {"date": time.strftime("%Y-%m-%d %H:%M")}
        latency["so_far"], chats = so_far(uow, usage, args.samples, args.history_meters, args.sample_seed)
        latency["chart"] = charts(usage, chats, max(args.samples // 5, 20))
        save("usage_bench_latency", latency)
        engine.dispose()
        return 0
    url = fresh_database(args.database_url)
    upgrade(url)
    engine = make_engine(url, pool_size=4)
    seed(engine, 0, date(2026, 11, 1), reset=True, quiet=True, daily_share=0)  # the reference data
    uow = Factory(session_factory(engine))
    billing = BillingService(uow, IdentityService(uow), today=lambda: TODAY)
    usage = UsageService(uow, billing, ChartSigning("bench-secret", "http://bench"), today=lambda: TODAY,
                         clock=lambda: NOW)
    report: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "meters": args.meters,
                    "setup_seconds": round(synthetic_customers(engine, args.meters), 1)}
    with tempfile.TemporaryDirectory() as folder:
        report["load"] = load(uow, export_file(engine, Path(folder)))
    alerts_for_everyone(engine)
    scan, seconds = timed(lambda: UsageAlertService(uow, billing, usage, clock=lambda: NOW).scan(TODAY))
    report["scan"] = {"checked": scan.checked, "crossed": scan.crossed, "notices": scan.notices,  # type: ignore
                      "seconds": round(seconds, 1)}
    report["history"] = {"meters": args.history_meters, "days": args.history_days,
                         "seconds": round(history(engine, args.history_meters, args.history_days), 1)}
    with engine.connect() as connection:
        report["history"]["daily_rows"] = connection.execute(text("SELECT count(*) FROM daily_readings")).scalar()
        report["history"]["table_mib"] = round(connection.execute(text(
            "SELECT pg_total_relation_size('daily_readings')")).scalar() / 2**20)
    report["so_far"], chats = so_far(uow, usage, args.samples, args.history_meters)
    report["chart"] = charts(usage, chats, max(args.samples // 5, 20))
    save("usage_bench", report)
    print(f"\n| load {report['load']['rows']:,} rows: {report['load']['seconds']} s (< 60) "
          f"| scan {scan.checked:,} alerts: {report['scan']['seconds']} s (< 60) "  # type: ignore[attr-defined]
          f"| so far p95 {report['so_far']['p95_ms']} ms (≤ 20) over {report['history']['daily_rows']:,} rows "
          f"| chart p95 {report['chart']['days']['p95_ms']} / {report['chart']['periods']['p95_ms']} ms (≤ 100) |")
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
