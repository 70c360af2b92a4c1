"""Vietnamese wording shared by several answers (tier lines, bill status)."""
from __future__ import annotations

from typing import Iterable

from evn.domain.money import format_date, format_kwh, format_vnd
from evn.domain.payment_channels import channel_name
from evn.domain.tariff import Tariff, TierLine
from evn.services.billing import BillView
from evn.domain.time import to_vietnam
from evn.services.clock import today_in_vietnam


def tier_lines(lines: Iterable[TierLine]) -> str:
    return "\n".join(
        f"- Bậc {line.tier}: {format_kwh(line.kwh)} × {format_vnd(line.price)} = {format_vnd(line.amount)}"
        for line in lines
    )


def tariff_lines(tariff: Tariff) -> str:
    rows, lower = [], 0
    for tier in tariff.tiers:
        span = f"từ {lower + 1} kWh trở lên" if tier.upper_kwh is None else f"{lower + 1 if lower else 0}–{tier.upper_kwh} kWh"
        rows.append(f"- Bậc {tier.number} ({span}): {format_vnd(tier.price)}/kWh")
        lower = tier.upper_kwh or lower
    return "\n".join(rows)


def bill_status(bill: BillView) -> str:
    if bill.paid and bill.payments:
        payment = bill.payments[-1]
        return (
            f"Trạng thái: đã thanh toán ngày {format_date(to_vietnam(payment.paid_at))} "
            f"qua {channel_name(payment.channel)}."
        )
    overdue = " (đã quá hạn)" if bill.due_date < today_in_vietnam() else ""
    return f"Trạng thái: CHƯA THANH TOÁN, hạn thanh toán {format_date(bill.due_date)}{overdue}."

