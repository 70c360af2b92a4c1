"""How the customer felt: the one question after something finished, the rating, the comment.

`ask_satisfaction` is called by the actions that finish something (a request filed, a handoff closed, a payment
announced): unless the customer is in the middle of something or wrote last longer ago than the platform lets a
survey follow, and if the core allows it now (evn.domain.satisfaction: not twice in 24 h, not soon after a question
left unanswered), the question is recorded, then put with its five buttons. A button's payload is the intent
`rate_satisfaction`; a rating typed right after the question, or a comment typed right after the thanks, is placed
by dialogue_policies/satisfaction_policy.py. A low score offers the callback service, whose ticket is noted on the
rating when it is filed.
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import user_events
from actions.phrases import phrase
from actions.runtime import services
from evn.domain.language.satisfaction_words import beyond_the_rating, declines, score_in
from evn.domain.queued_requests import waiting
from evn.domain.reply_windows import free_reply_open
from evn.domain.satisfaction import (
    STEP_CALLBACK,
    STEP_CALLBACK_OFFERED,
    STEP_COMMENT,
    STEP_RATING,
    STEP_SLOT,
    Topic,
    valid_score,
)
from evn.domain.service_catalogue import CALLBACK

SCORE_ENTITY, QUESTION_ENTITY = "satisfaction_score", "satisfaction_question"
DENY_INTENT = "deny"
log = logging.getLogger(__name__)
SERVICE_FORM = "service_form"


def in_the_middle(tracker: Tracker) -> bool:
    """A form asking, or requests of one message still to serve: not the moment to ask how it went. (The
    caller adds what only it can tell: a payment's notice, arriving any time, also waits for a request summed
    up and a person waited for.)"""
    return bool(tracker.active_loop_name or waiting(tracker.events))


def ask_satisfaction(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, topic: Topic,
                     subject: str = "", handoff_id: int | None = None, busy: bool = False) -> list[dict[str, Any]]:
    """Puts the question if it may be put now; the events that mark it asked."""
    channel = tracker.get_latest_input_channel() or "rest"
    if busy or in_the_middle(tracker) or not free_reply_open(channel, since_the_customer_wrote(tracker)):
        return []
    try:
        question = services().satisfaction.ask(tracker.sender_id, channel, topic, subject, handoff_id)
    except Exception:  # noqa: BLE001 - the thing finished is said already: a survey never turns it into an error
        log.warning("satisfaction.ask.failed", exc_info=True)
        return []
    if question is None:
        return []
    dispatcher.utter_message(response="utter_ask_satisfaction", question=question,
                             about=phrase(domain, f"utter_part_satisfaction_about_{topic.value}"))
    return [SlotSet(STEP_SLOT, STEP_RATING)]


def note_callback(conversation_id: str, ticket: str) -> None:
    """A callback filed after a low rating is noted on it; the request is filed and said whatever happens here."""
    try:
        services().satisfaction.callback_filed(conversation_id, ticket)
    except Exception:  # noqa: BLE001 - as ask_satisfaction
        log.warning("satisfaction.callback.failed", exc_info=True)


def since_the_customer_wrote(tracker: Tracker) -> timedelta:
    """How long ago the customer's own last message came (a payment may be confirmed days after the link was
    sent): the platforms allow a survey only within their reply windows (evn/domain/reply_windows.py)."""
    said = user_events(tracker)
    stamp = said[-1].get("timestamp") if said else None
    return timedelta(seconds=max(0.0, time.time() - float(stamp))) if isinstance(stamp, (int, float)) else timedelta(0)


def _score(tracker: Tracker) -> tuple[int | None, int | None]:
    """The score and the question of a button's payload, else the score of the words typed (the policy read them
    right after the question)."""
    found = {e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities", [])}
    if SCORE_ENTITY in found:
        question = str(found.get(QUESTION_ENTITY) or "")
        return valid_score(found[SCORE_ENTITY]), int(question) if question.isascii() and question.isdigit() else -1
    return score_in(tracker.latest_message.get("text") or ""), None


class ActionRateSatisfaction(Action):
    def name(self) -> str:
        return "action_rate_satisfaction"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        score, question = _score(tracker)
        text = tracker.latest_message.get("text") or ""
        rated = None if score is None else services().satisfaction.rate(
            tracker.sender_id, score, beyond_the_rating(text), question)
        if rated is None:
            dispatcher.utter_message(response="utter_satisfaction_nothing_open")
            return [SlotSet(STEP_SLOT, None)]
        if rated.before:
            dispatcher.utter_message(response="utter_satisfaction_already", score=rated.score)
            return [SlotSet(STEP_SLOT, None)]
        commented = bool(beyond_the_rating(text))
        kind = "low" if rated.low else "thanks"
        dispatcher.utter_message(response=f"utter_satisfaction_{kind}{'_commented' if commented else ''}",
                                 score=rated.score)
        if rated.low:
            return [SlotSet(STEP_SLOT, STEP_CALLBACK_OFFERED if commented else STEP_CALLBACK)]
        return [SlotSet(STEP_SLOT, None if commented else STEP_COMMENT)]


class ActionSatisfactionComment(Action):
    """The message right after the thanks, placed as a comment by the policy (or a "no" to commenting)."""

    def name(self) -> str:
        return "action_satisfaction_comment"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == DENY_INTENT and text.strip().startswith("/") or declines(text):
            dispatcher.utter_message(response="utter_satisfaction_no_comment")
        elif services().satisfaction.add_comment(tracker.sender_id, text):
            if tracker.get_slot(STEP_SLOT) == STEP_CALLBACK:  # a low rating's comment: the callback once more
                dispatcher.utter_message(response="utter_satisfaction_comment_kept_low")
                return [SlotSet(STEP_SLOT, STEP_CALLBACK_OFFERED)]
            dispatcher.utter_message(response="utter_satisfaction_comment_kept")
        else:
            dispatcher.utter_message(response="utter_satisfaction_nothing_open")
        return [SlotSet(STEP_SLOT, None)]


class ActionSatisfactionCallback(Action):
    """A yes to the callback a low rating offered: the callback request's form, as its button starts it."""

    def name(self) -> str:
        return "action_satisfaction_callback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        return [SlotSet(STEP_SLOT, None), SlotSet("service_type", CALLBACK), FollowupAction(SERVICE_FORM)]
