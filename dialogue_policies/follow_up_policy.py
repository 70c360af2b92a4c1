"""A message that follows up the answer just given reruns that answer's frame, before any rule.

"còn thứ 7 thì sao" after the outage schedule reads to the classifier like an estimate, "gửi lại link đi" like
nothing it knows, "so với kỳ trước" like a bill: each is a follow-up of the answer just given, and which words fit
which answer is one table (evn/domain/follow_ups.py). This policy predicts `action_follow_up` (actions/
misunderstood.py), which reruns that frame, with a priority above the RulePolicy's, when:
- the message was just received (the last action is action_listen) and no form is asking a question;
- the answer just given (the last action before the message) is a frame its words fit;
- the rules would not already do the same: a question the frame answers anyway (a bill question after a bill)
  or a value given to it (`inform`) keeps its rule;
- the classifier did not place the message surely elsewhere, nor on a new request of its own.
Otherwise it predicts nothing, and the rules decide as before.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from evn.domain.interruptions import INTERRUPTIONS
from evn.domain.language import follow_ups
from evn.domain.language.request_clauses import is_a_question

FOLLOW_UP_ACTION = "action_follow_up"
PRIORITY = 7  # above the RulePolicy's 6: a follow-up is read before the rules
# Intents whose rules already answer the frame again, by frame.
ANSWERED_BY_RULES = {
    follow_ups.ANSWER: {"inform", "ask_bill", "ask_consumption", "ask_bill_increase", "ask_payment_status",
                        "request_payment_link", "usage_alert", "dispute_reading"},
    follow_ups.SCHEDULE: {"ask_outage_schedule"},
    follow_ups.TARIFF: {"ask_tariff"},
    follow_ups.PAYMENT_METHODS: {"ask_payment_methods"},
    follow_ups.HANDOFF: {"human_handoff"},
    follow_ups.SUMMARY: {"affirm"},
}
# A danger, a payment's notice, the console's news: never a follow-up, whatever was answered before.
URGENT = INTERRUPTIONS | {"back_to_bot", "human_handoff"}
# Nor, but after filing a request, a new request of its own.
CHANGES = {"cancel_request", "edit_request"}  # what the customer does to a request, never a question about it
NEVER = URGENT | CHANGES | {"goodbye", "thank", "request_service", "report_outage", "check_request_status",
                            "link_account", "unlink_account", "list_linked_accounts", "manage_links", "stop_notices",
                            "resume_notices"}
# Another intent, classified this surely, is a new question rather than a follow-up ("mai quận 1 có cúp điện không"
# after a bill); the classifier is unsure of short follow-ups ("còn thứ 7 thì sao").
SURE = 0.95
# Questions that cannot be answered without a value the message lacks (an estimate needs kWh); after an answer,
# words that ask of it are that answer's follow-up however surely the classifier placed them.
WANTS_A_VALUE = {"estimate_bill"}
LOST = {"nlu_fallback", "out_of_scope"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class FollowUpPolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": PRIORITY}

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource  # the words are the table in evn/domain/follow_ups.py: nothing to learn

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: dict[str, Any] | None = None, **kwargs: Any) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if FOLLOW_UP_ACTION in domain.action_names_or_texts and self._follows_up(tracker):
            probabilities[domain.index_for_action(FOLLOW_UP_ACTION)] = 1.0
        return self._prediction(probabilities)

    @staticmethod
    def _follows_up(tracker: DialogueStateTracker) -> bool:
        if tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.active_loop_name or not tracker.latest_message:
            return False
        parsed = tracker.latest_message.intent or {}
        intent = parsed.get("name")
        text = tracker.latest_message.text or ""
        found = follow_ups.follow_up(_previous_action(tracker), text, date.today(),
                                     filed_earlier=bool(tracker.get_slot("last_ticket")),
                                     asked_before=_question_before(tracker))
        if found is None or (intent in ANSWERED_BY_RULES.get(found.action, set())
                             and found.asked in (None, intent)):
            return False  # the rules answer the same question again ("chênh nhau nhiêu" read as consumption: not)
        if found.action == follow_ups.FILED:  # "bao lâu có điện" right after filing is about that request
            if follow_ups.asks_ticket_number(text):  # "cho tôi xin mã phản ánh mất điện": its number, not a report
                return intent != "report_hazard"
            return intent not in URGENT | CHANGES
        if found.action == follow_ups.SCHEDULE and intent == "report_outage" and is_a_question(text):
            return True  # "cúp để làm gì z" after the schedule: a question about that cut, not a report
        if found.action in (follow_ups.SCAM, follow_ups.SCAM_STEPS, follow_ups.SCAM_SITES, follow_ups.SCAM_VERIFY):
            return intent not in URGENT
        if found.action == follow_ups.HOTLINE:  # "có cần gọi ai nữa không" after a report: the 24/7 line
            return intent not in URGENT - {"human_handoff"}
        if found.action == follow_ups.CONTACT:  # a phone right after a report: the crew's number, not a login
            return intent not in URGENT
        if found.action in (follow_ups.ANSWER, follow_ups.ESTIMATE) and follow_ups.asks_the_tax_part(text):
            return intent not in URGENT  # "trong đó thuế bao nhiêu" read as the tariff: the answer just given's tax
        if found.asked == "ask_bill_increase" and follow_ups.asks_the_difference(text):
            return intent not in NEVER  # "chênh nhau bao nhiêu số điện" read as consumption: that comparison
        if found.action == follow_ups.ANSWER and follow_ups.asks_a_sum(text):
            return intent not in URGENT  # "cộng lại bao nhiêu" after bills, read as notices or anything else
        if found.asked == follow_ups.ALERTS:  # "thôi hủy cái 175 số đi" after an alert: that alert, not a request
            return intent not in URGENT
        if found.asked == follow_ups.DISPUTE:  # "công tơ chỉ có 15300, cho người xuống kiểm tra": that reading's check
            return intent not in URGENT - {"human_handoff"}
        if found.asked and intent in WANTS_A_VALUE:
            return True  # "tính ra tiền luôn" read as an estimate with no kWh: the money of the bill just shown
        return intent not in NEVER and (intent in LOST or float(parsed.get("confidence") or 0) < SURE)


def _question_before(tracker: DialogueStateTracker) -> str | None:
    """The intent of the customer's last question before the latest message."""
    users = [event for event in reversed(tracker.events) if isinstance(event, UserUttered)]
    return follow_ups.question_before([(event.intent or {}).get("name") for event in users[1:]])


def _previous_action(tracker: DialogueStateTracker) -> str | None:
    """The last action before the latest message (not listening): the answer the message may follow up."""
    seen_user, frame = False, None
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if seen_user:
                return None  # the message before had no answer
            seen_user = True
        elif seen_user and isinstance(event, SlotSet) and event.key == follow_ups.FRAME_SLOT and frame is None:
            frame = event.value  # a follow-up answered: the frame it ran again is what this message follows
        elif seen_user and isinstance(event, ActionExecuted) and event.action_name not in (ACTION_LISTEN_NAME, None):
            return str(frame) if frame and event.action_name in follow_ups.RERUNS else event.action_name
    return None
