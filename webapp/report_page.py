"""The operations report at /agent/report, for the console's accounts: pick the months, read the report.

The same report as `make report` (evn.services.operations_report, evn.report), its charts inline.
Counting 12 months of 1.000.000 customers takes about 40 s and two connections, so it runs on a
thread of its own, one report at a time per process: the lock is held by that thread, so a
request that gives up (a reload, a timeout) does not let a second report start beside the first,
and a request meanwhile is told to come back. The page takes up to WEB_MONTHS months (longer:
`make report`). A range that is not one gets the form back with a reason, a database that does
not answer gets a message, never a 500.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from html import escape

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.engine import Engine

from evn.adapters.db import make_engine
from evn.bootstrap import Core
from evn.domain.operations_report import WEB_MONTHS, MonthRange
from evn.report.writers import STYLE, inline_html
from evn.services.agents import AgentView
from evn.services.errors import StoreUnreadable
from evn.services.operations_report import build
from webapp import agent_pages
from webapp.agent_gate import CSP, HEADERS, AgentGate, to_login

log = logging.getLogger(__name__)

# The charts are data: URIs; nothing else is loosened.
REPORT_HEADERS = {**HEADERS, "Content-Security-Policy": CSP + "; img-src 'self' data:"}
RESPONSE_SECONDS = 100  # Sanic's response timeout, above nginx's 90 s for this page (ops/nginx_conf.py)


class Busy(Exception):
    """Another report is being counted in this process."""


def report_blueprint(core: Core, gate: AgentGate) -> Blueprint:
    pages = Blueprint("operations_report", url_prefix="/agent/report")
    counting = threading.Lock()
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-page")
    url = core.settings.tracker_store_url
    tracker: Engine | None = make_engine(url, pool_size=1) if url else None  # connects on first use

    def render(months: MonthRange) -> str:
        if not counting.acquire(blocking=False):
            raise Busy()
        try:
            if core.engine is None:
                raise StoreUnreadable("no database engine")
            return inline_html(build(core.engine, months, tracker, now=core.clock()))
        finally:
            counting.release()

    @pages.after_server_stop
    async def close(*_args: object) -> None:
        worker.shutdown(wait=False, cancel_futures=True)
        if tracker is not None:
            tracker.dispose()

    @pages.get("")
    async def report(request: Request) -> HTTPResponse:
        found = await gate.signed_in(request)
        if found is None:
            return to_login()
        agent, session = found
        first_default, last_default = MonthRange.last_whole(core.today()).bounds
        first, last = request.args.get("from") or first_default, request.args.get("to") or last_default
        csrf = gate.csrf(session)
        try:
            months = MonthRange.parse(first, last)
        except ValueError:
            return _page(agent, csrf, first, last, agent_pages.error_box("range"), 400)
        if len(months.months) > WEB_MONTHS:
            return _page(agent, csrf, first, last, agent_pages.error_box("range_long"), 400)
        try:
            html = await asyncio.get_running_loop().run_in_executor(worker, render, months)
        except Busy:
            return _page(agent, csrf, first, last, agent_pages.error_box("report_busy"), 503)
        except StoreUnreadable as error:
            log.warning("report.unavailable: %s", error)
            return _page(agent, csrf, first, last, agent_pages.error_box("report_unavailable"), 503)
        return _page(agent, csrf, first, last, html)

    return pages


def _page(agent: AgentView, csrf: str, first: str, last: str, content: str, status: int = 200) -> HTTPResponse:
    body = f"""
<div class="card">
  <form method="get" action="/agent/report" data-testid="report-range">
    <label>Từ tháng <input type="month" name="from" value="{escape(first)}" required data-testid="report-from">
    </label>
    <label>đến tháng <input type="month" name="to" value="{escape(last)}" required data-testid="report-to"></label>
    <button type="submit" data-testid="report-submit">Xem báo cáo</button>
    <span class="muted">(tối đa {WEB_MONTHS} tháng, theo giờ Việt Nam)</span>
  </form>
</div>
<style>{STYLE}</style>
<div class="card">{content}</div>"""
    return response.html(agent_pages.layout("Báo cáo vận hành – CSKH", body, agent, csrf), status=status,
                         headers=REPORT_HEADERS)
