import pytest

from evn.domain.language.no_registered_phone import lacks_registered_phone


@pytest.mark.parametrize("text", [
    "nhà mới mua, ko biết sdt chủ cũ", "tôi không biết số điện thoại đã đăng ký", "khong nho so dang ky",
    "số cũ bỏ rồi, mất sim", "em không phải chủ hợp đồng", "chủ cũ không cho số", "chủ hợp đồng đã mất rồi",
    "bố em mất rồi, không biết sđt bố đăng ký",
    "mới mua nhà nên không biết số", "ko biết, nhà mới mua",
])
def test_customers_without_the_registered_phone(text):
    assert lacks_registered_phone(text)


@pytest.mark.parametrize("text", ["0901234567", "số điện thoại của tôi là 0901 234 567", "tiền điện tháng 10", "",
                                  "không biết số khách hàng", "quên số khách hàng", "ko biết số tiền", "ba mất điện"])
def test_a_phone_or_a_question_is_not(text):
    assert not lacks_registered_phone(text)
