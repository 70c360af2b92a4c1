"""Several requests in one message: where a message may divide and which parts are requests
(evn/domain/language/request_clauses.py) and the queue of those not served yet (evn/domain/queued_requests.py). The
NLU component that puts the parts together and the slots a served request fills run on Rasa:
tests/components/test_several_requests_in_rasa.py."""
from evn.domain.language.request_clauses import Part, Request, parts, requests
from evn.domain.queued_requests import QUEUED, waiting


def _texts(text: str) -> list[str]:
    return [text[start:end] for start, end in parts(text)]


def test_a_message_divides_before_joining_words_and_after_marks() -> None:
    assert _texts("coi hoa don ky roi xong gui ma QR luon") == ["coi hoa don ky ", "roi ", "xong gui ma QR luon"]
    assert _texts("lịch cúp điện quận 1, tiền tháng 10") == ["lịch cúp điện quận 1, ", "tiền tháng 10"]


def test_a_message_without_a_joining_word_does_not_divide() -> None:
    assert parts("tiền điện tháng 10 bao nhiêu") == []
    assert parts("") == []


def _classified(text: str, *labels: tuple[str, str | None, float]) -> list[Part]:
    found, start = [], 0
    for words, intent, confidence in labels:
        start = text.index(words, start)
        found.append(Part(start, start + len(words), intent, confidence))
        start += len(words)
    return found


def test_two_requests_come_out_in_the_order_asked_with_what_is_no_request_joined_to_its_neighbour() -> None:
    text = "coi hoa don ky roi xong gui ma QR luon"
    found = requests(text, _classified(text, ("coi hoa don ky ", "ask_bill", 0.9), ("roi ", "inform", 0.9),
                                       ("xong gui ma QR luon", "request_payment_link", 0.99)), "request_payment_link")
    assert found == [Request(0, 18, "ask_bill", 0.9), Request(19, len(text), "request_payment_link", 0.99)]
    assert text[found[0].start:found[0].end] == "coi hoa don ky roi"  # "kỳ rồi" stays the period asked


def test_neighbours_asking_the_same_thing_are_one_request() -> None:
    text = "tiền tháng 8 với tháng 9"
    found = requests(text, _classified(text, ("tiền tháng 8 ", "ask_bill", 0.9), ("với tháng 9", "ask_bill", 0.8)),
                     "ask_bill")
    assert found == []


def test_a_part_classified_unsurely_in_one_word_or_outside_the_requests_asked_together_is_no_request() -> None:
    text = "khoan đã, có mùi khét ở công tơ"
    assert requests(text, _classified(text, ("khoan đã, ", "list_linked_accounts", 0.91),
                                      ("có mùi khét ở công tơ", "report_hazard", 1.0)), "report_hazard") == []
    text = "xem no, gui link"
    assert requests(text, _classified(text, ("xem no, ", "ask_bill", 0.5),
                                      ("gui link", "request_payment_link", 0.9)), "request_payment_link") == []
    text = "ok, gui link"
    assert requests(text, _classified(text, ("ok, ", "ask_bill", 0.9),
                                      ("gui link", "request_payment_link", 0.9)), "request_payment_link") == []


def test_the_whole_message_must_be_one_of_the_requests_or_nothing_sure() -> None:
    text = "lich cup dien q1, tien thang 10"
    labels = (("lich cup dien q1, ", "ask_outage_schedule", 0.9), ("tien thang 10", "ask_bill", 0.9))
    assert len(requests(text, _classified(text, *labels), "inform")) == 2
    assert len(requests(text, _classified(text, *labels), "nlu_fallback")) == 2
    assert requests(text, _classified(text, *labels), "report_hazard") == []


def _user(intent: str, **parse: object) -> dict:
    return {"event": "user", "text": "…", "parse_data": {"intent": {"name": intent}, **parse}}


