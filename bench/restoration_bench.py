"""Issue #29's load check: one restoration told to 100.000 linked customers of an incident's ward.

    python -m bench.restoration_bench [--affected 100000] [--elsewhere 20000] [--database-url URL] [--pace 20]

1. A fresh database with the demo seed's reference data; --affected customers whose address lies in
   phường Tân Định, Quận 1 and --elsewhere customers in other wards, every one linked to a chat user (Zalo,
   Messenger, alternately): the worst case, everybody registered.
2. One outage report in that ward opens an incident (RequestService.report_outage).
3. The restoration (IncidentService.restore): the incident closes and a notice per reporter and per linked user of
   the ward is written in the same transaction. Timed: the contract is under 60 s.
4. The same notices written again (a retried step): nothing new; each channel user has exactly one.
5. Delivery for --pace seconds by the worker's lanes (a thread per channel) at the channels' configured rates
   (evn.settings DEFAULT_NOTICE_RATES) through a sender that records each (channel, user): the rate reached per
   channel, no user told twice, and how long the whole queue takes at those rates.
Prints a table and writes results/restoration_bench_<dialect>.json. SQLite by default
(var/restoration_bench.sqlite3); --database-url postgresql://… for PostgreSQL.
"""
from __future__ import annotations

import argparse
import threading
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text

from bench.results import save
from evn.adapters import orm
from evn.adapters.bulk import BulkLoader
from evn.adapters.db import make_engine, session_factory
from evn.adapters.migrate import upgrade
from evn.adapters.unit_of_work import Factory
from evn.demo.seed import seed
from evn.domain.notices import NoticeKind, NoticeStatus, QuietHours, Route
from evn.services.identity import IdentityService
from evn.services.incidents import IncidentService
from evn.services.notices import Content, NoticeDelivery, PendingNotice, RateLimiter
from evn.services.requests import RequestService
from evn.settings import DEFAULT_NOTICE_RATES
from ops.model_fingerprint import ROOT

NOW = datetime(2026, 12, 1, 16, 0)  # 23:00 in Vietnam: a restoration at night is not held by quiet hours
WARD = "Phường Tân Định, Quận 1, TP.HCM"
OTHER_WARDS = ("Phường Bến Nghé, Quận 1, TP.HCM", "Phường 25, Quận Bình Thạnh, TP.HCM",
               "Phường Tân Định, Quận 3, TP.HCM")  # the same ward's name in another district is elsewhere
CHANNELS = ("zalo", "facebook")


def customers(engine, affected: int, elsewhere: int) -> float:
    """The bench's customers and their links, loaded in bulk (COPY on PostgreSQL)."""
    started = time.perf_counter()
    rows, links = [], []
    for number in range(affected + elsewhere):
        code = f"PE9{number:010d}"
        where = WARD if number < affected else OTHER_WARDS[number % len(OTHER_WARDS)]
        rows.append((code, f"Khách {number}", f"09{number % 10**8:08d}", f"{number % 300 + 1} Hai Bà Trưng, {where}",
                     "EVNHCMC", "residential"))
        channel = CHANNELS[number % len(CHANNELS)]
        user = f"b{number}"
        prefix = "zalo" if channel == "zalo" else "facebook"
        links.append((f"{prefix}-{user}", channel, user, code, NOW - timedelta(days=3),
                      f"{prefix}-{user}|{code}"))
    with engine.begin() as connection:
        loader = BulkLoader(connection)
        loader.insert("customers", ("code", "name", "phone", "address", "power_company", "tariff_group"), rows)
        loader.insert("account_links", ("conversation_id", "channel", "channel_user", "customer_code", "linked_at",
                                        "active_key"), links)
    return time.perf_counter() - started


