"""The usage charts over HTTP, the web app served in-process on a seeded SQLite database: the chat's signed link
gives a PNG of the customer's days or periods; an altered, expired or malformed link gives no picture."""
from __future__ import annotations

import asyncio
import io
import uuid

import aiohttp
import pytest
from PIL import Image
from sanic import Sanic

from evn.bootstrap import bootstrap
from evn.domain.periods import Period
from evn.domain.signing import chart_links
from evn.domain.signing.chart_links import ChartKind, ChartRef
from evn.settings import Settings
from tests.support.seeded_database import demo_sqlite
from tests.support.web_app import served
from webapp.app import create_app

AN = ("PE01000000001", "0901234567")
SECRET = "chart-http-test-secret"
PATIENCE = 30  # seconds a request may take before the test gives up on it (never a measure of anything)


@pytest.fixture(scope="module")
def core(tmp_path_factory):
    root = tmp_path_factory.mktemp("charts")
    url = demo_sqlite(root / "charts.sqlite3")
    core = bootstrap(Settings.from_env({"DATABASE_URL": url, "PAYMENT_LINK_SECRET": SECRET,
                                        "DEMO_NOW": "2026-11-21T10:00"}, root=root), handlers={})
    yield core
    core.engine.dispose()


def fetch(core, paths: list[str]) -> list[tuple[int, str, bytes]]:
    Sanic.test_mode = True  # more than one app per process

    async def main() -> list[tuple[int, str, bytes]]:
        got = []
        async with served(create_app(core, name=f"evn_web_{uuid.uuid4().hex[:8]}")) as base, \
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=PATIENCE)) as session:
            for path in paths:
                async with session.get(base + path) as answer:
                    got.append((answer.status, answer.headers.get("Content-Type", ""), await answer.read()))
        return got

    return asyncio.run(main())


def link_path(core, kind: ChartKind) -> str:
    chat = f"chat-{uuid.uuid4().hex}"
    assert core.identity.verify(*AN, chat).status == "verified"
    url = core.usage.chart_link(chat, AN[0], kind, Period(2026, 11))
    return url[url.index("/charts/"):]


def test_the_chats_links_give_the_days_and_the_periods_as_pictures(core):
    got = fetch(core, [link_path(core, ChartKind.DAYS), link_path(core, ChartKind.PERIODS)])
    for status, content_type, body in got:
        assert (status, content_type) == (200, "image/png")
        assert Image.open(io.BytesIO(body)).size == (800, 400)


def test_an_altered_expired_or_malformed_link_gives_no_picture(core):
    path = link_path(core, ChartKind.DAYS)
    token = path.removeprefix("/charts/").removesuffix(".png")
    value, mac = token.split(".")
    other = value.replace("days", "periods")
    expired = chart_links.sign(ChartRef(ChartKind.DAYS, int(value.split("-")[1]), Period(2026, 11), 1_700_000_000),
                               SECRET)
    got = fetch(core, [f"/charts/{other}.{mac}.png", f"/charts/{expired}.png", f"/charts/{token}",
                       "/charts/%00.png", f"/charts/{'a' * 300}.png"])
    assert [status for status, _, _ in got] == [404, 410, 404, 404, 404]
    assert all(body == b"" for _, _, body in got)
