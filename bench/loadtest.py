"""`make loadtest`: simulated customers against the production profile on this machine, then the books checked.

    python -m bench.loadtest [--users 50] [--duration 300] [--pause 2-6] [--ceiling-users 16]
                             [--ceiling-duration 60] [--skip-ceiling] [--faults]

1. Open loop: N customers at once, each holding whole conversations in Vietnamese (greet,
   verify, the bill, why it rose, a payment link — a third of them pay it through the VNPay
   simulator —, a meter inspection request with its confirmation, its status), pausing 2-6 s
   between messages as people do, for a fixed duration, through nginx on the 2 + 2 profile.
   Each conversation is a different synthetic customer from its own client address.
2. Every reply is checked as it arrives: an answer (not empty, not "hệ thống đang bận"), the
   customer's own bill, own code, own masked phone, own tickets — never another's.
3. Afterwards, from the business database and the tracker store: every message answered
   exactly once, each filed request and each payment there once (none missing, none doubled),
   each payment confirmed once in its conversation.
4. The closed-loop ceiling (no pauses) of 1 Rasa + 1 action server and of 2 + 2, in this run.
5. With --faults, the faults under load (bench/faults.py).
Results are printed and written to results/loadtest.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, select, text

from bench.turn_profile import profile_turns
from evn.adapters import orm
from evn.domain.time import vietnam_date
from ops.production import Profile
from ops.stack import ROOT
from tests.doubles.pay_simulator import pay_with_simulator

PERIOD, PREVIOUS = 202610, 202609
CODE = re.compile(r"\b[A-Z]{2}\d{11}\b")
TICKET = re.compile(r"\bYC-\d{8}-\d{4}\b")
# Tickets carry the Vietnam day they were filed.
RUN_DAY = f"{vietnam_date(datetime.now(timezone.utc).replace(tzinfo=None)):%Y%m%d}"
BUSY = "hệ thống đang bận"
# What the channels say when the system could not answer (utter_system_busy, utter_system_failure).
SYSTEM_FAILED = (BUSY, "hệ thống của em đang gặp sự cố")
CONFIRMED = "đã nhận thanh toán"


def money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


def masked_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-3:]


@dataclass(frozen=True)
class Customer:
    code: str
    phone: str
    name: str
    totals: dict[int, int]
    unpaid: dict[int, int]


@dataclass
class Conversation:
    sender: str
    customer: Customer
    address: str
    pays: bool
    sent: int = 0
    answered: int = 0
    tickets: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    paid: bool = False
    completed: bool = False


def load_customers(database_url: str, limit: int) -> list[Customer]:
    """Synthetic customers with a bill for both periods (the demo ones are left alone)."""
    engine = create_engine(database_url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(
            select(orm.Customer.code, orm.Customer.phone, orm.Customer.name, orm.Bill.period, orm.Bill.total,
                   orm.Bill.status)
            .join(orm.Bill, orm.Bill.customer_id == orm.Customer.id)
            .where(orm.Customer.code.not_in(["PE01000000001", "PD01000000002"]))
            .order_by(orm.Customer.code)
        ).all()
    engine.dispose()
    found: dict[str, dict[str, Any]] = {}
    for code, phone, name, period, total, status in rows:
        entry = found.setdefault(code, {"phone": phone, "name": name, "totals": {}, "unpaid": {}})
        entry["totals"][period] = total
        if status != "paid":
            entry["unpaid"][period] = total
    customers = [Customer(code, e["phone"], e["name"], e["totals"], e["unpaid"]) for code, e in found.items()
                 if PERIOD in e["totals"] and PREVIOUS in e["totals"]]
    return customers[:limit]


# -- the conversation ---------------------------------------------------------------------------
# (kind of turn, what the customer types, what the reply must show); {code}, {phone}, {name} filled in.
SCRIPT: list[tuple[str, str]] = [
    ("greet", "xin chào"),
    ("ask_bill", "cho em xem hóa đơn tháng 10/2026"),
    ("give_code", "{code}"),
    ("give_phone", "{phone}"),
    ("why_higher", "sao tháng này tiền điện cao vậy"),
    ("payment_link", "cho em link thanh toán"),
    ("service_start", "em muốn kiểm tra công tơ, nghi chạy sai"),
    ("service_name", "{name}"),
    ("service_phone", "{phone}"),
    ("service_reason", "công tơ quay nhanh bất thường"),
    ("service_date", "thứ 2 tuần sau"),
    ("service_confirm", "đồng ý"),
    ("status", "kiểm tra tình trạng yêu cầu"),
]


def pay_links(replies: list[dict]) -> list[str]:
    """The payment links among the buttons of the replies."""
    targets = [str(b.get("url") or b.get("payload")) for r in replies for b in r.get("buttons") or []]
    return [target for target in targets if "/pay/" in target]


def problems_of(kind: str, replies: list[dict], conversation: Conversation) -> list[str]:
    """What is wrong with the replies to one turn of `conversation`'s customer."""
    said = "\n".join(str(r.get("text") or "") for r in replies)
    links = pay_links(replies)
    customer = conversation.customer
    found = []
    if not replies or not said.strip():
        return ["empty reply"]
    if any(words in said for words in SYSTEM_FAILED):
        return ["the system could not answer"]
    foreign = {code for code in CODE.findall(said) if code != customer.code and code != "PE01000000001"}
    if foreign:
        found.append(f"another customer's code {sorted(foreign)}")
    # The customer's own earlier requests (the seed's history, dated before this run) are listed too: a ticket is
    # another conversation's when this one did not file it and it was filed during the run.
    foreign_tickets = [t for t in TICKET.findall(said) if kind == "status" and t not in conversation.tickets
                       and t[3:11] >= RUN_DAY]
    if foreign_tickets:
        found.append(f"another conversation's ticket {foreign_tickets}")
    expected = {
        "ask_bill": ["mã khách hàng"],
        "give_code": ["số điện thoại"],
        "give_phone": [masked_phone(customer.phone), money(customer.totals[PERIOD])],
        "why_higher": [money(customer.totals[PERIOD]), money(customer.totals[PREVIOUS])],
        "service_start": ["Kiểm định công tơ"],
        "service_date": ["tóm tắt"],
        "service_confirm": ["YC-"],
    }.get(kind, [])
    found += [f"missing {want!r}" for want in expected if want not in said]
    if kind == "payment_link" and len(customer.unpaid) > 1:  # the bot asks which of the customer's own bills
        found += [f"unpaid bill {money(amount)} not listed" for amount in customer.unpaid.values()
                  if money(amount) not in said]
    elif kind == "payment_link" and PERIOD in customer.unpaid and (money(customer.unpaid[PERIOD]) not in said
                                                                   or not links):
        found.append("no payment link with the customer's own amount")
    if kind == "status" and conversation.tickets and not all(t in said for t in conversation.tickets):
        found.append("own ticket not listed")
    return found


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    conversations: list[Conversation] = field(default_factory=list)
    # (when the answer came, monotonic; conversation; whether it was a good answer): for the fault windows
    outcomes: list[tuple[float, str, bool]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, problems: list[str], conversation: Conversation) -> None:
        with self.lock:
            self.latencies[kind].append(seconds * 1000)
            self.errors += [f"{conversation.sender} {kind}: {p}" for p in problems]
            self.outcomes.append((time.monotonic(), conversation.sender, not problems))


