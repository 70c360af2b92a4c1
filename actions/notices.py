"""Notices in the conversation: saying one the dispatcher sent (EXTERNAL_notice), stopping and resuming them.

A notice arrives like a payment confirmation: from outside, not from the customer, so
the dialogue goes on from where it was (UserUtteranceReverted). The words are the
domain's responses, one per kind, filled with the facts the dispatcher rendered from
the data (money as 1.234.567 đ, dates dd/mm/yyyy). "ngừng nhận thông báo" stops every
kind, or those the customer names ("... cúp điện"); "nhận lại thông báo" lifts them.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.outages import incident_parts
from actions.phrases import phrase
from actions.runtime import services
from actions.usage_alerts import level_phrase
from evn.domain import account_links, conversations
from evn.domain.language.notice_words import kinds_named
from evn.domain.notices import NoticeKind
from evn.domain.usage_alerts import AlertKind, AlertLevel

NOTICE_INTENT = "EXTERNAL_notice"


class ActionSendNotice(Action):
    def name(self) -> str:
        return "action_send_notice"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        facts = {str(e.get("entity")): str(e.get("value") or "") for e in tracker.latest_message.get("entities", [])}
        try:
            kind = NoticeKind(facts.pop("notice_kind", ""))
        except ValueError:
            return [UserUtteranceReverted()]
        if kind is NoticeKind.REQUEST_STATUS:
            facts["request_status"] = phrase(domain, f"utter_part_status_{facts.get('request_status', 'received')}")
            facts["request_note"] = phrase(domain, "utter_part_note", note=facts["request_note"]) if facts.get(
                "request_note") else ""
        if kind is NoticeKind.USAGE_ALERT:
            try:
                level = AlertLevel(AlertKind(facts.pop("level_kind", "")), int(facts.pop("level_value", "")))
            except ValueError:
                return [UserUtteranceReverted()]
            facts["level"] = level_phrase(domain, level)
        if kind.is_incident:
            facts.update(incident_parts(domain, facts.pop("incident_cause", ""), facts.pop("estimated_at", "")))
        if kind is NoticeKind.BILL_ISSUED:
            facts["rise"] = phrase(domain, "utter_part_notice_rise", **{
                name.removeprefix("rise_"): facts.pop(name) for name in list(facts) if name.startswith("rise_")
            }) if "rise_percent" in facts else ""
        if kind.is_bill:
            facts["pay"] = phrase(domain, "utter_part_notice_pay", url=facts["payment_url"]) if facts.get(
                "payment_url") else ""
        dispatcher.utter_message(response=f"utter_notice_{kind.value}", **facts)
        return [UserUtteranceReverted()]


def _channel_user(tracker: Tracker) -> tuple[str, str] | None:
    channel = conversations.channel_of(tracker.sender_id)
    if channel not in account_links.LINKABLE_CHANNELS:
        return None
    return channel, conversations.local_id(tracker.sender_id)


def choose(choice: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> None:
    """"ngừng nhận thông báo" (choice "stop") / "nhận lại thông báo" ("resume"): every kind, or those named."""
    user = _channel_user(tracker)
    if user is None:
        dispatcher.utter_message(response="utter_notices_not_here")
        return
    kinds = kinds_named(tracker.latest_message.get("text") or "")
    getattr(services().notice_preferences, choice)(*user, kinds)
    said = "stopped" if choice == "stop" else "resumed"
    if kinds:
        dispatcher.utter_message(response=f"utter_notices_{said}_kinds", kinds=_names(domain, kinds))
    else:
        dispatcher.utter_message(response=f"utter_notices_{said}")


class ActionStopNotices(Action):
    def name(self) -> str:
        return "action_stop_notices"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        choose("stop", dispatcher, tracker, domain)
        return []


class ActionResumeNotices(Action):
    def name(self) -> str:
        return "action_resume_notices"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        choose("resume", dispatcher, tracker, domain)
        return []


def _names(domain: DomainDict, kinds: tuple[NoticeKind, ...]) -> str:
    names: list[str] = []
    for kind in kinds:
        name = phrase(domain, f"utter_part_notice_kind_{kind.value}")
        if name not in names:
            names.append(name)
    return ", ".join(names)
