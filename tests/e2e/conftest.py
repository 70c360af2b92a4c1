"""A real web app, action server and Rasa server on free ports, over a freshly seeded SQLite database.

Facebook's Graph API and Zalo's OA API are the only things faked: local HTTP
servers (tests/fakes/) speaking their wire format and recording what was sent; and their picture CDN, a local
HTTPS server (tests/fakes/picture_cdn.py).
"""
from __future__ import annotations

import pytest

from ops.stack import Stack, free_port
from tests.e2e.helpers import require_fresh_model
from tests.e2e.stack_settings import FACEBOOK, LINK_SECRET, MESSENGER_TEMPLATE, MOMO, ZALO, ZALOPAY, ZNS_TEMPLATE
from tests.e2e.widget_page import CHROMIUM, CHROMIUM_ARGS, PHONE


@pytest.fixture(scope="session")
def fake_graph():
    from tests.fakes.graph_api import FakeGraphApi

    server = FakeGraphApi(page_token=FACEBOOK["FACEBOOK_PAGE_ACCESS_TOKEN"],
                          utility_templates={MESSENGER_TEMPLATE}).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def fake_zalo():
    from tests.fakes.zalo_api import FakeZaloApi

    server = FakeZaloApi(
        app_id=ZALO["ZALO_APP_ID"], access_token=ZALO["ZALO_ACCESS_TOKEN"], refresh_token=ZALO["ZALO_REFRESH_TOKEN"]
    ).start()
    server.zns_templates = {ZNS_TEMPLATE}
    yield server
    server.stop()


@pytest.fixture(scope="session")
def picture_cdn(tmp_path_factory):
    """Messenger's and Zalo's picture CDN: https://localhost with a certificate made for the run."""
    from tests.fakes.picture_cdn import PictureCdn

    server = PictureCdn(tmp_path_factory.mktemp("cdn")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def picture_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("pictures")


@pytest.fixture(scope="session")
def stack(sqlite_url, tmp_path_factory, fake_graph, fake_zalo, picture_cdn, picture_dir):
    require_fresh_model()
    servers = Stack(
        rasa_port=free_port(),
        actions_port=free_port(),
        web_port=free_port(),
        env={
            "DATABASE_URL": sqlite_url,
            "PAYMENT_SIMULATOR": "1",
            **FACEBOOK,
            "FACEBOOK_GRAPH_URL": fake_graph.url,
            **ZALO,
            **MOMO,
            **ZALOPAY,
            "ZALO_API_BASE": fake_zalo.url,
            "ZALO_OAUTH_URL": fake_zalo.url + "/v4/oa/access_token",
            # The agent desk open whatever the hour the suite runs (tests of the hours pin DEMO_NOW instead).
            "AGENT_WORKING_HOURS": "00:00-24:00",
            # Notices: delivered whatever the hour; a ZNS template and a Messenger utility template for new bills.
            "NOTICE_QUIET_HOURS": "",
            "ZALO_ZNS_URL": fake_zalo.url + "/message/template",
            "ZNS_TEMPLATES": f"bill_issued={ZNS_TEMPLATE}",
            "MESSENGER_UTILITY_TEMPLATES": f"bill_issued={MESSENGER_TEMPLATE}",
            # Pictures: the platforms' CDN is the local HTTPS fake, trusted by its certificate; kept in a folder
            # of the run's own, so a test can tell that nothing was kept of what was refused.
            "PICTURE_HOSTS_FACEBOOK": "localhost", "PICTURE_HOSTS_ZALO": "localhost",
            "PICTURE_CA_BUNDLE": str(picture_cdn.cert), "PICTURE_DIR": str(picture_dir),
        },
        log_dir=tmp_path_factory.mktemp("logs"),
        link_secret=LINK_SECRET,
        debug=True,  # Rasa then logs every message: tests/e2e/test_logs.py checks they are masked
    )
    servers.start()
    yield servers
    servers.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser):
    """A fresh phone-sized tab (empty localStorage) that fails the test on any JavaScript error."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors
