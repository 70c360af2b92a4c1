"""Billing self-service: bill of a period, consumption, why it rose, debt, tariff, estimate."""
from __future__ import annotations

from typing import Any, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.formatting import bill_status, tariff_lines, tier_lines
from actions.runtime import services
from actions.verified_questions import Question, answers, refused_impossible_period
from evn.domain.money import format_date, format_kwh, format_percent, format_vnd, group_thousands
from evn.domain.payment_channels import channel_name
from evn.domain.periods import parse_month_count
from evn.domain.quantities import MAX_KWH, kwh_problem, parse_kwh
from evn.domain.time import to_vietnam
from evn.services.clock import today_in_vietnam

HISTORY_DEFAULT = 6


@answers("ask_bill")
def answer_bill(q: Question) -> list[dict[str, Any]]:
    if refused_impossible_period(q):
        return []
    found = services().billing.bill(q.conversation_id, q.customer_code, q.request.period_text)
    bill = found.bill
    if found.latest is None:
        q.dispatcher.utter_message(response="utter_no_bills", code=q.customer_code)
    elif bill is None:
        q.dispatcher.utter_message(
            response="utter_bill_not_found", code=q.customer_code, period=str(found.requested),
            earliest=str(found.earliest), latest=str(found.latest),
        )
    else:
        q.dispatcher.utter_message(
            response="utter_bill", code=q.customer_code, name=found.customer.name,
            masked_address=found.customer.masked_address, period=str(bill.period),
            start=format_date(bill.period_start), end=format_date(bill.period_end),
            old_reading=group_thousands(bill.old_reading),
            new_reading=group_thousands(bill.new_reading), kwh=format_kwh(bill.kwh),
            before_vat=format_vnd(bill.amount_before_vat), vat_percent=format_percent(bill.vat_percent),
            vat=format_vnd(bill.vat_amount), total=format_vnd(bill.total), status=bill_status(bill),
        )
    return []


@answers("ask_consumption")
def answer_consumption(q: Question) -> list[dict[str, Any]]:
    months = parse_month_count(q.request.text, default=HISTORY_DEFAULT)
    _, bills = services().billing.consumption(q.conversation_id, q.customer_code, months)
    if not bills:
        q.dispatcher.utter_message(response="utter_no_bills", code=q.customer_code)
        return []
    lines = "\n".join(
        f"- Kỳ {b.period}: {format_kwh(b.kwh)} (chỉ số {group_thousands(b.old_reading)} → {group_thousands(b.new_reading)})"
        for b in bills
    )
    average = round(sum(b.kwh for b in bills) / len(bills))
    q.dispatcher.utter_message(
        response="utter_consumption", count=len(bills), code=q.customer_code, lines=lines,
        average=format_kwh(average),
    )
    return []


@answers("ask_bill_increase")
def answer_bill_increase(q: Question) -> list[dict[str, Any]]:
    if refused_impossible_period(q):
        return []
    found = services().billing.explain_increase(q.conversation_id, q.customer_code, q.request.period_text)
    if found is None:
        q.dispatcher.utter_message(response="utter_no_bills", code=q.customer_code)
        return []
    current, previous = found.current, found.previous
    parts = [f"Dạ, kỳ {current.period} nhà mình dùng {format_kwh(current.kwh)}, tiền điện {format_vnd(current.total)}."]
    if previous is None:
        parts.append("Em chưa có hóa đơn kỳ liền trước để so sánh ạ.")
    else:
        delta = current.kwh - previous.kwh
        if delta > 0:
            percent = f" (+{round(delta * 100 / previous.kwh)}%)" if previous.kwh else ""
            parts.append(
                f"So với kỳ {previous.period} ({format_kwh(previous.kwh)}, {format_vnd(previous.total)}), "
                f"sản lượng tăng {format_kwh(delta)}{percent}, tiền điện tăng {format_vnd(current.total - previous.total)}."
            )
        else:
            parts.append(
                f"So với kỳ {previous.period} ({format_kwh(previous.kwh)}, {format_vnd(previous.total)}), "
                f"sản lượng không tăng ({'giảm ' + format_kwh(-delta) if delta else 'bằng nhau'})."
            )
    if found.average_kwh is not None:
        comparison = "cao hơn" if current.kwh > found.average_kwh else "không cao hơn"
        parts.append(
            f"Mức này {comparison} trung bình {found.months_in_average} kỳ trước đó ({format_kwh(found.average_kwh)}/tháng)."
        )
    if found.extra_lines:
        parts.append(
            "Vì giá điện tính theo bậc thang, phần điện dùng thêm rơi vào các bậc giá cao hơn:\n"
            + tier_lines(found.extra_lines)
        )
    days_now = (current.period_end - current.period_start).days + 1
    if previous is not None:
        days_before = (previous.period_end - previous.period_start).days + 1
        if days_now != days_before:
            parts.append(f"Kỳ này có {days_now} ngày, kỳ trước {days_before} ngày.")
    if previous is not None and current.kwh > previous.kwh:
        parts.append(
            "Nếu nhà mình không dùng thêm thiết bị (máy lạnh, bình nóng lạnh…), anh/chị có thể yêu cầu kiểm tra công tơ ạ."
        )
    q.dispatcher.utter_message(response="utter_bill_increase", text="\n".join(parts))
    return []


