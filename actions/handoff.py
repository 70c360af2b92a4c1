"""Handing the conversation to a person, and the turns of that handoff the web app reports.

The customer asks (or the bot misunderstood twice): a waiting handoff with the last
turns, the question and the verified code, and an honest answer — the place in the
queue while the desk is open, when people are back and a callback otherwise. The
agent's console then reports through Rasa's HTTP API (evn.adapters.rasa_notifier):
an agent joined (the customer hears the name, the bot pauses), the handoff closed (the
bot is back and says so) or nobody took it in time (a callback is offered).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, ConversationPaused, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import hear_complaint, latest_turns, source_address, user_events
from actions.limits import tell_rate_limited
from actions.phrases import phrase
from actions.runtime import services
from actions.satisfaction import ask_satisfaction
from evn import reference
from evn.domain.formats import format_date
from evn.domain.satisfaction import Topic
from evn.domain.statuses import HandoffOutcome
from evn.services.errors import RateLimited
from evn.services.handoffs import TRANSCRIPT_TURNS

HANDOFF_INTENT = "human_handoff"
ACTION_LISTEN = "action_listen"
AGENT_NAME_CHARS = 60


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        hear_complaint(dispatcher, tracker)  # "bot ngu quá, cho gặp người": the apology before the queue
        asked = (tracker.latest_message.get("intent") or {}).get("name") == HANDOFF_INTENT
        core = services()
        code = tracker.get_slot("verified_code")
        verified = bool(code) and core.identity.is_verified(tracker.sender_id, code)
        try:
            handoff = core.handoffs.request(
                tracker.sender_id, tracker.get_latest_input_channel() or "rest",
                "asked" if asked else "fallbacks", latest_turns(tracker, TRANSCRIPT_TURNS), source_address(tracker),
                question=customer_question(tracker), verified_code=code if verified else None,
            )
        except RateLimited as limited:
            tell_rate_limited(dispatcher, limited)
            return []
        hotline = reference.general_hotlines()
        if verified:
            hotline = core.billing.customer(tracker.sender_id, code).hotline or hotline
        desk = core.handoffs.desk
        details = {"id": handoff.id, "hotline": hotline, "hours": desk.hours_label, "days": desk.days_label}
        response = "utter_handoff_already_waiting" if handoff.already_waiting else "utter_handoff"
        if handoff.agents_back is None:
            dispatcher.utter_message(response=response, position=handoff.position or 1, **details)
        else:
            back = agents_back_phrase(domain, handoff.agents_back, core.today())
            dispatcher.utter_message(response=f"{response}_after_hours", back=back, **details)
        return [SlotSet("handoff_waiting", True)]


def customer_question(tracker: Tracker) -> str:
    """What the customer wanted: the newest message that is not the request for a person itself."""
    said = [event for event in user_events(tracker) if (event.get("text") or "").strip()]
    for event in reversed(said):
        if (event.get("parse_data", {}).get("intent") or {}).get("name") != HANDOFF_INTENT:
            return event.get("text") or ""
    return said[-1].get("text") or "" if said else ""


def agents_back_phrase(domain: DomainDict, back: datetime, today: date) -> str:
    """'7:30 sáng mai (thứ Tư, 02/12/2026)': when an agent will answer."""
    days = (back.date() - today).days
    kind = "today" if days == 0 else "tomorrow" if days == 1 else "on"
    return phrase(domain, f"utter_part_back_{kind}", weekday=phrase(domain, f"utter_part_weekday_{back.weekday()}"),
                  date=format_date(back), opens=f"{back.hour}:{back.minute:02d}")


def reported(tracker: Tracker, entity: str) -> str:
    """An entity of the EXTERNAL_* intent the web app triggered."""
    values = [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == entity]
    return str(values[-1]) if values and values[-1] is not None else ""


class ActionAgentJoined(Action):
    """EXTERNAL_agent_joined: the customer hears who answers, any form stops, and the bot pauses."""

    def name(self) -> str:
        return "action_agent_joined"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        agent = " ".join(reported(tracker, "agent_name").split())[:AGENT_NAME_CHARS]
        dispatcher.utter_message(response="utter_agent_joined", agent_name=agent or phrase(domain, "utter_part_agent"))
        events: list[dict[str, Any]] = [SlotSet("handoff_waiting", True), SlotSet("handoff_agent", agent or None)]
        if tracker.active_loop_name:
            events.append(ActiveLoop(None))
        # Rasa stops predicting at the pause, before its action_listen: the tracker listens from here, so the
        # bot, once resumed, reads the console's next report as a message after listening (as the rules say).
        return [*events, ConversationPaused(), ActionExecuted(ACTION_LISTEN)]


class ActionHandoffClosed(Action):
    """EXTERNAL_handoff_closed, once the bot is resumed: it is back, and says how the handoff ended."""

    def name(self) -> str:
        return "action_handoff_closed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        outcome = reported(tracker, "handoff_outcome")
        known = {o.value for o in HandoffOutcome}
        dispatcher.utter_message(response=f"utter_handoff_closed_{outcome if outcome in known else 'resolved'}")
        closed = [SlotSet("handoff_waiting", False), SlotSet("handoff_agent", None)]
        handoff_id = reported(tracker, "handoff_id")
        if outcome == HandoffOutcome.CUSTOMER_LEFT.value or not (handoff_id.isascii() and handoff_id.isdigit()):
            return closed  # the customer left it: nothing to rate
        return [*closed, *ask_satisfaction(dispatcher, tracker, domain, Topic.HANDOFF, f"#{handoff_id}",
                                           handoff_id=int(handoff_id))]


class ActionHandoffUnanswered(Action):
    """EXTERNAL_handoff_unanswered: nobody took it in time; the customer is told, offered a callback, and
    whatever they were doing goes on (the notice rewinds, as a payment's does)."""

    def name(self) -> str:
        return "action_handoff_unanswered"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        handoff = services().handoffs.current(tracker.sender_id)
        if handoff is None or handoff.position is None:
            return [UserUtteranceReverted()]  # taken or closed meanwhile: nothing to say
        dispatcher.utter_message(response="utter_handoff_unanswered", position=handoff.position, id=handoff.id)
        return [UserUtteranceReverted()]


class ActionBackToBot(Action):
    """"Quay lại trợ lý ảo" while waiting (a held conversation is handed back by the channel: the bot is
    paused then): the waiting handoff is withdrawn."""

    def name(self) -> str:
        return "action_back_to_bot"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        withdrawn = services().handoffs.customer_left(tracker.sender_id)
        if withdrawn is None:
            dispatcher.utter_message(response="utter_back_to_bot_nothing_waiting")
        else:
            dispatcher.utter_message(response="utter_handoff_withdrawn", id=withdrawn.id)
        return [SlotSet("handoff_waiting", False), SlotSet("handoff_agent", None)]
