"""Use as it happens, for a verified customer with a remotely read meter: the period so far, its forecast, charts.

Only days up to yesterday count (the meter data system exports a day once it is over). On a
period's first day nothing of it is read yet: the period before, read in full and perhaps not
billed yet, is shown instead, priced as its bill will be.

A chart is an image a chat channel fetches by URL, without our session: the verified customer gets a
signed link that expires (evn.domain.signing.chart_links), and the web app draws what it names.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from time import monotonic

from evn.domain import consumption, reading_days
from evn.domain.consumption import DayUse, Forecast, SoFar
from evn.domain.periods import Period
from evn.domain.signing import chart_links
from evn.domain.signing.chart_links import ChartKind, ChartRef
from evn.domain.tariff import Tariff, VatRate
from evn.services.billing import BillingService, CustomerView
from evn.services.clock import today_in_vietnam, utcnow
from evn.services.unit_of_work import UnitOfWorkFactory

RECENT_DAYS = 28  # read before the period too: the rate of a period just begun
CHART_HOURS = 24  # a chart link's life: long enough for the chat's history to show it the same day
CHART_PERIODS = 12
AROUND_DAYS = 2  # the daily registers shown either side of a disputed reading day
PRICES_TTL = 300.0  # seconds the tariffs and VAT rates are kept between reads
Prices = tuple[list[Tariff], list[VatRate]]


@dataclass(frozen=True)
class ChartSigning:
    secret: str
    public_base_url: str


@dataclass(frozen=True)
class UsageView:
    customer: CustomerView
    period: Period
    so_far: SoFar
    forecast: Forecast | None
    previous_same_days: int | None  # kWh of the period before over as many of its first days
    billed: bool  # the period has its bill already


@dataclass(frozen=True)
class ReadingCheck:
    period: Period
    start: date
    end: date  # the reading day
    old_reading: int
    new_reading: int
    kwh: int
    around: tuple[tuple[date, int | None], ...]  # the daily registers around the reading day (none: not read daily)
    now: tuple[date, int] | None  # the latest register read, up to yesterday
    phone: str  # the registered phone: where a check filed from the chat is answered


@dataclass(frozen=True)
class DaysChart:
    period: Period
    uses: tuple[DayUse, ...]  # the period's days up to the last one read
    previous: tuple[int | None, ...]  # the period before, its first days, as many (None: not read)


@dataclass(frozen=True)
class PeriodsChart:
    kwh: tuple[tuple[Period, int], ...]  # the periods billed, oldest first
    forecast: tuple[Period, int] | None  # the period running, not billed yet: the kWh it heads for


class UsageService:
    def __init__(self, uow: UnitOfWorkFactory, billing: BillingService, signing: ChartSigning,
                 today: Callable[[], date] = today_in_vietnam, clock: Callable[[], datetime] = utcnow) -> None:
        self.uow, self.billing, self.signing, self.today, self.clock = uow, billing, signing, today, clock
        self._price_cache: dict[str, tuple[float, Prices]] = {}

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

    def reading_schedule(self, conversation_id: str, code: str) -> reading_days.Schedule | None:
        """When the verified customer's meter is read next, from their bills (None before any bill)."""
        self.billing.require_verified(conversation_id, code)
        with self.uow() as repos:
            bills = repos.bills.latest(self.billing.customer_row(repos, code).id, 3)
            day = reading_days.reading_day([bill.period_end for bill in bills])
            if day is None:
                return None
            return reading_days.schedule(day, bills[0].period_start, bills[0].period_end, self.today())

    def reading_check(self, conversation_id: str, code: str, period: Period | None = None) -> ReadingCheck | None:
        """A bill's readings against the daily registers around its reading day, and the register as of yesterday:
        what a customer who thinks the reading is wrong is shown first. None without a bill of that period."""
        self.billing.require_verified(conversation_id, code)
        yesterday = self.today() - timedelta(days=1)
        with self.uow() as repos:
            customer = self.billing.customer_row(repos, code)
            bill = (repos.bills.for_period(customer.id, period.key) if period
                    else next(iter(repos.bills.latest(customer.id, 1)), None))
            if bill is None:
                return None
            meter = repos.meter_data.meter_of(customer.id)
            around: tuple[tuple[date, int | None], ...] = ()
            now = None
            if meter is not None:
                around = tuple((day, register) for day, register, _ in repos.meter_data.days(
                    meter, bill.period_end - timedelta(days=AROUND_DAYS),
                    min(bill.period_end + timedelta(days=AROUND_DAYS), yesterday)))
                latest = [(day, register) for day, register, _ in repos.meter_data.days(
                    meter, yesterday - timedelta(days=RECENT_DAYS), yesterday) if register is not None]
                now = latest[-1] if latest else None
            return ReadingCheck(Period.from_key(bill.period), bill.period_start, bill.period_end, bill.old_reading,
                                bill.new_reading, bill.kwh, around, now, customer.phone)

    def chart_link(self, conversation_id: str, code: str, kind: ChartKind, period: Period) -> str:
        """The signed URL of a chart of the verified customer's use (NotVerified, UnknownCustomer otherwise)."""
        self.billing.require_verified(conversation_id, code)
        with self.uow() as repos:
            customer_id = self.billing.customer_row(repos, code).id
        expires = int(self.clock().timestamp()) + CHART_HOURS * 3600
        token = chart_links.sign(ChartRef(kind, customer_id, period, expires), self.signing.secret)
        return f"{self.signing.public_base_url}/charts/{token}.png"

    def chart(self, token: str) -> DaysChart | PeriodsChart | str:
        """What a chart link shows, or why nothing: "forged", "expired", "gone" (no such customer or days)."""
        ref = chart_links.verify(token, self.signing.secret)
        if ref is None:
            return "forged"
        if ref.expired(self.clock().timestamp()):
            return "expired"
        with self.uow() as repos:
            customer = repos.customers.get(ref.customer_id)
            if customer is None:
                return "gone"
            if ref.kind is ChartKind.PERIODS:
                return self._periods_chart(repos, customer, ref.period)
            meter = repos.meter_data.meter_of(customer.id)
            view = None if meter is None else self._period(repos, customer, meter, ref.period,
                                                             self.today() - timedelta(days=1))
            if meter is None or view is None or view.so_far.read_to is None:
                return "gone"
            uses = self._days(repos, meter, ref.period.first_day, view.so_far.read_to)
            previous = ref.period.shift(-1)
            before = self._days(repos, meter, previous.first_day,
                                min(previous.first_day + timedelta(days=len(uses) - 1), previous.last_day))
            return DaysChart(ref.period, uses, tuple(use.kwh for use in before))

    def _periods_chart(self, repos, customer, latest: Period) -> PeriodsChart:
        bills = repos.bills.up_to(customer.id, latest.key, CHART_PERIODS)
        kwh = tuple(sorted((Period.from_key(bill.period), bill.kwh) for bill in bills))
        meter = repos.meter_data.meter_of(customer.id)
        forecast = None
        if meter is not None and (not kwh or kwh[-1][0] < latest):  # the period drawn last is not billed yet
            view = self._period(repos, customer, meter, latest, self.today() - timedelta(days=1))
            if view is not None and view.forecast is not None and view.so_far.read_to is not None:
                forecast = (latest, view.forecast.kwh)
        return PeriodsChart(kwh[-(CHART_PERIODS - 1):] if forecast else kwh, forecast)

    @staticmethod
    def _days(repos, meter: int, first: date, last: date) -> tuple[DayUse, ...]:
        """Each day's use from `first` to `last` (the register of the day before opens the first)."""
        registers = [(day, register) for day, register, _ in
                     repos.meter_data.days(meter, first - timedelta(days=1), last)]
        return tuple(use for use in consumption.day_uses(registers, None, first) if use.day <= last)

    def _period(self, repos, customer, meter: int, period: Period, yesterday: date) -> UsageView | None:
        """One read of the meter's days, from the day before the period before (its same days, and the rate of a
        period just begun) to yesterday; the prices from the cache."""
        previous = period.shift(-1)
        registers = [(day, register) for day, register, _ in repos.meter_data.days(
            meter, previous.first_day - timedelta(days=1), min(period.last_day, yesterday))]
        found = period_figures(repos, customer, meter, period, yesterday, registers,
                               self.prices(repos, customer.tariff_group))
        if found is None:
            return None
        period_so_far, period_forecast = found
        return UsageView(
            customer=self.billing.customer_view(repos, customer),
            period=period,
            so_far=period_so_far,
            forecast=period_forecast,
            previous_same_days=_same_days(dict(registers), previous, period_so_far.days),
            billed=repos.bills.for_period(customer.id, period.key) is not None,
        )

    def prices(self, repos, group: str) -> Prices:
        """The tariffs and VAT rates, read at most every PRICES_TTL seconds: reference data, dated, rarely new."""
        cached = self._price_cache.get(group)
        if cached is None or monotonic() - cached[0] > PRICES_TTL:
            cached = (monotonic(), (repos.reference.tariffs(group), repos.reference.vat_rates()))
            self._price_cache[group] = cached
        return cached[1]


