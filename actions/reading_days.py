"""When the meter is read and the bill comes ("bao giờ ghi chỉ số", "khi nào có hóa đơn", "sao kỳ này dài hơn"),
from the customer's own bills (evn.domain.reading_days): asked in words a bill or consumption question carries."""
from __future__ import annotations

from typing import Any

from actions.phrases import phrase
from actions.runtime import services
from actions.verified_questions import Question
from evn.domain.formats import format_date
from evn.domain.language.reading_day_words import asks_reading_day


def answer_reading_day(q: Question) -> list[dict[str, Any]] | None:
    """None when the question is not about the reading day (or the customer has no bill to read it from)."""
    if not asks_reading_day(q.request.text):
        return None
    found = services().usage.reading_schedule(q.conversation_id, q.customer_code)
    if found is None:
        return None
    day = found.reading_day
    when = (phrase(q.domain, "utter_part_reading_month_end") if day.month_end
            else phrase(q.domain, "utter_part_reading_day", day=day.day))
    difference = found.days - found.previous_days
    longer = "" if difference == 0 else phrase(
        q.domain, "utter_part_period_longer" if difference > 0 else "utter_part_period_shorter", days=abs(difference))
    q.dispatcher.utter_message(
        response="utter_reading_day", code=q.customer_code, when=when, start=format_date(found.start),
        reading=format_date(found.reading), issued=format_date(found.issued), days=found.days,
        previous_start=format_date(found.previous_start), previous_end=format_date(found.previous_end),
        previous_days=found.previous_days, longer=longer)
    return []
