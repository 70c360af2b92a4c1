"""When the satisfaction question may be put, what a score is, what of a comment is kept
(evn/domain/satisfaction.py)."""
from datetime import datetime, timedelta

from evn.domain.reply_windows import free_reply_open
from evn.domain.satisfaction import ASK_GAP, IGNORED_QUIET, Asked, is_low, masked_comment, may_ask, valid_score

NOW = datetime(2026, 12, 1, 13, 0)


def test_the_question_is_put_at_most_once_a_day_and_not_soon_after_it_was_left_unanswered():
    assert may_ask(None, NOW)
    answered = Asked(NOW - ASK_GAP + timedelta(minutes=1), answered=True)
    assert not may_ask(answered, NOW)
    assert may_ask(Asked(NOW - ASK_GAP, answered=True), NOW)
    ignored = Asked(NOW - ASK_GAP - timedelta(hours=1), answered=False)
    assert not may_ask(ignored, NOW)  # left unanswered: not again the next day
    assert may_ask(Asked(NOW - IGNORED_QUIET, answered=False), NOW)


def test_a_score_is_one_to_five_and_one_or_two_is_low():
    assert [valid_score(v) for v in ("1", " 5 ", 3, "0", "6", "x", None, "4.5")] == [1, 5, 3, None, None, None, None,
                                                                                     None]
    assert is_low(1) and is_low(2) and not is_low(3)


def test_a_comment_is_kept_without_its_personal_data():
    kept = masked_comment("Em là PE01000000001, sđt 0901234567, mail an.nguyen@gmail.com, CCCD 079095001234, nhà "
                          "12 Lê Lợi. Nhân viên   nhiệt tình")
    assert "PE01000000001" not in kept and "0901234567" not in kept and "an.nguyen@gmail.com" not in kept
    assert "079095001234" not in kept and "12 Lê Lợi" not in kept
    assert kept.endswith("Nhân viên nhiệt tình") and "PE0100" not in kept and "090****567" in kept
    assert len(masked_comment("a" * 2000)) == 500
    # However an address or a number is typed: lower case, no marks, glued to its label, full-width digits.
    for typed, hidden in [("nha em o 45 hang bai hoan kiem", "hang bai"), ("thôn 3, xã Mỹ Yên", "Mỹ Yên"),
                          ("phòng 1203 tòa B2", "B2"), ("cccd079095001234", "9095"), ("stk 19033333333012", "1903"),
                          ("１２３４５６７８９０", "１２３４"), ("thon 3 xa my yen", "my yen")]:
        assert hidden not in masked_comment(typed), typed
    # What a comment says of time, counts and feelings stays.
    for kept_as_is in ("chờ 2 ngày mới có người, 3 lần gọi", "em rat lo lang vi cho lau",
                       "nhân viên nhiệt tình, 5 sao"):
        assert masked_comment(kept_as_is) == kept_as_is


def test_a_survey_follows_only_within_the_platform_s_free_reply_window():
    assert free_reply_open("facebook", timedelta(hours=23)) and not free_reply_open("facebook", timedelta(hours=25))
    assert free_reply_open("zalo", timedelta(hours=47)) and not free_reply_open("zalo", timedelta(hours=49))
    assert free_reply_open("socketio", timedelta(days=30)) and free_reply_open("rest", timedelta(days=30))