ASKED = [{"text": "coi hoa don", "intent": {"name": "ask_bill"}},
         {"text": "gui ma QR", "intent": {"name": "request_payment_link"}},
         {"text": "lich cup dien", "intent": {"name": "ask_outage_schedule"}}]


def test_the_requests_after_the_first_wait_until_each_is_served() -> None:
    events = [_user("ask_bill", requests=ASKED)]
    assert waiting(events) == ASKED[1:]
    events.append(_user("request_payment_link", **{QUEUED: True}))
    assert waiting(events) == ASKED[2:]
    events.append(_user("ask_outage_schedule", **{QUEUED: True}))
    assert waiting(events) == []


def test_answers_to_a_form_keep_the_queue_and_a_new_message_ends_it() -> None:
    events = [_user("ask_bill", requests=ASKED), {"event": "active_loop", "name": "verify_form"},
              _user("inform"), {"event": "active_loop", "name": None}]
    assert waiting(events) == ASKED[1:]
    assert waiting([*events, _user("EXTERNAL_payment_received")]) == ASKED[1:]
    assert waiting([*events, _user("ask_tariff")]) == []
    assert waiting([*events, {"event": "restart"}]) == []


def test_a_mark_inside_a_number_and_a_done_thing_do_not_divide() -> None:
    assert parts("e tính xem 1.200 kwh hết nhiêu tiền") == []
    assert parts("mình chuyển tiền rồi mà sao chưa thấy gạch nợ") == []
    assert _texts("xem nợ rồi gửi link") == ["xem nợ ", "rồi gửi link"]


def test_what_was_already_done_is_not_a_new_request_to_act_on() -> None:
    text = "em đã báo mất điện từ sáng, kiểm tra giúp"
    labels = (("em đã báo mất điện từ sáng, ", "report_outage", 0.96), ("kiểm tra giúp", "check_request_status", 0.9))
    assert requests(text, _classified(text, *labels), "check_request_status") == []
    text = "nhà mất điện, gửi link trả tiền"
    labels = (("nhà mất điện, ", "report_outage", 0.95), ("gửi link trả tiền", "request_payment_link", 0.9))
    assert [r.intent for r in requests(text, _classified(text, *labels), "report_outage")] == [
        "report_outage", "request_payment_link"]


def test_a_question_part_that_only_tells_what_happened_is_the_story_of_the_request_beside_it() -> None:
    text = "bị cắt điện do nợ, xin đóng điện lại"
    labels = (("bị cắt điện do nợ, ", "ask_payment_status", 0.8), ("xin đóng điện lại", "request_service", 0.97))
    assert requests(text, _classified(text, *labels), "ask_payment_status") == []
    text = "sao vẫn báo chưa đóng tiền điện, tui đóng ở bưu điện rồi mà"
    labels = (("sao vẫn báo chưa đóng tiền điện, ", "ask_payment_status", 0.9),
              ("tui đóng ở bưu điện rồi mà", "ask_payment_methods", 0.9))
    assert requests(text, _classified(text, *labels), "ask_payment_status") == []
    # asking, or "kỳ rồi" (a period), keeps a part a request
    text = "tiền điện kỳ rồi, lịch cúp điện q1"
    labels = (("tiền điện kỳ rồi, ", "ask_bill", 0.9), ("lịch cúp điện q1", "ask_outage_schedule", 0.95))
    assert len(requests(text, _classified(text, *labels), "nlu_fallback")) == 2
    text = "tháng 9 đóng rồi hả, gửi link tháng 10"
    labels = (("tháng 9 đóng rồi hả, ", "ask_payment_status", 0.9), ("gửi link tháng 10", "request_payment_link", 0.95))
    assert len(requests(text, _classified(text, *labels), "nlu_fallback")) == 2


def test_the_with_of_a_comparison_divides_nothing():
    text = "coi giùm tiền điện tháng 12 năm ngoái so với tháng 10 năm nay, sao tăng dữ vậy"
    assert all(not text[start:end].startswith("với") for start, end in parts(text))
