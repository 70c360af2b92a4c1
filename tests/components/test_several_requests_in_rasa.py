"""Several requests in one message, inside Rasa: the NLU component that puts the parts together
(nlu_components/several_requests.py) and the slots a served request fills (actions/queued_requests.py). Where a
message divides and the queue are pure: tests/unit/test_several_requests.py."""
from rasa.shared.nlu.training_data.message import Message

from actions.queued_requests import entity_slots
from nlu_components.several_requests import PART_OF, REQUESTS, SPAN, RequestParts, SeveralRequests


def test_the_parts_go_through_the_pipeline_and_come_back_as_the_requests_of_their_message() -> None:
    text = "lich cup dien quan 1 tuan nay, tien dien thang 10 PE01000000001 0901234567"
    message = Message(data={"text": text})
    listed = RequestParts().process([message])
    assert [m.get(PART_OF) for m in listed] == [None, 0, 0]
    whole, schedule, bill = listed
    whole.set("intent", {"name": "inform", "confidence": 1.0})
    code, phone = text.index("PE0"), text.index("0901")
    whole.set("entities", [{"entity": "location", "start": 14, "end": 20, "value": "Quận 1"},
                           {"entity": "period", "start": text.index("thang 10"), "end": text.index("thang 10") + 8,
                            "value": "thang 10"},
                           {"entity": "customer_code", "start": code, "end": code + 13, "value": "PE01000000001"},
                           {"entity": "phone", "start": phone, "end": phone + 10, "value": "0901234567"}])
    schedule.set("intent", {"name": "ask_outage_schedule", "confidence": 0.99})
    bill.set("intent", {"name": "ask_bill", "confidence": 0.95})
    assert SeveralRequests().process(listed) == [whole]
    assert whole.get("intent")["name"] == "ask_outage_schedule"
    assert {e["entity"] for e in whole.get("entities")} == {"location", "customer_code", "phone"}
    first, second = whole.get(REQUESTS)
    assert first["text"] == "lich cup dien quan 1 tuan nay PE01000000001 0901234567"
    assert [first["text"][e["start"]:e["end"]] for e in first["entities"]] == [
        "quan 1", "PE01000000001", "0901234567"]
    assert second["intent"]["name"] == "ask_bill"
    assert [second["text"][e["start"]:e["end"]] for e in second["entities"]] == [
        "thang 10", "PE01000000001", "0901234567"]
    assert bill.get(SPAN) == (text.index("tien"), len(text))


def test_a_served_request_fills_the_slots_its_values_fill_in_any_message() -> None:
    domain = {"slots": {"kwh": {"mappings": [{"type": "from_entity", "entity": "kwh"}]},
                        "addressee": {"mappings": [{"type": "from_entity", "entity": "addressee", "intent": "greet"}]},
                        "phone": {"mappings": [{"type": "custom"}]}}}
    events = entity_slots(domain, [{"entity": "kwh", "value": "200 số"}, {"entity": "addressee", "value": "chị"},
                                   {"entity": "phone", "value": "0901234567"}])
    assert [(e["name"], e["value"]) for e in events] == [("kwh", "200 số")]
