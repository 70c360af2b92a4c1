"""Usage alerts in the chat: "báo em khi vượt 300 số", "em đang đặt cảnh báo nào", "hủy cảnh báo".

Which of the three, and the level, come from the words (evn.domain.language.alert_levels); the core
keeps the alerts and checks them after each daily load (evn.services.usage_alerts).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from rasa_sdk.types import DomainDict

from actions.phrases import lines, phrase
from actions.runtime import services
from actions.verified_questions import Question, answers
from evn.domain.formats import format_date, format_kwh, format_percent, format_vnd
from evn.domain.language.alert_levels import AlertAction, action_asked, level_in
from evn.domain.usage_alerts import MAX_ACTIVE, AlertKind, AlertLevel
from evn.services.usage_alerts import Standing


def level_phrase(domain: DomainDict, level: AlertLevel) -> str:
    """"dùng quá 300 kWh", "dùng nhiều hơn kỳ trước trên 30%", "tiền điện (gồm thuế GTGT) quá 1.000.000 đ"."""
    values = {AlertKind.KWH: {"kwh": format_kwh(level.value)},
              AlertKind.PERCENT: {"percent": format_percent(Decimal(level.value))},
              AlertKind.AMOUNT: {"amount": format_vnd(level.value)}}[level.kind]
    return phrase(domain, f"utter_part_alert_level_{level.kind.value}", **values)


def level_lines(q: Question, levels: list[AlertLevel]) -> str:
    return lines(q.domain, "utter_line_usage_alert", [{"level": level_phrase(q.domain, level)} for level in levels])


@answers("usage_alert")
def answer_usage_alert(q: Question) -> list[dict[str, Any]]:
    text, code, say = q.request.text, q.customer_code, q.dispatcher.utter_message
    level, asked = level_in(text), action_asked(text)
    alerts = services().usage_alerts
    if asked is AlertAction.CANCEL:
        cancelled = alerts.cancel(q.conversation_id, code, level)
        if cancelled:
            say(response="utter_usage_alerts_cancelled", code=code, count=len(cancelled),
                lines=level_lines(q, cancelled))
        else:
            say(response="utter_usage_alert_none_to_cancel", code=code)
    elif asked is AlertAction.LIST:
        levels = alerts.alerts(q.conversation_id, code)
        if levels:
            say(response="utter_usage_alerts_list", code=code, count=len(levels), lines=level_lines(q, levels))
        else:
            say(response="utter_usage_alerts_none", code=code)
    elif level is None:
        say(response="utter_usage_alert_how")
    elif level.problem:
        say(response=f"utter_usage_alert_level_{level.problem}", level=level_phrase(q.domain, level))
    else:
        set_alert(q, level)
    return []


def set_alert(q: Question, level: AlertLevel) -> None:
    result = services().usage_alerts.set(q.conversation_id, q.customer_code, level)
    shown = {"code": q.customer_code, "level": level_phrase(q.domain, level)}
    if result.outcome == "too_many":
        q.dispatcher.utter_message(response="utter_usage_alert_too_many", count=MAX_ACTIVE, **shown)
        return
    q.dispatcher.utter_message(response=f"utter_usage_alert_{result.outcome}", **shown)
    if result.outcome == "no_daily_meter":
        return
    if result.standing is not None:
        say_standing(q, result.standing)
    if not result.reaches_this_chat:
        q.dispatcher.utter_message(response="utter_usage_alert_not_here", code=q.customer_code)


def say_standing(q: Question, standing: Standing) -> None:
    view = standing.view
    so_far, forecast = view.so_far, view.forecast
    if forecast is None or so_far.read_to is None:
        return
    facts = {"period": str(view.period), "read_to": format_date(so_far.read_to), "kwh_so_far": format_kwh(so_far.kwh),
             "forecast_kwh": format_kwh(forecast.kwh), "forecast_total": format_vnd(forecast.bill.total),
             "period_end": format_date(so_far.last)}
    where = ("unknown" if standing.threshold_kwh is None else "over_now" if standing.over_now
             else "heading_over" if standing.heading_over else "below")
    q.dispatcher.utter_message(response=f"utter_usage_alert_standing_{where}", **facts)
