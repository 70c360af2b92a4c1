"""The agent console at /agent: log in, take a waiting conversation, answer in the customer's own chat, close.

Thin: each route checks the session (a signed cookie whose agent is still logged in)
and, on every POST, the CSRF token of that session; then it calls the agent service
(evn.services.agents), which audits and writes the outbox in one transaction. The
conversation's turns are read from Rasa's tracker (evn.adapters.rasa_tracker); with the
event broker (webapp.live_events) the page's request waits until the conversation
changes, without it the page asks again every second. A closed handoff is read-only history: its turns up
to the closing, no reply form, no waiting and no polling. The page's view is audited, and so is every
answer of the live API that shows turns the page (its `seen` count) had not.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from evn.adapters.rasa_tracker import RasaTrackerReader
from evn.bootstrap import Core
from evn.domain import sources
from evn.domain.signing import agent_sessions
from evn.domain.statuses import HandoffStatus
from evn.services.agents import HASHING_SLOTS, AgentError, LoginBusy, LoginRefused
from webapp import agent_pages
from webapp.agent_gate import HEADERS, LOGIN_COOKIE, SESSION_COOKIE, AgentGate, set_cookie, to_login
from webapp.live_events import ConversationChanges
from webapp.threads import Lane, LaneFull, blocking

log = logging.getLogger(__name__)

LONG_POLL_SECONDS = 20  # with the event broker, a conversation page's request waits this long for news
# Logins run on threads of their own (never the default executor's): HASHING_SLOTS check passwords, as many
# again wait (up to the service's HASHING_WAIT) for a slot; LOGIN_LIMIT logins in the app at once, one more
# is answered busy (503, Retry-After BUSY_RETRY_SECONDS) at once.
LOGIN_THREADS, LOGIN_LIMIT, BUSY_RETRY_SECONDS = 2 * HASHING_SLOTS, 4 * HASHING_SLOTS, 5


def seen_count(text: str | None) -> int:
    """The live API's `seen`: how many turns the agent's page shows (0 when absent or not a count)."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else 0


