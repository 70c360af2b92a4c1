"""The simulated customers: who they are, what they say, and what each reply must (and must not) show.

Each conversation is a different synthetic customer from its own client address, following SCRIPT;
every reply is checked as it arrives against that customer's own bill, code, masked phone and tickets.
Used by the load test, its faults (bench/faults.py) and the benchmark (bench/bench.py).
"""
from __future__ import annotations

import random
import re
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import requests
from sqlalchemy import create_engine, select

from evn.adapters import orm
from evn.domain.time import vietnam_date
from ops.production import Profile
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
