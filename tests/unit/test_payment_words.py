import pytest

from evn.domain.language import payment_words


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


@pytest.mark.parametrize(("text", "paid"), [
    # "chưa" asks when it comes within three words
    ("đã chuyển khoản cho em chưa", False), ("đã đóng tiền điện tháng này chưa", True),
    ("đã đóng tiền rồi chưa", True), ("đã đóng chưa, mà vừa trả rồi", True), ("đã đóng chưax", True),
])
def test_a_question_with_chua_is_no_claim_of_payment(text, paid):
    assert payment_words.says_already_paid(text) is paid


@pytest.mark.parametrize(("text", "everything"), [
    ("hết hạn chưa", False), ("trả hết hạn luôn", True), ("hết hạn rồi, trả hết luôn", True), ("hết", True),
])
def test_het_han_is_not_everything(text, everything):
    assert payment_words.wants_all(text) is everything
