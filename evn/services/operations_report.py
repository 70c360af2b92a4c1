"""The operations report: the cashless and online-service figures EVN steers by, and the assistant's own.

Assembles what evn/adapters/report_queries.py counts (a few aggregated rows per figure) into
months, totals and shares. A month without data is kept, with zeros and shares of None
("không có dữ liệu"), so an empty range renders instead of dividing by zero. The assistant's
conversation figures need Rasa's tracker store (TRACKER_STORE_URL); without it they are None
and the report says where they would come from.

The counting queries run side by side, each on a connection of its own (WORKERS at a time):
on 1.000.000 customers the scans of the payments take most of the time (bench/report_bench.py).
Each reads its own snapshot, a moment apart; on SQLite none takes the write lock.
"""
from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, TypeVar

from evn.adapters import report_queries as q
from evn.domain.consumption import RISE_FLOOR_KWH, RISE_SHARE
from evn.domain.operations_report import MonthRange, ReportBook, load_book, share
from evn.domain.periods import Period
from evn.domain.service_catalogue import Catalogue, load_catalogue
from evn.domain.statuses import RequestKind
from evn.services.errors import StoreUnreadable

log = logging.getLogger(__name__)
T = TypeVar("T")
WORKERS = 2  # the two scans of the payments are the long ones; on 2 cores a third would only queue


@dataclass(frozen=True)
class PaymentMonth:
    payers: int
    cashless_payers: int
    amount: int
    cashless_amount: int
    payments: int

    @property
    def customer_share(self) -> float | None:
        return share(self.cashless_payers, self.payers)

    @property
    def amount_share(self) -> float | None:
        return share(self.cashless_amount, self.amount)


@dataclass(frozen=True)
class IntakeMonth:
    by_channel: dict[str, int]  # intake channel -> requests

    @property
    def total(self) -> int:
        return sum(self.by_channel.values())

    def off_counter(self, counter: tuple[str, ...]) -> int:
        return self.total - sum(self.by_channel.get(code, 0) for code in counter)

    def via_assistant(self, assistant: tuple[str, ...]) -> int:
        return sum(self.by_channel.get(code, 0) for code in assistant)


@dataclass(frozen=True)
class RequestType:
    code: str
    name: str
    working_days: int | None
    figures: q.TypeFigures

    @property
    def on_time_share(self) -> float | None:
        known = self.figures.done + self.figures.open_overdue
        return share(self.figures.on_time, known) if self.figures.with_due_date else None


@dataclass(frozen=True)
class AssistantMonth:
    conversations: q.ConversationFigures | None  # None: no tracker store to read
    handoffs: q.HandoffFigures
    notices: q.NoticeFigures
    usage: q.UsageFigures = q.UsageFigures(0, 0, 0)
    bill_questions: q.BillQuestionFigures | None = None  # None: no tracker store to read

    @property
    def handoff_rate(self) -> float | None:
        return share(self.conversations.handed_off, self.conversations.conversations) if self.conversations else None

    @property
    def containment(self) -> float | None:
        rate = self.handoff_rate
        return None if rate is None else 1 - rate

    @property
    def fallback_rate(self) -> float | None:
        return share(self.conversations.fallbacks, self.conversations.messages) if self.conversations else None


@dataclass(frozen=True)
class TargetRow:
    key: str
    label: str
    ours: float | None  # over the range
    latest: float | None  # the range's last month
    target: float | None
    text: str
    evn: float | None
    evn_as_of: str

    @property
    def reached(self) -> bool | None:
        """Judged on the last month: where things stand now."""
        return None if self.latest is None or self.target is None else self.latest >= self.target


@dataclass
class Report:
    months: MonthRange
    generated_at: datetime
    book: ReportBook
    payments: dict[Any, PaymentMonth]  # per month key and q.ALL
    channels: dict[str, dict[Any, tuple[int, int]]]  # channel -> month/ALL -> (payments, amount)
    links: dict[Any, q.LinkFigures]
    intake: dict[Any, IntakeMonth]
    types: list[RequestType]
    assistant: dict[Any, AssistantMonth]
    fallback_topics: list[tuple[str, int]] | None
    handoff_topics: list[tuple[str, int]] | None
    tracker_store: bool  # the conversation figures were read
    tracker_unreadable: bool = False  # a tracker store was given but could not be read
    seconds: float = 0.0
    targets: list[TargetRow] = field(default_factory=list)
    scams: dict[Any, q.ScamFigures] = field(default_factory=dict)
    scam_patterns: dict[str, dict[Any, int]] = field(default_factory=dict)  # pattern -> month/ALL -> checks
    restorations: dict[Any, q.Spread] = field(default_factory=dict)  # month/ALL -> hours to restore
    restorations_by_cause: dict[str, q.Spread] = field(default_factory=dict)  # cause -> hours to restore
    ratings: dict[Any, q.RatingFigures] = field(default_factory=dict)  # month/ALL -> how the customers felt
    ratings_by_topic: dict[str, dict[Any, q.RatingFigures]] = field(default_factory=dict)  # topic -> month/ALL
    ratings_by_channel: dict[str, dict[Any, q.RatingFigures]] = field(default_factory=dict)  # channel -> month/ALL

    @property
    def keys(self) -> list[int]:
        return [period.key for period in self.months.months]

    @property
    def empty(self) -> bool:
        talks = self.assistant[q.ALL].conversations
        return not (self.payments[q.ALL].payments or self.intake[q.ALL].total or (talks and talks.messages)
                    or self.links[q.ALL].sent or self.assistant[q.ALL].handoffs.requested
                    or self.assistant[q.ALL].notices.generated or self.assistant[q.ALL].usage.alerts_set
                    or self.scams[q.ALL].checks or self.restorations[q.ALL].count or self.ratings[q.ALL].asked)


TOTAL = "Cả kỳ"


def month_label(key: Any) -> str:
    return TOTAL if key == q.ALL else str(Period.from_key(int(key)))


def build(engine: q.Source, months: MonthRange, tracker_engine: q.Source | None = None,
          book: ReportBook | None = None, catalogue: Catalogue | None = None,
          now: datetime | None = None) -> Report:
    started = time.perf_counter()
    book = book or load_book()
    catalogue = catalogue or load_catalogue()
    keys: list[Any] = [period.key for period in months.months] + [q.ALL]
    pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="report")

    def counted(source: q.Source, query: Callable[..., T], *args: Any) -> Future[T]:
        return pool.submit(q.read, source, query, *args)

    try:
        # The longest first: the pool starts them in this order.
        payers = counted(engine, q.paying_customers, months, book.cash_channels)
        paid = counted(engine, q.payments_by_channel, months)
        links = counted(engine, q.chatbot_links, months)
        types = counted(engine, q.request_types, months)
        received = counted(engine, q.requests_by_channel, months)
        waits = counted(engine, q.handoff_waits, months)
        notices = counted(engine, q.notice_results, months)
        usage = counted(engine, q.usage_results, months, float(RISE_SHARE), RISE_FLOOR_KWH)
        scams = counted(engine, q.scam_results, months)
        restorations = counted(engine, q.restoration_results, months)
        ratings = counted(engine, q.satisfaction_results, months)
        talks = None
        if tracker_engine is not None:
            talks = counted(tracker_engine, q.assistant_talks, months, book.fallback_actions,
                            book.handoff_actions, book.not_a_topic, book.bill_questions)
        paid_rows, payer_counts, links_of = paid.result(), payers.result(), links.result()
        types_of, received_rows = types.result(), received.result()
        waits_of, notices_of, usage_of = waits.result(), notices.result(), usage.result()
        scams_of, scam_patterns = scams.result()
        restored_of, restored_by_cause = restorations.result()
        rated_of, rated_by_topic, rated_by_channel = ratings.result()
        tracker_unreadable = False
        conversations = fallback_topics = handoff_topics = questions = None
        if talks is not None:
            try:
                conversations, fallback_topics, handoff_topics, questions = talks.result()
            except StoreUnreadable as error:  # the business figures stand; these are marked unreadable
                log.warning("report.tracker_store.unreadable: %s", error)
                tracker_unreadable = True
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # a failed query: the queued ones are not run

    report = Report(
        months=months, generated_at=now or datetime.now(timezone.utc).replace(tzinfo=None), book=book,
        payments=_payments(keys, paid_rows, payer_counts, book), channels=_channels(paid_rows),
        links={key: links_of.get(key, q.LinkFigures(0, 0, 0, None)) for key in keys},
        intake=_intake(keys, received_rows, book), types=_types(types_of, catalogue),
        assistant={key: AssistantMonth(
            None if conversations is None else conversations.get(key, q.ConversationFigures(0, 0, 0, 0)),
            waits_of.get(key, q.HandoffFigures(0, 0, None)), notices_of.get(key, q.NoticeFigures(0, 0, 0, 0)),
            usage_of.get(key, q.UsageFigures(0, 0, 0)),
            None if questions is None else questions.get(key, q.BillQuestionFigures(0, 0)))
            for key in keys},
        fallback_topics=fallback_topics, handoff_topics=handoff_topics,
        tracker_store=conversations is not None, tracker_unreadable=tracker_unreadable,
        scams={key: scams_of.get(key, q.ScamFigures(0, 0, 0, 0)) for key in keys}, scam_patterns=scam_patterns,
        restorations={key: restored_of.get(key, q.Spread(0, None, None)) for key in keys},
        restorations_by_cause=restored_by_cause,
        ratings={key: rated_of.get(key, q.NO_RATINGS) for key in keys},
        ratings_by_topic=rated_by_topic, ratings_by_channel=rated_by_channel,
    )
    report.targets = _targets(report)
    report.seconds = time.perf_counter() - started
    return report


