"""The power company's 24/7 phone line, asked for ("tổng đài điện lực miền nam số mấy"): the area the message
names, else the company of the code given in this conversation, else every company's line."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import known_hotline
from evn import reference
from evn.domain.language.hotline_words import area_named


class ActionTellHotline(Action):
    def name(self) -> str:
        return "action_tell_hotline"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        area = area_named(tracker.latest_message.get("text") or "")
        named = reference.hotline_of_company(area) if area else None
        if named is not None:
            dispatcher.utter_message(response="utter_hotline", company=named[0], hotline=named[1])
        elif (own := known_hotline(tracker)) is not None:
            dispatcher.utter_message(response="utter_hotline_own", hotline=own)
        else:
            dispatcher.utter_message(response="utter_hotlines_all", hotlines=reference.general_hotlines())
        return []
