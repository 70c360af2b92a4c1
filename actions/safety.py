"""Danger first: safety advice at once, then a top-priority report once the place is known.

The words are recognised by evn.domain.language.hazards (nlu_components/hazard_detector.py makes such a
message `report_hazard`); the rules run this before any form goes on (data/rules/safety.yml).
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import known_hotline, source_address
from actions.forms import AnswerForm
from actions.limits import tell_rate_limited
from actions.outages import checked_place
from actions.phrases import hotline_phrase
from actions.runtime import services
from evn.domain import places
from evn.domain.language import outage_report_words
from evn.domain.language.hazards import FIRE, hazard_in
from evn.services.errors import RateLimited


class ActionHazardAdvice(Action):
    def name(self) -> str:
        return "action_hazard_advice"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        kind = hazard_in(tracker.latest_message.get("text") or "") or tracker.get_slot("hazard_kind") or FIRE
        advise(dispatcher, tracker, domain, kind)
        return [SlotSet("hazard_kind", kind), SlotSet("hazard_place", None)]


def advise(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, kind: str) -> None:
    """What to do at once for this kind of danger, with the hotline."""
    dispatcher.utter_message(response=f"utter_hazard_{kind}", hotline=hotline_phrase(domain, known_hotline(tracker)))


class ValidateHazardForm(AnswerForm):
    def name(self) -> str:
        return "validate_hazard_form"

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The place answer may repeat the danger ("số 5 hẻm 12 Lê Lợi, đang bốc khói"): take it anyway."""
        return await FormValidationAction.get_extraction_events(self, dispatcher, tracker, domain)

    async def extract_hazard_place(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = (tracker.latest_message.get("text") or "").strip()
        if tracker.get_slot("requested_slot") == "hazard_place":
            return {"hazard_place": text}
        if tracker.get_slot("hazard_place"):
            return {}
        # "dây điện đứt … đang xẹt lửa!!! ở 30 Ung Văn Khiêm phường 25 Bình Thạnh": the place told with the danger
        address = outage_report_words.address_in(text)
        return {"hazard_place": address} if address else {}

    def validate_hazard_place(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if text and not any(character.isdigit() for character in text) and not places.is_outage_place(text):
            # "con nít đang chơi gần đó", "có cần gọi ai nữa không": no place yet, so the advice again, then the ask
            advise(dispatcher, tracker, domain, tracker.get_slot("hazard_kind") or FIRE)
            return {"hazard_place": None}
        return {"hazard_place": checked_place(value, dispatcher)}


class ActionReportHazard(Action):
    """The report is in the database at the top priority before the reply names its ticket."""

    def name(self) -> str:
        return "action_report_hazard"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        cleared = [SlotSet("hazard_place", None), SlotSet("hazard_kind", None)]
        try:
            outcome = services().requests.report_outage(
                tracker.sender_id, tracker.get_latest_input_channel() or "rest",
                tracker.get_slot("hazard_place") or "", "", tracker.get_slot("verified_code"),
                source_address(tracker), hazard=tracker.get_slot("hazard_kind") or FIRE,
            )
        except RateLimited as limited:
            tell_rate_limited(dispatcher, limited)
            return cleared
        assert outcome.request is not None, "a hazard is always filed"
        dispatcher.utter_message(response="utter_hazard_filed", ticket=outcome.request.ticket,
                                 hotline=hotline_phrase(domain, outcome.hotline or known_hotline(tracker)))
        return [*cleared, SlotSet("last_ticket", outcome.request.ticket)]
