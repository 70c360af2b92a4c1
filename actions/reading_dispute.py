"""A reading the customer thinks is wrong ("chỉ số tháng 10 ghi sai"): the bill's readings, the daily registers
around its reading day and the register as of yesterday first; if the register the customer reads on the meter
still disagrees, a meter-reading check (evn/reference/service_catalogue.yml, meter_reading_check) is summed up and
filed on their yes, as any request is (actions/service_requests.py)."""
from __future__ import annotations

import uuid
from typing import Any

from rasa_sdk.events import FollowupAction, SlotSet

from actions.phrases import phrase
from actions.runtime import services
from actions.service_requests import catalogue
from actions.verified_questions import Question, answers, refused_impossible_period
from evn.domain.formats import format_date, format_kwh, format_register
from evn.domain.language.reading_dispute_words import register_read
from evn.services.usage import ReadingCheck

CHECK = "meter_reading_check"
# A register read today this far above yesterday's (a day or two of use) agrees with the daily data.
AGREES_BELOW, AGREES_ABOVE = 2, 50


@answers("dispute_reading")
def answer_reading_dispute(q: Question) -> list[dict[str, Any]]:
    if refused_impossible_period(q):
        return []
    # "tháng 10 tăng gấp đôi tháng 9, có phải ghi sai chỉ số": the month disputed is the one named first
    named = q.request.periods[0] if q.request.periods else q.request.period_text
    period = services().billing.period_named(named, None) if named else None
    check = services().usage.reading_check(q.conversation_id, q.customer_code, period)
    if check is None:
        q.dispatcher.utter_message(response="utter_no_bills", code=q.customer_code)
        return []
    latest = q.request.said_since[0] if q.request.said_since else q.request.text
    register = register_read(latest)
    events: list[dict[str, Any]] = [SlotSet("last_period", str(check.period))]
    if register is None:
        show(q, check)
        return events
    if check.now is not None and -AGREES_BELOW <= register - check.now[1] <= AGREES_ABOVE:
        q.dispatcher.utter_message(response="utter_reading_agrees", register=format_register(register),
                                   day=format_date(check.now[0]), now=format_register(check.now[1]))
        return events
    q.dispatcher.utter_message(response="utter_reading_check_offered", register=format_register(register),
                               compared=compared_with_now(q, check))
    kind = catalogue().get(CHECK)
    assert kind is not None  # the catalogue ships it
    given = {"register": str(register), "phone": check.phone}  # the check's fields, by their kind
    return events + [SlotSet("service_type", CHECK), SlotSet("draft_id", uuid.uuid4().hex),
                     *(SlotSet(field.code, given[field.kind]) for field in kind.fields),
                     FollowupAction("action_service_summary")]


def show(q: Question, check: ReadingCheck) -> None:
    around = ", ".join(phrase(q.domain, "utter_part_reading_register", day=day.strftime("%d/%m"),
                              register=format_register(register) if register is not None else "—")
                       for day, register in check.around)
    q.dispatcher.utter_message(
        response="utter_reading_dispute", code=q.customer_code, period=str(check.period),
        start=format_date(check.start), end=format_date(check.end), old=format_register(check.old_reading),
        new=format_register(check.new_reading), kwh=format_kwh(check.kwh),
        around=phrase(q.domain, "utter_part_reading_around", registers=around) if around else "",
        now=compared_with_now(q, check))


def compared_with_now(q: Question, check: ReadingCheck) -> str:
    if check.now is None:
        return phrase(q.domain, "utter_part_reading_no_daily")
    return phrase(q.domain, "utter_part_reading_now", day=format_date(check.now[0]),
                  register=format_register(check.now[1]))
