""""có điện lại chưa", "bao giờ có điện" is `ask_restoration`, whatever the classifier said, unless it took the
message for a report of a cut, a danger, the planned schedule or a request: its words alone decide it
(evn/domain/language/restoration_words.py), like the hotline, so no classifier examples move other intents. A
report that asks too ("mất điện từ sáng, bao giờ có điện?") stays a report: its answer tells what is known."""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain import linear_regex
from evn.domain.language.power_cut_words import speaks_of_a_power_cut
from evn.domain.language.restoration_words import asks_restoration
from evn.domain.periods import fold
from nlu_components.stateless import StatelessComponent, decide

RESTORATION = "ask_restoration"
KEPT = {"report_hazard", "ask_outage_schedule", "request_service", "human_handoff", "cancel_request",
        "check_request_status", "check_scam"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RestorationAsked(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            if intent in KEPT or intent == RESTORATION or not asks_restoration(text):
                continue
            if intent == "report_outage" and _tells_a_cut(text):
                continue
            decide(message, RESTORATION)
        return messages


def _tells_a_cut(text: str) -> bool:
    """A report besides the question: the cut told in words other than the question's own ("có điện lại")."""
    folded = " ".join(fold(text).split())
    rest = linear_regex.sub(r"\b(?:co dien lai|dien lai|co dien chua|co dien)\b", " ", folded)
    return speaks_of_a_power_cut(rest)
