"""Follow-ups as one mechanism: which words continue which answer (evn/domain/follow_ups.py), and the policy that
takes them before the rules (dialogue_policies/follow_up_policy.py)."""
from datetime import date

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

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


def _tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("follow-up", list(events))


def _user(text: str, intent: str, confidence: float) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": confidence})


def test_the_policy_takes_a_follow_up_before_the_rules_and_leaves_the_rest_to_them():
    from dialogue_policies.follow_up_policy import FOLLOW_UP_ACTION, FollowUpPolicy

    domain = Domain.from_dict({"intents": ["estimate_bill", "ask_outage_schedule", "nlu_fallback", "request_service"],
                               "actions": [FOLLOW_UP_ACTION, SCHEDULE]})
    after_schedule = [ActionExecuted("action_listen"), _user("mai q1 có cúp điện ko", "ask_outage_schedule", 0.99),
                      ActionExecuted(SCHEDULE), ActionExecuted("action_listen")]
    follows = _tracker(*after_schedule, _user("còn thứ 7 thì sao", "estimate_bill", 0.6))
    assert FollowUpPolicy._follows_up(follows)
    own_rule = _tracker(*after_schedule, _user("còn thứ 7 thì sao", "ask_outage_schedule", 0.7))
    assert not FollowUpPolicy._follows_up(own_rule)  # its rule answers it the same way
    new_request = _tracker(*after_schedule, _user("còn thứ 7 thì sao", "request_service", 0.6))
    assert not FollowUpPolicy._follows_up(new_request)
    sure_elsewhere = _tracker(*after_schedule, _user("còn thứ 7 thì sao", "estimate_bill", 0.99))
    assert not FollowUpPolicy._follows_up(sure_elsewhere)
    assert domain.index_for_action(FOLLOW_UP_ACTION) is not None


@pytest.mark.parametrize("text, expected", [
    ("ok gửi, cho e mã yêu cầu", FollowUp(SUMMARY)),
    ("đúng rồi em, gửi giúp chị, mã yêu cầu là gì", FollowUp(SUMMARY)),
    ("không, sửa lại tên", None),
    ("khoan, địa chỉ sai rồi", None),
])
def test_a_yes_in_any_words_to_a_requests_summary_files_it(text, expected):
    assert follow_up(SUMMARY, text, TODAY) == expected
