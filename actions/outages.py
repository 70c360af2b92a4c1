"""Outages: the planned schedule by place and day, and reports of power cuts."""
from __future__ import annotations

from datetime import timedelta
from typing import Any, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import find_request, source_address
from actions.limits import tell_rate_limited
from actions.runtime import services
from evn import reference
from evn.domain.identity import find_customer_code
from evn.domain.money import format_datetime
from evn.domain.outage_schedule import find_outages, format_outage
from evn.domain.relative_days import format_day_range, parse_day_range
from evn.domain.time import to_vietnam
from evn.services.clock import today_in_vietnam
from evn.services.errors import RateLimited

DEFAULT_DAYS = 7
MIN_ADDRESS = 10


class ActionShowOutageSchedule(Action):
    def name(self) -> Text:
        return "action_show_outage_schedule"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        request = find_request(tracker, {"ask_outage_schedule"})
        if request is None:  # asked in the middle of another form: this very message
            entities = {e.get("entity"): str(e.get("value")) for e in tracker.latest_message.get("entities", [])}
            text = tracker.latest_message.get("text") or ""
        else:
            entities, text = request.entities, request.text
        location = entities.get("location")
        if not location:
            dispatcher.utter_message(response="utter_ask_outage_location")
            return []
        today = today_in_vietnam()
        start, end = parse_day_range(text, today) or (today, today + timedelta(days=DEFAULT_DAYS - 1))
        found = find_outages(services().requests.schedule, location, start, end)
        when = format_day_range(start, end, today=today)
        if not found:
            dispatcher.utter_message(response="utter_no_outage_scheduled", where=location, when=when)
        else:
            dispatcher.utter_message(
                response="utter_outage_schedule", where=f"khu vực {location}", when=when,
                lines="\n".join(format_outage(o) for o in found),
            )
        return []


class ValidateOutageForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_outage_form"

    async def extract_outage_place(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        text = (tracker.latest_message.get("text") or "").strip()
        if tracker.get_slot("requested_slot") == "outage_place" or find_customer_code(text):
            return {"outage_place": text} if not tracker.get_slot("outage_place") else {}
        return {}

    async def extract_outage_since(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        if tracker.get_slot("requested_slot") == "outage_since":
            return {"outage_since": (tracker.latest_message.get("text") or "").strip()}
        return {}

    def validate_outage_place(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        text = str(value or "").strip()
        if find_customer_code(text) or (len(text) >= MIN_ADDRESS and len(text.split()) >= 2):
            return {"outage_place": text}
        dispatcher.utter_message(response="utter_outage_place_too_short")
        return {"outage_place": None}

    def validate_outage_since(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        text = str(value or "").strip()[:200]
        return {"outage_since": text or None}


class ActionReportOutage(Action):
    """The report is in the database (or merged into this hour's ticket) before the reply."""

    def name(self) -> Text:
        return "action_report_outage"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        try:
            outcome = services().requests.report_outage(
                tracker.sender_id, tracker.get_latest_input_channel() or "rest",
                tracker.get_slot("outage_place") or "", tracker.get_slot("outage_since") or "",
                tracker.get_slot("verified_code"), source_address(tracker),
            )
        except RateLimited as limited:
            tell_rate_limited(dispatcher, limited)
            return [SlotSet("outage_place", None), SlotSet("outage_since", None)]
        hotline = (
            f"Khi cần, anh/chị gọi tổng đài {outcome.hotline} (24/7) ạ." if outcome.hotline
            else f"Khi cần, anh/chị gọi tổng đài CSKH ({reference.general_hotlines()}) ạ."
        )
        if outcome.planned is not None:
            dispatcher.utter_message(response="utter_outage_planned", outage=format_outage(outcome.planned))
        elif outcome.merged:
            dispatcher.utter_message(
                response="utter_outage_merged", ticket=outcome.request.ticket,
                first=format_datetime(to_vietnam(outcome.request.created_at)), hotline=hotline,
            )
        else:
            dispatcher.utter_message(response="utter_outage_filed", ticket=outcome.request.ticket, hotline=hotline)
        return [SlotSet("outage_place", None), SlotSet("outage_since", None)]