def deliver(uow, seconds: float) -> dict:
    """The worker's lanes (a thread per channel, as evn.entrypoints.worker runs them) for `seconds`."""
    told: Counter[tuple[str, str]] = Counter()
    lock = threading.Lock()

    def record(notice: PendingNotice, content: Content, template: str) -> str:
        with lock:
            told[(notice.channel, notice.channel_user)] += 1
        return str(notice.id)

    delivery = NoticeDelivery(
        uow, {route: record for route in Route}, lambda _conversation: (NOW, False), lambda *_: None,
        quiet=QuietHours.parse("21:00-07:00"), limiter=RateLimiter(DEFAULT_NOTICE_RATES), clock=lambda: NOW)
    stop = threading.Event()
    lanes = [threading.Thread(target=delivery.run_forever, args=(stop,), kwargs={"channel": channel})
             for channel in CHANNELS]
    started = time.perf_counter()
    for lane in lanes:
        lane.start()
    time.sleep(seconds)
    stop.set()
    for lane in lanes:
        lane.join()
    took = time.perf_counter() - started
    per_channel = Counter(channel for channel, _user in told.elements())
    return {"seconds": round(took, 1), "sent": sum(told.values()),
            "per_second": {channel: round(count / took, 1) for channel, count in per_channel.items()},
            "configured": {channel: DEFAULT_NOTICE_RATES[channel] for channel in per_channel},
            "users_told_twice": sum(1 for count in told.values() if count > 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--affected", type=int, default=100_000)
    parser.add_argument("--elsewhere", type=int, default=20_000)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'restoration_bench.sqlite3'}")
    parser.add_argument("--pace", type=float, default=20, help="seconds of paced delivery measured")
    args = parser.parse_args()
    engine = make_engine(args.database_url)
    if engine.dialect.name == "sqlite":
        Path(engine.url.database).unlink(missing_ok=True)
    url = str(engine.url.render_as_string(hide_password=False))
    upgrade(url)
    seed(engine, 0, date(2026, 11, 1), reset=True, quiet=True, daily_share=0)
    report: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "database": engine.dialect.name,
                    "affected": args.affected, "elsewhere": args.elsewhere}
    report["load_seconds"] = round(customers(engine, args.affected, args.elsewhere), 1)
    uow = Factory(session_factory(engine))
    clock = lambda: NOW  # noqa: E731 - a fixed night
    requests = RequestService(uow, IdentityService(uow, clock=clock), holidays=set(), schedule=[], clock=clock)
    ticket = requests.report_outage("zalo-reporter", "zalo", f"12 Trần Quang Khải, {WARD}", "").request.ticket
    incidents = IncidentService(uow, clock=clock)
    started = time.perf_counter()
    incidents.restore(ticket, "bench")
    queued = time.perf_counter() - started
    with uow() as session:
        update = session.incidents.latest_update(session.incidents.of_request(
            session.requests.by_ticket(ticket).id).id)
        again = session.notices.for_recipients(NoticeKind.OUTAGE_RESTORED.value,
                                               [(f"PE9{n:010d}", str(update.id), ()) for n in range(args.affected)],
                                               NOW)
        session.commit()
    with engine.connect() as connection:
        notices = connection.execute(select(func.count()).select_from(orm.Notice.__table__)).scalar_one()
        users = connection.execute(select(func.count()).select_from(select(
            orm.Notice.channel, orm.Notice.channel_user).distinct().subquery())).scalar_one()
    report["restoration"] = {"notices": notices, "distinct_users": users, "seconds": round(queued, 1),
                             "written_again_on_retry": again}
    report["delivery"] = deliver(uow, args.pace)
    with engine.connect() as connection:
        sent = connection.execute(text("SELECT count(*) FROM notices WHERE status = :s"),
                                  {"s": NoticeStatus.SENT.value}).scalar_one()
    rates = report["delivery"]["per_second"]
    # The lanes run side by side: the slowest channel's share sets how long the whole queue takes.
    whole = max(count / DEFAULT_NOTICE_RATES[channel] for channel, count in Counter(
        CHANNELS[n % len(CHANNELS)] for n in range(args.affected)).items())
    report["delivery"]["sent_rows"] = sent
    report["delivery"]["whole_queue_minutes_at_these_rates"] = round(whole / 60, 1)
    save(f"restoration_bench_{engine.dialect.name}", report)
    print(f"\n| {engine.dialect.name} | {args.affected:,} in the ward (+{args.elsewhere:,} elsewhere) | "
          f"{notices:,} notices queued in {report['restoration']['seconds']} s (target < 60 s), "
          f"{again} more on a retry | delivery {rates} per s, {report['delivery']['users_told_twice']} told twice |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
