"""From the chat to a paid bill: link, pay page, the local VNPay simulator, IPN, confirmation in the chat."""
from __future__ import annotations

import time
import uuid
from datetime import datetime

import pytest
import requests
from sqlalchemy import select

from evn.adapters import orm
from evn.adapters.db import make_engine
from evn.adapters.gateways.vnpay import VnpayConfig, signed_callback_params
from evn.domain.signing import payment_links
from evn.settings import Settings
from tests.doubles.pay_simulator import pay_with_simulator
from tests.e2e.helpers import unpaid_customer
from tests.e2e.stack_settings import LINK_SECRET


@pytest.fixture(scope="module")
def customer(sqlite_url) -> tuple[str, str, int]:
    return unpaid_customer(sqlite_url)


def bill_status(sqlite_url: str, code: str) -> str:
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        status = connection.execute(
            select(orm.Bill.status).join(orm.Customer).where(orm.Customer.code == code, orm.Bill.period == 202610)
        ).scalar_one()
    engine.dispose()
    return status


def link_in(replies: list[dict]) -> str:
    return next(b["url"] for r in replies for b in r.get("buttons", []) if "url" in b)


def bot_texts(stack, chat: str) -> list[str]:
    tracker = requests.get(f"{stack.rasa_url}/conversations/rest-{chat}/tracker",
                           headers=stack.rasa_headers(f"rest-{chat}")).json()
    return [e.get("text") or "" for e in tracker["events"] if e["event"] == "bot"]


def test_chat_link_page_simulator_paid_and_confirmed(stack, sqlite_url, customer):
    code, phone, total = customer
    amount = f"{total:,}".replace(",", ".") + " đ"
    chat = f"e2e-pay-{uuid.uuid4().hex}"
    stack.say(chat, "cho em link thanh toán tiền điện")
    stack.say(chat, code)
    replies = stack.say(chat, phone)
    assert amount in " ".join(r.get("text", "") for r in replies)
    url = link_in(replies)
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and amount in page.text and "VietQR" in page.text
    qr = requests.get(url + "/qr.png", timeout=10)
    assert qr.status_code == 200 and qr.content.startswith(b"\x89PNG")
    done = pay_with_simulator(url, stack.web_url)
    assert done.status_code == 200 and "thành công" in done.text
    assert bill_status(sqlite_url, code) == "paid"
    for _ in range(40):  # the confirmation goes through Rasa's HTTP API just after the IPN
        if any(f"đã nhận thanh toán {amount} cho hóa đơn 10/2026" in t for t in bot_texts(stack, chat)):
            break
        time.sleep(0.25)
    else:
        pytest.fail(f"no confirmation in the conversation: {bot_texts(stack, chat)[-2:]}")
    assert requests.get(url, timeout=10).status_code == 410


def simulator_config() -> VnpayConfig:
    """The simulator's own merchant, as the web app derives it from the link secret."""
    config = Settings.from_env({"PAYMENT_LINK_SECRET": LINK_SECRET, "PAYMENT_SIMULATOR": "1"}).simulator_vnpay()
    assert config is not None
    return config


def test_pay_page_status_codes(stack):
    assert requests.get(f"{stack.web_url}/pay/not-a-token", timeout=10).status_code == 403
    unknown = payment_links.sign(payment_links.new_token_id(), LINK_SECRET)
    assert requests.get(f"{stack.web_url}/pay/{unknown}", timeout=10).status_code == 404
    assert requests.get(f"{stack.web_url}/pay/{unknown}/qr.png", timeout=10).status_code == 404
    assert requests.get(f"{stack.web_url}/pay/{unknown}/momo", timeout=10).status_code == 404


def test_ipn_answers_in_vnpay_codes(stack):
    config = simulator_config()
    genuine_unknown = signed_callback_params(config, "EVNNOSUCHORDER1", 1000, pay_date=datetime(2026, 11, 28, 10))
    ipn = f"{stack.web_url}/payments/vnpay/ipn"
    assert requests.get(ipn, params=genuine_unknown, timeout=10).json()["RspCode"] == "01"
    forged = dict(genuine_unknown, vnp_Amount="999900")
    assert requests.get(ipn, params=forged, timeout=10).json()["RspCode"] == "97"
    assert requests.get(ipn, timeout=10).json()["RspCode"] == "97"


def push_payment(stack, chat: str, reference: str) -> None:
    """What the worker sends when a payment is confirmed."""
    response = requests.post(
        f"{stack.rasa_url}/conversations/rest-{chat}/trigger_intent",
        params={"output_channel": "latest"}, headers=stack.rasa_headers(f"rest-{chat}"),
        json={"name": "EXTERNAL_payment_received", "entities": {
            "amount": 979560, "period": "10/2026", "payment_method": "vnpay", "payment_reference": reference}},
        timeout=30,
    )
    assert response.ok, response.text


def to_the_date_question(stack, chat: str) -> None:
    for message in ("em muốn kiểm tra công tơ, nghi chạy sai", "PE01000000001", "0901234567", "Nguyễn Văn An",
                    "0901234567", "công tơ quay nhanh bất thường"):
        stack.say(chat, message)


def notices(stack, chat: str) -> int:
    return sum("đã nhận thanh toán 979.560 đ" in t for t in bot_texts(stack, chat))


def test_a_payment_notice_before_the_customers_yes_does_not_lose_the_summary(stack):
    """Found by the load test: the notice arrived between the summary and "đồng ý", and "đồng ý" was not understood."""
    chat = f"e2e-notice-{uuid.uuid4().hex[:10]}"
    to_the_date_question(stack, chat)
    assert "tóm tắt" in " ".join(r.get("text", "") for r in stack.say(chat, "thứ 2 tuần sau"))
    push_payment(stack, chat, f"EVN{uuid.uuid4().hex[:10]}")
    assert notices(stack, chat) == 1
    assert "YC-" in " ".join(r.get("text", "") for r in stack.say(chat, "đồng ý"))


def test_a_payment_notice_while_a_form_asks_is_said_and_the_form_goes_on(stack):
    """Found by the load test too: the form took the notice as the answer to its question, and said nothing of it."""
    chat = f"e2e-notice-{uuid.uuid4().hex[:10]}"
    to_the_date_question(stack, chat)
    push_payment(stack, chat, f"EVN{uuid.uuid4().hex[:10]}")
    assert notices(stack, chat) == 1
    assert "tóm tắt" in " ".join(r.get("text", "") for r in stack.say(chat, "thứ 2 tuần sau"))
