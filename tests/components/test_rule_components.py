"""The NLU components that are rules, not learnt: they override or add to what the classifier found."""
from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from nlu_components.addressee_detector import AddresseeDetector
from nlu_components.hazard_detector import HazardDetector
from nlu_components.wordless_fallback import WordlessFallback


def message(text: str, intent: str = "ask_bill", confidence: float = 0.7) -> Message:
    found = Message(data={"text": text})
    found.set("intent", {"name": intent, "confidence": confidence})
    found.set("intent_ranking", [{"name": intent, "confidence": confidence},
                                 {"name": "report_outage", "confidence": 0.2}])
    return found


def test_a_danger_is_report_hazard_whatever_the_classifier_thought():
    [out] = HazardDetector().process([message("ổ cắm nhà em đang bốc khói", "report_outage")])
    assert out.get("intent") == {"name": "report_hazard", "confidence": 1.0}


def test_the_classifier_alone_says_danger_only_when_sure():
    [unsure] = HazardDetector().process([message("đồng hồ điện còn đứng tên chủ cũ", "report_hazard", 0.6)])
    assert unsure.get("intent")["name"] == "nlu_fallback"  # the next guess (0.2) is under the threshold
    [sure] = HazardDetector().process([message("có chuyện rồi", "report_hazard", 0.95)])
    assert sure.get("intent")["name"] == "report_hazard"


def test_no_letter_or_digit_is_not_understood():
    [emoji, payload] = WordlessFallback().process([message("🙂🙂🙂"), message("/affirm", "affirm")])
    assert emoji.get("intent")["name"] == "nlu_fallback" and payload.get("intent")["name"] == "affirm"


def test_the_customers_form_of_address_becomes_entities():
    [out] = AddresseeDetector().process([message("bác muốn xem hóa đơn")])
    found = {(e["entity"], e["value"]) for e in out.get("entities")}
    assert found == {("addressee", "bác"), ("addressee_title", "Bác")}
