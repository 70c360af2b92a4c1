"""The console's login over HTTP, the web app served in-process on SQLite: the client's address read through
the trusted proxies only, the limits' answers, and password hashing bounded apart from the payment gateways'
callbacks (issue 23, findings 4 and 6)."""
from __future__ import annotations

import asyncio
import json
import threading
import uuid
from dataclasses import dataclass

import aiohttp
import pytest
from argon2 import PasswordHasher
from sanic import Sanic
from sqlalchemy import text

from evn.adapters.gateways.vnpay import VnpayConfig, signed_callback_params
from evn.adapters.migrate import upgrade
from evn.adapters.passwords import Argon2Passwords
from evn.bootstrap import Core, bootstrap
from evn.domain.signing import agent_sessions
from evn.services.agents import HASHING_SLOTS
from evn.settings import Settings
from tests.support.web_app import served
from webapp.app import create_app

VNPAY = VnpayConfig(tmn_code="EVNTEST1", hash_secret="vnpay-secret", pay_url="http://vnpay.test/pay")
QUICK_ARGON2 = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PATIENCE = 30  # seconds a step may take before the test gives up on it (never a measure of anything)


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    text: str
    retry_after: str | None


@pytest.fixture
def database(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'web.sqlite3'}"
    upgrade(url)
    return url


def core_for(database: str, tmp_path, passwords: Argon2Passwords, **env: str) -> Core:
    settings = Settings.from_env({"DATABASE_URL": database, "VNPAY_TMN_CODE": VNPAY.tmn_code,
                                  "VNPAY_HASH_SECRET": VNPAY.hash_secret, "VNPAY_URL": VNPAY.pay_url, **env},
                                 root=tmp_path)
    return bootstrap(settings, passwords=passwords, handlers={}, pool_size=4)


def serve(core: Core, calls):
    """`calls(base_url, session)` against the web app on a free port of 127.0.0.1; its result."""
    Sanic.test_mode = True  # more than one app per process, as sanic-testing does

    async def main():
        async with served(create_app(core, name=f"evn_web_{uuid.uuid4().hex[:8]}")) as base, \
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=PATIENCE)) as session:
            return await calls(base, session)

    try:
        return asyncio.run(main())
    finally:
        if core.engine is not None:
            core.engine.dispose()


async def login(session: aiohttp.ClientSession, base: str, core: Core, username: str, password: str,
                forwarded: str | None = None) -> Answer:
    """A POST of the login form, with its double-submit token as a browser sends it."""
    token = agent_sessions.login_token(core.settings.agent_session_secret)
    headers = {"Cookie": f"evn_agent_login={token}"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    async with session.post(f"{base}/agent/login", data={"csrf": token, "username": username, "password": password},
                            headers=headers, allow_redirects=False) as answer:
        return Answer(answer.status, answer.headers.get("Location", ""), await answer.text(),
                      answer.headers.get("Retry-After"))


def audited(database: str, username: str) -> list[tuple[str, str]]:
    from evn.adapters.db import make_engine

    engine = make_engine(database)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT action, detail FROM agent_audit WHERE username = :u ORDER BY id"),
                                  {"u": username}).all()
    engine.dispose()
    return [(row.action, json.loads(row.detail)["address"]) for row in rows]


