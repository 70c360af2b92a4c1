"""Notices: found in the data, written once per event and channel user, delivered by the platforms' rules.

Scanning (NoticeScanner, run by the dispatcher process every few seconds) turns data into
notice rows in SQL: new bills past the scanner's cursor, bills due in a few days or just
overdue, planned outages starting within 24 h at linked customers' addresses. A request's
status change and a payment write theirs in their own transaction (RequestService,
PaymentService). The unique key (kind, subject, channel, channel_user) makes every scan
safe to repeat: an event reaches a user once.

Delivering (NoticeDelivery) takes due rows in small batches (memory stays flat whatever
the run's size), skips kinds the user stopped and what the data has overtaken (a reminder
for a bill paid meanwhile), holds non-urgent kinds through quiet hours, picks the route the
platform allows now (evn.domain.notices.route_for), paces each channel to its rate limit,
and records the result: sent with the platform's message id, undeliverable with the reason,
or a failed attempt retried with backoff until given up.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from evn.domain.formats import format_date, format_datetime, format_vnd
from evn.domain.notices import (
    ALL_KINDS,
    NoticeKind,
    NoticeStatus,
    QuietHours,
    Route,
    route_for,
)
from evn.domain.outage_schedule import PlannedOutage, find_outages_at_address, place_of
from evn.domain.periods import Period
from evn.domain.statuses import BillStatus
from evn.domain.time import to_vietnam, vietnam_date
from evn.services.clock import utcnow
from evn.services.outbox import backoff, error_text
from evn.services.polling import poll
from evn.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

NEW_BILLS = "bills"  # the scanner's cursor over bills.id
REMINDER_DAYS = 3  # "sắp đến hạn": this many days before the due date
OVERDUE_DAYS = 7  # an overdue notice is still sent this long after the due date
OUTAGE_AHEAD = timedelta(hours=24)
SLOW_SCANS_EVERY = 600.0  # seconds between the reminder and outage scans (the bill scan runs every round)
MAX_ATTEMPTS = 8
LEASE = timedelta(seconds=120)
PAUSED_RETRY = timedelta(minutes=5)  # a conversation an agent holds is asked again this often
PRESENCE_FRESH = timedelta(hours=12)  # an open socket not heard of for this long counts as closed (a crash)


@dataclass(frozen=True)
class PendingNotice:
    id: int
    kind: NoticeKind
    subject: str
    channel: str
    channel_user: str
    conversation_id: str
    customer_code: str
    attempts: int


@dataclass(frozen=True)
class Content:
    """What a notice says (display strings, Vietnamese formats) and the phone a template goes to."""

    facts: dict[str, str]
    phone: str = ""


class Sender(Protocol):
    def __call__(self, notice: PendingNotice, content: Content, template: str) -> str:
        """Delivers through one route; returns the platform's message id; raises when it did not take it."""


ConversationState = tuple["datetime | None", bool]  # the customer's last message (UTC), whether a person holds it
LinkMaker = Callable[[str, str, int], "str | None"]  # (conversation, channel, bill id) -> payment URL


@dataclass(frozen=True)
class Report:
    sent: int = 0
    undeliverable: int = 0
    skipped: int = 0  # opted out or overtaken
    held: int = 0  # quiet hours
    failed: int = 0


