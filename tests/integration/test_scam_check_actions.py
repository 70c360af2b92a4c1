"""The scam check in the chat (actions/scam_check.py) on the seeded SQLite database: each verdict's answer with
its reasons, the hotline of the area, "never an OTP", and a pay link the assistant itself sent."""
from __future__ import annotations

import uuid

import pytest

from tests.integration.action_calls import responses, run, texts, tracker, user

pytestmark = pytest.mark.rasa_environment


def check(domain, text: str, slots: dict | None = None, sender: str | None = None):
    from actions.scam_check import ActionCheckScam

    messages, _ = run(ActionCheckScam(), tracker(sender or f"rest-{uuid.uuid4().hex[:12]}",
                                                 [user(text, "check_scam")], slots), domain)
    return messages


@pytest.mark.parametrize(("text", "present"), [
    ("Quy khach no tien dien, se bi cat dien trong 2 gio. Thanh toan tai evnhcmc-thanhtoan.com hoac goi 0987654321",
     ["KHÔNG phải", "evnhcmc-thanhtoan.com", "098****321", "vài giờ", "1900 545454", "công an"]),
    ("link nay co phai cua dien luc ko evnhanoi.vn.thanhtoan.top", ["giả mạo", "1900 1288"]),
    ("chuyen khoan vao stk 19036789123 techcombank de dong tien dien", ["****9123 (Techcombank)", "không phải"]),
])
def test_not_the_companys_with_its_reasons_and_what_to_do(actions_env, domain, text, present):
    messages = check(domain, text)
    assert responses(messages) == ["utter_scam_not_companys"]
    reply = texts(messages)
    assert all(part in reply for part in present), reply


def test_the_real_ones(actions_env, domain):
    reply = texts(check(domain, "so 1900 545454 va trang cskh.evnhcmc.vn co phai that ko"))
    assert "đúng là của điện lực" in reply and "Tổng công ty Điện lực TP.HCM" in reply
    assert "đúng là tài khoản thu" in texts(check(domain, "stk 0071000888999 vietcombank dung ko"))


def test_nothing_to_check_is_said_so_with_the_customers_hotline(actions_env, domain):
    messages = check(domain, "hom qua co nguoi goi bao la nhan vien dien luc, that ko",
                     {"verified_code": "PD01000000002"})
    assert responses(messages) == ["utter_scam_could_not_check"] and "1900 1288" in texts(messages)


def test_never_an_otp(actions_env, domain):
    messages = check(domain, "bên mình có bao giờ hỏi mã OTP không")
    assert responses(messages) == ["utter_scam_never_asks_secrets"]


def test_a_qr_code_with_another_amount_never_tells_the_real_bills(actions_env, domain):
    from rasa_sdk.executor import CollectingDispatcher

    from actions.runtime import services
    from actions.scam_check import answer
    from evn.domain import vietqr

    payload = vietqr.build_payload("970436", "0071000888999", 1_000, "PE01000000001202610")
    assert services().identity.verify("PE01000000001", "0901234567", "rest-wrong-amount").status == "verified"
    result = services().scam_checks.check("rest-wrong-amount", "rest", "", qr_texts=[payload])
    dispatcher = CollectingDispatcher()
    answer(dispatcher, tracker("rest-wrong-amount", [user("", "send_picture")]), domain, result, "")
    reply = texts(dispatcher.messages)
    assert "1.000 đ" in reply and "10/2026" in reply and "979.560" not in reply, reply
