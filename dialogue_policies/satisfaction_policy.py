"""The customer's message right after the satisfaction question, or right after its thanks, read as its answer.

The question is put by the action that finished something (actions/satisfaction.py), which marks it with the slot
`satisfaction_step` among its events. On the customer's next message this policy predicts, above the follow-up
policy and the rules:
- after the question, `action_rate_satisfaction` when the message gives a rating in words ("5", "5 sao", "rất
  hài lòng", "tạm được"; evn/domain/language/satisfaction_words.py);
- after a low rating's apology, `action_satisfaction_callback` for a yes to the callback it offers ("có", "gọi lại
  giúp em"), which starts the callback request;
- after the thanks (or the apology), `action_satisfaction_comment` when the message is a comment, or a "no" to
  commenting: anything but a payload the bot offered, a danger, a question the classifier is sure of, or a request
  it is sure of that judges nothing ("cho gặp nhân viên", "mất điện rồi"; "nhân viên nhiệt tình lắm" judges,
  whatever it was read as).
Anything else predicts nothing: the customer moved on and the rules answer as always; the question stays
unanswered, and is not put to them again soon (evn/domain/satisfaction.py). A button's rating is the intent
`rate_satisfaction`, which a rule serves. The mark is read from the events as they were logged, so a question put
by a payment's notice (whose events are reverted, for the dialogue to go on where it was) is still found.
"""
from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from evn.domain.identity import find_customer_code, normalize_phone
from evn.domain.interruptions import INTERRUPTIONS
from evn.domain.language.callback_words import asks_callback
from evn.domain.language.request_clauses import is_a_question
from evn.domain.language.satisfaction_words import accepts_callback, declines, score_in, sounds_like_feedback
from evn.domain.satisfaction import STEP_CALLBACK, STEP_CALLBACK_OFFERED, STEP_RATING, STEP_SLOT, STEPS

RATE_ACTION = "action_rate_satisfaction"
COMMENT_ACTION = "action_satisfaction_comment"
CALLBACK_ACTION = "action_satisfaction_callback"
PRIORITY = 8  # above the follow-up policy's 7: "5" right after the question is its answer, whatever came before
# What a comment is read as when the classifier places it: its words, not a question of its own.
COMMENT_LIKE = {"nlu_fallback", "out_of_scope", "thank", "goodbye", "greet", "affirm", "deny", "bot_challenge"}
SURE = 0.9  # a request placed this surely, and not judging, is one ("cho em xem hóa đơn tháng 10", "mất điện rồi")
VALUE_ALONE_WORDS = 4  # a code or a phone with at most a few words around it is given, not commented
DENY_INTENT = "deny"
PAYLOAD_PREFIX = "/"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class SatisfactionPolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": PRIORITY}

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource  # the words are evn/domain/language/satisfaction_words.py: nothing to learn

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: dict[str, Any] | None = None, **kwargs: Any) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action = _answer_action(tracker)
        if action is not None and action in domain.action_names_or_texts:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)


def _answer_action(tracker: DialogueStateTracker) -> str | None:
    if tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.active_loop_name or not tracker.latest_message:
        return None
    step = step_asked(tracker)
    if step is None:
        return None
    parsed = tracker.latest_message.intent or {}
    intent = str(parsed.get("name") or "")
    text = tracker.latest_message.text or ""
    if intent in INTERRUPTIONS:  # a danger, news from outside: never the answer
        return None
    if text.strip().startswith(PAYLOAD_PREFIX):  # a button: its own intent's rule, but "Không" to a comment
        return COMMENT_ACTION if step != STEP_RATING and intent == DENY_INTENT else None
    if step == STEP_RATING:
        return RATE_ACTION if score_in(text) is not None else None
    if step in (STEP_CALLBACK, STEP_CALLBACK_OFFERED) and accepts_callback(text):
        return CALLBACK_ACTION  # "có", "gọi lại giúp em"
    if asks_callback(text):
        return None  # "cho em xin nv gọi lại" after the thanks: the callback service, as anywhere
    if step == STEP_CALLBACK_OFFERED:
        return COMMENT_ACTION if declines(text) else None
    if (find_customer_code(text) or normalize_phone(text)) and len(text.split()) <= VALUE_ALONE_WORDS:
        return None  # "PE01000000001", "sđt 0901234567": the customer goes on to something of theirs
    if declines(text) or intent in COMMENT_LIKE or sounds_like_feedback(text):
        return COMMENT_ACTION  # "nhân viên nhiệt tình lắm" (read as asking a person), "chờ lâu quá": judged
    confidence = float(parsed.get("confidence") or 0)
    if is_a_question(text) or confidence >= SURE:
        return None  # "mà nhà em còn nợ tiền điện tháng nào không", "cho em xem hóa đơn tháng 10": something new
    # Asked for a comment, the customer is heard: "tuần nào cũng cúp mà ko báo trước" (read as a report) is what
    # went wrong. It is kept masked (evn/domain/satisfaction.py), whatever details it carries.
    return COMMENT_ACTION


def step_asked(tracker: DialogueStateTracker) -> str | None:
    """Which of the satisfaction questions the answer before the latest message put, if one did."""
    seen_user = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if seen_user:
                return None
            seen_user = True
        elif seen_user and isinstance(event, SlotSet) and event.key == STEP_SLOT:
            return str(event.value) if event.value in STEPS else None
    return None
