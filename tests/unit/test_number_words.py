"""Numbers in words or half in digits: a wrong reading is a wrong fact, so each shape is pinned here."""
import pytest

from evn.domain.language.number_words import find_spoken_numbers
from evn.domain.language.quantities import asks_an_amount, parse_kwh


@pytest.mark.parametrize(
    "text, value",
    [
        ("khoảng 2 trăm 40 số", 240),  # not 40, not 2040
        ("bốn trăm rưỡi ký", 450),
        ("hai tram ruoi so", 250),
        ("4 trăm ký", 400),  # not 4
        ("mot nghin hai so", 1200),
        ("trăm rưỡi số", 150),
        ("ba tram linh nam so", 305),  # "linh": units, not 350
        ("một trăm lẻ một", 101),
        ("2 trăm mốt ký", 210),  # not 201
        ("trăm tư", 140),
        ("chín chục ký", 90),
        ("1 trăm 8 chục số", 180),
        ("3 tram 2 chuc so", 320),
        ("mười lăm số", 15),
        ("hai mươi mốt", 21),
        ("hai triệu mốt", 2_100_000),
        ("3 củ", 3_000_000),
        ("1,5 triệu", 1_500_000),
        ("nghìn rưỡi", 1_500),
    ],
)
def test_a_number_in_words(text, value):
    (number,) = find_spoken_numbers(text)
    assert number.value == value


@pytest.mark.parametrize(
    "text",
    [
        "năm nay", "tháng năm năm ngoái", "xài một tháng", "sau đó", "tạm ngừng",  # everyday words, no place word
        "hai trăm sáu mấy nghìn",  # vague: no number rather than a guess
        "350 kWh",  # plain digits need no reading
    ],
)
def test_no_number_where_none_is_said(text):
    assert find_spoken_numbers(text) == []


def test_the_phrase_is_where_the_number_is():
    text = "Chú xài ba trăm số một tháng"
    (number,) = find_spoken_numbers(text)
    assert text[number.start:number.end] == "ba trăm"


@pytest.mark.parametrize(
    "text, kwh",
    [
        ("xài khoảng 2 trăm 40 số thì hết bao nhiêu", 240),
        ("tháng 9 xài 180 số", 180),  # the number with a unit, not the month
        ("tháng 9 nhà tui xài có 1 trăm 8 chục số thôi", 180),
        ("350 kWh", 350),
        ("1.200 số", 1200),
        ("275,5 kwh", 276),
        ("300", 300),
        ("nhà tui chắc bốn trăm rưỡi ký", 450),
    ],
)
def test_kwh_as_customers_say_it(text, kwh):
    assert parse_kwh(text) == kwh


def test_words_that_ask_an_amount():
    assert asks_an_amount("vậy tiền chừng nhiêu") and asks_an_amount("hết bn") and asks_an_amount("thì sao")
    assert not asks_an_amount("350 kWh") and not asks_an_amount("dạ vâng")


def test_per_cent_is_not_a_hundred():
    assert find_spoken_numbers("tăng quá 40 phần trăm so với kỳ trước thì báo em") == []


def test_the_tens_said_without_muoi_after_a_hundred():
    assert [n.value for n in find_spoken_numbers("còn hai trăm bảy lăm kí")] == [275]
    assert [n.value for n in find_spoken_numbers("ba trăm tám tư")] == [384]