class NoticeScanner:
    def __init__(
        self, uow: UnitOfWorkFactory, schedule: Sequence[PlannedOutage] = (),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.uow = uow
        self.schedule = list(schedule)
        self.clock = clock
        self._slow_due = 0.0

    def scan(self) -> int:
        """The dispatcher's job: new bills every round; reminders and outages every SLOW_SCANS_EVERY."""
        self.release_open_widgets()
        written = self.scan_new_bills()
        if time.monotonic() >= self._slow_due:
            self._slow_due = time.monotonic() + SLOW_SCANS_EVERY
            written += self.scan_reminders() + self.scan_outages()
        return written

    def release_open_widgets(self) -> int:
        """Notices marked waiting while their widget was just being opened: due now that it is open."""
        now = self.clock()
        with self.uow() as uow:
            released = uow.notices.release_open_widgets(now - PRESENCE_FRESH, now)
            uow.commit()
        return released

    def scan_new_bills(self) -> int:
        """Bills added since the last scan; the first scan starts at the newest bill (no old bills announced)."""
        now = self.clock()
        with self.uow() as uow:
            last = uow.notices.last_bill_id()
            after = uow.notices.cursor(NEW_BILLS)
            written = 0
            if after is not None and last > after:
                written = uow.notices.for_new_bills(NoticeKind.BILL_ISSUED.value, after, last, now)
            if after is None or last > after:
                uow.notices.move_cursor(NEW_BILLS, last, now)
            uow.commit()
        if written:
            log.info("notices: %d bill notices written", written)
        return written

    def scan_reminders(self) -> int:
        now = self.clock()
        today = vietnam_date(now)
        with self.uow() as uow:
            written = uow.notices.for_bills_due(
                NoticeKind.BILL_DUE.value, today, today + timedelta(days=REMINDER_DAYS), now)
            written += uow.notices.for_bills_due(
                NoticeKind.BILL_OVERDUE.value, today - timedelta(days=OVERDUE_DAYS), today - timedelta(days=1), now)
            uow.commit()
        return written

    def scan_outages(self) -> int:
        """Planned outages starting within 24 h, to each linked user whose customer's address is in the area."""
        now = self.clock()
        local_now = to_vietnam(now).replace(tzinfo=None)
        coming = [o for o in self.schedule if local_now < o.start <= local_now + OUTAGE_AHEAD]
        if not coming:
            return 0
        written = 0
        with self.uow() as uow:
            for company in sorted({o.power_company for o in coming}):
                outages = [o for o in coming if o.power_company == company]
                reached: dict[str, list[Any]] = {outage.id: [] for outage in outages}
                first, last = min(o.start.date() for o in outages), max(o.end.date() for o in outages)
                for link, address in uow.links.with_addresses(company, now):
                    for outage in find_outages_at_address(outages, address, first, last):
                        reached[outage.id].append(link)
                for outage_id, links in reached.items():
                    written += uow.notices.for_links(NoticeKind.OUTAGE_PLANNED.value, outage_id, links, now)
            uow.commit()
        return written


def notify_linked(uow: UnitOfWork, kind: NoticeKind, subject: str, code: str, at: datetime,
                  also: Sequence[Any] = ()) -> int:
    """In the caller's transaction: a notice of this event to every user linked to the code (and `also`)."""
    return uow.notices.for_links(kind.value, subject, [*uow.links.of_codes([code], at), *also], at)


class NoticePreferences:
    """"ngừng nhận thông báo" and "nhận lại thông báo", per channel user: every kind, or some."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Callable[[], datetime] = utcnow) -> None:
        self.uow = uow
        self.clock = clock

    def stop(self, channel: str, channel_user: str, kinds: Sequence[NoticeKind] = ()) -> None:
        """Stops these kinds, or every kind when none are named."""
        with self.uow() as uow:
            for name in [kind.value for kind in kinds] or [ALL_KINDS]:
                uow.notices.stop(channel, channel_user, name, self.clock())
            uow.commit()

    def resume(self, channel: str, channel_user: str, kinds: Sequence[NoticeKind] = ()) -> None:
        """Every kind again (none named), or these: their own stops and a stop of all are lifted."""
        with self.uow() as uow:
            stopped = uow.notices.stopped_kinds(channel, channel_user)
            if not kinds:
                uow.notices.resume(channel, channel_user, None)
            for kind in kinds:
                uow.notices.resume(channel, channel_user, kind.value)
            if kinds and ALL_KINDS in stopped:
                for other in NoticeKind:  # "all" lifted for these kinds only: the others stay stopped
                    if other not in kinds:
                        uow.notices.stop(channel, channel_user, other.value, self.clock())
            uow.commit()

    def stopped(self, channel: str, channel_user: str) -> set[str]:
        with self.uow() as uow:
            return uow.notices.stopped_kinds(channel, channel_user)


class WidgetPresence:
    """The widget channel tells this when a socket joins or leaves a conversation (any Rasa process)."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Callable[[], datetime] = utcnow) -> None:
        self.uow = uow
        self.clock = clock

    def opened(self, conversation_id: str) -> int:
        """Counts the socket and makes what waited for this customer due now; returns how many waited."""
        now = self.clock()
        with self.uow() as uow:
            uow.widget_presence.opened(conversation_id, now)
            released = uow.notices.release_waiting(conversation_id, now)
            uow.commit()
        return released

    def closed(self, conversation_id: str) -> None:
        with self.uow() as uow:
            uow.widget_presence.closed(conversation_id, self.clock())
            uow.commit()


class RateLimiter:
    """Paces one dispatcher's calls per channel: at most `per_second` (a platform's configured limit)."""

    def __init__(self, per_second: Mapping[str, float], sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = {channel: 1.0 / rate for channel, rate in per_second.items() if rate > 0}
        self.next_at: dict[str, float] = {}
        self.sleep = sleep

    def wait(self, channel: str) -> None:
        interval = self.interval.get(channel)
        if interval is None:
            return
        now = time.monotonic()
        at = self.next_at.get(channel, now)
        if at > now:
            self.sleep(at - now)
        self.next_at[channel] = max(at, now) + interval


@dataclass
class NoticeDelivery:
    uow: UnitOfWorkFactory
    senders: Mapping[Route, Sender]
    conversation_state: Callable[[str], ConversationState]
    payment_link: LinkMaker
    quiet: QuietHours = field(default_factory=QuietHours)
    zns_templates: Mapping[str, str] = field(default_factory=dict)
    messenger_templates: Mapping[str, str] = field(default_factory=dict)
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter({}))
    schedule: Sequence[PlannedOutage] = ()
    clock: Callable[[], datetime] = utcnow
    max_attempts: int = MAX_ATTEMPTS

    def run_once(self, limit: int = 100) -> Report:
        """Delivers up to `limit` due notices; returns what happened."""
        now = self.clock()
        with self.uow() as uow:
            due = [_pending(row) for row in uow.notices.due(now, limit)]
        report = Report()
        for notice in due:
            try:
                outcome = self._one(notice)
            except Exception as error:  # noqa: BLE001 - one bad row must not stop the queue behind it
                outcome = self._failed(notice, error_text(error))
            report = Report(**{**report.__dict__, outcome: getattr(report, outcome) + 1})
        return report

    def run_forever(self, stop: threading.Event, scan: Callable[[], object] | None = None,
                    interval: float = 1.0, scan_interval: float = 5.0) -> None:
        """Delivers until `stop` is set, running the scanner every `scan_interval` seconds in this same
        thread: a long scan delays notices, never the outbox's agent replies."""
        def deliver() -> int:
            report = self.run_once()
            return report.sent + report.undeliverable + report.skipped + report.failed

        poll(stop, deliver, name="notices", interval=interval, scans=() if scan is None else (scan,),
             scan_interval=scan_interval)

    def _one(self, notice: PendingNotice) -> str:
        now = self.clock()
        with self.uow() as uow:
            stopped = uow.notices.stopped_kinds(notice.channel, notice.channel_user)
            if notice.kind.value in stopped or ALL_KINDS in stopped:
                uow.notices.record(notice.id, NoticeStatus.OPTED_OUT.value, now, result="the user stopped this kind")
                uow.commit()
                return "skipped"
            content = _content(uow, notice, self.schedule, now)
            if content is not None and not _still_theirs(uow, notice, now):
                uow.notices.record(notice.id, NoticeStatus.SUPERSEDED.value, now, result="unlinked since")
                uow.commit()
                return "skipped"
            if content is None:
                uow.notices.record(notice.id, NoticeStatus.SUPERSEDED.value, now, result="overtaken by the data")
                uow.commit()
                return "skipped"
            held = self.quiet.held_until(notice.kind, now)
            if held is not None:
                uow.notices.hold(notice.id, held)
                uow.commit()
                return "held"
            if notice.channel == "socketio" and not uow.widget_presence.is_open(notice.conversation_id,
                                                                               now - PRESENCE_FRESH):
                uow.notices.record(notice.id, NoticeStatus.WAITING.value, now, result="the widget is closed")
                uow.commit()
                return "held"  # WidgetPresence.opened releases it
        last_message_at, paused = self.conversation_state(notice.conversation_id)
        if paused:  # a person holds the conversation: the notice waits until it is handed back
            with self.uow() as uow:
                uow.notices.hold(notice.id, now + PAUSED_RETRY)
                uow.commit()
            return "held"
        decision = route_for(notice.channel, notice.kind, last_message_at, now, self.zns_templates,
                             self.messenger_templates)
        with self.uow() as uow:
            if decision.route is Route.ZNS and uow.notices.zns_sent(notice.kind.value, notice.subject,
                                                                    notice.customer_code):
                uow.notices.record(notice.id, NoticeStatus.SUPERSEDED.value, now,
                                   result="a ZNS of this event went to the registered phone already")
                uow.commit()
                return "skipped"
            if not uow.notices.claim(notice.id, notice.attempts, now + LEASE):
                return "skipped"  # another dispatcher has it
            uow.commit()
        if decision.route is None:
            self._record(notice, NoticeStatus.UNDELIVERABLE, None, decision.reason)
            return "undeliverable"
        try:
            if decision.route is Route.CHAT and notice.kind.is_bill and "payment_url" not in content.facts:
                url = self.payment_link(notice.conversation_id, notice.channel, int(notice.subject))
                if url:
                    content.facts["payment_url"] = url
            self.limiter.wait(notice.channel)
            message_id = self.senders[decision.route](notice, content, decision.template)
        except Exception as error:  # noqa: BLE001 - recorded and retried
            return self._failed(notice, error_text(error))
        self._record(notice, NoticeStatus.SENT, decision.route, message_id)
        return "sent"

    def _record(self, notice: PendingNotice, status: NoticeStatus, route: Route | None, result: str) -> None:
        with self.uow() as uow:
            uow.notices.record(notice.id, status.value, self.clock(), route=route.value if route else None,
                               result=result)
            uow.commit()

    def _failed(self, notice: PendingNotice, error: str) -> str:
        attempt = notice.attempts + 1
        with self.uow() as uow:
            # The attempt counts whether it failed before the claim (Rasa unreadable) or after it (the send).
            if attempt >= self.max_attempts:
                uow.notices.record(notice.id, NoticeStatus.FAILED.value, self.clock(), result=error,
                                   attempts=attempt)
                log.error("notices: notice %s given up after %d attempts: %s", notice.id, attempt, error)
            else:
                uow.notices.record(notice.id, NoticeStatus.PENDING.value, self.clock(), result=error,
                                   next_attempt_at=self.clock() + backoff(attempt), attempts=attempt)
                log.warning("notices: notice %s failed, attempt %d: %s", notice.id, attempt, error)
            uow.commit()
        return "failed"


def _pending(row: Any) -> PendingNotice:
    return PendingNotice(row.id, NoticeKind(row.kind), row.subject, row.channel, row.channel_user,
                         row.conversation_id, row.customer_code, row.attempts)


def _still_theirs(uow: UnitOfWork, notice: PendingNotice, now: datetime) -> bool:
    """The user still holds the link, not expired (or, for a request's status, filed it in this conversation)."""
    if uow.links.holds(notice.conversation_id, notice.customer_code, now):
        return True
    if notice.kind is NoticeKind.REQUEST_STATUS:
        event = uow.requests.event(int(notice.subject))
        request = uow.requests.get(event.request_id) if event is not None else None
        return request is not None and request.conversation_id == notice.conversation_id
    return False


def _content(uow: UnitOfWork, notice: PendingNotice, schedule: Sequence[PlannedOutage],
             now: datetime) -> Content | None:
    """The notice's words from the data as it is now; None when the data has overtaken it."""
    customer = uow.customers.get_by_code(notice.customer_code)
    if customer is None:
        return None
    facts = {"customer_code": customer.code}
    if notice.kind is NoticeKind.OUTAGE_PLANNED:
        outage = next((o for o in schedule if o.id == notice.subject), None)
        if outage is None or outage.start <= to_vietnam(now).replace(tzinfo=None):
            return None
        facts.update(outage_content(outage))
    if notice.kind.is_bill:
        bill = uow.bills.get(int(notice.subject))
        if bill is None or bill.status != BillStatus.UNPAID.value:
            return None
        facts.update(period=str(Period.from_key(bill.period)), amount=format_vnd(bill.total),
                     due_date=format_date(bill.due_date))
    elif notice.kind is NoticeKind.REQUEST_STATUS:
        event = uow.requests.event(int(notice.subject))
        if event is None:
            return None
        request = uow.requests.get(event.request_id)
        assert request is not None  # a foreign key
        facts.update(ticket=request.ticket, request_status=event.status, request_note=event.note or "")
    elif notice.kind is NoticeKind.PAYMENT_RECEIVED:
        payment = uow.payments.by_reference(notice.subject)
        if payment is None:
            return None
        bill = uow.bills.get(payment.bill_id)
        assert bill is not None  # a foreign key
        facts.update(amount=format_vnd(payment.amount), period=str(Period.from_key(bill.period)),
                     payment_method=payment.channel, payment_reference=payment.reference)
    return Content(facts, customer.phone)


def outage_content(outage: PlannedOutage) -> dict[str, str]:
    return {"outage_area": place_of(outage), "outage_start": format_datetime(outage.start),
            "outage_end": format_datetime(outage.end), "outage_reason": outage.reason}