def test_the_login_counts_and_audits_the_client_a_trusted_proxy_forwarded_and_no_other(database, tmp_path):
    """Issue 23, finding 4: behind nginx every attempt was audited, and limited, as 127.0.0.1."""
    behind_nginx = core_for(database, tmp_path, Argon2Passwords(QUICK_ARGON2))  # 127.0.0.1 is the trusted proxy
    behind_nginx.agents.add_or_update("lan", "mat-khau-dai-du")

    async def through_the_proxy(base, session):
        wrong = [await login(session, base, behind_nginx, "lan", "doan-sai", "203.0.113.50") for _ in range(5)]
        refused = await login(session, base, behind_nginx, "lan", "mat-khau-dai-du", "203.0.113.50")
        desk = await login(session, base, behind_nginx, "lan", "mat-khau-dai-du", "198.51.100.7, 10.0.0.2")
        return wrong, refused, desk

    wrong, refused, desk = serve(behind_nginx, through_the_proxy)
    assert all(a.status == 303 and a.location == "/agent/login?error=login" for a in wrong)
    assert refused.status == 429 and refused.retry_after == "900"
    assert "Đăng nhập sai quá nhiều lần" in refused.text and "khoảng 15 phút" in refused.text
    assert desk.status == 303 and desk.location == "/agent", "another client of the proxy is not concerned"

    direct = core_for(database, tmp_path, Argon2Passwords(QUICK_ARGON2), TRUSTED_PROXIES="192.0.2.1")

    async def forged(base, session):  # 127.0.0.1 is not a proxy now: its X-Forwarded-For is the client's own
        return await login(session, base, direct, "lan", "mat-khau-dai-du", "203.0.113.50")

    assert serve(direct, forged).location == "/agent", "counted as 127.0.0.1, not as the refused 203.0.113.50"
    assert audited(database, "lan") == [("login_failed", "203.0.113.50")] * 5 + [
        ("login_locked", "203.0.113.50"), ("login", "10.0.0.2"), ("login", "127.0.0.1")]


class HeldPasswords(Argon2Passwords):
    """Every check waits until the test lets it go: the hashing slots stay taken meanwhile."""

    def __init__(self) -> None:
        super().__init__(QUICK_ARGON2)
        self.released = threading.Event()
        self.lock = threading.Lock()
        self.holding = 0

    def verify(self, stored, password):
        with self.lock:
            self.holding += 1
        try:
            self.released.wait(PATIENCE)
            return super().verify(stored, password)
        finally:
            with self.lock:
                self.holding -= 1


def test_while_every_hashing_slot_is_taken_a_payment_callback_answers_and_no_login_fails(database, tmp_path):
    """Issue 23, finding 6: 300 logins at 9 a second held the VNPay IPN for seconds and answered 500."""
    passwords = HeldPasswords()
    core = core_for(database, tmp_path, passwords)
    callback = signed_callback_params(VNPAY, "EVN000000UNKNOWN", 100_000)

    async def calls(base, session):
        logins = [asyncio.create_task(login(session, base, core, f"nv-{uuid.uuid4().hex[:8]}", "doan-sai",
                                            f"203.0.113.{n}")) for n in range(12)]

        async def slots_taken() -> None:
            while passwords.holding < HASHING_SLOTS:
                await asyncio.sleep(0.02)

        await asyncio.wait_for(slots_taken(), PATIENCE)
        async with session.get(f"{base}/payments/vnpay/ipn", params=callback) as answer:
            ipn = (answer.status, await answer.json(), passwords.holding)
        early, _ = await asyncio.wait(logins, timeout=PATIENCE, return_when=asyncio.FIRST_COMPLETED)
        answered_while_held = [task.result() for task in early]
        holding = passwords.holding
        passwords.released.set()
        return ipn, answered_while_held, holding, await asyncio.gather(*logins)

    ipn, answered_while_held, holding, answers = serve(core, calls)
    status, body, holding_then = ipn
    assert status == 200 and body["RspCode"] == "01", "the unknown order, answered in VNPay's words"
    assert holding_then == holding == HASHING_SLOTS, "every slot taken, no more checks than slots"
    assert answered_while_held and all(a.status == 503 for a in answered_while_held), "busy at once, not queued"
    assert {a.status for a in answers} <= {303, 503}, "no login answers 500"
    busy = [a for a in answers if a.status == 503]
    assert all("Hệ thống đang bận" in a.text and a.retry_after == "5" for a in busy)
    assert sum(a.status == 303 for a in answers) >= HASHING_SLOTS, "the held ones, checked once let go"
