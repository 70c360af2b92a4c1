"""Who is at the agent console: the signed session cookie of an agent who is still logged in.

One gate for every page behind the console's login (the console, the operations report),
so they agree on the cookie, its flags and the headers of their answers.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from evn.bootstrap import Core
from evn.domain.signing import agent_sessions
from evn.services.agents import AgentView
from evn.services.errors import StoreBusy
from webapp import agent_pages
from webapp.threads import blocking

log = logging.getLogger(__name__)
T = TypeVar("T")

SESSION_COOKIE, LOGIN_COOKIE = "evn_agent", "evn_agent_login"
CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
HEADERS = {"Cache-Control": "no-store", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin",
           "Content-Security-Policy": CSP}


def set_cookie(answer: HTTPResponse, name: str, value: str, path: str, max_age: int, secure: bool) -> None:
    """HttpOnly, SameSite=Strict; Secure over https. Sanic 23 and newer (the application's environment) set a
    cookie with add_cookie; Sanic 21 (the Rasa server's environment) only by item, and would write
    "Secure=False", which means Secure, so there the flag is set only when wanted."""
    cookies: Any = answer.cookies
    if hasattr(cookies, "add_cookie"):
        cookies.add_cookie(name, value, path=path, max_age=max_age, httponly=True, samesite="Strict", secure=secure)
        return
    cookies[name] = value
    cookies[name].update({"httponly": True, "samesite": "Strict", "path": path, "max-age": max_age})
    if secure:
        cookies[name]["secure"] = True


def to_login() -> HTTPResponse:
    return response.redirect("/agent/login", headers={"Cache-Control": "no-store"})


class AgentGate:
    def __init__(self, core: Core) -> None:
        self.agents = core.agents
        self.secret = core.settings.agent_session_secret
        self.public_base_url = core.settings.payment.public_base_url

    async def signed_in(self, request: Request) -> tuple[AgentView, agent_sessions.AgentSession] | None:
        session = agent_sessions.read(request.cookies.get(SESSION_COOKIE), self.secret)
        agent = await blocking(self.agents.current, session)
        return None if agent is None or session is None else (agent, session)

    async def posted(self, request: Request) -> tuple[AgentView, agent_sessions.AgentSession] | HTTPResponse:
        """The agent of a POST, or the answer refusing it (no session: login; wrong CSRF token: 403), as JSON to a
        client that asked for it."""
        as_json = "application/json" in (request.headers.get("accept") or "")
        found = await self.signed_in(request)
        if found is None:
            return response.json({"error": "login", "message": agent_pages.ERRORS["login"]}, status=401,
                                 headers=HEADERS) if as_json else to_login()
        form = request.form.get("csrf") if request.form else None
        token = request.headers.get("x-csrf-token") or (form if isinstance(form, str) else "")
        if not found[1].csrf_ok(token, self.secret):
            log.warning("agent.csrf.refused: a POST without this session's token")
            if as_json:
                return response.json({"error": "csrf"}, status=403, headers=HEADERS)
            return response.html(agent_pages.layout("Không hợp lệ", agent_pages.error_box("csrf")), status=403,
                                 headers=HEADERS)
        return found

    def csrf(self, session: agent_sessions.AgentSession) -> str:
        return session.csrf_token(self.secret)

    def secure(self, request: Request) -> bool:
        """Behind nginx Sanic sees http: the public address decides too."""
        return request.scheme == "https" or self.public_base_url.startswith("https://")


async def read_page(gate: AgentGate, request: Request, title: str, read: Callable[[AgentView], T],
                    render: Callable[[AgentView, T, str], str]) -> HTTPResponse:
    """A console page that only reads: the signed-in agent (else the login), what `read` finds for them off the
    event loop, rendered; a busy store is a 503 page saying so."""
    found = await gate.signed_in(request)
    if found is None:
        return to_login()
    agent, session = found
    try:
        data = await blocking(read, agent)
    except StoreBusy:
        return response.html(agent_pages.layout(title, agent_pages.error_box("report_unavailable"), agent,
                                                gate.csrf(session)), status=503, headers=HEADERS)
    return response.html(render(agent, data, gate.csrf(session)), headers=HEADERS)
