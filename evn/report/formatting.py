"""How the report writes numbers: 69,85 %, 1.234.567 đ, 2,5 ngày; "—" where there is nothing to divide."""
from __future__ import annotations

from evn.domain.formats import format_vnd, group_thousands

NO_DATA = "—"


def percent(value: float | None, digits: int = 2) -> str:
    if value is None:
        return NO_DATA
    return f"{value * 100:.{digits}f}".replace(".", ",") + " %"


def number(value: int | None) -> str:
    return NO_DATA if value is None else group_thousands(value)


def money(value: int | None) -> str:
    return NO_DATA if value is None else format_vnd(value)


def decimal(value: float | None, unit: str, digits: int = 1) -> str:
    if value is None:
        return NO_DATA
    return f"{value:.{digits}f}".replace(".", ",") + f" {unit}"
