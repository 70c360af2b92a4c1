"""What a message carries, read before what it asks (evn/domain/message_values.py)."""
from evn.domain.language.message_values import find_values
from evn.domain.language.payment_words import asks_if_a_bill_is_paid


def values(text: str) -> list[tuple[str, str, str]]:
    return [(value.kind, text[value.start:value.end], value.value) for value in find_values(text)]


def test_a_question_with_its_code_and_phone_in_any_form():
    assert values("check bill tháng 8 giúp mình, mã pe 01000000001 sđt +84 90 123 4567") == [
        ("period", "tháng 8", "tháng 8"), ("customer_code", "pe 01000000001", "PE01000000001"),
        ("phone", "+84 90 123 4567", "0901234567")]
    assert values("PE-01000000001 84901234567 còn nợ không") == [
        ("customer_code", "PE-01000000001", "PE01000000001"), ("phone", "84901234567", "0901234567")]
    assert values("sđt +84 0912345678") == [("phone", "+84 0912345678", "0912345678")]


def test_the_digits_of_a_code_typed_apart_are_not_a_phone():
    assert [kind for kind, _, _ in values("mã PD 01000000002")] == ["customer_code"]
    assert [kind for kind, _, _ in values("PD 0100 0000 002, 0912.345.678")] == ["customer_code", "phone"]


def test_a_phone_said_in_digit_words_is_a_phone_not_numbers():
    assert values("mã PE01000000001, sđt không chín không một hai ba bốn năm sáu bảy, tháng mười") == [
        ("customer_code", "PE01000000001", "PE01000000001"),
        ("phone", "không chín không một hai ba bốn năm sáu bảy", "0901234567"), ("period", "tháng mười", "tháng 10")]


def test_periods_in_words_and_with_their_year_said_apart():
    assert values("tiền điện kỳ 9 nhà em") == [("period", "kỳ 9", "tháng 9")]
    assert values("cuối năm ngoái tháng 12 nhà tui") == [
        ("period", "cuối năm ngoái", "tháng 12 năm ngoái"), ("period", "tháng 12", "tháng 12 năm ngoái")]


def test_several_months_after_one_thang():
    assert [value for kind, _, value in values("thang 5 6 7 moi thang xai bao nhieu")] == [
        "thang 5", "tháng 6", "tháng 7"]
    assert [value for _, _, value in values("tháng 8 và 9")] == ["tháng 8", "tháng 9"]
    assert [value for _, _, value in values("tháng 10-2026")] == ["tháng 10-2026"]


def test_a_quantity_in_words_wins_over_the_digits_inside_it():
    assert values("xài khoảng 2 trăm 40 số") == [("kwh", "2 trăm 40 số", "240 kWh")]


def test_a_question_about_one_bill_being_paid():
    assert asks_if_a_bill_is_paid("tháng đó đóng chưa") and asks_if_a_bill_is_paid("đóng rồi phải ko ad")
    assert asks_if_a_bill_is_paid("tháng 9 chị trả rồi đúng ko")
    assert not asks_if_a_bill_is_paid("còn nợ không") and not asks_if_a_bill_is_paid("tháng 9 bao nhiêu")
    # how, when, by when that bill is paid
    assert asks_if_a_bill_is_paid("tháng đó trả bằng gì v") and asks_if_a_bill_is_paid("han chot khi nao z")
    assert asks_if_a_bill_is_paid("tháng đó chị trả qua cái gì vậy em")
    assert asks_if_a_bill_is_paid("kỳ trước đóng qua app nào")
    assert asks_if_a_bill_is_paid("kỳ đó đóng ngày nào") and asks_if_a_bill_is_paid("ky do thanh toan qua dau vay")
    assert not asks_if_a_bill_is_paid("trả bằng momo được không")
    assert not asks_if_a_bill_is_paid("vậy trả bằng cách nào được")


def test_the_code_a_phone_is_given_for():
    from evn.domain.identity import code_of_phone, customer_codes
    assert code_of_phone("Ma nha toi PE01000000001 sdt 0901234567, xem luon ma PD01000000002") == "PE01000000001"
    assert code_of_phone("giờ đổi qua mã PD01000000002 sđt 0912345678 nha") == "PD01000000002"
    assert customer_codes("PE01000000001 và pd 01000000002") == ["PE01000000001", "PD01000000002"]


def test_a_month_compared_is_no_quantity():
    assert values("tháng 7 so với tháng 1 năm nay tiền điện tăng hay giảm") == [
        ("period", "tháng 7", "tháng 7 năm nay"), ("period", "tháng 1 năm nay", "tháng 1 năm nay")]
    assert values("200 số điện hết bao nhiêu tiền") == [("kwh", "200 số", "200 số")]
    assert values("đặt giúp chị cảnh báo vượt 280 kWh") == [("kwh", "280 kWh", "280 kWh")]  # "vượt" ends in t
