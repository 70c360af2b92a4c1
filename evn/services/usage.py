"""Use as it happens, for a verified customer with a remotely read meter: the period so far and its forecast.

Only days up to yesterday count (the meter data system exports a day once it is over). On a
period's first day nothing of it is read yet: the period before, read in full and perhaps not
billed yet, is shown instead, priced as its bill will be.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from evn.domain import consumption
from evn.domain.consumption import Forecast, SoFar
from evn.domain.periods import Period
from evn.services.billing import BillingService, CustomerView
from evn.services.clock import today_in_vietnam
from evn.services.unit_of_work import UnitOfWorkFactory

RECENT_DAYS = 28  # read before the period too: the rate of a period just begun


@dataclass(frozen=True)
class UsageView:
    customer: CustomerView
    period: Period
    so_far: SoFar
    forecast: Forecast | None
    previous_same_days: int | None  # kWh of the period before over as many of its first days
    billed: bool  # the period has its bill already


class UsageService:
    def __init__(self, uow: UnitOfWorkFactory, billing: BillingService,
                 today: Callable[[], date] = today_in_vietnam) -> None:
        self.uow, self.billing, self.today = uow, billing, today

    def so_far(self, conversation_id: str, code: str, period: Period | None = None) -> UsageView | None:
        """None when the customer's meter is not read every day."""
        self.billing.require_verified(conversation_id, code)
        yesterday = self.today() - timedelta(days=1)
        asked = period or Period.of(self.today())
        with self.uow() as repos:
            customer = self.billing.customer_row(repos, code)
            meter = repos.meter_data.meter_of(customer.id)
            if meter is None:
                return None
            view = self._period(repos, customer, meter, asked, yesterday)
            if view is not None and view.so_far.read_to is None and period is None:
                view = self._period(repos, customer, meter, asked.shift(-1), yesterday) or view
            return view

    def _period(self, repos, customer, meter: int, period: Period, yesterday: date) -> UsageView | None:
        first, last = period.first_day, period.last_day
        registers = [(day, register) for day, register, _ in
                     repos.meter_data.days(meter, first - timedelta(days=RECENT_DAYS), min(last, yesterday))]
        if not registers:
            return None
        previous_bill = repos.bills.for_period(customer.id, period.shift(-1).key)
        opening = previous_bill.new_reading if previous_bill is not None else None
        period_so_far = consumption.so_far(first, last, registers, opening)
        recent = consumption.day_uses(registers, None, registers[0][0])
        tariffs, vat_rates = repos.reference.tariffs(customer.tariff_group), repos.reference.vat_rates()
        return UsageView(
            customer=self.billing.customer_view(repos, customer),
            period=period,
            so_far=period_so_far,
            forecast=consumption.forecast(period_so_far, recent, tariffs, vat_rates),
            previous_same_days=self._previous_same_days(repos, meter, period.shift(-1), period_so_far.days),
            billed=repos.bills.for_period(customer.id, period.key) is not None,
        )

    @staticmethod
    def _previous_same_days(repos, meter: int, previous: Period, days: int) -> int | None:
        if not days:
            return None
        end = min(previous.first_day + timedelta(days=days - 1), previous.last_day)
        registers = {day: register for day, register, _ in
                     repos.meter_data.days(meter, previous.first_day - timedelta(days=1), end)}
        opening, closing = registers.get(previous.first_day - timedelta(days=1)), registers.get(end)
        return closing - opening if opening is not None and closing is not None else None
