"""The NLU components that let what a message carries decide when the classifier cannot."""
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.bill_not_a_cut import BillNotACut
from nlu_components.bill_payment_question import BillPaymentQuestion
from nlu_components.carried_identity import CarriedIdentity
from nlu_components.complaint_reading import ComplaintReading
from nlu_components.cut_reported import CutReported
from nlu_components.cut_that_is_over import CutThatIsOver
from nlu_components.named_service import NamedService
from nlu_components.other_road import OtherRoad
from nlu_components.quantity_question import QuantityQuestion
from tests.components.nlu_tokens import lemmas


def classified(text: str, ranking: list[tuple[str, float]], entities: list[str] = ()) -> Message:
    message = Message(data={TEXT: text, ENTITIES: [{"entity": kind, "value": "x"} for kind in entities]})
    intent = {"name": ranking[0][0], "confidence": ranking[0][1]}
    message.set(INTENT, intent)
    message.set(INTENT_RANKING_KEY, [{"name": name, "confidence": value} for name, value in ranking])
    return message


def intent_after(component, message: Message) -> str:
    (message,) = component.process([message])
    return message.get(INTENT)["name"]


def test_a_quantity_asked_in_any_words_is_an_estimate():
    estimate = QuantityQuestion()
    assert intent_after(estimate, classified("bốn trăm rưỡi ký, vậy tiền chừng nhiêu",
                                             [("inform", 0.45), ("out_of_scope", 0.26)], ["kwh"])) == "estimate_bill"
    assert intent_after(estimate, classified("hai tram ruoi so la bao nhieu tien", [("ask_bill", 0.85)], ["kwh"])) \
        == "estimate_bill"
    # the answer to the estimate's own question, a bill of a month, a code: left to the classifier
    assert intent_after(estimate, classified("350 kWh", [("inform", 1.0)], ["kwh"])) == "inform"
    assert intent_after(estimate, classified("tháng 9 xài 180 số hết bao nhiêu", [("ask_bill", 0.6)],
                                             ["kwh", "period"])) == "ask_bill"
    # the price of one kWh or of a tier is the tariff
    assert intent_after(estimate, classified("bac 5 bn tien 1 so", [("estimate_bill", 0.96)], ["kwh"])) \
        == "ask_tariff"
    assert intent_after(estimate, classified("trên 400 số giá bao nhiêu", [("ask_tariff", 0.9)], ["kwh"])) \
        == "ask_tariff"
    assert intent_after(estimate, classified("bac cao nhat bao nhieu", [("out_of_scope", 0.6)])) == "ask_tariff"


def test_a_message_carrying_a_code_is_never_not_understood():
    carried = CarriedIdentity()
    hesitant = classified("PE01000000001 0901234567 tien thang 10 nha",
                          [("nlu_fallback", 0.4), ("ask_bill", 0.52), ("inform", 0.47)], ["customer_code", "phone"])
    assert intent_after(carried, hesitant) == "ask_bill"
    lost = classified("cho minh xem no cua me minh luon, ma PE01000000001",
                      [("nlu_fallback", 0.4), ("request_payment_link", 0.33)], ["customer_code"])
    assert intent_after(carried, lost) == "inform"
    nothing = classified("hmm", [("nlu_fallback", 0.4), ("greet", 0.3)])
    assert intent_after(carried, nothing) == "nlu_fallback"
    greeting = classified("xin chào, mã PE01000000001, sđt 0901234567", [("greet", 1.0)], ["customer_code", "phone"])
    assert intent_after(carried, greeting) == "inform"
    assert intent_after(carried, classified("xin chào", [("greet", 1.0)])) == "greet"


def test_a_complaint_taken_for_small_talk_is_heard():
    reading = ComplaintReading()
    assert intent_after(reading, classified("nhắn hoài không ai trả lời, làm ăn gì kỳ vậy",
                                            [("bot_challenge", 0.9)])) == "nlu_fallback"
    assert intent_after(reading, classified("bạn là bot à", [("bot_challenge", 0.9)])) == "bot_challenge"
    assert intent_after(reading, classified("tiền điện cắt cổ, tháng 10 bao nhiêu", [("ask_bill", 0.9)])) \
        == "ask_bill"


def test_a_greeting_or_thanks_clause_is_not_the_request():
    assert lemmas("em chào anh chị, cho em hỏi còn nợ không") == ["cho", "em", "hỏi", "còn", "nợ", "không"]
    assert lemmas("chú cảm ơn. vậy tiền điện tháng 10 bao nhiêu")[:3] == ["vậy", "tiền", "điện"]
    assert lemmas("cam on, bot xin qua") == ["cam", "on", "bot", "xin", "qua"]  # no request: kept whole
    assert lemmas("chào em") == ["chào", "em"]


