"""Billing self-service: bill of a period, consumption, why it rose, debt, tariff, estimate.

The core decides (evn.services.billing); these actions choose the response and fill it.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import against_the_shown, compared_before, hear_complaint, periods_shown_lately
from actions.forms import AnswerForm
from actions.phrases import lines, phrase
from actions.reading_days import answer_reading_day
from actions.runtime import services
from actions.verified_questions import Handler, Question, answers, refused_impossible_period
from evn import reference
from evn.domain.consumption import RATE_DAYS
from evn.domain.formats import format_date, format_kwh, format_percent, format_register, format_vnd, round_vnd
from evn.domain.language import payment_words, tariff_words
from evn.domain.language.follow_ups import asks_a_sum
from evn.domain.language.message_values import PERIOD_NAMED, find_values
from evn.domain.language.payment_channels import channel_name
from evn.domain.language.quantities import MAX_KWH, kwh_problem, multiplier, parse_kwh
from evn.domain.language.usage_words import asks_several_periods, asks_the_period_so_far
from evn.domain.periods import Period, asks_this_year, month_count, parse_month_count
from evn.domain.signing.chart_links import ChartKind
from evn.domain.tariff import Tariff, TierLine
from evn.domain.time import to_vietnam
from evn.services.billing import BillView, TariffView
from evn.services.errors import TariffNotCovered

HISTORY_DEFAULT = 6
CHART_PERIODS = 12  # the periods side by side when asked to compare them: what their chart shows


def tier_rows(tier_lines: tuple[TierLine, ...] | list[TierLine]) -> list[dict[str, Any]]:
    return [{"tier": line.tier, "kwh": format_kwh(line.kwh), "price": format_vnd(line.price),
             "amount": format_vnd(line.amount)} for line in tier_lines]


def tariff_rows(domain: DomainDict, tariff: Tariff) -> list[dict[str, Any]]:
    rows, lower = [], 0
    for tier in tariff.tiers:
        span = (phrase(domain, "utter_part_span_open", low=lower + 1) if tier.upper_kwh is None
                else phrase(domain, "utter_part_span", low=lower + 1 if lower else 0, high=tier.upper_kwh))
        rows.append({"tier": tier.number, "span": span, "price": format_vnd(tier.price)})
        lower = tier.upper_kwh or lower
    return rows


def bill_status(domain: DomainDict, bill: BillView) -> str:
    payment = bill.last_payment
    if bill.paid and payment is not None:
        return phrase(domain, "utter_part_bill_paid", date=format_date(to_vietnam(payment.paid_at)),
                      channel=channel_name(payment.channel))
    name = "utter_part_bill_overdue" if bill.is_overdue(services().billing.today()) else "utter_part_bill_unpaid"
    return phrase(domain, name, due=format_date(bill.due_date))


def latest_notice(domain: DomainDict, bill: BillView) -> str:
    """Said first when the latest bill stands in for one not issued yet: unpaid or overdue, prominently."""
    if bill.paid:
        return ""
    name = "utter_part_latest_overdue" if bill.is_overdue(services().billing.today()) else "utter_part_latest_unpaid"
    return phrase(domain, name, due=format_date(bill.due_date))


def for_each_period(q: Question, answer: Handler) -> list[dict[str, Any]] | None:
    """Several periods in one message ("tháng 8 và tháng 9", "tháng 5 6 7"): each answered in the order named;
    None for one period or none."""
    if len(q.request.periods) < 2:
        return None
    events: list[dict[str, Any]] = []
    for period in q.request.periods:
        events += answer(replace(q, request=replace(q.request, period_text=period, periods=(period,))))
    return events


def several_bills_asked(q: Question) -> tuple[int, bool] | None:
    """(how many of the latest bills, this calendar year only) when the question is about several bills at once:
    "cả năm nay", "từ đầu năm tới giờ", "3 tháng gần nhất"; None for one bill."""
    if any(asks_this_year(text) for text in q.request.said_since[:1] + (q.request.text,)):
        return 12, True
    count = month_count(q.request.text)
    return (min(count, 12), False) if count and count > 1 and not q.request.period_text else None


def answer_bills_summary(q: Question, count: int, this_year: bool) -> list[dict[str, Any]]:
    """Several bills at once, each with its kWh, amount and whether it is paid, and what they add up to
    (what "cộng lại hết bao nhiêu" asks next)."""
    _, bills = services().billing.consumption(q.conversation_id, q.customer_code, count)
    if this_year:
        bills = [b for b in bills if b.period.year == services().today().year]
    if not bills:
        q.dispatcher.utter_message(response="utter_no_bills", code=q.customer_code)
        return []
    say_bills(q, "utter_bills_summary", bills)
    return []


def say_bills(q: Question, response: str, bills: list[BillView]) -> None:
    """Several bills, each with its kWh, amount and whether it is paid, and what they add up to."""
    rows = [{"period": str(b.period), "kwh": format_kwh(b.kwh), "total": format_vnd(b.total),
             "paid": phrase(q.domain, "utter_part_paid" if b.paid else "utter_part_unpaid")} for b in bills]
    q.dispatcher.utter_message(
        response=response, count=len(bills), code=q.customer_code,
        lines=lines(q.domain, "utter_line_bill_summary", rows),
        total_kwh=format_kwh(sum(b.kwh for b in bills)), total=format_vnd(sum(b.total for b in bills)),
    )


def answer_sum_of_shown(q: Question) -> list[dict[str, Any]] | None:
    """"cộng lại" (named no period) after several bills were shown one by one: those bills and their sum."""
    latest = q.request.said_since[0] if q.request.said_since else q.request.text
    if not asks_a_sum(latest) or any(v.kind == PERIOD_NAMED for v in find_values(latest)):
        return None
    shown = periods_shown_lately(q.tracker)
    if len(shown) < 2:
        return None
    bills = [found.bill for found in (services().billing.bill(q.conversation_id, q.customer_code, period)
                                      for period in shown) if found.bill is not None]
    say_bills(q, "utter_bills_sum", bills)
    return []


@answers("ask_bill")
def answer_bill(q: Question) -> list[dict[str, Any]]:
    if refused_impossible_period(q):
        return []
    reading = answer_reading_day(q)  # "khi nào có hóa đơn tháng 11": when the meter is read and the bill comes
    if reading is None and asks_the_period_so_far(q.request.text):  # "ngày nào xài nhiều nhất" read as a bill
        reading = answer_usage_so_far(q)
    if reading is not None:
        return reading
    several = for_each_period(q, answer_bill)
    if several is not None:
        return several
    summary = several_bills_asked(q)
    if summary is not None:
        return answer_bills_summary(q, *summary)
    found = services().billing.bill(q.conversation_id, q.customer_code, q.request.period_text)
    bill = found.bill
    if found.not_over_yet and found.requested is not None:  # the period running: as read so far, with its forecast
        usage = answer_usage_so_far(q, exact=found.requested)
        if usage is not None:
            return usage
    if found.latest is None:
        q.dispatcher.utter_message(response="utter_no_bills", code=q.customer_code)
    elif bill is None:
        q.dispatcher.utter_message(
            response="utter_bill_not_found", code=q.customer_code, period=str(found.requested),
            earliest=str(found.earliest), latest=str(found.latest),
        )
    else:
        if found.not_issued_yet:
            q.dispatcher.utter_message(
                response="utter_bill_not_over" if found.not_over_yet else "utter_bill_not_issued",
                code=q.customer_code, period=str(found.requested), issued_in=str(found.issued_in),
                latest=str(found.latest), notice=latest_notice(q.domain, bill),
            )
        q.dispatcher.utter_message(
            response="utter_bill", code=q.customer_code, name=found.customer.name,
            masked_address=found.customer.masked_address, period=str(bill.period),
            start=format_date(bill.period_start), end=format_date(bill.period_end),
            old_reading=format_register(bill.old_reading),
            new_reading=format_register(bill.new_reading), kwh=format_kwh(bill.kwh),
            before_vat=format_vnd(bill.amount_before_vat), vat_percent=format_percent(bill.vat_percent),
            vat=format_vnd(bill.vat_amount), total=format_vnd(bill.total), status=bill_status(q.domain, bill),
        )
        return [SlotSet("last_period", str(bill.period))]  # what "tháng đó", "đóng chưa" speak of next
    return []


def answer_usage_so_far(q: Question, exact: Period | None = None) -> list[dict[str, Any]] | None:
    """A period not billed yet, of a meter read every day: its days so far and the bill it heads for; None when
    that is not what can be said. `exact`: that period only, once some of its days are read (a bill asked of the
    period running), never the period before in its place."""
    today = services().today()
    this_period = Period.of(today)
    named_now = PERIOD_NAMED in {value.kind for value in find_values(q.request.text)}
    if exact is not None:
        asked: Period | None = exact
    elif not named_now and asks_the_period_so_far(q.request.text):  # "ngày nào xài nhiều nhất", after any bill
        asked = this_period
    elif q.request.period_text:
        asked = services().billing.period_named(q.request.period_text, None)
    else:
        return None
    if asked is None or not this_period.shift(-1) <= asked <= this_period:
        return None
    view = services().usage.so_far(q.conversation_id, q.customer_code, None if asked == this_period else asked)
    if view is None or view.billed or view.forecast is None or (exact is not None and view.period != exact):
        return None
    so_far, forecast = view.so_far, view.forecast
    top = ", ".join(phrase(q.domain, "utter_part_usage_day", day=use.day.strftime("%d/%m"),
                           kwh=format_kwh(use.kwh or 0)) for use in so_far.top)
    compared = ""
    if view.previous_same_days:
        change = so_far.kwh - view.previous_same_days
        name = ("utter_part_usage_more" if change > 0 else "utter_part_usage_less" if change < 0
                else "utter_part_usage_same")
        compared = phrase(q.domain, name, days=so_far.days, previous=str(view.period.shift(-1)),
                          previous_kwh=format_kwh(view.previous_same_days),
                          percent=format_percent(Decimal(round(abs(change) * 100 / view.previous_same_days))))
    shown = {"period": str(view.period), "first": format_date(so_far.first), "last": format_date(so_far.last),
             "code": q.customer_code, "days": so_far.days, "kwh": format_kwh(so_far.kwh),
             "average": _decimal_kwh(so_far.average), "top": top, "compared": compared}
    priced = {"total": format_vnd(forecast.bill.total), "vat_percent": format_percent(forecast.bill.vat_percent),
              "tier": forecast.tier, "issued": format_date(so_far.last + timedelta(days=1))}
    if so_far.days_left == 0:
        q.dispatcher.utter_message(response="utter_usage_read_in_full", **shown, **priced)
    else:
        q.dispatcher.utter_message(response="utter_usage_so_far", **shown, read_to=format_date(so_far.read_to or today))
        q.dispatcher.utter_message(
            response="utter_usage_forecast", days_left=so_far.days_left, rate=_decimal_kwh(forecast.rate),
            rate_days=RATE_DAYS,
            kwh=format_kwh(forecast.kwh), low_kwh=format_kwh(forecast.low_kwh), high_kwh=format_kwh(forecast.high_kwh),
            low_total=format_vnd(forecast.low_total), high_total=format_vnd(forecast.high_total),
            last=format_date(so_far.last), **priced)
    send_chart(q, ChartKind.DAYS, view.period)
    return [SlotSet("last_period", str(view.period))]  # "trung bình mỗi ngày", "cuối tháng hết bao nhiêu": this one


def send_chart(q: Question, kind: ChartKind, period: Period) -> None:
    """The chart as an image, after its text: a channel or a customer without images has the text already."""
    q.dispatcher.utter_message(image=services().usage.chart_link(q.conversation_id, q.customer_code, kind, period))


def _decimal_kwh(value: Decimal) -> str:
    return f"{value:f}".replace(".", ",") + " kWh"


@answers("ask_consumption")
def answer_consumption(q: Question) -> list[dict[str, Any]]:
    usage = answer_reading_day(q)
    several = asks_several_periods(q.request.text)  # "so sánh các tháng", "biểu đồ mấy tháng nay"
    if usage is None and not several:
        usage = answer_usage_so_far(q)
    if usage is not None:
        return usage
    if any(asks_this_year(text) for text in q.request.said_since[:1] + (q.request.text,)):
        return answer_bills_summary(q, 12, this_year=True)  # "từ đầu năm tới giờ": the year's kWh and money
    if q.request.period_text and month_count(q.request.text) is None and not several:
        return answer_bill(q)  # "tháng 8 xài bao nhiêu ký" (or "tháng 5 6 7"): those periods' bills, with their kWh
    months = parse_month_count(q.request.text, default=CHART_PERIODS if several else HISTORY_DEFAULT)
    _, bills = services().billing.consumption(q.conversation_id, q.customer_code, months)
    if not bills:
        q.dispatcher.utter_message(response="utter_no_bills", code=q.customer_code)
        return []
    rows = [{"period": str(b.period), "kwh": format_kwh(b.kwh), "old": format_register(b.old_reading),
             "new": format_register(b.new_reading)} for b in bills]
    average = round(sum(b.kwh for b in bills) / len(bills))
    q.dispatcher.utter_message(
        response="utter_consumption", count=len(bills), code=q.customer_code,
        lines=lines(q.domain, "utter_line_consumption", rows), average=format_kwh(average),
    )
    if len(bills) > 1:
        send_chart(q, ChartKind.PERIODS, Period.of(services().today()))
    return []


@answers("ask_bill_increase")
def answer_bill_increase(q: Question) -> list[dict[str, Any]]:
    if refused_impossible_period(q):
        return []
    # "sao tháng 8 nhiều hơn tháng 7": the two months named, not the one before the last named
    earlier = compared_before(q.tracker) if not q.request.period_text else []  # "chênh nhau nhiêu": those again
    named = q.request.periods[-2:] if len(q.request.periods) >= 2 else (
        against_the_shown(q.tracker, q.request) or (tuple(earlier[-2:]) if len(earlier) >= 2 else None)
        or (q.request.period_text, None))
    found = services().billing.explain_increase(q.conversation_id, q.customer_code, named[0], against_text=named[1])
    if found is None:
        q.dispatcher.utter_message(response="utter_no_bills", code=q.customer_code)
        return []
    current, previous, say = found.current, found.previous, q.dispatcher.utter_message
    now = {"period": str(current.period), "kwh": format_kwh(current.kwh), "total": format_vnd(current.total)}
    if previous is None:
        say(response="utter_increase_no_previous", **now)
    else:
        before = {"previous": str(previous.period), "previous_kwh": format_kwh(previous.kwh),
                  "previous_total": format_vnd(previous.total)}
        delta = found.kwh_delta or 0
        if delta > 0:
            percent = phrase(q.domain, "utter_part_percent", percent=found.percent_more) if found.percent_more else ""
            say(response="utter_increase_more", **now, **before, delta_kwh=format_kwh(delta), percent=percent,
                delta_total=format_vnd(found.amount_delta or 0))
        elif delta < 0:
            money = found.amount_delta or 0
            change = phrase(q.domain, "utter_part_money_less" if money <= 0 else "utter_part_money_more",
                            amount=format_vnd(abs(money)))
            say(response="utter_increase_less", **now, **before, delta_kwh=format_kwh(-delta), money_change=change)
        else:
            say(response="utter_increase_same", **now, **before)
    if found.above_average is not None:
        say(response="utter_increase_above_average" if found.above_average else "utter_increase_within_average",
            months=found.months_in_average, average=format_kwh(found.average_kwh or 0))
    if found.extra_lines:
        say(response="utter_increase_tiers", lines=lines(q.domain, "utter_line_tier", tier_rows(found.extra_lines)))
    if found.period_lengths_differ and previous is not None:
        say(response="utter_increase_days", days_now=current.days, days_before=previous.days)
    rose = sorted((week for week in found.weeks if week.delta > 0), key=lambda week: (-week.delta, week.first))[:2]
    if rose and previous is not None:
        rows = [{"first": week.first.strftime("%d/%m"), "last": week.last.strftime("%d/%m"),
                 "kwh": format_kwh(week.kwh), "before": format_kwh(week.before), "delta": format_kwh(week.delta)}
                for week in rose]
        say(response="utter_increase_weeks", previous=str(previous.period),
            lines=lines(q.domain, "utter_line_week_rose", rows))
    if found.last_year is not None:
        yearly = current.kwh - found.last_year.kwh
        say(response="utter_increase_last_year", period=str(found.last_year.period),
            kwh=format_kwh(found.last_year.kwh), change=phrase(
                q.domain, "utter_part_more" if yearly > 0 else "utter_part_less" if yearly < 0 else "utter_part_same",
                kwh=format_kwh(abs(yearly))))
    if found.advise_meter_check:
        say(response="utter_increase_advice")
    return []


def asked_period(q: Question) -> str | None:
    """The period a question is about: named since it was asked, else, for a question about one bill's payment
    ("tháng đó đóng chưa", "trả rồi phải không"), the period of the bill just shown (the frame)."""
    if q.request.period_text:
        return q.request.period_text
    if payment_words.asks_if_a_bill_is_paid(q.request.text):
        shown = q.tracker.get_slot("last_period")
        return f"{shown}" if shown else None
    return None


def answer_period_payment(q: Question, period_text: str) -> list[dict[str, Any]]:
    """Whether one bill is paid: its amount and status, said of that bill (not the latest)."""
    found = services().billing.bill(q.conversation_id, q.customer_code, period_text)
    if found.bill is None or found.not_issued_yet:
        return answer_bill(q)
    bill = found.bill
    due_was = phrase(q.domain, "utter_part_due_was", due=format_date(bill.due_date)) if bill.paid else ""
    q.dispatcher.utter_message(response="utter_period_payment_status", period=str(bill.period), code=q.customer_code,
                               total=format_vnd(bill.total), due_was=due_was, status=bill_status(q.domain, bill))
    return [SlotSet("last_period", str(bill.period))]


@answers("ask_payment_status")
def answer_payment_status(q: Question) -> list[dict[str, Any]]:
    period_text = asked_period(q)
    if period_text:
        return answer_period_payment(q, period_text)
    debt = services().billing.debt(q.conversation_id, q.customer_code)
    today = services().billing.today()
    if debt.unpaid:
        rows = [{"period": str(b.period), "amount": format_vnd(b.total), "due": format_date(b.due_date),
                 "overdue": phrase(q.domain, "utter_part_overdue") if b.is_overdue(today) else ""}
                for b in debt.unpaid]
        q.dispatcher.utter_message(
            response="utter_payment_status_debt", code=q.customer_code, count=len(debt.unpaid),
            lines=lines(q.domain, "utter_line_unpaid_bill", rows), total=format_vnd(debt.total),
        )
    else:
        q.dispatcher.utter_message(response="utter_payment_status_clear", code=q.customer_code)
    if debt.last_payment is not None:
        payment = debt.last_payment
        q.dispatcher.utter_message(
            response="utter_last_payment", amount=format_vnd(payment.amount), period=str(debt.last_paid_period),
            channel=channel_name(payment.channel), date=format_date(to_vietnam(payment.paid_at)),
        )
    if debt.unpaid and payment_words.says_already_paid(q.request.text):
        q.dispatcher.utter_message(response="utter_paid_but_still_due")  # what may be behind it, and what to do
    return []


class ActionShowTariff(Action):
    """The tariff question as asked: one tier, tax included or not, what changed, or the whole table;
    a customer group the data does not cover is said to be not covered, never priced by guess."""

    def name(self) -> str:
        return "action_show_tariff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        hear_complaint(dispatcher, tracker)
        text = tracker.latest_message.get("text") or ""
        group = tariff_words.asked_group(text) or tariff_words.RESIDENTIAL
        try:
            view = services().billing.current_tariff(group)
        except TariffNotCovered:
            dispatcher.utter_message(response="utter_tariff_not_covered",
                                     group=phrase(domain, f"utter_part_group_{group}"),
                                     hotline=reference.general_hotlines())
            return []
        tariff, vat = view.tariff, format_percent(view.vat_percent)
        vat_next = phrase(domain, "utter_part_vat_next", day=format_date(view.next_vat.effective_from),
                          percent=format_percent(view.next_vat.percent)) if view.next_vat else ""
        dated = {"decision": tariff.decision, "since": format_date(tariff.effective_from), "vat_percent": vat,
                 "vat_next": vat_next}  # "8% (từ 01/01/2027 là 10%)": a January bill is not a surprise
        rows = {row["tier"]: row for row in tariff_rows(domain, tariff)}
        tier = tariff_words.asked_tier(text, len(tariff.tiers))
        if tariff_words.asks_change(text):
            self.tell_change(dispatcher, domain, view, dated)
        elif tier is not None:
            price = tariff.tiers[tier - 1].price
            dispatcher.utter_message(response="utter_tariff_tier", **rows[tier], **dated,
                                     price_with_vat=format_vnd(with_vat(price, view.vat_percent)))
        elif tariff_words.asks_vat(text):
            first = tariff.tiers[0].price
            dispatcher.utter_message(response="utter_tariff_vat", **dated, price=format_vnd(first),
                                     price_with_vat=format_vnd(with_vat(first, view.vat_percent)))
        else:
            dispatcher.utter_message(response="utter_tariff", **dated,
                                     lines=lines(domain, "utter_line_tariff_tier", list(rows.values())))
        return []

    @staticmethod
    def tell_change(dispatcher: CollectingDispatcher, domain: DomainDict, view: TariffView,
                    dated: dict[str, str]) -> None:
        previous = view.previous
        if previous is None or len(previous.tiers) != len(view.tariff.tiers):
            dispatcher.utter_message(response="utter_tariff_no_previous", **dated)
            return
        changes = [{"tier": new.number, "old": format_vnd(old.price), "new": format_vnd(new.price),
                    "percent": format_percent(percent_change(old.price, new.price))}
                   for old, new in zip(previous.tiers, view.tariff.tiers, strict=True)]
        dispatcher.utter_message(
            response="utter_tariff_change", **dated, previous_decision=previous.decision,
            previous_since=format_date(previous.effective_from),
            lines=lines(domain, "utter_line_tariff_change", changes),
        )


def with_vat(price: int, vat_percent: Decimal) -> int:
    return round_vnd(Decimal(price) * (100 + vat_percent) / 100)


def percent_change(old: int, new: int) -> Decimal:
    """Rounded to one decimal: 1.893 -> 1.984 is 4,8%."""
    return (Decimal(new - old) * 100 / old).quantize(Decimal("0.1"))


class ValidateEstimateForm(AnswerForm):
    def name(self) -> str:
        return "validate_estimate_form"

    async def extract_kwh(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # A bare number answers "how many kWh?" even without a unit; an impossible one
        # ("-300", "1e308") is taken too, so validate_kwh can say what is wrong with it.
        text = tracker.latest_message.get("text") or ""
        times, last = multiplier(text), parse_kwh(tracker.get_slot("last_kwh") or "")
        if times and last is not None:  # "nếu xài gấp 3 thì sao?": the 3 is a multiplier, not kWh
            return {"kwh": f"{last * times} kWh"}
        if kwh_problem(text) or (tracker.get_slot("requested_slot") == "kwh" and parse_kwh(text)):
            return {"kwh": text}
        return {}

    def validate_kwh(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
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
    def name(self) -> str:
        return "action_estimate_bill"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        kwh = parse_kwh(tracker.get_slot("kwh") or "")
        if kwh is None:
            dispatcher.utter_message(response="utter_invalid_kwh")
            return [SlotSet("kwh", None)]
        amount, _ = services().billing.estimate(kwh)
        rows = tier_rows(amount.lines)
        dispatcher.utter_message(
            response="utter_estimate", kwh=format_kwh(kwh),
            lines=lines(domain, "utter_line_tier", rows) if rows else phrase(domain, "utter_part_nothing_used"),
            before_vat=format_vnd(amount.amount_before_vat), vat_percent=format_percent(amount.vat_percent),
            vat=format_vnd(amount.vat), total=format_vnd(amount.total),
        )
        # Forget it so the next estimate asks again unless a number is given; keep it for "gấp ba thì sao".
        return [SlotSet("kwh", None), SlotSet("last_kwh", str(kwh))]
