"""A rating in a customer's words, a comment declined, a callback accepted, a judgement rather than a request
(evn/domain/language/satisfaction_words.py)."""
import pytest

from evn.domain.language.satisfaction_words import (
    accepts_callback,
    beyond_the_rating,
    declines,
    score_in,
    sounds_like_feedback,
)


@pytest.mark.parametrize("text, score", [
    ("5", 5), ("5 sao", 5), ("cho 5 sao nhé em", 5), ("mình chấm 4 điểm", 4), ("4/5", 4), ("3 diem a", 3),
    ("⭐⭐⭐", 3), ("*****", 5), ("năm sao", 5), ("10 điểm", 5), ("rất hài lòng", 5), ("rat hai long", 5),
    ("hài lòng", 4), ("tốt", 4), ("tot lam em", 5), ("tuyệt vời", 5), ("tạm được", 3), ("binh thuong", 3),
    ("chưa hài lòng lắm", 2), ("ko hai long", 2), ("tệ", 2), ("te qua", 1), ("rất không hài lòng", 1),
    ("nhân viên rất tốt, nhiệt tình", 5), ("4 sao, bot trả lời hơi chậm", 4), ("5 - nhân viên dễ thương", 5),
    ("2 vì chờ lâu", 2), ("5 saoo", 5), ("tam dc", 3), ("cũng dc", 3), ("tốttt", 4),
])
def test_a_rating_is_read_from_digits_stars_and_words(text, score):
    assert score_in(text) == score


@pytest.mark.parametrize("text", [
    "ok", "cảm ơn em", "5 ngày nữa", "năm 2026", "hóa đơn tháng 11 bao nhiêu", "2 tr", "kinh te", "6", "0",
    "PE01000000001", "tra cứu YC-20261201-0001", "2, 3 ngày nữa có người tới không", "5.000 đồng",
    "em muốn hỏi là tiền điện tháng này sao cao quá vậy, em không hài lòng chút nào với cách tính này đâu nha",
])
def test_other_messages_give_no_rating(text):
    assert score_in(text) is None


def test_a_comment_declined_is_a_short_no_and_a_comment_that_starts_with_no_is_not():
    assert all(declines(t) for t in ("không", "ko có gì", "thôi khỏi em", "bỏ qua", "ko", "không cần đâu",
                                     "thôi cháu, bác không có gì thêm", "dạ không ạ"))
    assert not any(declines(t) for t in ("không hài lòng vì nhân viên chậm", "nhân viên ok", "có"))


def test_a_callback_is_accepted_by_a_yes_or_by_asking_for_it():
    assert all(accepts_callback(t) for t in ("có", "ok", "gọi lại giúp em", "goi cho toi nhe", "dc, gọi lại đi"))
    assert not any(accepts_callback(t) for t in ("không cần", "ko", "nhân viên chậm quá"))


def test_a_judgement_is_told_from_a_request():
    assert all(sounds_like_feedback(t) for t in ("nhân viên nhiệt tình lắm", "bot trả lời chậm quá",
                                                  "thời gian chờ lâu quá", "nên có thêm thanh toán qua momo",
                                                  "app khó dùng quá", "chờ lâu quá"))
    assert not any(sounds_like_feedback(t) for t in ("gửi link thanh toán qua vnpay", "mất điện nên em muốn báo",
                                                      "cho gặp nhân viên", "để em xem lại hóa đơn",
                                                      "làm sao để đổi tên hợp đồng", "mất điện rồi",
                                                      "mà bao lâu thì xong vậy em?"))


def test_what_a_typed_rating_says_besides_its_score_is_its_comment():
    assert beyond_the_rating("4 sao, bot trả lời hơi chậm") == "bot trả lời hơi chậm"
    assert beyond_the_rating("5 - nhân viên dễ thương") == "nhân viên dễ thương"
    long = "hài lòng, nhân viên nhiệt tình và gọi lại đúng hẹn"
    assert beyond_the_rating(long) == long
    assert all(beyond_the_rating(t) == "" for t in ("5 sao", "chưa hài lòng lắm", "rất không hài lòng", "tam dc"))