def _payments(keys: list[Any], paid: list[tuple[int, str, int, int]], payers: dict[int, tuple[int, int]],
              book: ReportBook) -> dict[Any, PaymentMonth]:
    """Per month, and over the range in customer-months (a customer paying in 10 months counts 10 times),
    so the range's share is the months' shares weighted by their payers."""
    amount: dict[Any, int] = defaultdict(int)
    cash_amount: dict[Any, int] = defaultdict(int)
    count: dict[Any, int] = defaultdict(int)
    for month, channel, n, total in paid:
        for key in (month, q.ALL):
            amount[key] += total
            count[key] += n
            if channel in book.cash_channels:
                cash_amount[key] += total
    who = {key: payers.get(key, (0, 0)) for key in keys if key != q.ALL}
    who[q.ALL] = (sum(p for p, _ in who.values()), sum(c for _, c in who.values()))
    return {key: PaymentMonth(who[key][0], who[key][0] - who[key][1], amount[key], amount[key] - cash_amount[key],
                              count[key]) for key in keys}


def _channels(paid: list[tuple[int, str, int, int]]) -> dict[str, dict[Any, tuple[int, int]]]:
    found: dict[str, dict[Any, tuple[int, int]]] = defaultdict(dict)
    for month, channel, n, total in paid:
        for key in (month, q.ALL):
            before = found[channel].get(key, (0, 0))
            found[channel][key] = (before[0] + n, before[1] + total)
    return dict(sorted(found.items(), key=lambda item: -item[1][q.ALL][1]))


def _intake(keys: list[Any], received: list[tuple[int, str, int]], book: ReportBook) -> dict[Any, IntakeMonth]:
    counts: dict[Any, dict[str, int]] = {key: defaultdict(int) for key in keys}
    for month, stored, n in received:
        intake = book.intake_of(stored)
        counts[month][intake] += n
        counts[q.ALL][intake] += n
    return {key: IntakeMonth(dict(by_channel)) for key, by_channel in counts.items()}


def _types(types: dict[str, q.TypeFigures], catalogue: Catalogue) -> list[RequestType]:
    rows = []
    for code, figures in types.items():
        kind = catalogue.get(code)
        name = kind.name if kind else ("Báo mất điện, sự cố" if code == RequestKind.OUTAGE.value else code)
        rows.append(RequestType(code, name, kind.working_days if kind else None, figures))
    return sorted(rows, key=lambda row: (-row.figures.received, row.code))


def _targets(report: Report) -> list[TargetRow]:
    book, last = report.book, report.keys[-1]

    def shares(key: Any) -> dict[str, float | None]:
        intake = report.intake[key]
        return {
            "cashless_customers": report.payments[key].customer_share,
            "cashless_amount": report.payments[key].amount_share,
            "off_counter": share(intake.off_counter(book.counter_channels), intake.total),
        }

    whole, latest = shares(q.ALL), shares(last)
    rows = []
    for key, label in TARGET_LABELS.items():
        target, evn = book.targets.get(key), book.evn_reference.get(key)
        rows.append(TargetRow(key, label, whole[key], latest[key], target.value if target else None,
                              target.text if target else "", evn.value if evn else None, evn.as_of if evn else ""))
    return rows


TARGET_LABELS = {
    "cashless_customers": "Khách hàng thanh toán không dùng tiền mặt",
    "cashless_amount": "Số tiền thanh toán không dùng tiền mặt",
    "off_counter": "Yêu cầu dịch vụ nhận ngoài quầy",
}
