"""Issue #16's numbers: the operations report over 12 months of N customers, on SQLite or PostgreSQL.

    python -m bench.report_bench [--customers 1000000] [--database-url URL] [--skip-seed]

1. Seeds N synthetic customers with their year of history (evn.seed: bills, payments by channel,
   the assistant's payment links, service requests and their events) unless --skip-seed; timed.
2. Builds the report for the seed's 12 months of payments (12/2025 – 11/2026): the SQL counting
   (evn.services.operations_report.build), then the document, the charts and the HTML; timed
   separately, twice (the second run with the database's cache warm).
Prints a table and writes results/report_bench_<database>.json. SQLite by default
(var/report_bench.sqlite3); give --database-url postgresql://... for PostgreSQL.
"""
from __future__ import annotations

import argparse
import time
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bench.results import save
from evn.adapters import orm
from evn.adapters.db import make_engine
from evn.adapters.migrate import upgrade
from evn.demo.seed import seed
from evn.domain.operations_report import MonthRange
from evn.report.writers import inline_html
from evn.services.operations_report import build
from ops.model_fingerprint import ROOT

REFERENCE_DATE = date(2026, 11, 1)  # the seed's default: bills 11/2025 – 10/2026, paid 12/2025 – 11/2026
MONTHS = MonthRange.parse("2025-12", "2026-11")
NOW = datetime(2026, 12, 1, 3, 0)
COUNTED = {"customers": orm.Customer, "bills": orm.Bill, "payments": orm.Payment,
           "payment_links": orm.PaymentLink, "service_requests": orm.ServiceRequest,
           "request_events": orm.RequestEvent}


def rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {name: connection.execute(select(func.count()).select_from(table.__table__)).scalar_one()
                for name, table in COUNTED.items()}


def timed_report(engine: Engine) -> dict:
    started = time.perf_counter()
    report = build(engine, MONTHS, now=NOW)
    counted = time.perf_counter() - started
    html = inline_html(report)
    total = time.perf_counter() - started
    return {"sql_seconds": round(counted, 1), "render_seconds": round(total - counted, 1),
            "total_seconds": round(total, 1), "html_kib": len(html) // 1024,
            "paying_customer_months": report.payments["*"].payers,
            "cashless_customers_last_month": report.payments[MONTHS.last.key].customer_share}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'report_bench.sqlite3'}")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the database as it is")
    args = parser.parse_args()
    engine = make_engine(args.database_url)
    result: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "database": engine.dialect.name, "months": str(MONTHS)}
    if not args.skip_seed:
        if engine.dialect.name == "sqlite":
            Path(engine.url.database).unlink(missing_ok=True)
        started = time.perf_counter()
        seed(engine, args.customers, REFERENCE_DATE, reset=True, quiet=True, daily_share=0)
        result["seed_seconds"] = round(time.perf_counter() - started, 1)
    upgrade(engine.url.render_as_string(hide_password=False))  # --skip-seed: an older database, today's schema
    result["rows"] = rows(engine)
    result["runs"] = [timed_report(engine), timed_report(engine)]
    engine.dispose()
    save(f"report_bench_{result['database']}", result)
    first, second = result["runs"]
    print(f"\n| {result['database']} | {result['rows']['customers']:,} customers, {result['rows']['payments']:,} "
          f"payments | seed {result.get('seed_seconds', '–')} s | report {first['total_seconds']} s "
          f"(SQL {first['sql_seconds']} s), warm {second['total_seconds']} s (target < 60 s) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
