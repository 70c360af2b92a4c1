"""/agent/scams: what customers sent to check that was not the company's, for the security team (a console account);
named by the operations report's words, masked as the answers were."""
from __future__ import annotations

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from evn.bootstrap import Core
from evn.domain.operations_report import load_book
from evn.services.errors import StoreBusy
from webapp import agent_pages
from webapp.agent_gate import HEADERS, AgentGate, to_login
from webapp.threads import blocking

SHOWN = 200


def scam_reports_blueprint(core: Core, gate: AgentGate) -> Blueprint:
    pages = Blueprint("scam_reports", url_prefix="/agent/scams")

    @pages.get("")
    async def scams(request: Request) -> HTTPResponse:
        found = await gate.signed_in(request)
        if found is None:
            return to_login()
        agent, session = found
        try:
            reports = await blocking(core.scam_checks.reports, SHOWN)
        except StoreBusy:
            return response.html(agent_pages.layout("Báo cáo lừa đảo", agent_pages.error_box("report_unavailable"),
                                                    agent, gate.csrf(session)), status=503, headers=HEADERS)
        page = agent_pages.scams_page(agent, reports, load_book().scam_pattern_name, gate.csrf(session))
        return response.html(page, headers=HEADERS)

    return pages
