"""Vietnamese display formats: 1.234.567 đ, 350 kWh, dd/mm/yyyy."""
from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal


def group_thousands(value: int) -> str:
    """Vietnamese groups thousands with dots: 979560 -> 979.560."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def format_register(value: int) -> str:
    """A meter's register as its face shows it, digits only (15218): customers read it off the meter to compare."""
    return str(int(value))


def format_vnd(amount: int) -> str:
    return f"{group_thousands(amount)} đ"


def format_kwh(kwh: int) -> str:
    return f"{group_thousands(kwh)} kWh"


def format_date(day: date | datetime) -> str:
    return day.strftime("%d/%m/%Y")


def format_datetime(moment: datetime) -> str:
    return moment.strftime("%H:%M %d/%m/%Y")


def format_percent(rate: Decimal) -> str:
    """8 -> '8%', 7.5 -> '7,5%' (Vietnamese decimal comma)."""
    text = f"{rate.normalize():f}"
    return text.replace(".", ",") + "%"


def round_vnd(value: Decimal) -> int:
    """Money is whole đồng, rounded half up as on EVN bills."""
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
