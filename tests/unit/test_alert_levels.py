"""Alert levels as customers type them, and which of set, list or cancel they ask (alert_levels)."""
from __future__ import annotations

import pytest

from evn.domain.language.alert_levels import AlertAction, action_asked, level_in
from evn.domain.usage_alerts import AlertKind, AlertLevel

KWH, PERCENT, AMOUNT = AlertKind.KWH, AlertKind.PERCENT, AlertKind.AMOUNT


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("báo khi vượt 300 số", KWH, 300),
    ("bao e khi qua 300kwh", KWH, 300),
    ("ba trăm số thì báo", KWH, 300),
    ("hai trăm rưỡi số", KWH, 250),
    ("vượt 300 thì báo", KWH, 300),  # a bare number of a month's size is kWh
    ("tháng 11 báo khi vượt 300", KWH, 300),  # not the month
    ("PE01000000001 báo khi vượt 250 số", KWH, 250),  # not the code
    ("tăng hơn 30% thì báo", PERCENT, 30),
    ("tang hon 30 phan tram so voi thang truoc", PERCENT, 30),
    ("gấp đôi tháng trước thì báo", PERCENT, 100),
    ("quá 1 triệu thì nhắn em", AMOUNT, 1_000_000),
    ("tien dien qua 1tr2 thi bao", AMOUNT, 1_200_000),
    ("1,5tr", AMOUNT, 1_500_000),
    ("2 củ", AMOUNT, 2_000_000),
    ("800k", AMOUNT, 800_000),
    ("tiền điện quá 700 nghìn", AMOUNT, 700_000),
    ("1.500.000đ", AMOUNT, 1_500_000),
    ("quá 500000 thì báo", AMOUNT, 500_000),  # a bare number of a bill's size is money
    ("một triệu rưỡi", AMOUNT, 1_500_000),
    ("0901234567 qua 1 trieu bao e", AMOUNT, 1_000_000),  # not the phone
    ("khi nao tien dien vuot 1tr ruoi thi bao e", AMOUNT, 1_500_000),
    ("Cho tôi đặt cảnh báo khi dùng quá một trăm chín mươi số", KWH, 190),
])
def test_the_level_in_the_customers_words(text, kind, value):
    assert level_in(text) == AlertLevel(kind, value)


@pytest.mark.parametrize("text", ["cài cảnh báo tiền điện", "bỏ hết cảnh báo", "em đang đặt những cảnh báo nào"])
def test_no_level_named(text):
    assert level_in(text) is None


@pytest.mark.parametrize(("text", "action"), [
    ("báo khi vượt 300 số", AlertAction.SET),
    ("cài cảnh báo tiền điện", AlertAction.SET),
    ("hủy cảnh báo 300 số", AlertAction.CANCEL),
    ("bỏ hết cảnh báo", AlertAction.CANCEL),
    ("thôi khỏi cảnh báo nữa", AlertAction.CANCEL),
    ("em đang đặt những cảnh báo nào", AlertAction.LIST),
    ("Đặt giúp tôi cảnh báo khi dùng quá 175 số điện", AlertAction.SET),  # "dùng" is no "dừng"
    ("khi dung qua 300 so thi bao", AlertAction.SET),
    ("thôi đặt 450 số đi", AlertAction.SET),  # "thôi" alone is no cancel
    ("dừng cảnh báo đi", AlertAction.CANCEL),
    ("khong can canh bao nua", AlertAction.CANCEL),
    ("xem các cảnh báo", AlertAction.LIST),
    ("minh co cai nguong canh bao nao chua", AlertAction.LIST),
])
def test_set_list_or_cancel(text, action):
    assert action_asked(text) is action


@pytest.mark.parametrize(("level", "problem"), [
    (AlertLevel(KWH, 0), "too_low"), (AlertLevel(KWH, 300), None), (AlertLevel(KWH, 1_000_000), "too_high"),
    (AlertLevel(PERCENT, 1), "too_low"), (AlertLevel(PERCENT, 30), None),
    (AlertLevel(AMOUNT, 1_000), "too_low"), (AlertLevel(AMOUNT, 10**12), "too_high"),
])
def test_levels_that_make_no_sense(level, problem):
    assert level.problem == problem
