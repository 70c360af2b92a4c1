"""/agent/incidents: open unplanned outages with their reports; staff give a cause and an estimate, change them,
mark the power back. Thin: the incident service writes each step and its notices in one transaction, recording
the agent's user name on the step."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from evn.bootstrap import Core
from evn.domain.incidents import Cause, IncidentError
from evn.domain.time import from_vietnam_text
from evn.services.errors import StoreBusy
from evn.services.incidents import IncidentView
from webapp import agent_pages
from webapp.agent_gate import HEADERS, AgentGate, to_login
from webapp.threads import blocking

TITLE = "Sự cố mất điện"


def incidents_blueprint(core: Core, gate: AgentGate) -> Blueprint:
    pages = Blueprint("incidents", url_prefix="/agent/incidents")

    async def shown(request: Request, error: str = "", status: int = 200) -> HTTPResponse:
        found = await gate.signed_in(request)
        if found is None:
            return to_login()
        agent, session = found
        try:
            incidents = await blocking(core.incidents.open_incidents)
        except StoreBusy:
            return response.html(agent_pages.layout(TITLE, agent_pages.error_box("report_unavailable"), agent,
                                                    gate.csrf(session)), status=503, headers=HEADERS)
        page = agent_pages.incidents_page(agent, incidents, gate.csrf(session), error,
                                          request.args.get("done") or "")
        return response.html(page, status=status, headers=HEADERS)

    @pages.get("")
    async def incidents(request: Request) -> HTTPResponse:
        return await shown(request)

    @pages.post("/<ticket:str>/estimate")
    async def estimate(request: Request, ticket: str) -> HTTPResponse:
        found = await gate.posted(request)
        if not isinstance(found, tuple):
            return found
        agent = found[0]
        cause_text, at_text = _field(request, "cause"), _field(request, "estimated_at")
        try:
            cause = Cause(cause_text) if cause_text else None
            at = from_vietnam_text(at_text) if at_text else None
        except ValueError:
            return await shown(request, "Nguyên nhân hoặc thời gian dự kiến không hợp lệ (dd/mm/yyyy hh:mm).", 400)
        return await _changed(request, shown, lambda: core.incidents.set_estimate(ticket, agent.username, cause, at),
                              ticket)

    @pages.post("/<ticket:str>/restored")
    async def restored(request: Request, ticket: str) -> HTTPResponse:
        found = await gate.posted(request)
        if not isinstance(found, tuple):
            return found
        username = found[0].username
        return await _changed(request, shown, lambda: core.incidents.restore(ticket, username), ticket)

    return pages


Shown = Callable[[Request, str, int], Awaitable[HTTPResponse]]


async def _changed(request: Request, shown: Shown, change: Callable[[], IncidentView], ticket: str) -> HTTPResponse:
    try:
        view = await blocking(change)
    except LookupError:
        return await shown(request, f"Không có sự cố {ticket[:24]}.", 404)
    except IncidentError as refused:
        return await shown(request, str(refused), 400)
    except StoreBusy:
        return await shown(request, agent_pages.ERRORS["report_unavailable"], 503)
    return response.redirect(f"/agent/incidents?done={view.ticket}", status=303)


def _field(request: Request, name: str) -> str:
    value = request.form.get(name) if request.form else None
    return value.strip()[:40] if isinstance(value, str) else ""
