"""An agent of the console over HTTP (requests), as a browser would be: login form, cookie, CSRF token."""
from __future__ import annotations

import re
import time
import uuid

import requests

from evn.bootstrap import bootstrap
from evn.settings import Settings

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def create_agent(database_url: str, display_name: str = "") -> tuple[str, str]:
    """A new agent in the stack's database: (username, password)."""
    username, password = f"nv-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    core = bootstrap(Settings.from_env({"DATABASE_URL": database_url}), pool_size=1)
    core.agents.add_or_update(username, password, display_name or username)
    if core.engine is not None:
        core.engine.dispose()
    return username, password


class AgentClient:
    def __init__(self, base_url: str, username: str, password: str) -> None:
        self.base = base_url.rstrip("/")
        self.username = username
        self.http = requests.Session()
        form = self.http.get(f"{self.base}/agent/login", timeout=10)
        token = _CSRF.search(form.text).group(1)
        answer = self.http.post(f"{self.base}/agent/login", data={"csrf": token, "username": username,
                                                                   "password": password}, timeout=10)
        assert answer.url.endswith("/agent"), f"login failed: {answer.url}"
        self.csrf = _CSRF.search(answer.text).group(1)

    def post(self, path: str, data: dict | None = None, csrf: str | None = None, **options) -> requests.Response:
        body = {"csrf": self.csrf if csrf is None else csrf, **(data or {})}
        return self.http.post(f"{self.base}{path}", data=body, timeout=10, allow_redirects=False, **options)

    def take(self, handoff_id: int) -> requests.Response:
        return self.post(f"/agent/handoffs/{handoff_id}/take")

    def reply(self, handoff_id: int, text: str) -> requests.Response:
        return self.post(f"/agent/handoffs/{handoff_id}/reply", {"text": text},
                         headers={"Accept": "application/json"})

    def close(self, handoff_id: int, outcome: str = "resolved") -> requests.Response:
        return self.post(f"/agent/handoffs/{handoff_id}/close", {"outcome": outcome})


def handoff_of(stack, conversation_id: str, timeout: float = 20) -> int:
    """The waiting handoff of a conversation, from the agents' JSON list (AGENT_API_TOKEN)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listed = requests.get(f"{stack.web_url}/agent/handoffs", timeout=10,
                              headers={"Authorization": f"Bearer {stack.agent_token}"}).json()["handoffs"]
        found = [h["id"] for h in listed if h["conversation_id"] == conversation_id]
        if found:
            return found[-1]
        time.sleep(0.2)
    raise AssertionError(f"no waiting handoff for {conversation_id}")


def tracker(stack, conversation_id: str) -> dict:
    return requests.get(f"{stack.rasa_url}/conversations/{conversation_id}/tracker",
                        headers=stack.rasa_headers(conversation_id), timeout=10).json()


def wait_until(condition, timeout: float = 20, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} not reached within {timeout:.0f} s")


DESKTOP = {"width": 1280, "height": 860}


def console_tab(browser, start_url: str, username: str, password: str):
    """A desktop Chromium tab that opens start_url, is sent to the login page (asserted) and logs in:
    (context, page, errors), errors being the page's JavaScript errors."""
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(start_url)
    assert page.url.endswith("/agent/login"), f"{start_url} without a login is the login page"
    page.get_by_test_id("login-user").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()
    return context, page, errors