def test_words_of_a_bill_and_none_of_a_cut_are_not_a_report_of_an_outage():
    guard = BillNotACut()
    assert intent_after(guard, classified("ba con o Q1 nho con dong tien dien gium ma ba hong nho ma so gi het tron",
                                          [("report_outage", 0.55), ("ask_bill", 0.2)])) == "ask_bill"
    # a report that says the power is off stays one, bill words or not
    assert intent_after(guard, classified("mat dien tu sang, tien dien thang nao cung dong du",
                                          [("report_outage", 0.9), ("ask_bill", 0.05)])) == "report_outage"
    assert intent_after(guard, classified("nhà tui tối thui từ chiều", [("report_outage", 0.9)])) == "report_outage"


def test_values_after_words_that_name_a_service_ask_for_it():
    named = NamedService()
    opening = classified("đăng ký điện mới giúp em: tên Ngô Bảo Ngọc, CCCD 036199004567, sđt 0911222444",
                         [("inform", 0.98)], ["phone"])
    assert intent_after(named, opening) == "request_service"
    assert opening.get(INTENT)["confidence"] < 0.8  # a form that asked a question still reads it as the answer
    # a service named only inside a field's value, or no service at all: values
    assert intent_after(named, classified("tên Lê Thị Hoa, lý do muốn lắp điện mặt trời", [("inform", 0.9)])) \
        == "inform"
    assert intent_after(named, classified("PE01000000001 0901234567", [("inform", 1.0)])) == "inform"


def test_a_cut_told_is_a_report_and_a_bills_payment_asked_is_its_status():
    told = classified("mat dien o 12 le loi p.ben nghe q1 tphcm", [("inform", 0.7)], ["location"])
    assert intent_after(CutReported(), told) == "report_outage"
    asked = classified("q1 co cup dien khong", [("inform", 0.6)], ["location"])
    assert intent_after(CutReported(), asked) == "inform"  # a question: the schedule, perhaps
    payment = BillPaymentQuestion()
    july = classified("thang 7 nha minh tra bang cach nao vay, quen mat tieu", [("out_of_scope", 0.49)], ["period"])
    assert intent_after(payment, july) == "ask_payment_status"
    ways = classified("tra bang cach nao duoc vay ad", [("ask_payment_methods", 0.8)])
    assert intent_after(payment, ways) == "ask_payment_methods"  # no bill in the past: the ways to pay


def test_labelled_fields_after_a_named_service_are_that_request_whatever_words_they_hold():
    labelled = classified("mình cần người gọi lại. lý do: muốn hỏi giá điện kinh doanh; sđt 0868123456; tên: Hoàng "
                          "Anh Thư", [("ask_tariff", 0.7)], ["phone"])
    assert intent_after(NamedService(), labelled) == "request_service"
    assert intent_after(NamedService(), classified("giá điện kinh doanh bao nhiêu", [("ask_tariff", 0.9)])) \
        == "ask_tariff"
    filed = classified("đơn xin cấp điện mới nộp từ tháng 10 mà giờ vẫn im re", [("nlu_fallback", 0.4)])
    assert intent_after(NamedService(), filed) == "nlu_fallback"  # a request filed: its status, not a new one


def test_not_knowing_the_registered_phone_asks_for_the_holders_change():
    heir = classified("bố em mất rồi, hợp đồng điện vẫn đứng tên bố, em ko biết sđt bố đăng ký",
                      [("report_outage", 0.6)])
    (heir,) = OtherRoad().process([heir])
    assert heir.get(INTENT)["name"] == "request_service"
    assert {"service_type": "contract_holder_change"}.items() <= {
        e["entity"]: e["value"] for e in heir.get(ENTITIES)}.items()
    assert intent_after(OtherRoad(), classified("tiền điện tháng 10", [("ask_bill", 0.9)])) == "ask_bill"


def test_a_question_about_a_cut_that_is_over_asks_the_schedule():
    over = CutThatIsOver()
    assert intent_after(over, classified("p27 Bình Thạnh tối qua cúp điện là do lịch hả ad",
                                         [("report_outage", 0.94)])) == "ask_outage_schedule"
    assert intent_after(over, classified("sáng nay ở p Linh Trung cúp điện từ 8h tới trưa là sao vậy, giờ thì có điện "
                                         "rồi", [("report_outage", 0.9)])) == "ask_outage_schedule"
    going_on = classified("Chú mất điện từ 6 giờ chiều tới giờ, có phải cắt theo lịch không cháu",
                          [("report_outage", 0.95)])
    assert intent_after(over, going_on) == "report_outage"
