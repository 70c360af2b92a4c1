"""The operations report's counting, in SQL: one GROUP BY per figure, the same on SQLite and PostgreSQL.

Nothing here loops over rows of data: every function returns a handful of aggregated rows (per
month, channel or type). Months are Vietnam calendar months of the naive UTC timestamps the
database stores. Percentiles are nearest-rank, by window functions both databases have (SQLite
has no percentile_cont). Rasa's tracker store (its `events` table, SQLTrackerStore's schema) is
read on its own connection: in production it is another database.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timezone
from typing import Any, TypeAlias, TypeVar

from sqlalchemy import (
    Date,
    Float,
    Integer,
    and_,
    case,
    cast,
    column,
    distinct,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from evn.adapters import orm
from evn.adapters.db import reading
from evn.domain.notices import NoticeKind, NoticeStatus
from evn.domain.operations_report import MonthRange, utc_offset_seconds
from evn.domain.statuses import OrderStatus, RequestStatus
from evn.services.errors import StoreUnreadable

ALL = "*"  # the group of a figure over the whole range

payments = orm.Payment.__table__
bills = orm.Bill.__table__
links = orm.PaymentLink.__table__
orders = orm.PaymentOrder.__table__
requests = orm.ServiceRequest.__table__
request_events = orm.RequestEvent.__table__
handoffs = orm.Handoff.__table__
notices = orm.Notice.__table__

# Rasa's SQLTrackerStore table (rasa/core/tracker_store.py, SQLEvent), read only.
tracker_events = table(
    "events", column("id", Integer), column("sender_id"), column("type_name"), column("timestamp", Float),
    column("intent_name"), column("action_name"),
)


class Dialect:
    """The few expressions SQLite and PostgreSQL spell differently."""

    def __init__(self, name: str) -> None:
        self.sqlite = name == "sqlite"
        self.shift = utc_offset_seconds()

    def month(self, moment: Any) -> Any:
        """yyyymm of a naive UTC timestamp, in Vietnam time."""
        if self.sqlite:
            return cast(func.strftime("%Y%m", moment, f"+{self.shift} seconds"), Integer)
        return cast(func.to_char(moment + literal_column(f"INTERVAL '{self.shift} seconds'"), "YYYYMM"), Integer)

    def epoch_month(self, seconds: Any) -> Any:
        """yyyymm of seconds since the epoch (Rasa's event timestamps), in Vietnam time."""
        if self.sqlite:
            return cast(func.strftime("%Y%m", seconds + self.shift, "unixepoch"), Integer)
        return cast(func.to_char(func.to_timestamp(seconds + self.shift).op("AT TIME ZONE")("UTC"), "YYYYMM"),
                    Integer)

    def days(self, start: Any, end: Any) -> Any:
        if self.sqlite:
            return func.julianday(end) - func.julianday(start)
        return func.extract("epoch", end - start) / 86400.0

    def local_date(self, moment: Any) -> Any:
        if self.sqlite:
            return func.date(moment, f"+{self.shift} seconds")
        return cast(moment + literal_column(f"INTERVAL '{self.shift} seconds'"), Date)


def dialect_of(connection: Connection) -> Dialect:
    return Dialect(connection.dialect.name)


@dataclass(frozen=True)
class Spread:
    count: int
    median: float | None
    p90: float | None


def spreads(connection: Connection, group: Any, value: Any, where: list[Any], from_: Any) -> dict[Any, Spread]:
    """Per group (None: the whole range, keyed ALL): how many values, their median and 90th percentile
    (nearest rank)."""
    window = {"partition_by": group} if group is not None else {}
    ranked = (
        select(_key(group).label("g"), value.label("v"),
               func.row_number().over(order_by=value, **window).label("rn"),
               func.count().over(**window).label("n"))
        .select_from(from_).where(*where).subquery()
    )
    rows = connection.execute(
        select(ranked.c.g, func.max(ranked.c.n),
               func.min(case((ranked.c.rn >= ranked.c.n * 0.5, ranked.c.v))),
               func.min(case((ranked.c.rn >= ranked.c.n * 0.9, ranked.c.v))))
        .group_by(ranked.c.g)
    ).all()
    return {g: Spread(int(n), _float(median), _float(p90)) for g, n, median, p90 in rows}


def _key(group: Any) -> Any:
    """What a row of `group` is keyed by: the month, or ALL for the whole range (PostgreSQL cannot
    GROUP BY a constant, so the whole range is not grouped at all)."""
    return group if group is not None else literal_column(f"'{ALL}'")


def _grouped(query: Any, group: Any) -> Any:
    return query.group_by(group) if group is not None else query


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _by_month_and_all(dialect: Dialect, moment: Any) -> tuple[Any, Any]:
    return dialect.month(moment), None


# -- payments -------------------------------------------------------------------------------------

def payments_by_channel(connection: Connection, months: MonthRange) -> list[tuple[int, str, int, int]]:
    """(month, channel, payments, amount)."""
    month = dialect_of(connection).month(payments.c.paid_at)
    return [(int(m), str(c), int(n), int(a or 0)) for m, c, n, a in connection.execute(
        select(month, payments.c.channel, func.count(), func.sum(payments.c.amount))
        .where(payments.c.paid_at >= months.start_utc, payments.c.paid_at < months.end_utc)
        .group_by(month, payments.c.channel)
    )]


def paying_customers(connection: Connection, months: MonthRange, cash: tuple[str, ...]) -> dict[int, tuple[int, int]]:
    """Per month: (customers who paid, customers who paid cash at least once that month)."""
    month = dialect_of(connection).month(payments.c.paid_at)
    rows = connection.execute(
        select(month, func.count(distinct(bills.c.customer_id)),
               func.count(distinct(case((payments.c.channel.in_(cash), bills.c.customer_id)))))
        .select_from(payments.join(bills, bills.c.id == payments.c.bill_id))
        .where(payments.c.paid_at >= months.start_utc, payments.c.paid_at < months.end_utc)
        .group_by(month)
    ).all()
    return {int(m): (int(payers), int(cash_payers)) for m, payers, cash_payers in rows}


@dataclass(frozen=True)
class LinkFigures:
    sent: int
    opened: int
    paid: int
    to_payment_days: Spread | None


def chatbot_links(connection: Connection, months: MonthRange) -> dict[Any, LinkFigures]:
    """Per month (of sending) and ALL: links sent, opened, paid, and the time from sending to payment."""
    dialect = dialect_of(connection)
    in_range = [links.c.created_at >= months.start_utc, links.c.created_at < months.end_utc]
    paid_order = exists().where(orders.c.link_id == links.c.id, orders.c.status == OrderStatus.PAID.value)
    first_paid = (
        select(orders.c.link_id, func.min(orders.c.completed_at).label("completed_at"))
        .where(orders.c.status == OrderStatus.PAID.value, orders.c.completed_at.is_not(None))
        .group_by(orders.c.link_id).subquery()
    )
    found: dict[Any, LinkFigures] = {}
    for group in _by_month_and_all(dialect, links.c.created_at):
        counts = connection.execute(_grouped(
            select(_key(group), func.count(), func.count(links.c.opened_at),
                   func.sum(case((paid_order, 1), else_=0))).where(*in_range), group)).all()
        waits = spreads(connection, group, dialect.days(links.c.created_at, first_paid.c.completed_at), in_range,
                        links.join(first_paid, first_paid.c.link_id == links.c.id))
        for g, sent, opened, paid in counts:
            found[g] = LinkFigures(int(sent), int(opened), int(paid or 0), waits.get(g))
    return found


# -- service requests -----------------------------------------------------------------------------

def requests_by_channel(connection: Connection, months: MonthRange) -> list[tuple[int, str, int]]:
    """(month, stored channel, requests received)."""
    month = dialect_of(connection).month(requests.c.created_at)
    return [(int(m), str(c), int(n)) for m, c, n in connection.execute(
        select(month, requests.c.channel, func.count())
        .where(requests.c.created_at >= months.start_utc, requests.c.created_at < months.end_utc)
        .group_by(month, requests.c.channel)
    )]


@dataclass(frozen=True)
class TypeFigures:
    received: int
    done: int
    on_time: int
    open_overdue: int
    open_not_due: int
    cancelled: int
    with_due_date: int
    days: Spread | None


def request_types(connection: Connection, months: MonthRange) -> dict[str, TypeFigures]:
    """Per service type, over the requests received in the range, as things stood at its end."""
    dialect = dialect_of(connection)
    end = months.end_utc
    after = months.last.shift(1).first_day  # still open and due before this day: overdue at the end

    def first(status: RequestStatus) -> Any:
        return (
            select(request_events.c.request_id, func.min(request_events.c.at).label("at"))
            .where(request_events.c.status == status.value, request_events.c.at < end)
            .group_by(request_events.c.request_id).subquery()
        )

    done, cancelled = first(RequestStatus.DONE), first(RequestStatus.CANCELLED)
    joined = requests.outerjoin(done, done.c.request_id == requests.c.id).outerjoin(
        cancelled, cancelled.c.request_id == requests.c.id)
    in_range = [requests.c.created_at >= months.start_utc, requests.c.created_at < end]
    is_open = and_(done.c.at.is_(None), cancelled.c.at.is_(None))
    due = requests.c.due_date

    def count_if(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    rows = connection.execute(
        select(
            requests.c.service_type, func.count(), func.count(done.c.at),
            count_if(and_(done.c.at.is_not(None), due.is_not(None), dialect.local_date(done.c.at) <= due)),
            count_if(and_(is_open, due.is_not(None), due < after)),
            count_if(and_(is_open, or_(due.is_(None), due >= after))),
            count_if(and_(done.c.at.is_(None), cancelled.c.at.is_not(None))),
            func.count(due),
        ).select_from(joined).where(*in_range).group_by(requests.c.service_type)
    ).all()
    days = spreads(connection, requests.c.service_type, dialect.days(requests.c.created_at, done.c.at),
                   [*in_range, done.c.at.is_not(None)], joined)
    return {
        str(kind): TypeFigures(int(n), int(d), int(t or 0), int(late or 0), int(ahead or 0), int(c or 0), int(w),
                               days.get(kind))
        for kind, n, d, t, late, ahead, c, w in rows
    }


# -- the assistant: handoffs and notices (business database) --------------------------------------

@dataclass(frozen=True)
class HandoffFigures:
    requested: int
    taken: int
    wait_minutes: Spread | None


def handoff_waits(connection: Connection, months: MonthRange) -> dict[Any, HandoffFigures]:
    dialect = dialect_of(connection)
    in_range = [handoffs.c.created_at >= months.start_utc, handoffs.c.created_at < months.end_utc]
    found: dict[Any, HandoffFigures] = {}
    for group in _by_month_and_all(dialect, handoffs.c.created_at):
        counts = connection.execute(_grouped(
            select(_key(group), func.count(), func.count(handoffs.c.taken_at)).where(*in_range), group)).all()
        waits = spreads(connection, group, dialect.days(handoffs.c.created_at, handoffs.c.taken_at) * 1440.0,
                        [*in_range, handoffs.c.taken_at.is_not(None)], handoffs)
        for g, requested, taken in counts:
            found[g] = HandoffFigures(int(requested), int(taken), waits.get(g))
    return found


@dataclass(frozen=True)
class NoticeFigures:
    generated: int
    delivered: int
    not_delivered: int
    led_to_payment: int


BILL_KINDS = tuple(kind.value for kind in NoticeKind if kind.is_bill)
NOT_DELIVERED = (NoticeStatus.UNDELIVERABLE.value, NoticeStatus.FAILED.value)


def notice_results(connection: Connection, months: MonthRange) -> dict[Any, NoticeFigures]:
    dialect = dialect_of(connection)
    delivered = notices.c.status == NoticeStatus.SENT.value
    # CASE first: PostgreSQL casts only bill notices' subjects (a bill id); others name other rows.
    bill_id = case((notices.c.kind.in_(BILL_KINDS), cast(notices.c.subject, Integer)))
    paid_after = exists().where(payments.c.bill_id == bill_id, payments.c.paid_at >= notices.c.sent_at)
    found: dict[Any, NoticeFigures] = {}
    for group in _by_month_and_all(dialect, notices.c.created_at):
        rows = connection.execute(_grouped(
            select(_key(group), func.count(), func.sum(case((delivered, 1), else_=0)),
                   func.sum(case((notices.c.status.in_(NOT_DELIVERED), 1), else_=0)),
                   func.sum(case((and_(delivered, notices.c.kind.in_(BILL_KINDS), paid_after), 1), else_=0)))
            .where(notices.c.created_at >= months.start_utc, notices.c.created_at < months.end_utc), group)).all()
        found.update({g: NoticeFigures(int(n), int(d or 0), int(u or 0), int(p or 0)) for g, n, d, u, p in rows})
    return found


# -- use as it happens: alerts and bills explained -------------------------------------------------

usage_alerts = orm.UsageAlert.__table__


@dataclass(frozen=True)
class UsageFigures:
    alerts_set: int
    alerts_sent: int  # usage alerts the platforms took
    bills_explained: int  # new bills' notices sent with why they rose (before any question)


def usage_results(connection: Connection, months: MonthRange, rise_share: float,
                  floor_kwh: int) -> dict[Any, UsageFigures]:
    dialect = dialect_of(connection)
    sent = notices.c.status == NoticeStatus.SENT.value
    bill = bills.alias("bill")
    earlier = bills.alias("earlier")
    # The period before (yyyymm: January's is the December before) and the same period a year before.
    before = case((bill.c.period % 100 == 1, bill.c.period - 89), else_=bill.c.period - 1)
    rose = exists().where(earlier.c.customer_id == bill.c.customer_id,
                          earlier.c.period.in_([before, bill.c.period - 100]),
                          bill.c.kwh >= earlier.c.kwh * (1 + rise_share), earlier.c.kwh > 0)
    explained = exists().where(bill.c.id == case((notices.c.kind == NoticeKind.BILL_ISSUED.value,
                                                  cast(notices.c.subject, Integer))),
                               bill.c.kwh > floor_kwh, rose)
    found: dict[Any, list[int]] = {}
    for group in _by_month_and_all(dialect, notices.c.created_at):
        rows = connection.execute(_grouped(
            select(_key(group),
                   func.sum(case((and_(sent, notices.c.kind == NoticeKind.USAGE_ALERT.value), 1), else_=0)),
                   func.sum(case((and_(sent, explained), 1), else_=0)))
            .where(notices.c.created_at >= months.start_utc, notices.c.created_at < months.end_utc), group)).all()
        for g, alerts, bills_told in rows:
            found.setdefault(g, [0, 0, 0])[1:] = [int(alerts or 0), int(bills_told or 0)]
    for group in _by_month_and_all(dialect, usage_alerts.c.created_at):
        rows = connection.execute(_grouped(
            select(_key(group), func.count())
            .where(usage_alerts.c.created_at >= months.start_utc, usage_alerts.c.created_at < months.end_utc),
            group)).all()
        for g, count in rows:
            found.setdefault(g, [0, 0, 0])[0] = int(count)
    return {g: UsageFigures(*figures) for g, figures in found.items()}


# -- scam checks ---------------------------------------------------------------------------------------

scam_checks = orm.ScamCheck.__table__
NOT_COMPANYS, COMPANYS = "not_companys", "companys"


@dataclass(frozen=True)
class ScamFigures:
    checks: int
    not_companys: int
    companys: int
    with_picture: int

    @property
    def could_not_check(self) -> int:
        return self.checks - self.not_companys - self.companys


def scam_results(connection: Connection,
                 months: MonthRange) -> tuple[dict[Any, ScamFigures], dict[str, dict[Any, int]]]:
    """Per month and for the range: the checks by verdict, and those not the company's by their pattern."""
    dialect = dialect_of(connection)
    within = and_(scam_checks.c.checked_at >= months.start_utc, scam_checks.c.checked_at < months.end_utc)
    figures: dict[Any, ScamFigures] = {}
    patterns: dict[str, dict[Any, int]] = {}
    for group in _by_month_and_all(dialect, scam_checks.c.checked_at):
        rows = connection.execute(_grouped(
            select(_key(group), func.count(),
                   func.sum(case((scam_checks.c.verdict == NOT_COMPANYS, 1), else_=0)),
                   func.sum(case((scam_checks.c.verdict == COMPANYS, 1), else_=0)),
                   func.sum(case((scam_checks.c.picture_id.is_not(None), 1), else_=0))).where(within), group)).all()
        figures.update({g: ScamFigures(int(n), int(bad or 0), int(good or 0), int(pics or 0))
                        for g, n, bad, good, pics in rows})
        keyed = [group, scam_checks.c.pattern] if group is not None else [scam_checks.c.pattern]
        counted = connection.execute(
            select(_key(group), scam_checks.c.pattern, func.count())
            .where(within, scam_checks.c.verdict == NOT_COMPANYS).group_by(*keyed)).all()
        for g, pattern, count in counted:
            patterns.setdefault(str(pattern), {})[g] = int(count)
    return figures, patterns


# -- incidents: how long the power was off ----------------------------------------------------------

incidents = orm.Incident.__table__
UNKNOWN_CAUSE = "unknown"


def restoration_results(connection: Connection, months: MonthRange) -> tuple[dict[Any, Spread], dict[str, Spread]]:
    """Incidents restored in the range: hours from the first report to the restoration, per month (and ALL) and
    per cause over the range (UNKNOWN_CAUSE: none given), each as count, median and 90th percentile."""
    dialect = dialect_of(connection)
    hours = dialect.days(incidents.c.opened_at, incidents.c.restored_at) * 24.0
    within = [incidents.c.restored_at >= months.start_utc, incidents.c.restored_at < months.end_utc]
    by_month: dict[Any, Spread] = {}
    for group in _by_month_and_all(dialect, incidents.c.restored_at):
        by_month.update({g: _minute(f) for g, f in spreads(connection, group, hours, within, incidents).items()})
    cause = func.coalesce(incidents.c.cause, UNKNOWN_CAUSE)
    by_cause = {str(g): _minute(f) for g, f in spreads(connection, cause, hours, within, incidents).items()}
    return by_month, by_cause


def _minute(spread: Spread) -> Spread:
    """Hours to the minute (SQLite's julian days carry float noise)."""
    def rounded(hours: float | None) -> float | None:
        return None if hours is None else round(hours * 60) / 60

    return Spread(spread.count, rounded(spread.median), rounded(spread.p90))


# -- how the customer felt --------------------------------------------------------------------------

ratings = orm.SatisfactionRating.__table__
HANDOFF_TOPIC = "handoff"  # evn.domain.satisfaction.Topic.HANDOFF: a person took part, by definition


@dataclass(frozen=True)
class RatingFigures:
    asked: int
    rated: int
    score_total: int
    satisfied: int  # rated 4 or 5
    low: int  # rated 1 or 2
    callbacks: int  # a low rating's callback filed
    rated_contained: int  # rated, and no person took part in the conversation's day before the question
    contained_score_total: int

    @property
    def average(self) -> float | None:
        return self.score_total / self.rated if self.rated else None

    @property
    def contained_average(self) -> float | None:
        return self.contained_score_total / self.rated_contained if self.rated_contained else None


NO_RATINGS = RatingFigures(0, 0, 0, 0, 0, 0, 0, 0)


def satisfaction_results(connection: Connection, months: MonthRange) -> tuple[
        dict[Any, RatingFigures], dict[str, dict[Any, RatingFigures]], dict[str, dict[Any, RatingFigures]]]:
    """Questions put in the range and their ratings: per month (and ALL), per topic and per channel (each per month
    and ALL). A rated conversation is contained when it was no handoff and no handoff of that conversation was
    asked in the 24 hours before the question."""
    dialect = dialect_of(connection)
    handed = exists(select(literal_column("1")).select_from(handoffs).where(
        handoffs.c.conversation_id == ratings.c.conversation_id, handoffs.c.created_at <= ratings.c.asked_at,
        dialect.days(handoffs.c.created_at, ratings.c.asked_at) <= 1.0))
    rated = ratings.c.score.is_not(None)
    contained = and_(rated, ratings.c.topic != HANDOFF_TOPIC, ~handed)
    measures = [func.count(), func.count(ratings.c.score), func.coalesce(func.sum(ratings.c.score), 0),
                func.sum(case((ratings.c.score >= 4, 1), else_=0)), func.sum(case((ratings.c.score <= 2, 1), else_=0)),
                func.sum(case((ratings.c.callback_ticket.is_not(None), 1), else_=0)),
                func.sum(case((contained, 1), else_=0)), func.sum(case((contained, ratings.c.score), else_=0))]
    within = and_(ratings.c.asked_at >= months.start_utc, ratings.c.asked_at < months.end_utc)

    def figures(row: Any) -> RatingFigures:
        return RatingFigures(*(int(value or 0) for value in row))

    by_month: dict[Any, RatingFigures] = {}
    by_topic: dict[str, dict[Any, RatingFigures]] = {}
    by_channel: dict[str, dict[Any, RatingFigures]] = {}
    for group in _by_month_and_all(dialect, ratings.c.asked_at):
        rows = connection.execute(_grouped(select(_key(group), *measures).where(within), group)).all()
        by_month.update({row[0]: figures(row[1:]) for row in rows})
        for column_, into in ((ratings.c.topic, by_topic), (ratings.c.channel, by_channel)):
            keyed = [group, column_] if group is not None else [column_]
            for row in connection.execute(select(_key(group), column_, *measures).where(within).group_by(*keyed)):
                into.setdefault(str(row[1]), {})[row[0]] = figures(row[2:])
    return by_month, by_topic, by_channel


# -- the assistant: Rasa's tracker store ----------------------------------------------------------

@dataclass(frozen=True)
class ConversationFigures:
    conversations: int
    messages: int
    fallbacks: int
    handed_off: int  # conversations with a handoff


def _epoch_bounds(months: MonthRange) -> tuple[float, float]:
    return (months.start_utc.replace(tzinfo=timezone.utc).timestamp(),
            months.end_utc.replace(tzinfo=timezone.utc).timestamp())


def _customer_message() -> Any:
    """A message the customer wrote: not one the web app or the console injected (EXTERNAL_ intents)."""
    return and_(tracker_events.c.type_name == "user",
                or_(tracker_events.c.intent_name.is_(None), ~tracker_events.c.intent_name.like("EXTERNAL%")))


def conversations(connection: Connection, months: MonthRange, fallback: tuple[str, ...],
                  handoff: tuple[str, ...]) -> dict[Any, ConversationFigures]:
    start, end = _epoch_bounds(months)
    e = tracker_events.c
    message = _customer_message()
    found: dict[Any, ConversationFigures] = {}
    for group in (Dialect(connection.dialect.name).epoch_month(e.timestamp), None):
        rows = connection.execute(_grouped(
            select(_key(group), func.count(distinct(case((message, e.sender_id)))),
                   func.sum(case((message, 1), else_=0)),
                   func.sum(case((and_(e.type_name == "action", e.action_name.in_(fallback)), 1), else_=0)),
                   func.count(distinct(case((and_(e.type_name == "action", e.action_name.in_(handoff)),
                                             e.sender_id)))))
            .where(e.timestamp >= start, e.timestamp < end), group)).all()
        found.update({g: ConversationFigures(int(c), int(m or 0), int(f or 0), int(h)) for g, c, m, f, h in rows})
    return found


@dataclass(frozen=True)
class BillQuestionFigures:
    conversations: int  # conversations that asked about a bill, the use or a reading
    without_a_person: int  # of them, those never handed to a person

    @property
    def share(self) -> float | None:
        return self.without_a_person / self.conversations if self.conversations else None


def bill_questions(connection: Connection, months: MonthRange, intents: tuple[str, ...],
                   handoff: tuple[str, ...]) -> dict[Any, BillQuestionFigures]:
    """Per month (of each event), the conversations with a bill question, and those without a handoff."""
    start, end = _epoch_bounds(months)
    e = tracker_events.c
    month = Dialect(connection.dialect.name).epoch_month(e.timestamp)
    found: dict[Any, BillQuestionFigures] = {}
    for group in (month, None):
        per_conversation = (
            select(*([month.label("g")] if group is not None else []), e.sender_id,
                   func.max(case((and_(e.type_name == "user", e.intent_name.in_(intents)), 1), else_=0)).label("asked"),
                   func.max(case((and_(e.type_name == "action", e.action_name.in_(handoff)), 1),
                                 else_=0)).label("handed"))
            .where(e.timestamp >= start, e.timestamp < end)
            .group_by(*([month] if group is not None else []), e.sender_id).subquery())
        c = per_conversation.c
        key = c.g if group is not None else literal_column(f"'{ALL}'")
        rows = connection.execute(
            select(key, func.sum(c.asked), func.sum(case((and_(c.asked == 1, c.handed == 0), 1), else_=0)))
            .group_by(key) if group is not None else
            select(key, func.sum(c.asked), func.sum(case((and_(c.asked == 1, c.handed == 0), 1), else_=0)))).all()
        found.update({g: BillQuestionFigures(int(n or 0), int(w or 0)) for g, n, w in rows if n is not None})
    return found


def topics_before(connection: Connection, months: MonthRange, actions: tuple[str, ...],
                  not_a_topic: tuple[str, ...], limit: int = 10) -> list[tuple[str, int]]:
    """The customer's last intent (a topic, not a greeting or a fallback) before each of `actions`."""
    start, end = _epoch_bounds(months)
    outer = tracker_events.alias("ended")
    before = tracker_events.alias("before")
    topic = (
        select(before.c.intent_name)
        .where(before.c.sender_id == outer.c.sender_id, before.c.id < outer.c.id, before.c.type_name == "user",
               before.c.intent_name.is_not(None), before.c.intent_name.not_in(not_a_topic),
               ~before.c.intent_name.like("EXTERNAL%"))
        .order_by(before.c.id.desc()).limit(1).scalar_subquery()
    )
    ended = (
        select(topic.label("topic"))
        .where(outer.c.type_name == "action", outer.c.action_name.in_(actions),
               outer.c.timestamp >= start, outer.c.timestamp < end).subquery()
    )
    rows = connection.execute(
        select(ended.c.topic, func.count()).where(ended.c.topic.is_not(None))
        .group_by(ended.c.topic).order_by(func.count().desc(), ended.c.topic).limit(limit)
    ).all()
    return [(str(intent), int(n)) for intent, n in rows]


Source: TypeAlias = Engine  # a database the report reads, each query on its own read-only connection
T = TypeVar("T")


def read(source: Source, query: Callable[..., T], *args: Any) -> T:
    """One query on its own read-only connection; a database that cannot be read raises StoreUnreadable
    (the class of the driver's error and the first line of its message, never its parameters)."""
    try:
        with reading(source) as connection:
            return query(connection, *args)
    except SQLAlchemyError as error:
        raise StoreUnreadable(f"{error.__class__.__name__}: {str(error).splitlines()[0][:200]}") from error


def assistant_talks(connection: Connection, months: MonthRange, fallback_actions: Any, handoff_actions: Any,
                    not_a_topic: Any, bill_intents: Any = ()) -> tuple[
                        dict[Any, ConversationFigures], list[tuple[str, int]], list[tuple[str, int]],
                        dict[Any, BillQuestionFigures]]:
    """The figures from Rasa's tracker store, on one connection: they stand or fall together."""
    return (conversations(connection, months, fallback_actions, handoff_actions),
            topics_before(connection, months, fallback_actions, not_a_topic),
            topics_before(connection, months, handoff_actions, not_a_topic),
            bill_questions(connection, months, tuple(bill_intents), handoff_actions))
