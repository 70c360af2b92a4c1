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
from evn.domain import payment_links
from evn.settings import Settings
from tests.e2e.conftest import LINK_SECRET
from tools.pay_simulator import pay_with_simulator


@pytest.fixture(scope="module")
def customer(sqlite_url) -> tuple[str, str, int]:
    """A synthetic customer whose latest bill is unpaid (the demo ones are kept for other tests)."""
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        row = connection.execute(
            select(orm.Customer.code, orm.Customer.phone, orm.Bill.total)
            .join(orm.Bill, orm.Bill.customer_id == orm.Customer.id)
            .where(orm.Bill.period == 202610, orm.Bill.status == "unpaid", orm.Customer.code != "PE01000000001")
            .limit(1)
        ).one()
    engine.dispose()
    return tuple(row)


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
                           params={"token": stack.auth_token}).json()
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
