"""Delivering: due notices in small batches, by the platforms' rules (quiet hours, routes, rate limits), each
result recorded; a failed attempt retried with backoff until given up."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from evn.domain import usage_alerts
from evn.domain.notices import (
    ALL_KINDS,
    Decision,
    NoticeKind,
    NoticeStatus,
    QuietHours,
    Route,
    route_for,
)
from evn.domain.outage_schedule import PlannedOutage
from evn.services.clock import utcnow
from evn.services.notices.content import Content, PendingNotice, notice_content
from evn.services.notices.preferences import PRESENCE_FRESH
from evn.services.outbox import backoff, error_text
from evn.services.polling import poll
from evn.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE = timedelta(seconds=120)
PAUSED_RETRY = timedelta(minutes=5)  # a conversation an agent holds is asked again this often


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


class RateLimiter:
    """Paces one worker's calls per channel: at most `per_second` (a platform's configured limit)."""

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

    def run_once(self, limit: int = 100, channel: str | None = None) -> Report:
        """Delivers up to `limit` due notices (of one channel, or of every one); returns what happened."""
        now = self.clock()
        with self.uow() as uow:
            due = [_pending(row) for row in uow.notices.due_on(now, limit, channel)]
        report = Report()
        for notice in due:
            try:
                outcome = self._one(notice)
            except Exception as error:  # noqa: BLE001 - one bad row must not stop the queue behind it
                outcome = self._failed(notice, error_text(error))
            report = Report(**{**report.__dict__, outcome: getattr(report, outcome) + 1})
        return report

    def run_forever(self, stop: threading.Event, scan: Callable[[], object] | None = None,
                    interval: float = 1.0, scan_interval: float = 5.0, channel: str | None = None) -> None:
        """Delivers until `stop` is set (one channel's notices, or every channel's), running the scanner every
        `scan_interval` seconds in this same thread: a long scan delays notices, never the outbox's agent
        replies. One thread per channel lets each go at its own platform's pace (a restoration told to 100.000
        users: Messenger's are not held behind Zalo's slower rate)."""
        def deliver() -> int:
            report = self.run_once(channel=channel)
            return report.sent + report.undeliverable + report.skipped + report.failed

        poll(stop, deliver, name=f"notices-{channel or 'all'}", interval=interval,
             scans=() if scan is None else (scan,), scan_interval=scan_interval)

    def _one(self, notice: PendingNotice) -> str:
        now = self.clock()
        with self.uow() as uow:
            stopped = uow.notices.stopped_kinds(notice.channel, notice.channel_user)
            if notice.kind.value in stopped or ALL_KINDS in stopped:
                uow.notices.record(notice.id, NoticeStatus.OPTED_OUT.value, now, result="the user stopped this kind")
                uow.commit()
                return "skipped"
            content = notice_content(uow, notice, self.schedule, now)
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
        if decision.route is Route.ZNS and not content.phone:  # a reporter who gave no customer code
            decision = Decision(None, reason="no registered phone for a ZNS template")
        with self.uow() as uow:
            if decision.route is Route.ZNS and uow.notices.zns_sent(notice.kind.value, notice.subject,
                                                                    notice.customer_code):
                uow.notices.record(notice.id, NoticeStatus.SUPERSEDED.value, now,
                                   result="a ZNS of this event went to the registered phone already")
                uow.commit()
                return "skipped"
            if not uow.notices.claim(notice.id, notice.attempts, now + LEASE):
                return "skipped"  # another worker has it
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
    """The user still holds the link, not expired (or filed the request, or set the alert, in this conversation)."""
    if uow.links.holds(notice.conversation_id, notice.customer_code, now):
        return True
    if notice.kind is NoticeKind.REQUEST_STATUS:
        event = uow.requests.event(int(notice.subject))
        request = uow.requests.get(event.request_id) if event is not None else None
        return request is not None and request.conversation_id == notice.conversation_id
    if notice.kind.is_incident:  # a reporter of the incident, in the conversation it reported in
        update = uow.incidents.update(int(notice.subject))
        return update is not None and uow.incidents.reported_by(update.incident_id, notice.conversation_id)
    if notice.kind is NoticeKind.USAGE_ALERT:  # the chat it was set in, while the alert holds
        read = usage_alerts.read_subject(notice.subject)
        return read is not None and uow.usage_alerts.holds(
            notice.customer_code, read[1].kind.value, read[1].value, notice.conversation_id)
    return False