@answers("ask_payment_status")
def answer_payment_status(q: Question) -> list[dict[str, Any]]:
    debt = services().billing.debt(q.conversation_id, q.customer_code)
    today = today_in_vietnam()
    if debt.unpaid:
        rows = "\n".join(
            f"- Kỳ {b.period}: {format_vnd(b.total)}, hạn {format_date(b.due_date)}"
            + (" (đã quá hạn)" if b.due_date < today else "")
            for b in debt.unpaid
        )
        text = (
            f"Dạ, mã {q.customer_code} còn {len(debt.unpaid)} hóa đơn chưa thanh toán:\n{rows}\n"
            f"Tổng cộng: {format_vnd(debt.total)}."
        )
    else:
        text = f"Dạ, mã {q.customer_code} hiện không còn nợ tiền điện ạ."
    if debt.last_payment is not None:
        payment = debt.last_payment
        text += (
            f"\nLần thanh toán gần nhất: {format_vnd(payment.amount)} cho kỳ {debt.last_paid_period} "
            f"qua {channel_name(payment.channel)} ngày {format_date(to_vietnam(payment.paid_at))}."
        )
    q.dispatcher.utter_message(response="utter_payment_status", text=text)
    return []


class ActionShowTariff(Action):
    def name(self) -> Text:
        return "action_show_tariff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        view = services().billing.current_tariff()
        dispatcher.utter_message(
            response="utter_tariff", decision=view.tariff.decision, since=format_date(view.tariff.effective_from),
            lines=tariff_lines(view.tariff), vat_percent=format_percent(view.vat_percent),
        )
        return []


class ValidateEstimateForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_estimate_form"

    async def extract_kwh(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        # A bare number answers "how many kWh?" even without a unit; an impossible one
        # ("-300", "1e308") is taken too, so validate_kwh can say what is wrong with it.
        text = tracker.latest_message.get("text") or ""
        if kwh_problem(text) or (tracker.get_slot("requested_slot") == "kwh" and parse_kwh(text)):
            return {"kwh": text}
        return {}

    def validate_kwh(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        text = str(value or "")
        problem = kwh_problem(text) or kwh_problem(tracker.latest_message.get("text") or "")
        if problem:
            dispatcher.utter_message(response=f"utter_kwh_{problem}")
            return {"kwh": None}
        kwh = parse_kwh(text)
        if kwh is None or kwh > MAX_KWH:
            dispatcher.utter_message(response="utter_invalid_kwh")
            return {"kwh": None}
        return {"kwh": str(kwh)}


class ActionEstimateBill(Action):
    def name(self) -> Text:
        return "action_estimate_bill"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        kwh = parse_kwh(tracker.get_slot("kwh") or "")
        if kwh is None:
            dispatcher.utter_message(response="utter_invalid_kwh")
            return [SlotSet("kwh", None)]
        amount, _ = services().billing.estimate(kwh)
        dispatcher.utter_message(
            response="utter_estimate", kwh=format_kwh(kwh), lines=tier_lines(amount.lines) or "- 0 kWh: 0 đ",
            before_vat=format_vnd(amount.amount_before_vat), vat_percent=format_percent(amount.vat_percent),
            vat=format_vnd(amount.vat), total=format_vnd(amount.total),
        )
        # Forget it so the next estimate asks again unless a number is given.
        return [SlotSet("kwh", None)]