def console_blueprint(core: Core, gate: AgentGate, changes: ConversationChanges | None = None) -> Blueprint:
    console = Blueprint("agent_console", url_prefix="/agent")
    changes = changes or ConversationChanges()
    agents = core.agents
    secret = core.settings.agent_session_secret
    trackers = RasaTrackerReader(core.settings.rasa_url, core.settings.rasa_auth_token)
    signed_in, secure = gate.signed_in, gate.secure
    trusted_proxies = core.settings.trusted_proxies
    logins = Lane("agent-logins", LOGIN_THREADS, LOGIN_LIMIT)

    @console.listener("after_server_stop")
    async def stop_logins(*_args: object) -> None:  # (app, loop) on Sanic 21, (app) on Sanic 25
        logins.shutdown()

    def page(html: str, status: int = 200) -> HTTPResponse:
        return response.html(html, status=status, headers=HEADERS)

    def wants_json(request: Request) -> bool:
        return "application/json" in (request.headers.get("accept") or "")

    def refused(request: Request, code: str, status: int, back: str = "/agent") -> HTTPResponse:
        if wants_json(request):
            return response.json({"error": code, "message": agent_pages.ERRORS.get(code, "")}, status=status,
                                 headers=HEADERS)
        return response.redirect(f"{back}?error={code}", status=303)

    def form_value(request: Request, name: str) -> str:
        value = request.form.get(name) if request.form else None
        return value if isinstance(value, str) else ""

    checked = gate.posted

    def login_page(request: Request, error: str | None, status: int = 200,
                   retry_after: int | None = None) -> HTTPResponse:
        token = agent_sessions.login_token(secret)
        answer = page(agent_pages.login_page(token, error, retry_after), status)
        if retry_after is not None:
            answer.headers["Retry-After"] = str(retry_after)
        set_cookie(answer, LOGIN_COOKIE, token, "/agent/login", 3600, secure(request))
        return answer

    @console.get("/login")
    async def login_form(request: Request) -> HTTPResponse:
        return login_page(request, request.args.get("error"))

    @console.post("/login")
    async def login(request: Request) -> HTTPResponse:
        if not agent_sessions.login_token_ok(form_value(request, "csrf"), request.cookies.get(LOGIN_COOKIE), secret):
            return response.redirect("/agent/login?error=csrf", status=303)
        # The client as the trusted proxies (nginx) saw it; a local caller without a proxy: the peer itself.
        address = sources.request_address(request, trusted_proxies) or request.ip or ""
        try:
            agent = await logins.run(agents.login, form_value(request, "username"), form_value(request, "password"),
                                     address)
        except (LaneFull, LoginBusy):
            return login_page(request, "login_busy", 503, BUSY_RETRY_SECONDS)
        except LoginRefused as refused:
            return login_page(request, "login_limited", 429, refused.retry_seconds)
        if agent is None:
            return response.redirect("/agent/login?error=login", status=303)
        answer = response.redirect("/agent", status=303)
        set_cookie(answer, SESSION_COOKIE, agent_sessions.issue(agent.id, agent.session_version, secret), "/agent",
                   agent_sessions.MAX_AGE, secure(request))
        return answer

    @console.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        found = await checked(request)
        if isinstance(found, HTTPResponse):
            return found
        await blocking(agents.logout, found[0])
        answer = response.redirect("/agent/login", status=303)
        set_cookie(answer, SESSION_COOKIE, "", "/agent", 0, secure(request))
        return answer

    @console.get("")
    async def queue(request: Request) -> HTTPResponse:
        found = await signed_in(request)
        if found is None:
            return to_login()
        agent, session = found
        items, mine = await asyncio.gather(blocking(agents.queue), blocking(agents.held, agent))
        return page(agent_pages.queue_page(agent, items, mine, session.csrf_token(secret), request.args.get("error")))

    @console.get("/api/queue")
    async def live_queue(request: Request) -> HTTPResponse:
        found = await signed_in(request)
        if found is None:
            return response.json({"error": "login"}, status=401, headers=HEADERS)
        items = await blocking(agents.queue)
        return response.json({"count": len(items), "html": agent_pages.queue_rows(
            items, found[1].csrf_token(secret))}, headers=HEADERS)

    @console.post("/handoffs/<handoff_id:int>/take")
    async def take(request: Request, handoff_id: int) -> HTTPResponse:
        found = await checked(request)
        if isinstance(found, HTTPResponse):
            return found
        try:
            await blocking(agents.take, found[0], handoff_id)
        except AgentError as error:
            return refused(request, error.reason, 409)
        return response.redirect(f"/agent/handoffs/{handoff_id}", status=303)

    async def turns_of(conversation_id: str) -> Any:
        try:
            return await blocking(trackers.conversation, conversation_id)
        except Exception as error:  # noqa: BLE001 - Rasa down or slow: the page says so and polls again
            log.warning("agent.tracker.unreadable: %s", error.__class__.__name__)
            return None

    @console.get("/handoffs/<handoff_id:int>")
    async def conversation(request: Request, handoff_id: int) -> HTTPResponse:
        found = await signed_in(request)
        if found is None:
            return to_login()
        agent, session = found
        turns = None
        try:
            handoff = await blocking(agents.open, agent, handoff_id)
            talk, context = await asyncio.gather(turns_of(handoff.conversation_id),
                                                 blocking(agents.context, agent, handoff_id))
            if talk is not None:  # the handoff as it is after the read: closed, its history up to the closing
                handoff, turns = await blocking(agents.history, agent, handoff_id, talk.turns)
        except AgentError as error:
            return page(agent_pages.layout("Không được phép", agent_pages.error_box(error.reason), agent,
                                           session.csrf_token(secret)), 403)
        return page(agent_pages.conversation_page(agent, handoff, turns, context, session.csrf_token(secret),
                                                  request.args.get("error")))

    @console.get("/api/handoffs/<handoff_id:int>")
    async def live_conversation(request: Request, handoff_id: int) -> HTTPResponse:
        found = await signed_in(request)
        if found is None:
            return response.json({"error": "login"}, status=401, headers=HEADERS)
        try:
            handoff = await blocking(agents.open, found[0], handoff_id, audit=False)
        except AgentError as error:
            return response.json({"error": error.reason}, status=403, headers=HEADERS)
        talk = await turns_of(handoff.conversation_id)
        seen = seen_count(request.args.get("seen"))
        held = handoff.status == HandoffStatus.TAKEN.value  # a closed handoff is history: nothing to wait for
        if talk is not None and held and seen == len(talk.turns) and request.args.get("wait") and await changes.wait(
                handoff.conversation_id, LONG_POLL_SECONDS):
            talk = await turns_of(handoff.conversation_id)  # a new event: read the tracker again
        turns = None
        if talk is not None:  # turns the page had not shown are audited; closed: the history up to the closing
            try:
                handoff, turns = await blocking(agents.history, found[0], handoff_id, talk.turns, seen)
            except AgentError as error:
                return response.json({"error": error.reason}, status=403, headers=HEADERS)
        html = "".join(agent_pages.turn_html(t) for t in turns) if turns is not None else agent_pages.error_box("rasa")
        return response.json({
            "html": html, "count": len(turns) if turns is not None else None,
            "open": handoff.status == HandoffStatus.TAKEN.value,
            "paused": bool(talk and talk.paused), "status": agent_pages.STATUSES.get(handoff.status, handoff.status),
            "live": changes.live,
        }, headers=HEADERS)

    @console.post("/handoffs/<handoff_id:int>/reply")
    async def reply(request: Request, handoff_id: int) -> HTTPResponse:
        found = await checked(request)
        if isinstance(found, HTTPResponse):
            return found
        agent = found[0]
        back = f"/agent/handoffs/{handoff_id}"
        try:
            handoff = await blocking(agents.open, agent, handoff_id, audit=False)
            talk = await turns_of(handoff.conversation_id)
            if talk is None:
                return refused(request, "rasa", 503, back)
            await blocking(agents.reply, agent, handoff_id, form_value(request, "text"), talk.last_customer_message_at)
        except AgentError as error:
            return refused(request, error.reason, 409 if error.reason != "not_yours" else 403, back)
        if wants_json(request):
            return response.json({"queued": True}, status=202, headers=HEADERS)
        return response.redirect(back, status=303)

    @console.post("/handoffs/<handoff_id:int>/close")
    async def close(request: Request, handoff_id: int) -> HTTPResponse:
        found = await checked(request)
        if isinstance(found, HTTPResponse):
            return found
        try:
            await blocking(agents.close, found[0], handoff_id, form_value(request, "outcome"),
                           form_value(request, "note"))
        except AgentError as error:
            return refused(request, error.reason, 409, f"/agent/handoffs/{handoff_id}")
        return response.redirect("/agent", status=303)

    return console