@dataclass(frozen=True)
class Target:
    """Where the simulated customers write: the Rasa REST webhook's base, its token, the pay pages' base."""

    chat_url: str
    headers: dict[str, str]
    web_url: str
    public_url: str  # how links name web_url (PUBLIC_BASE_URL)
    pay_share: int = 3  # one conversation in this many pays its link (0: none)

    @classmethod
    def of_profile(cls, profile: Profile) -> Target:
        return cls(profile.url, profile.rest_headers, profile.url, f"http://localhost:{profile.proxy_port}")


class Simulation:
    def __init__(self, target: Target, customers: list[Customer], users: int, duration: float,
                 pause: tuple[float, float], seed: int = 20261202) -> None:
        self.target, self.users, self.duration, self.pause = target, users, duration, pause
        self.customers = iter(customers)
        self.customers_lock = threading.Lock()
        self.results = Results()
        self.rng = random.Random(seed)
        self.deadline = 0.0

    def next_customer(self) -> Customer | None:
        with self.customers_lock:
            return next(self.customers, None)

    def run(self) -> Results:
        self.deadline = time.monotonic() + self.duration
        threads = [threading.Thread(target=self.user, args=(index,), daemon=True) for index in range(self.users)]
        for thread in threads:
            thread.start()
            time.sleep(min(0.1, self.duration / max(1, self.users) / 10))  # not all in the same millisecond
        for thread in threads:
            thread.join()
        return self.results

    def user(self, index: int) -> None:
        rng = random.Random(index * 7919 + 1)
        session = requests.Session()
        while time.monotonic() < self.deadline:
            customer = self.next_customer()
            if customer is None:
                return
            serial = len(self.results.conversations)
            conversation = Conversation(
                sender=f"load-{uuid.uuid4().hex[:12]}", customer=customer,
                address=f"10.{(serial >> 16) & 255}.{(serial >> 8) & 255}.{serial & 255 or 1}",
                pays=bool(self.target.pay_share) and serial % max(1, self.target.pay_share) == 0,
            )
            with self.results.lock:
                self.results.conversations.append(conversation)
            self.converse(session, conversation, rng)

    def converse(self, session: requests.Session, conversation: Conversation, rng: random.Random) -> None:
        customer = conversation.customer
        for kind, template in SCRIPT:
            if time.monotonic() >= self.deadline:
                return
            if self.pause[1] > 0:
                time.sleep(rng.uniform(*self.pause))
            message = template.format(code=customer.code, phone=customer.phone, name=customer.name)
            # Told the system is busy (or no answer at all), a customer waits a little and sends it again, once.
            for attempt in range(2):
                if not self.turn(session, conversation, kind, message) or attempt:
                    break
                time.sleep(rng.uniform(2.0, 4.0))
        conversation.completed = True

    def turn(self, session: requests.Session, conversation: Conversation, kind: str, message: str) -> bool:
        """Sends one message and records the outcome; True when the system failed to answer it."""
        started = time.perf_counter()
        conversation.sent += 1
        try:
            response = session.post(
                f"{self.target.chat_url}/webhooks/rest/webhook",
                json={"sender": conversation.sender, "message": message},
                headers={**self.target.headers, "X-Forwarded-For": conversation.address}, timeout=60,
            )
            replies = response.json() if response.status_code == 200 else []
            problems = [] if response.status_code == 200 else [f"HTTP {response.status_code}"]
        except (requests.RequestException, ValueError) as error:
            replies, problems = [], [f"{error.__class__.__name__}"]
        elapsed = time.perf_counter() - started
        if replies:
            conversation.answered += 1
        said = "\n".join(str(r.get("text") or "") for r in replies)
        failed = bool(problems) or not replies or any(words in said for words in SYSTEM_FAILED)
        if not problems:
            problems = [f"{problem} (said: {said[:160]!r})" for problem in problems_of(kind, replies, conversation)]
        if kind == "service_confirm":
            conversation.tickets += sorted(set(TICKET.findall(said)) - set(conversation.tickets))
        if kind == "payment_link":
            conversation.links += pay_links(replies)
        self.results.record(kind, elapsed, problems, conversation)
        if kind == "payment_link" and conversation.pays and conversation.links and not conversation.paid:
            self.pay(session, conversation)
        return failed

    def pay(self, session: requests.Session, conversation: Conversation) -> None:
        """The customer opens the link and pays with the simulator, through nginx."""
        link = conversation.links[0].replace(self.target.public_url, self.target.web_url)
        started = time.perf_counter()
        problems = []
        try:
            answer = pay_with_simulator(link, self.target.web_url)
            if "thành công" not in answer.text:
                problems.append(f"simulator answered {answer.status_code}")
            else:
                conversation.paid = True
        except (requests.RequestException, ValueError) as error:
            problems.append(f"pay: {error.__class__.__name__}")
        self.results.record("pay", time.perf_counter() - started, problems, conversation)


