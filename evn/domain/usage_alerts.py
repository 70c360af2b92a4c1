"""Usage alerts: a level the customer sets on the running period's use, and when the forecast crosses it.

Three kinds of level, as customers say them: kWh ("báo khi vượt 300 số"), a share above the period
before ("tăng hơn 30 % thì báo"), an amount with VAT ("quá 1 triệu thì nhắn em"). Each becomes a kWh
threshold for a period, so one comparison decides them all: the kWh expected at the period's end (the
days left at the mean of the last RATE_DAYS days, as evn.domain.consumption forecasts) above the
threshold. An alert goes out once per level and period: the notice's subject names both.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from evn.domain import linear_regex
from evn.domain.periods import Period
from evn.domain.tariff import Tariff, VatRate, compute_bill

MIN_DAYS_READ = 7  # a forecast from fewer days of the period is not worth a warning (the use so far may be)
MAX_ACTIVE = 10  # alerts a customer keeps at once


class AlertKind(str, Enum):
    KWH = "kwh"
    PERCENT = "percent"  # above the period before
    AMOUNT = "amount"  # the bill with VAT, in đồng


# Levels that make sense: a household's month, a rise, a bill (above these, a typo or a joke).
BOUNDS: dict[AlertKind, tuple[int, int]] = {
    AlertKind.KWH: (10, 20_000),
    AlertKind.PERCENT: (5, 500),
    AlertKind.AMOUNT: (50_000, 100_000_000),
}


@dataclass(frozen=True, order=True)
class AlertLevel:
    kind: AlertKind
    value: int

    @property
    def problem(self) -> str | None:
        """"too_low" / "too_high" when the level makes no sense, else None."""
        low, high = BOUNDS[self.kind]
        return "too_low" if self.value < low else "too_high" if self.value > high else None


def threshold_kwh(level: AlertLevel, previous_kwh: int | None, kwh_above: Callable[[int], int]) -> int | None:
    """The kWh a period's forecast must exceed to cross `level`; None when it cannot be judged (a share of a
    period before that is unknown). `kwh_above(amount)`: the least kWh whose bill is above the amount, minus 1."""
    if level.kind is AlertKind.KWH:
        return level.value
    if level.kind is AlertKind.PERCENT:
        if not previous_kwh:
            return None
        return int((Decimal(previous_kwh) * (100 + level.value) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return kwh_above(level.value)


def least_kwh_above(amount: int, total_of: Callable[[int], int], ceiling: int = 1_000_000) -> int:
    """The kWh threshold of an amount: the largest kWh whose bill (`total_of`, rising with kWh) is not above it."""
    low, high = 0, ceiling
    while low < high:  # the least kWh whose total is above the amount
        middle = (low + high) // 2
        if total_of(middle) > amount:
            high = middle
        else:
            low = middle + 1
    return low - 1


def amount_threshold(amount: int, first: date, last: date, tariffs: Sequence[Tariff],
                     vat_rates: Sequence[VatRate]) -> int:
    """An amount with VAT as kWh for the period `first`–`last`: the largest kWh whose bill is not above it."""
    return least_kwh_above(amount, lambda kwh: compute_bill(kwh, first, last, tariffs, vat_rates).total)


def expected_kwh(so_far: int, rate: Decimal, days_left: int) -> int:
    """The period's kWh at its end if the days left go at `rate` (rounded half up, as the chat's forecast)."""
    return so_far + int((rate * days_left).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def mean_rate(kwh: int, days: int) -> Decimal:
    """kWh a day over `days`, to one decimal (as evn.domain.consumption's mean)."""
    return (Decimal(kwh) / days).quantize(Decimal("0.1"))


_SUBJECT = linear_regex.compile(r"([A-Z0-9]{13}):(kwh|percent|amount):([0-9]{1,10}):([0-9]{6})")


def subject(code: str, level: AlertLevel, period: Period) -> str:
    """The notice's subject: once per customer, level and period, whatever alert row carried it."""
    return f"{code}:{level.kind.value}:{level.value}:{period.key}"


def read_subject(text: str) -> tuple[str, AlertLevel, Period] | None:
    found = _SUBJECT.fullmatch(text or "")
    if found is None:
        return None
    code, kind, value, key = found.groups()
    try:
        return code, AlertLevel(AlertKind(kind), int(value)), Period.from_key(int(key))
    except ValueError:
        return None
