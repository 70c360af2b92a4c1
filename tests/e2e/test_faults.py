"""Faults that must not cost a customer their answer or their conversation (the fast ones).

Its own stack over its own seeded database, so killing and stalling its action server
does not disturb the other end-to-end tests. The supervisor restarts what is killed;
the customer meanwhile hears that the system is busy, never an empty reply, and carries
on where they were once the server is back.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import uuid
from datetime import date
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import pytest
import requests
from sqlalchemy import func, select

from evn.adapters import orm
from evn.adapters.db import make_engine
from evn.adapters.gateways.vnpay import signed_callback_params
from evn.demo.seed import seed
from evn.settings import Settings
from ops.stack import Stack, free_port, wait_until
from tests.doubles.tcp_proxy import TcpProxy
from tests.e2e.helpers import own_stack, texts, unpaid_customer
from tests.e2e.stack_settings import LINK_SECRET

TURN_TIMEOUT = 3
BUSY = "hệ thống đang bận"


@pytest.fixture(scope="module")
def fault_stack(tmp_path_factory):
    for stack in own_stack(tmp_path_factory, "faults", {"TURN_TIMEOUT_SECONDS": str(TURN_TIMEOUT)}):
        warm_up(stack)
        yield stack


def warm_up(stack: Stack, attempts: int = 10) -> None:
    """The first turns of a cold stack (model, action server, database) may take longer than the
    short turn bound this module sets; a turn cut by it never reached the tracker, so a test that
    starts with it would begin mid-way. Turns are sent until one is answered within the bound."""
    for _ in range(attempts):
        if BUSY not in texts(stack.say(f"warm-{uuid.uuid4().hex[:10]}", "cho em xem hóa đơn tháng 10/2026")):
            return
    pytest.fail(f"no turn answered within {TURN_TIMEOUT} s after {attempts} attempts")


def verified(stack: Stack) -> str:
    chat = f"fault-{uuid.uuid4().hex[:10]}"
    for message in ("cho em xem hóa đơn tháng 10/2026", "PE01000000001"):
        assert BUSY not in texts(stack.say(chat, message))
    assert "979.560 đ" in texts(stack.say(chat, "0901234567"))
    return chat


def wait_for_actions(stack: Stack, timeout: float = 120) -> None:
    actions = stack.supervisor.service("actions")
    wait_until(f"http://127.0.0.1:{stack.actions_port}/health", timeout, actions, restarted=True)


def test_a_killed_action_server_is_restarted_while_the_others_keep_serving(fault_stack):
    chat = verified(fault_stack)
    actions = fault_stack.supervisor.service("actions")
    others = {s.name: s.pid for s in fault_stack.supervisor.services if s.name != "actions"}
    os.killpg(actions.pid, signal.SIGKILL)
    actions.process.wait(timeout=10)

    # Down: a polite busy answer, not `[]`; the pay pages and callbacks stay up.
    answer = fault_stack.say(chat, "tiền điện tháng 9/2026 bao nhiêu")
    assert answer and BUSY in texts(answer)
    assert requests.get(f"{fault_stack.web_url}/health", timeout=5).ok

    wait_for_actions(fault_stack)
    assert actions.restarts >= 1
    assert {s.name: s.pid for s in fault_stack.supervisor.services if s.name != "actions"} == others
    # Back: the same conversation, still verified, no second round of code and phone.
    again = texts(fault_stack.say(chat, "tiền điện tháng 9/2026 bao nhiêu"))
    assert "423.468 đ" in again and "mã khách hàng" not in again


def test_a_stalled_action_server_gets_a_busy_answer_within_the_turn_timeout(fault_stack):
    chat = verified(fault_stack)
    wait_for_actions(fault_stack)
    actions = fault_stack.supervisor.service("actions")
    os.killpg(actions.pid, signal.SIGSTOP)
    try:
        # Cut by the channel's bound (TURN_TIMEOUT_SECONDS): with Rasa's own 5-minute action
        # timeout this request would give up first.
        answer = fault_stack.say(chat, "tiền điện tháng 9/2026 bao nhiêu", timeout=10 * TURN_TIMEOUT)
    finally:
        os.killpg(actions.pid, signal.SIGCONT)
    assert BUSY in texts(answer)
    again = texts(fault_stack.say(chat, "tiền điện tháng 9/2026 bao nhiêu"))
    assert "423.468 đ" in again and "mã khách hàng" not in again


def test_a_locked_database_gets_a_busy_answer_and_the_customer_carries_on(fault_stack):
    """SQLite held by another writer: the actions wait for it, the customer is told the system is busy."""
    chat = f"fault-{uuid.uuid4().hex[:10]}"
    fault_stack.say(chat, "cho em xem hóa đơn tháng 10/2026")
    fault_stack.say(chat, "PE01000000001")
    path = fault_stack.env["DATABASE_URL"].removeprefix("sqlite:///")
    holder = sqlite3.connect(path, timeout=1, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        answer = fault_stack.say(chat, "0901234567", timeout=10 * TURN_TIMEOUT)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert BUSY in texts(answer)
    again = texts(fault_stack.say(chat, "0901234567"))
    assert "979.560 đ" in again  # the same form, now verified


# -- the business database unreachable (PostgreSQL behind a relay that can be cut) -----------------

@pytest.fixture(scope="module")
def unreachable(postgres_databases, tmp_path_factory):
    """A stack whose business database (PostgreSQL) is reached through a TcpProxy."""
    url = postgres_databases()
    seed(make_engine(url), 40, date(2026, 11, 1), quiet=True)
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    relayed = urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}"))
    servers = Stack(
        rasa_port=free_port(), actions_port=free_port(), web_port=free_port(), link_secret=LINK_SECRET,
        env={"DATABASE_URL": relayed, "PAYMENT_SIMULATOR": "1", "TURN_TIMEOUT_SECONDS": str(TURN_TIMEOUT)},
        log_dir=tmp_path_factory.mktemp("unreachable-logs"),
    )
    servers.start()
    yield servers, proxy, url
    servers.stop()
    proxy.close()


def payments_of(url: str, code: str) -> tuple[str, int]:
    engine = make_engine(url)
    with engine.connect() as connection:
        status = connection.execute(select(orm.Bill.status).join(orm.Customer).where(
            orm.Customer.code == code, orm.Bill.period == 202610)).scalar_one()
        count = connection.execute(select(func.count(orm.Payment.id)).join(orm.Bill).join(orm.Customer).where(
            orm.Customer.code == code, orm.Bill.period == 202610)).scalar_one()
    engine.dispose()
    return status, count


def test_an_unreachable_database_loses_nothing_and_recovers_without_a_restart(unreachable):
    stack, proxy, direct_url = unreachable
    code, phone, total = unpaid_customer(direct_url)
    chat = f"fault-{uuid.uuid4().hex[:10]}"
    stack.say(chat, "cho em link thanh toán tiền điện")
    stack.say(chat, code)
    replies = stack.say(chat, phone)
    link = next(b["url"] for r in replies for b in r.get("buttons", []) if "url" in b)
    start = requests.get(link.replace(f"http://localhost:{stack.web_port}", stack.web_url) + "/vnpay",
                         allow_redirects=False, timeout=10)
    order = dict(parse_qsl(urlsplit(start.headers["location"]).query))
    config = Settings.from_env({"PAYMENT_LINK_SECRET": LINK_SECRET, "PAYMENT_SIMULATOR": "1"}).simulator_vnpay()
    assert config is not None
    ipn_params = signed_callback_params(config, order["vnp_TxnRef"], int(order["vnp_Amount"]) // 100)
    ipn = f"{stack.web_url}/payments/vnpay/ipn"
    before = {s.name: s.pid for s in stack.supervisor.services}

    proxy.cut()
    try:
        during = stack.say(chat, "tiền điện tháng 9/2026 bao nhiêu", timeout=10 * TURN_TIMEOUT)
        assert BUSY in texts(during)
        # The gateway's notification in that window is answered "unknown error": VNPay tries again later.
        assert requests.get(ipn, params=ipn_params, timeout=30).json()["RspCode"] == "99"
        assert requests.get(f"{stack.web_url}/healthz", timeout=10).status_code == 503
    finally:
        proxy.restore()
    assert payments_of(direct_url, code) == ("unpaid", 0)  # nothing half-written

    # Back, with no restart: the same conversation (still verified), and the retried IPN applies once.
    after = texts(stack.say(chat, "tiền điện tháng 9/2026 bao nhiêu"))
    assert "kỳ 09/2026" in after and code in after and BUSY not in after
    assert requests.get(ipn, params=ipn_params, timeout=30).json()["RspCode"] == "00"
    assert requests.get(ipn, params=ipn_params, timeout=30).json()["RspCode"] == "02"  # already confirmed
    assert payments_of(direct_url, code) == ("paid", 1)
    assert {s.name: s.pid for s in stack.supervisor.services} == before
