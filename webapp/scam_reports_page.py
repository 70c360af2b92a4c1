"""/agent/scams: what customers sent to check that was not the company's, for the security team (a console account);
named by the operations report's words, masked as the answers were."""
from __future__ import annotations

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from evn.bootstrap import Core
from evn.domain.operations_report import load_book
from webapp import agent_pages
from webapp.agent_gate import AgentGate, read_page

SHOWN = 200
TITLE = "Báo cáo lừa đảo"


def scam_reports_blueprint(core: Core, gate: AgentGate) -> Blueprint:
    pages = Blueprint("scam_reports", url_prefix="/agent/scams")

    @pages.get("")
    async def scams(request: Request) -> HTTPResponse:
        return await read_page(gate, request, TITLE, lambda _agent: core.scam_checks.reports(SHOWN),
                               lambda agent, reports, csrf: agent_pages.scams_page(
                                   agent, reports, load_book().scam_pattern_name, csrf))

    return pages
