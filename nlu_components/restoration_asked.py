""""có điện lại chưa", "bao giờ có điện" is `ask_restoration`, whatever the classifier said, unless it took the
message for a report of a cut, a danger, a request, or the planned schedule asked with a day or a planned cut's
words (a bare "vậy mấy giờ có điện lại" right after a schedule answer is handed back to it by the action). Its words
alone decide it (evn/domain/language/restoration_words.py), like the hotline, so no classifier examples move other
intents. A report that asks too ("mất điện từ sáng, bao giờ có điện?") stays a report: its answer tells what is
known; "sao chưa có điện nữa" the classifier did not take for a report asks it too."""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain import linear_regex
from evn.domain.language.power_cut_words import speaks_of_a_power_cut
from evn.domain.language.restoration_words import asks_restoration, names_the_schedule, waits_for_power
from evn.domain.periods import fold
from nlu_components.stateless import StatelessComponent, decide

RESTORATION = "ask_restoration"
KEPT = {"report_hazard", "human_handoff", "cancel_request", "check_request_status", "check_scam"}
# A service asked for ("đăng ký cấp điện trở lại"); "đã khôi phục cấp điện chưa?" about a place asks the power back.
SERVICE, ASKED_FOR = "request_service", linear_regex.compile(
    r"\b(?:dang ky|lam|xin|yeu cau|muon|can|de nghi|nop|ho so|thu tuc|phi)\b")
SCHEDULE = "ask_outage_schedule"  # kept when the message names a day or a planned cut ("mai mấy giờ có điện lại")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RestorationAsked(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            if intent in KEPT or intent == RESTORATION:
                continue
            if intent == SERVICE and ASKED_FOR.search(" ".join(fold(text).split())):
                continue
            if not asks_restoration(text) and (intent == "report_outage" or not waits_for_power(text)):
                continue
            if intent == SCHEDULE and names_the_schedule(text):
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