# -- the books ----------------------------------------------------------------------------------
def check_books(profile: Profile, results: Results, settle: float = 30) -> dict[str, Any]:
    """Every message answered once, every request and payment there once, every payment confirmed once."""
    conversations = {f"rest-{c.sender}": c for c in results.conversations if c.sent}
    problems: list[str] = []
    tracker = create_engine(profile.settings.tracker_store_url, future=True)
    business = create_engine(profile.settings.database_url, future=True)
    deadline = time.monotonic() + settle
    while True:  # confirmations go out through the outbox, just after the IPN
        with tracker.connect() as connection:
            rows = connection.execute(
                text("SELECT sender_id, type_name, data FROM events WHERE sender_id LIKE 'rest-load-%' ORDER BY id")
            ).all()
        events: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for sender, kind, data in rows:
            event = json.loads(data)
            pushed = kind == "user" and str((event.get("parse_data") or {}).get("intent", {}).get("name")).startswith(
                "EXTERNAL_")  # a payment confirmation the web app triggered, not a customer's message
            if sender in conversations and kind in ("user", "bot") and not pushed:
                events[sender].append((kind, event.get("text") or ""))
        confirmations = {s: sum(CONFIRMED in t for k, t in e if k == "bot") for s, e in events.items()}
        waiting = [s for s, c in conversations.items() if c.paid and confirmations.get(s, 0) == 0]
        if not waiting or time.monotonic() > deadline:
            break
        time.sleep(1)
    for sender, conversation in conversations.items():
        kinds = [kind for kind, _ in events.get(sender, [])]
        users = [i for i, kind in enumerate(kinds) if kind == "user"]
        if len(users) != conversation.sent:
            problems.append(f"{sender}: {conversation.sent} messages sent, {len(users)} in the tracker store")
        unanswered = [i for i in users if i + 1 >= len(kinds) or kinds[i + 1] != "bot"]
        if unanswered:
            problems.append(f"{sender}: {len(unanswered)} messages without an answer in the tracker store")
        expected_confirmations = 1 if conversation.paid else 0
        if confirmations.get(sender, 0) != expected_confirmations:
            problems.append(f"{sender}: {confirmations.get(sender, 0)} payment confirmations, "
                            f"expected {expected_confirmations}")
    with business.connect() as connection:
        filed = connection.execute(
            select(orm.ServiceRequest.conversation_id, orm.ServiceRequest.ticket)
            .where(orm.ServiceRequest.conversation_id.like("rest-load-%"))
        ).all()
        links = connection.execute(
            select(orm.PaymentLink.conversation_id).where(orm.PaymentLink.conversation_id.like("rest-load-%"))
        ).scalars().all()
        payments = connection.execute(
            select(orm.Customer.code, orm.Payment.reference)
            .join(orm.Bill, orm.Payment.bill_id == orm.Bill.id).join(orm.Customer)
            .where(orm.Bill.period == PERIOD)
        ).all()
    tickets_by: dict[str, list[str]] = defaultdict(list)
    for sender, ticket in filed:
        tickets_by[sender].append(ticket)
    links_by: dict[str, int] = defaultdict(int)
    for sender in links:
        links_by[sender] += 1
    payments_by: dict[str, int] = defaultdict(int)
    for code, _reference in payments:
        payments_by[code] += 1
    for sender, conversation in conversations.items():
        if sorted(tickets_by.get(sender, [])) != sorted(conversation.tickets):
            problems.append(f"{sender}: tickets told {conversation.tickets}, filed {tickets_by.get(sender, [])}")
        if links_by.get(sender, 0) != len(conversation.links):
            problems.append(f"{sender}: {len(conversation.links)} links sent, {links_by.get(sender, 0)} recorded")
        paid = payments_by.get(conversation.customer.code, 0)
        if conversation.paid and paid != 1:
            problems.append(f"{sender}: paid once, {paid} payments recorded")
    tracker.dispose()
    business.dispose()
    return {
        "conversations": len(conversations),
        "completed": sum(c.completed for c in conversations.values()),
        "messages": sum(c.sent for c in conversations.values()),
        "requests_filed": len(filed),
        "links": len(links),
        "payments": sum(c.paid for c in conversations.values()),
        "problems": problems,
    }


