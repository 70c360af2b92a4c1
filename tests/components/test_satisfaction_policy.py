"""The policy that reads the message right after the satisfaction question or its thanks as its answer
(dialogue_policies/satisfaction_policy.py), on Rasa's trackers. The words themselves: tests/unit/
test_satisfaction_words.py."""
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUtteranceReverted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from dialogue_policies.satisfaction_policy import (
    CALLBACK_ACTION,
    COMMENT_ACTION,
    RATE_ACTION,
    SatisfactionPolicy,
    _answer_action,
)
from evn.domain.satisfaction import STEP_CALLBACK, STEP_COMMENT, STEP_RATING, STEP_SLOT


def _user(text: str, intent: str = "nlu_fallback", confidence: float = 0.5) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": confidence})


def _after(step: str, *message: UserUttered, action: str = "action_submit_service_request") -> DialogueStateTracker:
    events = [ActionExecuted("action_listen"), _user("đồng ý", "affirm", 0.99), ActionExecuted(action),
              SlotSet(STEP_SLOT, step), ActionExecuted("action_listen"), *message]
    return DialogueStateTracker.from_events("csat", events)


def test_a_rating_typed_right_after_the_question_is_its_answer_and_anything_else_is_left_to_the_rules():
    assert _answer_action(_after(STEP_RATING, _user("5 sao", "inform", 0.7))) == RATE_ACTION
    assert _answer_action(_after(STEP_RATING, _user("rat hai long", "affirm", 0.8))) == RATE_ACTION
    assert _answer_action(_after(STEP_RATING, _user("hóa đơn tháng 11 bao nhiêu", "ask_bill", 0.99))) is None
    assert _answer_action(_after(STEP_RATING, _user("cảm ơn", "thank", 0.99))) is None
    assert _answer_action(_after(STEP_RATING, _user("5", "report_hazard", 0.99))) is None  # a danger first
    # A turn later the question is no longer the answer just given: "5" is whatever it is there.
    later = _after(STEP_RATING, _user("cảm ơn", "thank", 0.99), ActionExecuted("utter_thank"),
                   ActionExecuted("action_listen"), _user("5"))
    assert _answer_action(later) is None


def test_a_question_put_by_a_payment_notice_is_found_though_its_events_were_reverted():
    events = [ActionExecuted("action_listen"), _user("", "EXTERNAL_payment_received", 1.0),
              ActionExecuted("action_announce_payment"), SlotSet(STEP_SLOT, STEP_RATING), UserUtteranceReverted(),
              ActionExecuted("action_listen"), _user("4", "inform", 0.6)]
    assert _answer_action(DialogueStateTracker.from_events("csat", events)) == RATE_ACTION


def test_after_the_thanks_a_comment_is_kept_but_a_new_request_is_answered():
    assert _answer_action(_after(STEP_COMMENT, _user("nhân viên nhiệt tình lắm", "human_handoff", 0.63))) \
        == COMMENT_ACTION
    assert _answer_action(_after(STEP_COMMENT, _user("thời gian chờ lâu quá", "ask_restoration", 1.0))) \
        == COMMENT_ACTION
    assert _answer_action(_after(STEP_COMMENT, _user("ko có gì", "deny", 0.9))) == COMMENT_ACTION
    assert _answer_action(_after(STEP_COMMENT, _user("/deny", "deny", 1.0))) == COMMENT_ACTION
    assert _answer_action(_after(STEP_COMMENT, _user("cho gặp nhân viên", "human_handoff", 1.0))) is None
    assert _answer_action(_after(STEP_COMMENT, _user("mất điện rồi", "report_outage", 1.0))) is None
    assert _answer_action(_after(STEP_COMMENT, _user("hóa đơn tháng 11 bao nhiêu", "ask_bill", 0.99))) is None
    assert _answer_action(_after(STEP_COMMENT, _user("PE01000000001", "inform", 0.99))) is None
    assert _answer_action(_after(STEP_COMMENT, _user("chị tư vấn rất kỹ, sđt em 0912345678", "inform", 0.6))) \
        == COMMENT_ACTION
    assert _answer_action(_after(STEP_COMMENT, _user("/request_service", "request_service", 1.0))) is None


def test_after_a_low_rating_a_yes_takes_the_callback_and_a_comment_is_still_a_comment():
    assert _answer_action(_after(STEP_CALLBACK, _user("có", "affirm", 0.99))) == CALLBACK_ACTION
    assert _answer_action(_after(STEP_CALLBACK, _user("gọi lại giúp em", "request_service", 0.9))) == CALLBACK_ACTION
    assert _answer_action(_after(STEP_CALLBACK, _user("không cần", "deny", 0.99))) == COMMENT_ACTION
    assert _answer_action(_after(STEP_CALLBACK, _user("chờ lâu quá", "nlu_fallback", 0.4))) == COMMENT_ACTION


def test_the_policy_predicts_its_action_above_the_others(tmp_path):
    domain = Domain.from_dict({"intents": ["affirm", "inform"], "actions": [RATE_ACTION, COMMENT_ACTION,
                                                                             CALLBACK_ACTION]})
    policy = SatisfactionPolicy(SatisfactionPolicy.get_default_config(), LocalModelStorage(tmp_path),
                                Resource("satisfaction"), ExecutionContext(GraphSchema({}), "test"))
    prediction = policy.predict_action_probabilities(_after(STEP_RATING, _user("4", "inform", 0.6)), domain)
    assert prediction.probabilities[domain.index_for_action(RATE_ACTION)] == 1.0
    assert policy.priority > 7  # above the follow-up policy
