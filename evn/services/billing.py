"""Billing self-service: bills, consumption, why a bill rose, debt, tariff, estimates.

Everything personal requires a verified conversation; the check lives here so
no entrypoint can forget it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from evn.domain import consumption
from evn.domain import tariff as tariff_rules
from evn.domain.masking import mask_address, mask_phone
from evn.domain.periods import Period, parse_period
from evn.domain.statuses import BillStatus
from evn.services.clock import today_in_vietnam
from evn.services.errors import NotVerified, TariffNotCovered, UnknownCustomer
from evn.services.identity import IdentityService
from evn.services.unit_of_work import Stored, UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class CustomerView:
    code: str
    name: str
    masked_phone: str
    masked_address: str
    power_company: str
    hotline: str


@dataclass(frozen=True)
class PaymentView:
    amount: int
    channel: str
    paid_at: datetime  # UTC
    reference: str


@dataclass(frozen=True)
class BillView:
    period: Period
    period_start: date
    period_end: date
    old_reading: int
    new_reading: int
    kwh: int
    amount_before_vat: int
    vat_percent: Decimal
    vat_amount: int
    total: int
    issued_on: date
    due_date: date
    status: str
    lines: tuple[tariff_rules.TierLine, ...]
    payments: tuple[PaymentView, ...] = ()

    @property
    def paid(self) -> bool:
        return self.status == BillStatus.PAID.value

    def is_overdue(self, today: date) -> bool:
        return not self.paid and self.due_date < today

    @property
    def last_payment(self) -> PaymentView | None:
        return self.payments[-1] if self.payments else None

    @property
    def days(self) -> int:
        return (self.period_end - self.period_start).days + 1


@dataclass(frozen=True)
class BillLookup:
    """The bill asked for; when its period has no bill yet, the latest one instead (`bill`)."""

    customer: CustomerView
    bill: BillView | None
    requested: Period | None
    latest: Period | None
    earliest: Period | None
    current: Period | None = None  # this calendar month

    @property
    def not_issued_yet(self) -> bool:
        """The period asked for is later than the latest bill: it is not issued yet (or not over)."""
        return self.requested is not None and self.latest is not None and self.requested > self.latest

    @property
    def not_over_yet(self) -> bool:
        return self.not_issued_yet and self.current is not None and self.requested is not None and (
            self.requested >= self.current)

    @property
    def issued_in(self) -> Period | None:
        """The month a bill is issued in: early in the month after its period."""
        return self.requested.shift(1) if self.requested is not None else None


@dataclass(frozen=True)
class IncreaseExplanation:
    """Why a bill is what it is, compared with the one before and the average of earlier months."""

    customer: CustomerView
    current: BillView
    previous: BillView | None
    average_kwh: int | None
    months_in_average: int
    extra_lines: tuple[tariff_rules.TierLine, ...]  # the higher tiers the extra kWh fell into
    weeks: tuple[consumption.WeekChange, ...] = ()  # from the daily readings, when the meter is read every day
    last_year: BillView | None = None  # the same period a year before

    @property
    def kwh_delta(self) -> int | None:
        return self.current.kwh - self.previous.kwh if self.previous else None

    @property
    def percent_more(self) -> int | None:
        """Rounded increase in kWh against the period before, when it rose from something."""
        delta = self.kwh_delta
        if delta is None or delta <= 0 or not self.previous or not self.previous.kwh:
            return None
        return round(delta * 100 / self.previous.kwh)

    @property
    def amount_delta(self) -> int | None:
        return self.current.total - self.previous.total if self.previous else None

    @property
    def above_average(self) -> bool | None:
        return None if self.average_kwh is None else self.current.kwh > self.average_kwh

    @property
    def period_lengths_differ(self) -> bool:
        return self.previous is not None and self.current.days != self.previous.days

    @property
    def advise_meter_check(self) -> bool:
        """More kWh than the period before: worth a meter check when nothing new was plugged in."""
        return (self.kwh_delta or 0) > 0


@dataclass(frozen=True)
class DebtSummary:
    customer: CustomerView
    unpaid: tuple[BillView, ...]
    last_payment: PaymentView | None
    last_paid_period: Period | None

    @property
    def total(self) -> int:
        return sum(bill.total for bill in self.unpaid)


@dataclass(frozen=True)
class TariffView:
    tariff: tariff_rules.Tariff
    vat_percent: Decimal
    on: date
    previous: tariff_rules.Tariff | None = None  # the one it replaced, to say what changed
    next_vat: tariff_rules.VatRate | None = None  # a VAT rate decided for later (10 % from 01/01/2027)


class BillingService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        identity: IdentityService,
        today: Callable[[], date] = today_in_vietnam,
    ) -> None:
        self.uow = uow
        self.identity = identity
        self.today = today

    # --- personal: need a verified conversation -------------------------------------------

    def bill(self, conversation_id: str, code: str, period_text: str | None) -> BillLookup:
        self.require_verified(conversation_id, code)
        with self.uow() as repos:
            customer = self.customer_row(repos, code)
            newest = repos.bills.latest(customer.id, 1)
            latest = Period.from_key(newest[0].period) if newest else None
            requested = self.period_named(period_text, latest)
            bill = None
            if requested is not None and latest is not None and requested > latest:
                bill = _bill_view(newest[0])  # not issued yet: the latest bill instead
            elif requested is not None:
                row = newest[0] if newest and requested.key == newest[0].period else (
                    repos.bills.for_period(customer.id, requested.key)
                )
                bill = _bill_view(row) if row else None
            earliest = repos.bills.earliest_period(customer.id) if bill is None else None
            return BillLookup(
                customer=_customer_view(repos, customer),
                bill=bill,
                requested=requested,
                latest=latest,
                earliest=Period.from_key(earliest) if earliest else None,
                current=Period.of(self.today()),
            )

    def period_named(self, period_text: str | None, latest: Period | None) -> Period | None:
        """The period the customer's words name today; words that name none ("hôm qua") mean the latest bill."""
        return (parse_period(period_text, self.today(), latest) if period_text else None) or latest

    def consumption(self, conversation_id: str, code: str, months: int,
                    *, phone_only: bool = False) -> tuple[CustomerView, list[BillView]]:
        """Newest first, at most `months` bills. `phone_only`: for the phone verification of this conversation
        alone (identity.is_verified), never an account link, which is then neither accepted nor used."""
        if phone_only:
            if not self.identity.is_verified(conversation_id, code):
                raise NotVerified(code)
        else:
            self.require_verified(conversation_id, code)
        with self.uow() as repos:
            customer = self.customer_row(repos, code)
            return _customer_view(repos, customer), [_bill_view(b) for b in repos.bills.latest(customer.id, months)]

    def explain_increase(
        self, conversation_id: str, code: str, period_text: str | None, average_over: int = 6,
        against_text: str | None = None,
    ) -> IncreaseExplanation | None:
        """Compare a bill with the one before (or with the period `against_text` names: of two named, the
        later is compared with the earlier) and with the average of earlier months."""
        self.require_verified(conversation_id, code)
        with self.uow() as repos:
            customer = self.customer_row(repos, code)
            newest = repos.bills.latest(customer.id, 1)
            if not newest:
                return None
            latest = Period.from_key(newest[0].period)
            target = min(self.period_named(period_text, latest) or latest, latest)  # not issued yet: the latest
            against = min(self.period_named(against_text, latest) or latest, latest) if against_text else None
            if against is not None and against > target:
                target, against = against, target
            rows = repos.bills.up_to(customer.id, target.key, average_over + 1)
            if not rows or rows[0].period != target.key:
                return None
            current = _bill_view(rows[0])
            earlier = [_bill_view(row) for row in rows[1:]]
            previous = earlier[0] if earlier and earlier[0].period == target.shift(-1) else None
            if against is not None and against != target:
                row = repos.bills.for_period(customer.id, against.key)
                previous = _bill_view(row) if row else previous
            tariff = tariff_rules.in_force(repos.reference.tariffs(customer.tariff_group), current.period_end)
            extra = tariff_rules.marginal_tiers(previous.kwh, current.kwh, tariff) if previous else []
            average = round(sum(b.kwh for b in earlier) / len(earlier)) if earlier else None
            year_before = repos.bills.for_period(customer.id, target.shift(-12).key)
            return IncreaseExplanation(
                customer=_customer_view(repos, customer),
                current=current,
                previous=previous,
                average_kwh=average,
                months_in_average=len(earlier),
                extra_lines=tuple(extra),
                weeks=_weeks(repos, customer.id, current, previous),
                last_year=_bill_view(year_before) if year_before else None,
            )

    def debt(self, conversation_id: str, code: str) -> DebtSummary:
        self.require_verified(conversation_id, code)
        with self.uow() as repos:
            customer = self.customer_row(repos, code)
            unpaid = [_bill_view(b) for b in repos.bills.unpaid(customer.id)]
            last_payment, last_period = None, None
            for bill in repos.bills.latest(customer.id, 12):
                if bill.payments:
                    payment = bill.payments[-1]
                    last_payment = PaymentView(payment.amount, payment.channel, payment.paid_at, payment.reference)
                    last_period = Period.from_key(bill.period)
                    break
            return DebtSummary(_customer_view(repos, customer), tuple(unpaid), last_payment, last_period)

    def customer(self, conversation_id: str, code: str) -> CustomerView:
        self.require_verified(conversation_id, code)
        with self.uow() as repos:
            return _customer_view(repos, self.customer_row(repos, code))

    # --- public: no verification ----------------------------------------------------------

    def current_tariff(self, group: str = "residential") -> TariffView:
        on = self.today()
        with self.uow() as repos:
            tariffs = repos.reference.tariffs(group)
            if not tariffs:
                raise TariffNotCovered(group)
            tariff = tariff_rules.in_force(tariffs, on)
            rates = repos.reference.vat_rates()
            vat = tariff_rules.in_force(rates, on)
        earlier = [t for t in tariffs if t.effective_from < tariff.effective_from]
        previous = max(earlier, key=lambda t: t.effective_from) if earlier else None
        later = [rate for rate in rates if rate.effective_from > on and rate.percent != vat.percent]
        next_vat = min(later, key=lambda rate: rate.effective_from) if later else None
        return TariffView(tariff, vat.percent, on, previous, next_vat)

    def estimate(self, kwh: int, group: str = "residential") -> tuple[tariff_rules.BillAmount, date]:
        on = self.today()
        with self.uow() as repos:
            amount = tariff_rules.estimate(kwh, on, repos.reference.tariffs(group), repos.reference.vat_rates())
        return amount, on

    # --------------------------------------------------------------------------------------

    def require_verified(self, conversation_id: str, code: str) -> None:
        """NotVerified unless this conversation may see `code`'s account (verified here, or linked)."""
        if not self.identity.recognises(conversation_id, code):
            raise NotVerified(code)

    @staticmethod
    def customer_row(repos: UnitOfWork, code: str) -> Stored:
        customer = repos.customers.get_by_code(code)
        if customer is None:
            raise UnknownCustomer(code)
        return customer

    @staticmethod
    def customer_view(repos: UnitOfWork, customer: Stored) -> CustomerView:
        return _customer_view(repos, customer)


