from evn.domain.language.bill_words import asks_why_it_rose, names_a_bill


def test_what_a_message_led_by_values_asks_of_a_bill():
    assert names_a_bill("bill moi nhat cua e, PE01000000001 0901234567")
    assert names_a_bill("cho e xem 2 tháng gần đây nhất nha, PE01000000001 0901234567")
    assert names_a_bill("PE01000000001 0901234567 tháng 9")
    assert not names_a_bill("PE01000000001 0901234567")


def test_a_rise_asked_in_words():
    assert asks_why_it_rose("sao tháng này cao vậy") and asks_why_it_rose("TAI SAO GAP DOI")
    assert not asks_why_it_rose("bill moi nhat cua e")
