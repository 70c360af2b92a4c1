"""Follow-ups as one mechanism: which words continue which answer (evn/domain/language/follow_ups.py). The policy
that takes them before the rules (dialogue_policies/follow_up_policy.py) runs on Rasa's trackers:
tests/components/test_follow_up_policy.py."""
from datetime import date

import pytest

from evn.domain.language.comparisons import compares
from evn.domain.language.follow_ups import ANSWER, ESTIMATE, FILED, HANDOFF, SCHEDULE, SUMMARY, FollowUp, follow_up

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    "previous, text, expected",
    [
        (SCHEDULE, "còn thứ 7 thì sao", FollowUp(SCHEDULE)),
        (SCHEDULE, "đường nào bị vậy", FollowUp(SCHEDULE)),
        (ESTIMATE, "còn 250 thì sao", FollowUp(ESTIMATE)),
        (ESTIMATE, "nếu xài gấp ba thì sao", FollowUp(ESTIMATE)),
        (HANDOFF, "chừng nào mới có người trả lời", FollowUp(HANDOFF)),
        (ANSWER, "còn tháng bảy", FollowUp(ANSWER)),
        (ANSWER, "cả năm nay", FollowUp(ANSWER)),
        (ANSWER, "cộng lại hết nhiêu", FollowUp(ANSWER)),
        (ANSWER, "gửi lại link đi e, lúc nãy bấm ko được", FollowUp(ANSWER)),
        (ANSWER, "đóng rồi phải ko ad", FollowUp(ANSWER, "ask_payment_status")),
        (ANSWER, "vậy tiền chênh nhau bao nhiêu", FollowUp(ANSWER, "ask_bill_increase")),
        (ANSWER, "so với tháng trước đó thì sao", FollowUp(ANSWER, "ask_bill_increase")),
        (FILED, "bao lâu thì xong", FollowUp(FILED)),
        (FILED, "có mất phí không, mã yêu cầu là gì", FollowUp(FILED)),
    ],
)
def test_words_that_follow_up_the_answer_just_given(previous, text, expected):
    assert follow_up(previous, text, TODAY) == expected


@pytest.mark.parametrize(
    "previous, text",
    [(SCHEDULE, "cảm ơn em"), (FILED, "hủy yêu cầu đó giúp em"), (ESTIMATE, "tháng 9 xài 180 số"),
     (ANSWER, "muốn tăng công suất để lắp máy lạnh"),
     (ANSWER, "ok em"), (None, "còn tháng bảy"), (HANDOFF, "PE01000000001")],
)
def test_words_that_do_not(previous, text):
    assert follow_up(previous, text, TODAY) is None


def test_comparisons_and_what_is_not_one():
    assert compares("so thang 10 voi thang 9") and compares("tháng 7 xài nhiều số hơn tháng 6 hả")
    assert not compares("số 12 Lê Lợi") and not compares("xài 300 số hết bao nhiêu")
    assert not compares("muốn tăng công suất")
    # "so" typed for "số": an amount or a count of kWh, not "so sánh"
    assert not compares("cho hoi so tien phai thanh toan thang nay")
    assert not compares("check giup e so tien dien thang truoc vs")
    assert not compares("dong ho dien ghi bn so thang 11")
    assert compares("so hoa don thang 10 voi thang 9") and compares("so voi ky truoc")
    assert compares("Cho bác so tiền điện tháng mười với tháng chín")


@pytest.mark.parametrize("text, expected", [
    ("ok gửi, cho e mã yêu cầu", FollowUp(SUMMARY)),
    ("đúng rồi em, gửi giúp chị, mã yêu cầu là gì", FollowUp(SUMMARY)),
    ("không, sửa lại tên", None),
    ("khoan, địa chỉ sai rồi", None),
])
def test_a_yes_in_any_words_to_a_requests_summary_files_it(text, expected):
    assert follow_up(SUMMARY, text, TODAY) == expected


def test_the_number_of_a_request_filed_earlier_is_asked_whenever():
    assert follow_up(ANSWER, "cho xin lai ma ho so", TODAY, filed_earlier=True) == FollowUp(FILED)
    assert follow_up(None, "mã yêu cầu là gì", TODAY, filed_earlier=True) == FollowUp(FILED)
    assert follow_up(None, "mã yêu cầu là gì", TODAY) is None  # nothing filed here
    assert follow_up(None, "tra cứu YC-20261201-0003", TODAY, filed_earlier=True) is None  # a ticket named


def test_the_number_of_an_outage_report_just_filed_is_asked_in_its_own_words():
    assert follow_up("action_report_outage", "mã phản ánh đâu em", TODAY) == FollowUp(FILED)
    assert follow_up("action_report_hazard", "cho e xin số phiếu", TODAY) == FollowUp(FILED)
    assert follow_up(None, "cho tôi xin mã phản ánh mất điện", TODAY, filed_earlier=True) == FollowUp(FILED)
    assert follow_up("action_report_outage", "cho xin ma PE01000000001", TODAY) is None
    assert follow_up(SCHEDULE, "cảm ơn, mã số báo mất điện của tôi là gì nhỉ", TODAY, filed_earlier=True) == \
        FollowUp(FILED)


@pytest.mark.parametrize("previous, text, expected", [
    (ESTIMATE, "chưa VAT là nhiêu", FollowUp(ESTIMATE)),
    (ESTIMATE, "vay tien thue trong do bn", FollowUp(ESTIMATE)),
    (ANSWER, "trong đó thuế bao nhiêu", FollowUp(ANSWER, "ask_bill")),
    (ANSWER, "ngày mấy", FollowUp(ANSWER, "ask_payment_status")),
    (ANSWER, "qua kênh nào", FollowUp(ANSWER, "ask_payment_status")),
    ("action_handoff", "mai thứ mấy, có làm ko em", FollowUp("action_handoff")),
])
def test_what_is_asked_of_the_answer_just_given_in_few_words(previous, text, expected):
    assert follow_up(previous, text, TODAY) == expected


def test_a_phone_right_after_a_report_is_the_crews_number_to_call():
    assert follow_up("action_report_hazard", "sđt 0908123123", TODAY) == FollowUp("action_add_report_contact")
    assert follow_up("action_report_outage", "e tên Hùng sdt 0933222111", TODAY) == \
        FollowUp("action_add_report_contact")
    assert follow_up("action_report_outage", "PE01000000001 0901234567", TODAY) is None  # a verification


def test_the_difference_of_a_comparison_is_not_which_month_is_owed():
    from evn.domain.language.follow_ups import asks_the_difference

    assert asks_the_difference("chênh nhau bao nhiêu số điện hả cháu") and asks_the_difference("so với tháng 9 thì sao")
    assert not asks_the_difference("thế còn nợ kỳ nào ko") and not asks_the_difference("vậy còn tháng nào chưa đóng ko")


def test_who_to_call_after_a_report_and_what_to_bring_to_pay():
    assert follow_up("action_report_hazard", "có cần gọi ai nữa không", TODAY) == FollowUp("action_tell_hotline")
    assert follow_up("action_add_report_contact", "có cần gọi ai nữa không", TODAY) == FollowUp("action_tell_hotline")
    assert follow_up("action_show_payment_methods", "có cần đem theo gì ko", TODAY) == \
        FollowUp("action_show_payment_methods")


def test_another_area_after_its_hotline_or_another_place_after_the_schedule():
    assert follow_up("action_tell_hotline", "còn hà nội", TODAY) == FollowUp("action_tell_hotline")
    assert follow_up(SCHEDULE, "con p. Da Kao thi sao", TODAY) == FollowUp(SCHEDULE)