def _customer_view(repos: UnitOfWork, customer: Stored) -> CustomerView:
    company = repos.reference.power_company(customer.power_company)
    return CustomerView(
        code=customer.code,
        name=customer.name,
        masked_phone=mask_phone(customer.phone),
        masked_address=mask_address(customer.address),
        power_company=company.name if company else customer.power_company,
        hotline=company.hotline if company else "",
    )


# Columns a bill view takes from its row as they are.
_BILL_COLUMNS = ("period_start", "period_end", "old_reading", "new_reading", "kwh", "amount_before_vat",
                 "vat_amount", "total", "issued_on", "due_date", "status")


def _bill_view(bill: Stored) -> BillView:
    return BillView(
        period=Period.from_key(bill.period),
        vat_percent=Decimal(str(bill.vat_percent)),
        lines=tuple(tariff_rules.TierLine(int(t), int(k), int(p)) for t, k, p in bill.tier_breakdown),
        payments=tuple(PaymentView(p.amount, p.channel, p.paid_at, p.reference) for p in bill.payments),
        **{column: getattr(bill, column) for column in _BILL_COLUMNS},
    )


def _weeks(repos: UnitOfWork, customer_id: int, current: BillView,
           previous: BillView | None) -> tuple[consumption.WeekChange, ...]:
    """The two periods' weeks from the daily readings (none when the meter is not read every day)."""
    meter = repos.meter_data.meter_of(customer_id)
    if meter is None or previous is None:
        return ()
    registers = [(day, register) for day, register, _ in repos.meter_data.days(
        meter, previous.period_start - timedelta(days=1), current.period_end)]
    uses = consumption.day_uses(registers, None, previous.period_start)
    before = [use for use in uses if previous.period_start <= use.day <= previous.period_end]
    now = [use for use in uses if current.period_start <= use.day <= current.period_end]
    return tuple(consumption.weeks_compared(now, before))
