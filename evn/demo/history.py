"""The demo's operating history, so the operations report tells a story out of the box.

Synthetic customers move from cash to cashless payment month by month (each has a propensity;
the cash share falls linearly from the first month's to the last month's), more of the
gateway payments come through the assistant's own links (sent, opened, paid) as the year goes
on, and service requests arrive mostly off the counter, each completed in a drawn number of
working days against its type's promise. Every share is configurable (python -m evn.seed
--cash-share, --payment-mix, --intake-mix, --request-rate, --link-share); the same arguments
give the same rows. The two demo customers keep their hand-written history.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from evn.domain import working_days
from evn.domain.service_catalogue import Catalogue
from evn.domain.statuses import OrderStatus, RequestKind, RequestStatus
from evn.domain.tickets import ticket_number
from evn.domain.time import VIETNAM

VIETNAM_OFFSET = VIETNAM.utcoffset(None) or timedelta(hours=7)

CASH = "counter_cash"
GATEWAYS = ("vnpay", "momo", "zalopay")  # what a chatbot link is paid through
LINK_CHANNELS = (("socketio", "web-"), ("facebook", "facebook-"), ("zalo", "zalo-"))
LINK_DAYS = 3
REQUEST_TYPES = {  # how often each type is asked for (new connections come from people not yet customers)
    "new_connection": 14, "meter_inspection": 20, "meter_relocation": 8, "capacity_change": 5,
    "contract_holder_change": 12, "contract_info_change": 16, "purpose_change": 3, "quota_change": 7,
    "suspension": 3, "reconnection": 5, "contract_termination": 2, "callback": 5,
}
REQUEST_COLUMNS = ("id", "ticket", "kind", "service_type", "customer_code", "status", "priority", "details",
                   "place_key", "channel", "conversation_id", "draft_key", "created_at", "due_date")
EVENT_COLUMNS = ("id", "request_id", "status", "at", "note")
LINK_COLUMNS = ("id", "token_id", "bill_id", "amount", "conversation_id", "channel", "method", "created_at",
                "expires_at", "opened_at")
HISTORY_TABLES = ("service_requests", "request_events", "payment_links", "payment_orders")
ORDER_COLUMNS = ("id", "reference", "link_id", "bill_id", "gateway", "amount", "status", "created_at",
                 "completed_at", "gateway_transaction")


def parse_mix(text: str) -> dict[str, float]:
    """"counter=2,call_centre=35" -> weights; ValueError for anything else."""
    mix: dict[str, float] = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        name, _, weight = part.partition("=")
        if not name.strip() or not weight.strip():
            raise ValueError(f"not name=weight: {part!r}")
        value = float(weight)
        if value < 0:
            raise ValueError(f"negative weight: {part!r}")
        mix[name.strip()] = value
    if not mix or not sum(mix.values()):
        raise ValueError("the mix needs at least one positive weight")
    return mix


def parse_span(text: str) -> tuple[float, float]:
    """"0.38:0.05" (first month : last month) -> shares between 0 and 1."""
    first, _, last = text.partition(":")
    values = float(first), float(last or first)
    if not all(0 <= value <= 1 for value in values):
        raise ValueError(f"shares are between 0 and 1: {text!r}")
    return values


@dataclass(frozen=True)
class Shares:
    cash: tuple[float, float] = (0.38, 0.05)  # share of synthetic customers paying cash, first and last month
    cashless_mix: dict[str, float] = field(default_factory=lambda: {
        "bank_transfer": 24, "momo": 18, "auto_debit": 14, "vnpay": 12, "evn_app": 10, "zalopay": 8,
        "viettel_money": 6})
    intake_mix: dict[str, float] = field(default_factory=lambda: {
        "counter": 1.5, "call_centre": 38, "public_portal": 10, "website": 22, "facebook": 7, "zalo": 12,
        "chatbot": 9.5})
    request_rate: float = 0.02  # requests per synthetic customer per month
    link_share: tuple[float, float] = (0.05, 0.35)  # gateway payments through a chatbot link, first and last month

    def __post_init__(self) -> None:
        if CASH in self.cashless_mix:
            raise ValueError("the cashless mix names cash; its share is --cash-share")
        if not 0 <= self.request_rate <= 1:
            raise ValueError("the request rate is a share of customers per month, between 0 and 1")


def along(span: tuple[float, float], month: int, months: int) -> float:
    """The share of month `month` (0-based) on the line from the first month's to the last's."""
    return span[0] + (span[1] - span[0]) * (month / (months - 1) if months > 1 else 1)


@dataclass
class HistoryRows:
    requests: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    links: list[tuple] = field(default_factory=list)
    orders: list[tuple] = field(default_factory=list)

    def tables(self) -> list[tuple[str, tuple[str, ...], list[tuple]]]:
        return [("service_requests", REQUEST_COLUMNS, self.requests), ("request_events", EVENT_COLUMNS, self.events),
                ("payment_links", LINK_COLUMNS, self.links), ("payment_orders", ORDER_COLUMNS, self.orders)]


class History:
    """Draws a synthetic customer's channels, links and requests; ids and ticket numbers continue across batches."""

    def __init__(self, rng: random.Random, shares: Shares, catalogue: Catalogue, months: int,
                 first_day: date, end: datetime) -> None:
        self.rng, self.shares, self.months, self.end = rng, shares, months, end
        self.first_day = first_day
        self.cash = [along(shares.cash, month, months) for month in range(months)]
        self.link_share = [along(shares.link_share, month, months) for month in range(months)]
        self.cashless = list(shares.cashless_mix)
        self.cashless_weights = list(shares.cashless_mix.values())
        self.intakes = list(shares.intake_mix)
        self.intake_weights = list(shares.intake_mix.values())
        self.types = [(code, catalogue.get(code)) for code in REQUEST_TYPES if catalogue.get(code) is not None]
        self.type_weights = [REQUEST_TYPES[code] for code, _ in self.types]
        self.holidays = working_days.load_holidays()
        self.next_id = {"request": 1, "event": 1, "link": 1, "order": 1}
        self.tickets: dict[date, int] = {}

    def channels(self, base_kwh: float, unpaid: list[bool]) -> tuple[str | None, ...]:
        """This customer's channel per month: cash until their propensity passes the falling cash share.
        Heavy users go cashless first (the money's cashless share runs ahead of the customers')."""
        rng = self.rng
        propensity = rng.random() ** ((180 / max(base_kwh, 20)) ** 0.5)
        habitual = rng.choices(self.cashless, self.cashless_weights)[0]
        return tuple(
            None if unpaid[month] else CASH if propensity < self.cash[month]
            else habitual if rng.random() < 0.8 else rng.choices(self.cashless, self.cashless_weights)[0]
            for month in range(self.months)
        )

    def payment(self, rows: HistoryRows, month: int, bill_id: int, amount: int, channel: str,
                paid_at: datetime, issued: datetime) -> None:
        """The channel the payment is recorded with; some gateway payments came through a chatbot link
        (sent after the bill, opened, paid), and some links were sent and never paid."""
        rng = self.rng
        if channel not in GATEWAYS:
            return
        if rng.random() < self.link_share[month]:
            sent = issued + (paid_at - issued) * rng.uniform(0.2, 0.95)
            opened = sent + (paid_at - sent) * rng.uniform(0.05, 0.5)
            link_id = self._link(rows, bill_id, amount, channel, sent, opened)
            order_id = self._id("order")
            rows.orders.append((order_id, f"SEEDO{order_id:012d}", link_id, bill_id, channel, amount,
                                OrderStatus.PAID.value, _text(opened + (paid_at - opened) / 2), _text(paid_at),
                                f"SEEDT{order_id:012d}"))
        elif rng.random() < self.link_share[month] * 0.3:  # sent, maybe opened, paid another way
            sent = issued + timedelta(days=rng.uniform(0, 5))
            seen = sent + timedelta(minutes=rng.uniform(1, 600)) if rng.random() < 0.5 else None
            self._link(rows, bill_id, amount, rng.choice(GATEWAYS), sent, seen)

    def requests(self, rows: HistoryRows, code: str) -> None:
        """A synthetic customer's requests over the months, each with its timeline."""
        rng = self.rng
        for month in range(self.months):
            if rng.random() >= self.shares.request_rate:
                continue
            kind_code, kind = rng.choices(self.types, self.type_weights)[0]
            assert kind is not None
            start = datetime.combine(_shift_month(self.first_day, month), time()) - VIETNAM_OFFSET
            created = start + timedelta(seconds=rng.uniform(0, 28 * 86400))
            if created >= self.end:
                continue
            self._request(rows, code, kind_code, kind.working_days, created)

    def _request(self, rows: HistoryRows, code: str, kind_code: str, promised: int, created: datetime) -> None:
        rng = self.rng
        filed_on = created + VIETNAM_OFFSET
        due = working_days.add_working_days(filed_on.date(), promised, self.holidays)
        taken = max(1, round(rng.lognormvariate(0, 0.45) * promised * 0.7))  # ~88 % within the promise
        done_day = working_days.add_working_days(filed_on.date(), taken, self.holidays)
        done = _utc(done_day, rng.uniform(8, 17))
        cancelled = rng.random() < 0.03
        request_id = self._id("request")
        sequence = self.tickets.get(filed_on.date(), 0) + 1
        self.tickets[filed_on.date()] = sequence
        intake = rng.choices(self.intakes, self.intake_weights)[0]
        events = [(RequestStatus.RECEIVED, created),
                  (RequestStatus.IN_PROGRESS, created + timedelta(hours=rng.uniform(1, 20)))]
        if cancelled:
            events.append((RequestStatus.CANCELLED, created + timedelta(days=1)))
        elif done < self.end:
            events.append((RequestStatus.DONE, done))
        events = [(status, at) for status, at in events if at < self.end]
        status = events[-1][0]
        # A request still open when the history ends is an applicant's (no customer code), so a customer's
        # own conversations never meet a seeded open ticket.
        closed = status in (RequestStatus.DONE, RequestStatus.CANCELLED)
        holder = code if closed and kind_code != "new_connection" else None
        rows.requests.append((
            request_id, ticket_number("YC", filed_on.date(), sequence), RequestKind.SERVICE.value, kind_code, holder,
            status.value, "normal", "{}", None, intake, f"seed-{request_id}", None, _text(created), due.isoformat(),
        ))
        for event_status, at in events:
            rows.events.append((self._id("event"), request_id, event_status.value, _text(at), ""))

    def _link(self, rows: HistoryRows, bill_id: int, amount: int, method: str, sent: datetime,
              opened: datetime | None) -> int:
        link_id = self._id("link")
        channel, prefix = self.rng.choice(LINK_CHANNELS)
        rows.links.append((link_id, f"seed{link_id:012d}", bill_id, amount, f"{prefix}seed{link_id}", channel,
                           method, _text(sent), _text(sent + timedelta(days=LINK_DAYS)),
                           _text(opened) if opened else None))
        return link_id

    def _id(self, name: str) -> int:
        value = self.next_id[name]
        self.next_id[name] = value + 1
        return value


def _shift_month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _utc(day: date, hour: float) -> datetime:
    """Naive UTC of `hour` o'clock (Vietnam time) on `day`."""
    return datetime.combine(day, time()) + timedelta(hours=hour) - VIETNAM_OFFSET


def _text(moment: datetime) -> str:
    return moment.isoformat(sep=" ")
