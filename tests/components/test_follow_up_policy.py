"""The policy that takes a follow-up before the rules (dialogue_policies/follow_up_policy.py), on Rasa's trackers.
Which words follow up which answer is pure: tests/unit/test_follow_ups.py."""
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from dialogue_policies.follow_up_policy import FOLLOW_UP_ACTION, FollowUpPolicy
from evn.domain.language.follow_ups import SCHEDULE


def _tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("follow-up", list(events))


def _user(text: str, intent: str, confidence: float) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": confidence})


def test_the_policy_takes_a_follow_up_before_the_rules_and_leaves_the_rest_to_them():
    domain = Domain.from_dict({"intents": ["estimate_bill", "ask_outage_schedule", "nlu_fallback", "request_service"],
                               "actions": [FOLLOW_UP_ACTION, SCHEDULE]})
    after_schedule = [ActionExecuted("action_listen"), _user("mai q1 có cúp điện ko", "ask_outage_schedule", 0.99),
                      ActionExecuted(SCHEDULE), ActionExecuted("action_listen")]
    follows = _tracker(*after_schedule, _user("còn thứ 7 thì sao", "estimate_bill", 0.6))
    assert FollowUpPolicy._follows_up(follows)
    own_rule = _tracker(*after_schedule, _user("còn thứ 7 thì sao", "ask_outage_schedule", 0.7))
    assert not FollowUpPolicy._follows_up(own_rule)  # its rule answers it the same way
    new_request = _tracker(*after_schedule, _user("còn thứ 7 thì sao", "request_service", 0.6))
    assert not FollowUpPolicy._follows_up(new_request)
    sure_elsewhere = _tracker(*after_schedule, _user("còn thứ 7 thì sao", "estimate_bill", 0.99))
    assert not FollowUpPolicy._follows_up(sure_elsewhere)
    assert domain.index_for_action(FOLLOW_UP_ACTION) is not None
