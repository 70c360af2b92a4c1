import pytest

from evn.domain import payment_words


@pytest.mark.parametrize("text", [
    "tôi đã đóng tiền rồi mà vẫn báo nợ", "e chuyen khoan roi ma sao van con no tien dien",
    "ủa mình đóng rồi mà, sao còn báo nợ", "em đã thanh toán hôm qua", "ck rồi nha",
])
def test_the_customer_says_they_paid(text):
    assert payment_words.says_already_paid(text)


@pytest.mark.parametrize("text", ["tôi còn nợ không", "đóng tiền ở đâu", "thanh toán qua momo", "trả hết",
                                  "tôi đã đóng chưa", "tháng 10 đã thanh toán tiền điện chưa"])
def test_questions_about_paying_are_not_claims_of_payment(text):
    assert not payment_words.says_already_paid(text)


@pytest.mark.parametrize(("text", "named"), [
    ("còn chuyển khoản thì sao", True), ("trả bằng thẻ được ko", True), ("ví điện tử được không", True),
    ("còn thế thì sao", False), ("vì sao tăng", False), ("cảm ơn", False),
])
def test_a_follow_up_on_the_ways_to_pay(text, named):
    assert payment_words.names_a_way_to_pay(text) is named
