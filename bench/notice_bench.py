"""Issue #15's numbers: notices for a billing run of N customers generated in SQL, and dispatched in flat memory.

    python -m bench.notice_bench [--customers 1000000] [--database-url URL] [--skip-seed] [--dispatch 20000]

1. Seeds N customers with a year of bills (evn.seed) unless --skip-seed, and links every
   customer to a Zalo user (one INSERT ... SELECT): the worst case, everybody registered.
2. The billing run of the next period (evn.demo.billing_run, as `python -m evn.seed --issue-period`).
3. The scanner's bill scan: one INSERT ... SELECT writing a notice per new bill and linked
   user, ON CONFLICT DO NOTHING on the unique key. Timed, then run again (0 rows: no duplicate).
4. Delivery of the first --dispatch notices through a sender that only counts, paced at
   --rate per second (0: unpaced), with tracemalloc's peak measured at two sizes: memory
   follows the batch, not the run.
Prints a table and writes results/notice_bench.json. SQLite by default (var/notice_bench.sqlite3);
give --database-url postgresql://... for PostgreSQL.
"""
from __future__ import annotations

import argparse
import time
import tracemalloc
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select, text

from bench.results import save
from evn.adapters import orm
from evn.adapters.db import make_engine, session_factory
from evn.adapters.migrate import upgrade
from evn.adapters.unit_of_work import Factory
from evn.demo.billing_run import issue_period
from evn.demo.seed import seed
from evn.domain.notices import QuietHours, Route
from evn.domain.periods import Period
from evn.services.notices import Content, NoticeDelivery, NoticeScanner, PendingNotice, RateLimiter
from ops.model_fingerprint import ROOT

NOW = datetime(2026, 12, 1, 3, 0)  # 10:00 on 01/12/2026 in Vietnam, the day November's bills come out


def link_everyone(engine) -> float:
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM notices"))
        connection.execute(text("DELETE FROM notice_cursors"))
        connection.execute(text("DELETE FROM account_links"))
        connection.execute(text(
            "INSERT INTO account_links (conversation_id, channel, channel_user, customer_code, linked_at, active_key) "
            "SELECT 'zalo-u' || id, 'zalo', 'u' || id, code, :now, 'zalo-u' || id || '|' || code FROM customers"
        ), {"now": NOW})
    return time.perf_counter() - started


def dispatch(uow, count: int, rate: float) -> dict:
    sent = 0

    def counting(notice: PendingNotice, content: Content, template: str) -> str:
        nonlocal sent
        sent += 1
        return str(notice.id)

    delivery = NoticeDelivery(
        uow, {route: counting for route in Route}, lambda _conversation: (NOW, False), lambda *_: None,
        quiet=QuietHours(), limiter=RateLimiter({"zalo": rate} if rate else {}), clock=lambda: NOW,
    )
    peaks = []
    started = time.perf_counter()
    tracemalloc.start()
    for checkpoint in (count // 4, count):
        while sent < checkpoint:
            if not delivery.run_once(limit=200).sent:
                break
        peaks.append(tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
    seconds = time.perf_counter() - started
    return {"sent": sent, "seconds": round(seconds, 1), "per_second": round(sent / seconds, 1),
            "peak_mib_at_quarter": round(peaks[0] / 2**20, 2), "peak_mib_at_end": round(peaks[1] / 2**20, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'notice_bench.sqlite3'}")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the database's customers and bills")
    parser.add_argument("--dispatch", type=int, default=5_000, help="notices delivered for the memory check")
    parser.add_argument("--rate", type=float, default=0, help="messages per second the delivery is paced to")
    args = parser.parse_args()
    engine = make_engine(args.database_url)
    report: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "database": engine.dialect.name}
    if not args.skip_seed:
        if engine.dialect.name == "sqlite":
            Path(engine.url.database).unlink(missing_ok=True)
        upgrade(str(engine.url.render_as_string(hide_password=False)))
        started = time.perf_counter()
        seed(engine, args.customers, date(2026, 11, 1), reset=True, quiet=True, daily_share=0)
        report["seed_seconds"] = round(time.perf_counter() - started, 1)
    upgrade(str(engine.url.render_as_string(hide_password=False)))
    report["link_seconds"] = round(link_everyone(engine), 1)
    uow = Factory(session_factory(engine))
    scanner = NoticeScanner(uow, clock=lambda: NOW)
    scanner.scan_new_bills()  # the cursor starts at the newest bill
    period = Period(2026, 11)
    with engine.begin() as connection:
        connection.execute(orm.Bill.__table__.delete().where(orm.Bill.period == period.key))
    scanner.scan_new_bills()
    with uow() as session:
        before_run = session.notices.cursor("bills")
    run = issue_period(engine, period)
    report["billing_run"] = {"bills": run["bills"], "seconds": round(run["seconds"], 1)}
    started = time.perf_counter()
    written = scanner.scan_new_bills()
    report["generation"] = {"notices": written, "seconds": round(time.perf_counter() - started, 1)}
    with uow() as session:  # a second scanner from the old position: the unique key writes nothing twice
        session.notices.move_cursor("bills", before_run, NOW)
        session.commit()
    report["generation"]["rescan_written"] = scanner.scan_new_bills()
    with engine.connect() as connection:
        report["generation"]["rows_after_a_second_scan"] = connection.execute(
            select(func.count()).select_from(orm.Notice.__table__)).scalar_one()
    report["dispatch"] = dispatch(uow, args.dispatch, args.rate)
    save(f"notice_bench_{engine.dialect.name}", report)
    gen, disp = report["generation"], report["dispatch"]
    print(f"\n| {engine.dialect.name} | {report['billing_run']['bills']:,} bills | {gen['notices']:,} notices "
          f"in {gen['seconds']} s (target < 60 s) | dispatch {disp['per_second']}/s, peak "
          f"{disp['peak_mib_at_quarter']} → {disp['peak_mib_at_end']} MiB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
