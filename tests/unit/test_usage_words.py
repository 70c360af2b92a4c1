"""Words about the period running without naming it, and the follow-ups of an alert's answer."""
from __future__ import annotations

from datetime import date

import pytest

from evn.domain.language import follow_ups
from evn.domain.language.usage_words import asks_the_period_so_far


@pytest.mark.parametrize("text", [
    "Cho tôi hỏi từ đầu tháng đến giờ nhà tôi dùng hết mấy số điện rồi ạ", "tính ra mỗi ngày nhà tôi dùng khoảng bao "
    "nhiêu số", "ngay nao xai nhieu nhat z", "điện nhà mình hôm qua dùng bao nhiêu"])
def test_the_period_so_far_asked_without_naming_it(text):
    assert asks_the_period_so_far(text)


@pytest.mark.parametrize("text", ["lich su dung dien 6 thang", "so sánh điện các tháng", "tháng 9 xài bao nhiêu"])
def test_other_consumption_questions(text):
    assert not asks_the_period_so_far(text)


def test_after_an_alerts_answer_its_words_follow_it_up_and_others_do_not():
    today = date(2026, 11, 21)
    for text in ("thôi hủy cái 175 số đi", "thêm 400 số nữa", "tôi còn những cảnh báo nào"):
        assert follow_ups.follow_up(follow_ups.ANSWER, text, today, asked_before="usage_alert") == \
            follow_ups.FollowUp(follow_ups.ANSWER, follow_ups.ALERTS), text
    assert follow_ups.follow_up(follow_ups.ANSWER, "thôi hủy cái 175 số đi", today, asked_before="ask_bill") is None
    assert follow_ups.follow_up(follow_ups.ANSWER, "cảm ơn em", today, asked_before="usage_alert") is None
    assert follow_ups.question_before(["inform", "inform", "usage_alert", "ask_bill"]) == "usage_alert"


def test_which_month_most_asks_the_periods_not_a_comparison_of_two():
    found = follow_ups.follow_up(follow_ups.ANSWER, "tháng nào xài nhiều nhất", date(2026, 12, 1))
    assert found == follow_ups.FollowUp(follow_ups.ANSWER, "ask_consumption")


def test_usage_alerts_are_a_kind_of_notice_a_customer_can_stop_by_name():
    from evn.domain.language.notice_words import kinds_named
    from evn.domain.notices import NoticeKind

    assert kinds_named("ngừng nhận thông báo cảnh báo vượt mức") == (NoticeKind.USAGE_ALERT,)
    assert kinds_named("tắt thông báo cúp điện") == (NoticeKind.OUTAGE_PLANNED, NoticeKind.OUTAGE_UPDATE,
                                                     NoticeKind.OUTAGE_RESTORED)
    assert kinds_named("đừng báo sự cố nữa") == (NoticeKind.OUTAGE_UPDATE, NoticeKind.OUTAGE_RESTORED)


def test_several_periods_asked_and_how_many_kwh_is_not_that():
    from evn.domain.language.usage_words import asks_several_periods

    assert asks_several_periods("vẽ giùm e cái biểu đồ điện mấy tháng nay")
    assert asks_several_periods("so sánh điện các tháng, tháng nào dùng nhiều nhất")
    assert not asks_several_periods("coi giup e tu dau thang toi gio het may ky roi")  # "mấy ký": how many kWh
