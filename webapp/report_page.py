"""The operations report at /agent/report, for the console's accounts: pick the months, read the report.

The same report as `make report` (evn.services.operations_report, evn.report), its charts inline.
Counting a long range on a large database takes seconds and a connection, so it runs in a worker
thread, one report at a time per process; a range that is not one gets the form back with a
reason, a database that does not answer gets a message, never a 500.
"""
from __future__ import annotations

import asyncio
import logging
from html import escape

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from evn.adapters.db import make_engine
from evn.bootstrap import Core
from evn.domain.operations_report import MAX_MONTHS, MonthRange
from evn.report.writers import STYLE, inline_html
from evn.services.agents import AgentView
from evn.services.operations_report import build
from webapp import agent_pages
from webapp.agent_gate import CSP, HEADERS, AgentGate, to_login
from webapp.threads import blocking

log = logging.getLogger(__name__)

# The charts are data: URIs; nothing else is loosened.
REPORT_HEADERS = {**HEADERS, "Content-Security-Policy": CSP + "; img-src 'self' data:"}
RANGE_ERROR = "range"


def report_blueprint(core: Core, gate: AgentGate) -> Blueprint:
    pages = Blueprint("operations_report", url_prefix="/agent/report")
    one_at_a_time = asyncio.Semaphore(1)
    trackers: list[Engine] = []

    def tracker_engine() -> Engine | None:
        """Rasa's SQL tracker store, for the conversation figures; opened on first use."""
        url = core.settings.tracker_store_url
        if url and not trackers:
            trackers.append(make_engine(url, pool_size=1))
        return trackers[0] if trackers else None

    def render(months: MonthRange) -> str:
        if core.engine is None:
            raise SQLAlchemyError("no database engine")
        return inline_html(build(core.engine, months, tracker_engine(), now=core.clock()))

    @pages.get("")
    async def report(request: Request) -> HTTPResponse:
        found = await gate.signed_in(request)
        if found is None:
            return to_login()
        agent, session = found
        first_default, last_default = MonthRange.last_whole(core.today()).bounds
        first, last = request.args.get("from") or first_default, request.args.get("to") or last_default
        try:
            months = MonthRange.parse(first, last)
        except ValueError:
            return _page(agent, gate.csrf(session), first, last, agent_pages.error_box(RANGE_ERROR), 400)
        try:
            async with one_at_a_time:
                html = await blocking(render, months)
        except SQLAlchemyError as error:
            log.warning("report.unavailable: %s", error.__class__.__name__)
            return _page(agent, gate.csrf(session), first, last, agent_pages.error_box("report_unavailable"), 503)
        return _page(agent, gate.csrf(session), first, last, html)

    return pages


def _page(agent: AgentView, csrf: str, first: str, last: str, content: str, status: int = 200) -> HTTPResponse:
    body = f"""
<div class="card">
  <form method="get" action="/agent/report" data-testid="report-range">
    <label>Từ tháng <input type="month" name="from" value="{escape(first)}" required data-testid="report-from">
    </label>
    <label>đến tháng <input type="month" name="to" value="{escape(last)}" required data-testid="report-to"></label>
    <button type="submit" data-testid="report-submit">Xem báo cáo</button>
    <span class="muted">(tối đa {MAX_MONTHS} tháng, theo giờ Việt Nam)</span>
  </form>
</div>
<style>{STYLE}</style>
<div class="card">{content}</div>"""
    return response.html(agent_pages.layout("Báo cáo vận hành – CSKH", body, agent, csrf), status=status,
                         headers=REPORT_HEADERS)
