"""The console's pure rules: the desk's hours, the login cookie and CSRF token, the reply windows, going back."""
from datetime import date, datetime, timedelta

import pytest

from evn import reference
from evn.domain.agent_hours import DeskHours
from evn.domain.language.back_to_bot import only_asks_for_the_assistant, wants_the_assistant_back
from evn.domain.reply_windows import HUMAN_AGENT_TAG, agent_reply_window
from evn.domain.signing import agent_sessions

SECRET = "a-test-session-secret-of-some-length"
NOW = datetime(2026, 12, 2, 3, 0)


def test_the_data_desk_and_its_override():
    desk = reference.agent_desk()
    assert desk.hours_label == "7:30–17:00" and desk.days_label == "thứ Hai đến thứ Bảy"
    assert desk.back_at(datetime(2026, 12, 6, 11, 0)) == datetime(2026, 12, 7, 7, 30)  # Sunday
    late = reference.agent_desk("08:00-20:00")
    assert late.back_at(datetime(2026, 12, 1, 19, 0)) is None
    always = reference.agent_desk("00:00-24:00")
    assert always.round_the_clock and always.back_at(datetime(2026, 12, 6, 3, 0), {date(2026, 12, 6)}) is None
    assert always.hours_label == "0:00–24:00"


@pytest.mark.parametrize("text", ["", "7h30-17h", "17:00-07:30", "25:00-26:00", "07:30-24:30", "7:30"])
def test_desk_hours_of_the_wrong_form_are_refused(text):
    with pytest.raises(ValueError):
        DeskHours.parse(text)


def test_a_session_cookie_is_refused_when_forged_altered_expired_or_foreign():
    cookie = agent_sessions.issue(7, 3, SECRET, now=1_000_000)
    session = agent_sessions.read(cookie, SECRET, now=1_000_100)
    assert session is not None and (session.agent_id, session.version) == (7, 3)
    assert agent_sessions.read(cookie, SECRET, now=1_000_000 + agent_sessions.MAX_AGE + 1) is None
    assert agent_sessions.read(cookie, "another-secret-entirely-here", now=1_000_100) is None
    assert agent_sessions.read(cookie.replace("7_3", "8_3", 1), SECRET, now=1_000_100) is None
    assert agent_sessions.read("8_3_f4240_" + "0" * 32 + ".forgedmacforgedmacforg", SECRET) is None
    assert agent_sessions.read(None, SECRET) is None and agent_sessions.read(["x"], SECRET) is None


def test_the_csrf_token_belongs_to_one_session():
    first = agent_sessions.read(agent_sessions.issue(1, 0, SECRET), SECRET)
    second = agent_sessions.read(agent_sessions.issue(1, 0, SECRET), SECRET)
    assert first.csrf_ok(first.csrf_token(SECRET), SECRET)
    assert not first.csrf_ok(second.csrf_token(SECRET), SECRET)
    assert not first.csrf_ok("", SECRET) and not first.csrf_ok(None, SECRET)


def test_the_login_form_token_is_a_double_submit_that_expires():
    token = agent_sessions.login_token(SECRET, now=1_000_000)
    assert agent_sessions.login_token_ok(token, token, SECRET, now=1_000_010)
    assert not agent_sessions.login_token_ok(token, agent_sessions.login_token(SECRET), SECRET, now=1_000_010)
    assert not agent_sessions.login_token_ok(token, token, SECRET, now=1_000_000 + 3601)
    assert not agent_sessions.login_token_ok(token, None, SECRET)


def test_reply_windows_follow_each_platform():
    assert agent_reply_window("socketio", None, NOW).allowed
    assert agent_reply_window("rest", NOW - timedelta(days=30), NOW).allowed
    assert not agent_reply_window(None, NOW, NOW).allowed
    fresh = agent_reply_window("facebook", NOW - timedelta(hours=23), NOW)
    assert fresh.allowed and fresh.messenger_tag is None
    tagged = agent_reply_window("facebook", NOW - timedelta(hours=25), NOW)
    assert tagged.allowed and tagged.messenger_tag == HUMAN_AGENT_TAG
    assert not agent_reply_window("facebook", NOW - timedelta(days=7, seconds=1), NOW).allowed
    assert agent_reply_window("zalo", NOW - timedelta(hours=47), NOW).allowed
    assert not agent_reply_window("zalo", NOW - timedelta(hours=49), NOW).allowed
    assert not agent_reply_window("zalo", None, NOW).allowed


@pytest.mark.parametrize("text", ["quay lại trợ lý ảo", "Quay lai tro ly ao", "thôi khỏi gặp nhân viên",
                                  "ko can nv nua", "cho tôi nói chuyện với bot", "trở lại chatbot"])
def test_going_back_to_the_assistant(text):
    assert wants_the_assistant_back(text)


@pytest.mark.parametrize("text", ["tôi cần gặp nhân viên", "quay lại sau", "nhân viên ơi", "bot trả lời sai rồi", ""])
def test_not_going_back(text):
    assert not wants_the_assistant_back(text)


@pytest.mark.parametrize(("text", "whole"), [
    ("quay lại trợ lý ảo", True), ("Thôi, quay lại trợ lý ảo nhé", True), ("ko can nv nua", True),
    ("Tôi không muốn nói chuyện với bot nữa", False), ("Đừng bắt tôi quay lại trợ lý ảo", False),
    ("hủy gặp nhân viên thì sao?", False), ("Tôi không cần nhân viên khác, chị giúp tôi", False),
])
def test_while_an_agent_holds_it_only_the_whole_message_hands_back(text, whole):
    assert only_asks_for_the_assistant(text) is whole