def _same_days(registers: dict[date, int | None], previous: Period, days: int) -> int | None:
    """kWh of the period before over its first `days` days, from its registers."""
    if not days:
        return None
    end = min(previous.first_day + timedelta(days=days - 1), previous.last_day)
    opening, closing = registers.get(previous.first_day - timedelta(days=1)), registers.get(end)
    return closing - opening if opening is not None and closing is not None else None


def period_figures(repos, customer, meter: int, period: Period, yesterday: date,
                   registers: list[tuple[date, int | None]] | None = None,
                   prices: Prices | None = None) -> tuple[SoFar, Forecast | None] | None:
    """A period of a meter read every day, up to yesterday: its use so far and its forecast (None: no day read).
    `registers`: the meter's days already read (from RECENT_DAYS before the period at least); `prices`: cached."""
    first, last = period.first_day, period.last_day
    if registers is None:
        registers = [(day, register) for day, register, _ in
                     repos.meter_data.days(meter, first - timedelta(days=RECENT_DAYS), min(last, yesterday))]
    if not registers:
        return None
    previous_bill = repos.bills.for_period(customer.id, period.shift(-1).key)
    opening = previous_bill.new_reading if previous_bill is not None else None
    period_so_far = consumption.so_far(first, last, registers, opening)
    recent = consumption.day_uses(registers, None, registers[0][0])
    tariffs, vat_rates = prices or (repos.reference.tariffs(customer.tariff_group), repos.reference.vat_rates())
    return period_so_far, consumption.forecast(period_so_far, recent, tariffs, vat_rates)
