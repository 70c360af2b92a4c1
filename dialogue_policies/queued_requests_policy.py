"""The rules, and where they would wait for the customer, the next request of a message of several first.

"coi hóa đơn kỳ rồi xong gửi mã QR luôn" is two requests (nlu_components/several_requests.py). The rules serve
the first as they serve it alone: verification, a form, the answer. Where they would then listen, this policy
predicts `action_next_request` instead (actions/queued_requests.py), which hands the next request to the rules
as a message of its own, until none waits (evn/domain/queued_requests.py). Nothing else of the rules changes, so
it is Rasa's RulePolicy with that one step added, in its place in config.yml.
"""
from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from evn.domain.queued_requests import REQUESTS, waiting

NEXT_REQUEST_ACTION = "action_next_request"
# Actions that take the customer's whole message as one answer (dialogue_policies/satisfaction_policy.py: "1 sao,
# hỏi mãi mới ra được chỗ báo mất điện" is a rating and its comment, not a rating and a schedule question).
WHOLE_MESSAGE = {"action_rate_satisfaction", "action_satisfaction_comment", "action_satisfaction_callback"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class QueuedRequestsRulePolicy(RulePolicy):
    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: dict[str, Any] | None = None, **kwargs: Any) -> PolicyPrediction:
        prediction = super().predict_action_probabilities(tracker, domain, rule_only_data, **kwargs)
        if (NEXT_REQUEST_ACTION not in domain.action_names_or_texts or tracker.active_loop_name
                or tracker.latest_action_name in (ACTION_LISTEN_NAME, NEXT_REQUEST_ACTION) or _answered_whole(tracker)
                or _best(prediction, domain) != ACTION_LISTEN_NAME or not _requests_waiting(tracker)):
            return prediction
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(NEXT_REQUEST_ACTION)] = 1.0
        return self._prediction(probabilities)


def _best(prediction: PolicyPrediction, domain: Domain) -> str | None:
    if not prediction.probabilities or max(prediction.probabilities) <= 0:
        return None
    return domain.action_names_or_texts[prediction.max_confidence_index]


def _requests_waiting(tracker: DialogueStateTracker) -> bool:
    """Whether requests of a message of several wait; the events are read in full only when one was sent."""
    if not any(isinstance(event, UserUttered) and event.parse_data.get(REQUESTS) for event in tracker.events):
        return False
    return bool(waiting(event.as_dict() for event in tracker.events))


def _answered_whole(tracker: DialogueStateTracker) -> bool:
    """Whether an action since the customer's latest message took that message whole."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name in WHOLE_MESSAGE:
            return True
    return False
