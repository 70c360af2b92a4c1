"""Asking for the power company's phone line, and the area named (evn/domain/language/hotline_words.py)."""
import pytest

from evn.domain.language.hotline_words import area_named, asks_hotline


@pytest.mark.parametrize("text, area", [
    ("tổng đài điện lực miền nam số mấy", "EVNSPC"),
    ("cho hỏi hotline điện lực hcm", "EVNHCMC"),
    ("số tổng đài điện lực sài gòn", "EVNHCMC"),
    ("sđt cskh điện lực hà nội là gì", "EVNHANOI"),
    ("Số đt của điện lực Hà Nội?", "EVNHANOI"),
    ("hotline dien luc tp.hcm", "EVNHCMC"),
    ("hotline evn", None),
    ("ở sài gòn thì gọi số nào", "EVNHCMC"),
])
def test_the_hotline_asked_and_its_area(text, area):
    assert asks_hotline(text) and area_named(text) == area


@pytest.mark.parametrize("text", [
    "huỷ giúp e nhé, e gọi tổng đài rồi",  # told, not asked
    "cho gặp tổng đài viên",  # a person
    "tiền điện tháng 10 bao nhiêu",
    "mất điện ở hà nội",
])
def test_other_messages_do_not_ask_it(text):
    assert not asks_hotline(text)


def test_two_areas_name_none():
    assert area_named("tổng đài hà nội với sài gòn") is None
