"""/agent/ratings: the signed-in agent's own satisfaction ratings (the handoffs they held), newest first, with the
average and the share of 4 and 5. Only their own: the agent is the session's, never a parameter; comments are shown
as they were kept, masked."""
from __future__ import annotations

from html import escape

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from evn.bootstrap import Core
from evn.domain.formats import format_datetime
from evn.domain.time import to_vietnam
from evn.report.formatting import decimal, percent
from evn.services.agents import AgentView
from evn.services.satisfaction import AGENT_DAYS, AgentRatings
from webapp import agent_pages
from webapp.agent_gate import AgentGate, read_page

TITLE = "Đánh giá của tôi"
NO_COMMENT = '<span class="muted">(không góp ý)</span>'


def ratings_blueprint(core: Core, gate: AgentGate) -> Blueprint:
    pages = Blueprint("ratings", url_prefix="/agent/ratings")

    @pages.get("")
    async def ratings(request: Request) -> HTTPResponse:
        return await read_page(gate, request, TITLE, lambda agent: core.satisfaction.of_agent(agent.id), ratings_page)

    return pages


def ratings_page(agent: AgentView, mine: AgentRatings, csrf: str) -> str:
    rows = "".join(
        f'<tr data-testid="rating"><td>{escape(format_datetime(to_vietnam(r.answered_at)))}</td>'
        f"<td>{escape(agent_pages.CHANNELS.get(r.channel, r.channel))}</td><td><b>{r.score}</b>/5</td>"
        f"<td>{escape(r.comment) or NO_COMMENT}</td>"
        f"<td>{escape(r.callback_ticket or '')}</td></tr>"
        for r in mine.ratings)
    summary = (f'<p data-testid="rating-summary">{mine.count} lượt chấm trong {AGENT_DAYS} ngày qua; điểm '
               f"trung bình {decimal(mine.average, '/ 5', 2)}; hài lòng (4–5): {percent(mine.satisfied_share)}.</p>")
    table = ('<table data-testid="ratings"><tr><th>Lúc</th><th>Kênh</th><th>Điểm</th><th>Góp ý</th>'
             f"<th>Gọi lại</th></tr>{rows}</table>") if rows else \
        '<p class="muted">Chưa có khách hàng nào chấm điểm cuộc trò chuyện của anh/chị.</p>'
    body = (f"<h1>{TITLE}</h1><p class=\"muted\">Khách hàng chấm sau khi anh/chị kết thúc cuộc trò chuyện; chỉ anh/chị "
            "xem được đánh giá của mình.</p>" + (summary if rows else "") + table)
    return agent_pages.layout(TITLE, body, agent, csrf)
