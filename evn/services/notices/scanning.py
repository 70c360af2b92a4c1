"""Scanning: data turned into notice rows in SQL (new bills past a cursor, bills due soon or just overdue,
planned outages within 24 h at linked customers' addresses); every scan is safe to repeat."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from evn.domain.notices import (
    NoticeKind,
)
from evn.domain.outage_schedule import PlannedOutage, find_outages_at_address
from evn.domain.time import to_vietnam, vietnam_date
from evn.services.clock import utcnow
from evn.services.notices.preferences import PRESENCE_FRESH
from evn.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

NEW_BILLS = "bills"  # the scanner's cursor over bills.id
REMINDER_DAYS = 3  # "sắp đến hạn": this many days before the due date
OVERDUE_DAYS = 7  # an overdue notice is still sent this long after the due date
OUTAGE_AHEAD = timedelta(hours=24)
SLOW_SCANS_EVERY = 600.0  # seconds between the reminder and outage scans (the bill scan runs every round)


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
        """The worker's scan: new bills every round; reminders and outages every SLOW_SCANS_EVERY."""
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
