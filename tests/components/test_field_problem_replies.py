"""A value a service form refuses (evn/domain/service_catalogue.py) is explained in the customer's words: the problem's
response, filled as the actions fill it (actions/phrases.py, on rasa_sdk). The checks themselves are pure:
tests/unit/test_service_catalogue.py."""
from datetime import date

import pytest

from evn.domain.service_catalogue import validate

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    "kind, text, hint",
    [
        ("name", "An", "họ và tên"),
        ("name", "Nguyen Van 4n", "chữ cái"),
        ("name", "", "họ và tên"),
        ("phone", "12345", "10 chữ số"),
        ("phone", "0123456789", "10 chữ số"),
        ("address", "Quận 1", "địa chỉ"),
        ("address", "nhà em ở gần chợ", "địa chỉ"),
        ("address", "thành phố Hồ Chí Minh", "địa chỉ"),
        ("address", "ngoxom", "địa chỉ"),
        ("id_number", "07909500123", "12 chữ số"),
        ("id_number", "0790950012345", "12 chữ số"),
        ("id_number", "07909500123A", "12 chữ số"),
        ("kw", "0", "số dương"),
        ("kw", "2500 kW", "2000"),
        ("kw", "nhiều", "số dương"),
        ("kw", "từ 5 lên 10", "số dương"),
        ("kw", "lên 3 pha", "số dương"),
        ("count", "0", "từ 1 đến 50"),
        ("count", "51", "từ 1 đến 50"),
        ("count", "bốn", "chữ số"),
        ("count", "3 người lớn 2 trẻ em", "từ 1 đến 50"),
        ("date", "hôm qua", "đã qua"),
        ("date", "hôm kia", "đã qua"),
        ("date", "20/11", "đã qua"),  # a week ago: pointed out, not moved to next year
        ("date", "31/02", "ngày/tháng"),
        ("date", "27/11/2026", "đã qua"),
        ("date", "chờ mãi", "ngày/tháng"),
        ("text", "ab", "3 đến 500"),
        ("text", "ok", "nội dung cụ thể"),  # a bare yes answers no question that asks for words
        ("text", "x" * 501, "3 đến 500"),
    ],
)
def test_bad_values_get_a_polite_explanation(kind, text, hint, render):
    value, problem = validate(kind, text, TODAY)
    assert value is None and problem is not None
    said = render(f"utter_invalid_field_{problem.code}", **problem.values)
    assert said.startswith("Dạ,") and hint in said