# -- the broker's queue ------------------------------------------------------------------------
def delete_queue(url: str, queue: str) -> int:
    """Deletes the run's RabbitMQ queue (nobody consumes it here); returns how many events it held."""
    import aio_pika

    async def delete() -> int:
        connection = await aio_pika.connect(url)
        async with connection:
            channel = await connection.channel()
            declared = await channel.declare_queue(queue, durable=True)
            count = declared.declaration_result.message_count or 0
            await declared.delete(if_unused=False, if_empty=False)
            return count

    return asyncio.run(delete())


# -- a customer with years of history -------------------------------------------------------------
def history_events(count: int, sessions: int, start: float, spacing: float) -> list[dict[str, Any]]:
    """`count` events in `sessions` sessions, one every `spacing` seconds from `start` (epoch seconds)."""
    events: list[dict[str, Any]] = []
    per_session = max(4, count // sessions)
    moment = start
    while len(events) < count:
        if len(events) % per_session == 0:
            events += [{"event": "session_started", "timestamp": moment},
                       {"event": "action", "name": "action_listen", "timestamp": moment}]
        events += [
            {"event": "user", "text": "giá điện bậc 5 bao nhiêu", "timestamp": moment,
             "parse_data": {"intent": {"name": "ask_tariff", "confidence": 1.0}, "entities": [],
                            "text": "giá điện bậc 5 bao nhiêu"}},
            {"event": "bot", "text": "Dạ, giá bậc 5 là 3.350 đ/kWh.", "timestamp": moment},
            {"event": "action", "name": "action_listen", "timestamp": moment},
        ]
        moment += spacing
    return events[:count]


def history_latency(profile: Profile, events: int = 2000, turns: int = 20) -> dict[str, Any]:
    """Turn latency of a new customer, of one with `events` earlier events in monthly sessions (expired, as
    session_config makes them), and of one with as many events in its current session (what expiry avoids)."""
    api = f"{profile.internal_url}/conversations/{{}}/tracker/events"
    now = time.time()
    cases = {
        "new_conversation": [],
        f"{events}_events_in_monthly_sessions": history_events(events, 24, now - 730 * 86400, 730 * 86400 / events),
        f"{events}_events_in_the_current_session": history_events(events, 1, now - 600, 0.2),
    }
    found: dict[str, Any] = {}
    for name, history in cases.items():
        sender = f"hist-{uuid.uuid4().hex[:10]}"
        if history:
            for start in range(0, len(history), 500):
                response = requests.post(api.format(f"rest-{sender}"), headers=profile.rasa_headers(f"rest-{sender}"),
                                         json=history[start:start + 500], timeout=120)
                response.raise_for_status()
        samples = []
        for _ in range(turns):
            started = time.perf_counter()
            response = requests.post(f"{profile.url}/webhooks/rest/webhook", headers=profile.rest_headers,
                                     json={"sender": sender, "message": "giá điện bậc 5 bao nhiêu"}, timeout=120)
            samples.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
        found[name] = {"p50_ms": round(percentile(samples, 50)), "p95_ms": round(percentile(samples, 95))}
    return found


# -- reports ------------------------------------------------------------------------------------
def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def latency_table(results: Results, seconds: float) -> dict[str, Any]:
    every = [s for kind, samples in results.latencies.items() if kind != "pay" for s in samples]
    table = {kind: {"n": len(s), "p50_ms": round(percentile(s, 50)), "p95_ms": round(percentile(s, 95)),
                    "p99_ms": round(percentile(s, 99))} for kind, s in results.latencies.items() if s}
    return {
        "turns": len(every), "turns_per_second": round(len(every) / seconds, 2),
        "all": {"p50_ms": round(percentile(every, 50)), "p95_ms": round(percentile(every, 95)),
                "p99_ms": round(percentile(every, 99)), "mean_ms": round(statistics.mean(every))} if every else {},
        "by_kind": table, "errors": len(results.errors), "error_samples": results.errors[:20],
    }


def profile_for(copies: int, base_port: int, database: str, customers: int, env: dict[str, str]) -> Profile:
    base = "postgresql://postgres@127.0.0.1:5432"
    return Profile(
        env={"DATABASE_URL": f"{base}/{database}", "TRACKER_STORE_URL": f"{base}/{database}_rasa",
             "PAYMENT_SIMULATOR": "1", "RABBITMQ_QUEUE": f"{database}_events", **env},
        proxy_port=base_port, internal_proxy_port=base_port + 1, rasa_port=base_port + 10,
        actions_port=base_port + 20, web_port=base_port + 30, copies=copies,
        run_dir=ROOT / "var" / "run" / database, log_dir=ROOT / "var" / "log" / database, seed_customers=customers,
    )


def drop_databases(database: str) -> None:
    admin = create_engine("postgresql://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        for name in (database, f"{database}_rasa"):
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def open_loop(args: argparse.Namespace) -> dict[str, Any]:
    database = "evn_load"
    drop_databases(database)
    needed = args.users * int(args.duration / (len(SCRIPT) * 2) + 2) + 50
    with profile_for(2, args.base_port, database, needed + 100, {}) as profile:
        customers = load_customers(profile.settings.database_url, needed)
        print(f"  {args.users} khách, {args.duration:.0f} s, nghỉ {args.pause[0]:g}-{args.pause[1]:g} s giữa các tin…",
              flush=True)
        started = time.monotonic()
        results = Simulation(Target.of_profile(profile), customers, args.users, args.duration, args.pause).run()
        report = latency_table(results, time.monotonic() - started)
        report["books"] = check_books(profile, results)
        print("  nơi thời gian của một lượt đi qua (từng hội thoại một)…", flush=True)
        spare = load_customers(profile.settings.database_url, needed + 100)[needed:needed + args.profile_conversations]
        report["where_time_goes"] = profile_turns(profile, spare, SCRIPT)
        print("  một khách hàng có 2.000 sự kiện cũ…", flush=True)
        report["long_history"] = history_latency(profile)
        report["events_in_the_broker"] = delete_queue(profile.settings.rabbitmq_url, profile.settings.rabbitmq_queue)
    return report


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(profile: Profile) -> dict[str, float]:
    """CPU time so far of each kind of process on this machine: the profile's, PostgreSQL, Redis, this one."""
    groups = {service.pid: service.name.split("-")[0] for service in profile.supervisor.services if service.pid}
    found: dict[str, float] = defaultdict(float)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        pgid, seconds = int(fields[2]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        if pgid in groups:
            found[groups[pgid]] += seconds
        elif name.startswith("postgres"):
            found["postgresql"] += seconds
        elif name.startswith("redis"):
            found["redis"] += seconds
        elif name.startswith(("beam", "erl")):
            found["rabbitmq"] += seconds
        elif int(entry.name) == os.getpid():
            found["load generator"] += seconds
    return found


def cpu_per_turn(before: dict[str, float], after: dict[str, float], turns: int, seconds: float) -> dict[str, Any]:
    used = {name: after.get(name, 0.0) - before.get(name, 0.0) for name in after}
    return {"ms_per_turn": {name: round(value * 1000 / max(1, turns), 1) for name, value in sorted(used.items())},
            "cores_busy": round(sum(used.values()) / seconds, 2)}


def ceiling(args: argparse.Namespace) -> dict[str, Any]:
    """Closed loop, no pauses: the turns per second one and two pairs of processes carry."""
    found: dict[str, Any] = {}
    for copies in (1, 2):
        database = f"evn_ceiling_{copies}"
        drop_databases(database)
        needed = args.ceiling_users * int(args.ceiling_duration) // 2 + 50
        with profile_for(copies, args.base_port, database, needed + 100, {}) as profile:
            customers = load_customers(profile.settings.database_url, needed)
            target = Target.of_profile(profile)
            Simulation(target, customers[-args.ceiling_users:], args.ceiling_users, 10, (0, 0)).run()  # warm-up
            started, cpu_before = time.monotonic(), cpu_seconds(profile)
            results = Simulation(target, customers[:-args.ceiling_users], args.ceiling_users,
                                 args.ceiling_duration, (0, 0)).run()
            elapsed = time.monotonic() - started
            found[f"{copies}+{copies}"] = latency_table(results, elapsed)
            found[f"{copies}+{copies}"]["cpu"] = cpu_per_turn(cpu_before, cpu_seconds(profile),
                                                              found[f"{copies}+{copies}"]["turns"], elapsed)
            delete_queue(profile.settings.rabbitmq_url, profile.settings.rabbitmq_queue)
        drop_databases(database)
    found["ratio"] = round(found["2+2"]["turns_per_second"] / found["1+1"]["turns_per_second"], 2)
    return found


def print_report(report: dict[str, Any]) -> None:
    if "open_loop" in report:
        loop = report["open_loop"]
        books = loop["books"]
        print(f"\nOpen loop: {loop['turns']} turns, {loop['turns_per_second']} turns/s, errors {loop['errors']}")
        print("| turn | n | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|")
        for kind, row in loop["by_kind"].items():
            print(f"| {kind} | {row['n']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} |")
        print(f"| all | {loop['turns']} | {loop['all'].get('p50_ms')} | {loop['all'].get('p95_ms')} | "
              f"{loop['all'].get('p99_ms')} |")
        print(f"Books: {books['conversations']} conversations ({books['completed']} whole), {books['messages']} "
              f"messages, {books['requests_filed']} requests, {books['links']} links, {books['payments']} payments; "
              f"problems: {len(books['problems'])}")
        for problem in books["problems"][:10]:
            print("  -", problem)
        for error in loop["error_samples"][:10]:
            print("  !", error)
    if "where_time_goes" in report.get("open_loop", {}):
        where = report["open_loop"]["where_time_goes"]
        print(f"Where a turn's time goes (ms per turn, {where['turns']} turns one at a time, "
              f"{where['action_calls_per_turn']} action calls per turn):")
        print("  " + ", ".join(f"{stage} {ms}" for stage, ms in where["ms_per_turn"].items()))
        print("  by kind of turn (ms): " + ", ".join(f"{k} {ms}" for k, ms in where["ms_by_kind_of_turn"].items()))
        print("  slowest actions (ms per call): " + ", ".join(f"{n} {ms}" for n, ms in
                                                             where["slowest_actions_ms_per_call"].items()))
    if "long_history" in report.get("open_loop", {}):
        print("Turn latency with a long history: " + ", ".join(
            f"{name} p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms"
            for name, row in report["open_loop"]["long_history"].items()))
    if "ceiling" in report:
        ceil = report["ceiling"]
        for name in ("1+1", "2+2"):
            row = ceil[name]
            print(f"Ceiling {name}: {row['turns_per_second']} turns/s, p50 {row['all'].get('p50_ms')} ms, "
                  f"p95 {row['all'].get('p95_ms')} ms, errors {row['errors']}; {row['cpu']['cores_busy']} cores busy, "
                  "CPU ms per turn: " + ", ".join(f"{k} {v}" for k, v in row["cpu"]["ms_per_turn"].items()))
        print(f"2+2 ÷ 1+1: {ceil['ratio']} (target ≥ 1,6)")


def print_faults(outcomes: list[dict[str, Any]]) -> None:
    print("\n| fault (under load) | before | during (+10 s) | after | judged |\n|---|---|---|---|---|")
    for outcome in outcomes:
        w = outcome["windows"]
        cells = [f"{w[k]['failed']}/{w[k]['turns']} failed" for k in ("before", "during", "after")]
        failed = [check for check, ok in outcome["checks"].items() if not ok]
        verdict = "pass" if outcome["passed"] else "FAIL: " + ", ".join(failed)
        print(f"| {outcome['fault']} | {' | '.join(cells)} | {verdict} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--pause", type=lambda v: tuple(float(x) for x in v.split("-")), default=(2.0, 6.0))
    parser.add_argument("--ceiling-users", type=int, default=16)
    parser.add_argument("--ceiling-duration", type=float, default=60)
    parser.add_argument("--skip-open-loop", action="store_true")
    parser.add_argument("--skip-ceiling", action="store_true")
    parser.add_argument("--faults", action="store_true", help="also the faults under load (bench/faults.py)")
    parser.add_argument("--base-port", type=int, default=18000)
    parser.add_argument("--profile-conversations", type=int, default=8,
                        help="conversations replayed one at a time to time each stage of a turn")
    args = parser.parse_args()
    report: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M"), "users": args.users,
                              "duration_s": args.duration, "pause_s": list(args.pause)}
    if not args.skip_open_loop:
        print("1. Khách hàng mô phỏng trên cấu hình 2 + 2…", flush=True)
        report["open_loop"] = open_loop(args)
    if not args.skip_ceiling:
        print("2. Trần thông lượng (không nghỉ): 1 + 1, rồi 2 + 2…", flush=True)
        report["ceiling"] = ceiling(args)
    if args.faults:
        from bench.faults import run_faults

        print("3. Sự cố dưới tải…", flush=True)
        report["faults"] = run_faults(args)
    out = ROOT / "results" / "loadtest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_report(report)
    if "faults" in report:
        print_faults(report["faults"])
    failed = report.get("open_loop", {}).get("errors") or report.get("open_loop", {}).get("books", {}).get("problems")
    return 1 if failed or not all(outcome["passed"] for outcome in report.get("faults", [])) else 0


if __name__ == "__main__":
    sys.exit(main())
