"""Usage alerts: set, listed and cancelled by a verified customer; checked after each daily load.

Setting one says where the running period stands against it (the chat's forecast). The scan after a
load reads every active alert with the three registers it needs (the last day read, the day before the
period, RATE_DAYS before the last) in one streamed pass, and writes a notice for each level crossed, in SQL
by the thousand: to every chat linked to the code and to the chat the alert was set in. The notice's subject is
the level and the period, so a level crossed again (or set twice) in a period is told once; the notice
pipeline delivers it by the platforms' rules, quiet hours and opt-outs.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache, partial

from evn.domain import account_links, conversations, usage_alerts
from evn.domain.consumption import RATE_DAYS
from evn.domain.notices import NoticeKind
from evn.domain.periods import Period
from evn.domain.tariff import Tariff
from evn.domain.usage_alerts import AlertKind, AlertLevel
from evn.services.billing import BillingService
from evn.services.clock import utcnow
from evn.services.unit_of_work import UnitOfWorkFactory
from evn.services.usage import UsageService, UsageView

log = logging.getLogger(__name__)

SCAN_CHUNK = 5_000


@dataclass(frozen=True)
class Standing:
    """The running period against a level: its use so far and forecast, and the kWh the level means."""

    view: UsageView
    threshold_kwh: int | None  # None: a share of a period before that has no bill
    over_now: bool  # the use so far is above it already
    heading_over: bool  # the forecast is above it


@dataclass(frozen=True)
class SetAlert:
    level: AlertLevel
    outcome: str  # "added" | "already" | "too_many" | "no_daily_meter" (nothing to check it against: not kept)
    standing: Standing | None  # None: the meter is not read every day (nothing to check the level against)
    reaches_this_chat: bool  # this chat will hear it (a chat of a channel that can be written to)


@dataclass(frozen=True)
class ScanReport:
    period: Period
    checked: int
    crossed: int
    notices: int


class UsageAlertService:
    def __init__(self, uow: UnitOfWorkFactory, billing: BillingService, usage: UsageService,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.uow, self.billing, self.usage, self.clock = uow, billing, usage, clock

    def set(self, conversation_id: str, code: str, level: AlertLevel) -> SetAlert:
        """NotVerified unless verified; ValueError for a level that makes no sense (level.problem)."""
        self.billing.require_verified(conversation_id, code)
        if level.problem:
            raise ValueError(level.problem)
        with self.uow() as repos:
            customer = self.billing.customer_row(repos, code)
            active = [AlertLevel(AlertKind(a.kind), a.level) for a in repos.usage_alerts.active(customer.id)]
            if repos.meter_data.meter_of(customer.id) is None:
                outcome = "no_daily_meter"
            elif level in active:
                outcome = "already"
            elif len(active) >= usage_alerts.MAX_ACTIVE:
                outcome = "too_many"
            else:
                repos.usage_alerts.add(customer.id, level.kind.value, level.value, conversation_id, self.clock())
                repos.commit()
                outcome = "added"
        return SetAlert(level, outcome, self.standing(conversation_id, code, level),
                        conversations.channel_of(conversation_id) in account_links.LINKABLE_CHANNELS)

    def standing(self, conversation_id: str, code: str, level: AlertLevel) -> Standing | None:
        view = self.usage.so_far(conversation_id, code)
        if view is None or view.forecast is None:
            return None
        forecast, period = view.forecast, view.period
        with self.uow() as repos:
            customer = self.billing.customer_row(repos, code)
            previous = repos.bills.for_period(customer.id, period.shift(-1).key)
            previous_kwh = previous.kwh if previous else None
            tariffs, vat_rates = self.usage.prices(repos, customer.tariff_group)
        threshold = usage_alerts.threshold_kwh(
            level, previous_kwh,
            lambda amount: usage_alerts.amount_threshold(amount, period.first_day, period.last_day, tariffs, vat_rates))
        if threshold is None:
            return Standing(view, None, False, False)
        return Standing(view, threshold, view.so_far.kwh > threshold, forecast.kwh > threshold)

    def alerts(self, conversation_id: str, code: str) -> list[AlertLevel]:
        self.billing.require_verified(conversation_id, code)
        with self.uow() as repos:
            customer = self.billing.customer_row(repos, code)
            return [AlertLevel(AlertKind(a.kind), a.level) for a in repos.usage_alerts.active(customer.id)]

    def cancel(self, conversation_id: str, code: str, level: AlertLevel | None = None) -> list[AlertLevel]:
        """The levels cancelled: the one named (of its kind and value), or every one."""
        self.billing.require_verified(conversation_id, code)
        with self.uow() as repos:
            customer = self.billing.customer_row(repos, code)
            chosen = [a for a in repos.usage_alerts.active(customer.id)
                      if level is None or (a.kind, a.level) == (level.kind.value, level.value)]
            repos.usage_alerts.cancel([a.id for a in chosen], self.clock())
            repos.commit()
        return [AlertLevel(AlertKind(a.kind), a.level) for a in chosen]

    def scan(self, today: date) -> ScanReport:
        """After a daily load: every active alert against the forecast of the period read up to yesterday."""
        last_day = today - timedelta(days=1)
        period = Period.of(last_day)
        days_read, days_left = (last_day - period.first_day).days + 1, (period.last_day - last_day).days
        with self.uow() as repos:
            vat_rates = repos.reference.vat_rates()
        tariffs: dict[str, list[Tariff]] = {}  # by tariff group, read once per scan

        @lru_cache(maxsize=4096)
        def kwh_above(group: str, amount: int) -> int:
            return usage_alerts.amount_threshold(amount, period.first_day, period.last_day, tariffs[group], vat_rates)

        checked = crossed = written = 0
        with self.uow() as reader:
            for rows in reader.usage_alerts.scan(last_day, period.first_day - timedelta(days=1),
                                                 last_day - timedelta(days=RATE_DAYS), period.shift(-1).key,
                                                 SCAN_CHUNK):
                events = []
                for row in rows:
                    checked += 1
                    if row.tariff_group not in tariffs:
                        tariffs[row.tariff_group] = reader.reference.tariffs(row.tariff_group)
                    if row.closing is None or row.opening is None:
                        continue  # the day not read yet (or no meter read every day): the next load decides
                    so_far = row.closing - row.opening
                    rate = usage_alerts.mean_rate(
                        *((row.closing - row.rate_from, RATE_DAYS) if row.rate_from is not None
                          else (so_far, days_read)))
                    level = AlertLevel(AlertKind(row.kind), row.level)
                    threshold = usage_alerts.threshold_kwh(level, row.previous_kwh,
                                                           partial(kwh_above, row.tariff_group))
                    if threshold is None or not (so_far > threshold or (
                            days_read >= usage_alerts.MIN_DAYS_READ
                            and usage_alerts.expected_kwh(so_far, rate, days_left) > threshold)):
                        continue
                    crossed += 1
                    subject = usage_alerts.subject(row.code, level, period)
                    events.append((row.code, subject, _setter(row.conversation_id)))
                if events:  # written on the stream's own connection, beside its cursor; one commit for the scan
                    written += reader.notices.for_recipients(NoticeKind.USAGE_ALERT.value, events, self.clock())
            reader.commit()
        log.info("usage alerts: %d checked for %s, %d crossed, %d notices", checked, period, crossed, written)
        return ScanReport(period, checked, crossed, written)


def _setter(conversation_id: str) -> list[tuple[str, str, str]]:
    """The chat the alert was set in, as a recipient, when its channel can be written to."""
    channel = conversations.channel_of(conversation_id)
    if channel not in account_links.LINKABLE_CHANNELS:
        return []
    return [(str(channel), conversations.local_id(conversation_id), conversation_id)]
