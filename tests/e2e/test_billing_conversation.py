"""A Vietnamese billing conversation over the REST channel, end to end."""
import unicodedata
import uuid

import requests

from tests.e2e.helpers import texts


def test_bill_of_october_after_verification(stack):
    chat = f"e2e-{uuid.uuid4().hex}"
    first = texts(stack.say(chat, "cho em hỏi tiền điện tháng 10/2026 bao nhiêu"))
    assert "mã khách hàng" in first and "979.560" not in first
    assert "số điện thoại" in texts(stack.say(chat, "PE01000000001"))
    answer = texts(stack.say(chat, "0901 234 567"))
    assert "979.560 đ" in answer and "10/2026" in answer and "090****567" in answer
    assert "0901234567" not in answer and "Lê Lợi" not in answer
    follow_up = texts(stack.say(chat, "con thang 9 thi sao"))
    assert "423.468 đ" in follow_up


def test_wrong_phone_three_times_reveals_nothing(stack):
    chat = f"e2e-{uuid.uuid4().hex}"
    seen = [texts(stack.say(chat, "xem hóa đơn tháng này")), texts(stack.say(chat, "PE01000000001"))]
    for wrong in ("0900000001", "0900000002", "0900000003"):
        seen.append(texts(stack.say(chat, wrong)))
        if "mã khách hàng" in seen[-1] and "tạm khóa" not in seen[-1]:
            seen.append(texts(stack.say(chat, "PE01000000001")))
    assert "tạm khóa" in seen[-1]
    # Even the right number is refused now, and nothing personal was ever shown.
    seen.append(texts(stack.say(chat, "hóa đơn tháng này")))
    seen.append(texts(stack.say(chat, "0901234567")))
    everything = "\n".join(seen)
    for secret in ("979.560", "Nguyễn Văn An", "Lê Lợi", "350 kWh", "090****567"):
        assert secret not in everything


def test_tariff_without_verification_and_out_of_scope(stack):
    chat = f"e2e-{uuid.uuid4().hex}"
    assert "1.984 đ/kWh" in texts(stack.say(chat, "gia dien bac thang bn"))
    assert "nước" in texts(stack.say(chat, "tiền nước tháng này bao nhiêu"))


def test_bad_input_gets_an_answer_not_an_error(stack):
    chat = f"e2e-{uuid.uuid4().hex}"
    assert "chưa nhận được nội dung" in texts(stack.say(chat, ""))
    assert "chưa nhận được nội dung" in texts(stack.say(chat, "   "))
    assert "dài quá 2.000 ký tự" in texts(stack.say(chat, "điện " * 5000))
    assert "chưa hiểu" in texts(stack.say(chat, "🙂🙂🙂"))
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    wrong_type = requests.post(url, json={"sender": chat, "message": 12345}, headers=stack.rest_headers, timeout=30)
    assert wrong_type.status_code == 200 and "chưa nhận được nội dung" in texts(wrong_type.json())
    for body in ("{not json", "[]", '"text"'):
        response = requests.post(url, data=body, headers={"Content-Type": "application/json", **stack.rest_headers},
                                 timeout=30)
        assert 400 <= response.status_code < 500, (body, response.status_code)


def test_decomposed_accents_are_understood(stack):
    chat = f"e2e-{uuid.uuid4().hex}"
    decomposed = unicodedata.normalize("NFD", "giá điện bậc thang bao nhiêu")
    assert "1.984 đ/kWh" in texts(stack.say(chat, decomposed))
