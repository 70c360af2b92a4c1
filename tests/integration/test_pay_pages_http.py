"""The pay pages over HTTP, the web app served in-process on a seeded SQLite database: a payment gateway that
stalls while a customer starts a payment stalls no other page (its call runs off the event loop).

The stalled gateway answers only after the other pages did: on the loop, the start would hold them until the
gateway's own timeout, and the payment would then fail."""
from __future__ import annotations

import asyncio
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import aiohttp
import pytest
from sanic import Sanic

from evn.bootstrap import bootstrap
from evn.settings import Settings
from tests.support.seeded_database import demo_sqlite
from tests.support.web_app import served
from webapp.app import create_app

AN = ("PE01000000001", "0901234567")
PATIENCE = 30  # seconds a step may take before the test gives up on it (never a measure of anything)


class StalledMomo(BaseHTTPRequestHandler):
    """MoMo's create endpoint that answers only once the test releases it."""

    arrived = threading.Event()
    release = threading.Event()

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        type(self).arrived.set()
        type(self).release.wait(PATIENCE)
        data = json.dumps({"partnerCode": body["partnerCode"], "orderId": body["orderId"], "resultCode": 0,
                           "message": "Thành công.", "payUrl": "https://momo.test/pay/1"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def momo():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StalledMomo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    StalledMomo.arrived.clear()
    StalledMomo.release.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}/v2/gateway/api/create"
    StalledMomo.release.set()
    server.shutdown()


def test_a_stalled_gateway_stalls_no_other_page(tmp_path, momo):
    url = demo_sqlite(tmp_path / "pay.sqlite3")
    settings = Settings.from_env({"DATABASE_URL": url, "MOMO_PARTNER_CODE": "MOMOEVN01", "MOMO_ACCESS_KEY": "access",
                                  "MOMO_SECRET_KEY": "secret", "MOMO_ENDPOINT": momo}, root=tmp_path)
    core = bootstrap(settings, handlers={}, pool_size=4)
    chat = f"chat-{uuid.uuid4().hex}"
    assert core.identity.verify(*AN, chat).status == "verified"
    (link,) = core.payments.offer_links(chat, AN[0], None, False, "rest", None).links
    token = link.url.rsplit("/", 1)[1]
    Sanic.test_mode = True  # more than one app per process

    async def main() -> tuple[int, str, list[int], bool]:
        async with served(create_app(core, name=f"evn_web_{uuid.uuid4().hex[:8]}")) as base, \
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=PATIENCE)) as session:
            started = asyncio.create_task(session.get(f"{base}/pay/{token}/momo", allow_redirects=False))
            assert await asyncio.get_running_loop().run_in_executor(None, StalledMomo.arrived.wait, PATIENCE)
            others = []
            for page in (f"/pay/{token}", f"/pay/{token}/qr.png", "/health"):
                async with session.get(base + page) as answer:
                    others.append(answer.status)
            still_stalled = not StalledMomo.release.is_set()
            StalledMomo.release.set()
            async with await started as answer:
                return answer.status, answer.headers.get("Location", ""), others, still_stalled

    try:
        status, location, others, still_stalled = asyncio.run(main())
    finally:
        core.engine.dispose()
    assert others == [200, 200, 200] and still_stalled, "the other pages answered while the gateway stalled"
    assert (status, location) == (302, "https://momo.test/pay/1"), "and the payment started once it answered"
