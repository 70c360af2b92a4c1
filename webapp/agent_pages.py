"""The agent console's HTML: login, the queue, one conversation. Server-rendered, no inline script.

The pages carry their controls' data-testid (login-user, login-password, login-submit,
queue-item, take, reply-input, reply-send, close): automated checks rely on them.
webapp/static/agent.js keeps the queue and the conversation live; everything works
as plain forms too.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

from evn.adapters.rasa_tracker import Turn
from evn.domain.formats import format_date, format_datetime, format_kwh, format_vnd
from evn.domain.incidents import Cause
from evn.domain.operations_report import MAX_MONTHS, WEB_MONTHS, YEARS, load_book
from evn.domain.time import to_vietnam
from evn.services.agents import AgentView, CustomerContext, QueueItem
from evn.services.handoffs import HandoffView
from evn.services.incidents import IncidentView
from evn.services.scam_checks import ScamReport

CHANNELS = {"socketio": "Website", "facebook": "Messenger", "zalo": "Zalo", "rest": "Ứng dụng (REST)"}
OUTCOMES = {"resolved": "Đã giải quyết", "ticket": "Đã lập yêu cầu", "callback": "Hẹn gọi lại"}
STATUSES = {"open": "Đang chờ", "taken": "Đang hỗ trợ", "closed": "Đã đóng"}
ERRORS = {
    "taken": "Cuộc trò chuyện này đã có nhân viên khác nhận.",
    "not_yours": "Cuộc trò chuyện này không do anh/chị phụ trách.",
    "login": "Sai tên đăng nhập hoặc mật khẩu.",
    "login_limited": "Đăng nhập sai quá nhiều lần nên tạm thời chưa thử được. Nếu cần gấp, anh/chị nhờ quản trị "
                     "viên mở khóa.",
    "login_busy": "Hệ thống đang bận, anh/chị vui lòng đăng nhập lại sau ít giây.",
    "csrf": "Phiên của biểu mẫu đã hết hạn, anh/chị thử lại.",
    "window_closed": "Nền tảng không còn cho phép nhắn khách (Messenger: quá 7 ngày; Zalo: quá 48 giờ "
                     "kể từ tin nhắn cuối của khách). Hãy gọi lại cho khách.",
    "empty": "Tin nhắn trống.",
    "too_long": "Tin nhắn quá dài.",
    "outcome": "Chọn kết quả trước khi đóng.",
    "rasa": "Chưa đọc được cuộc trò chuyện từ trợ lý; trang sẽ thử lại.",
    "range": f"Khoảng tháng không hợp lệ: chọn tháng bắt đầu và tháng kết thúc (dạng 2026-01, từ năm {YEARS[0]} "
             f"đến {YEARS[-1]}), tháng kết thúc không trước tháng bắt đầu.",
    "range_long": f"Khoảng tháng quá dài cho trang này: tối đa {WEB_MONTHS} tháng. Báo cáo dài hơn (tối đa "
                  f"{MAX_MONTHS} tháng) lập bằng lệnh make report.",
    "report_busy": "Một báo cáo khác đang được tính; anh/chị thử lại sau khoảng một phút.",
    "report_unavailable": "Chưa đọc được cơ sở dữ liệu để lập báo cáo; anh/chị thử lại sau ít phút.",
}

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f3f6fa;color:#1d2733}
header{background:#0b3d91;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:center}
header a,header button{color:#fff}header .who{margin-left:auto}
main{max-width:1100px;margin:0 auto;padding:20px}
.card{background:#fff;border-radius:10px;padding:16px;box-shadow:0 1px 4px rgba(0,0,0,.08);margin-bottom:16px}
h1{font-size:1.2rem;margin:0 0 12px}h2{font-size:1rem;margin:12px 0 6px}
table{border-collapse:collapse;width:100%}td,th{padding:6px 8px;border-bottom:1px solid #e3e8ef;text-align:left}
.grid{display:grid;grid-template-columns:2fr 1fr;gap:16px}
.log{height:420px;overflow-y:auto;display:flex;flex-direction:column;gap:6px}
.turn{max-width:80%;padding:8px 10px;border-radius:10px;white-space:pre-wrap}
.turn small{display:block;color:#5b6776;font-size:.75rem}
.customer{align-self:flex-start;background:#eef2f7}.bot{align-self:flex-end;background:#dbe9ff}
.agent{align-self:flex-end;background:#fff4d6}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;background:#e3e8ef;font-size:.8rem}
.ok{background:#d7f5dd}.warn{background:#ffe1e1}.muted{color:#5b6776}
.error{background:#ffe1e1;padding:10px;border-radius:8px}
textarea{width:100%;box-sizing:border-box;min-height:70px;font:inherit}
button{font:inherit;padding:6px 14px;border-radius:6px;border:1px solid #0b3d91;background:#0b3d91;color:#fff;
 cursor:pointer}
input,select{font:inherit;padding:6px}
form.inline{display:inline}
"""


def layout(title: str, body: str, agent: AgentView | None = None, csrf: str = "") -> str:
    who = ""
    if agent is not None:
        who = ('<a href="/agent/report" data-testid="nav-report">Báo cáo vận hành</a>'
               '<a href="/agent/scams" data-testid="nav-scams">Báo cáo lừa đảo</a>'
               '<a href="/agent/incidents" data-testid="nav-incidents">Sự cố mất điện</a>'
               '<a href="/agent/ratings" data-testid="nav-ratings">Đánh giá của tôi</a>'
               f'<span class="who">{escape(agent.display_name)}</span>'
               f'<form class="inline" method="post" action="/agent/logout">{_csrf(csrf)}'
               f'<button type="submit">Đăng xuất</button></form>')
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta name="csrf-token" content="{escape(csrf)}">'
        f"<title>{escape(title)}</title><style>{STYLE}</style>"
        '<script src="/static/agent.js" defer></script></head>'
        f'<body><header><a href="/agent"><b>CSKH – Bàn nhân viên</b></a>{who}</header><main>{body}</main></body></html>'
    )


def _csrf(token: str) -> str:
    return f'<input type="hidden" name="csrf" value="{escape(token)}">'


def error_box(code: str | None) -> str:
    return f'<p class="error" role="alert">{escape(ERRORS.get(code or "", ""))}</p>' if code in ERRORS else ""


def retry_in(seconds: int) -> str:
    """'Thử lại sau …': seconds, minutes or hours, rounded up."""
    if seconds >= 3600:
        return f"khoảng {-(-seconds // 3600)} giờ"
    if seconds >= 60:
        return f"khoảng {-(-seconds // 60)} phút"
    return f"{max(1, seconds)} giây"


def login_page(token: str, error: str | None = None, retry_after: int | None = None) -> str:
    wait = (f'<p class="muted" data-testid="login-retry">Thử lại sau {retry_in(retry_after)}.</p>'
            if retry_after is not None and error == "login_limited" else "")
    body = f"""
<div class="card" style="max-width:380px;margin:40px auto">
  <h1>Đăng nhập bàn nhân viên</h1>
  {error_box(error)}{wait}
  <form method="post" action="/agent/login">
    {_csrf(token)}
    <p><label>Tên đăng nhập<br><input name="username" autocomplete="username" required
       data-testid="login-user"></label></p>
    <p><label>Mật khẩu<br><input name="password" type="password" autocomplete="current-password" required
       data-testid="login-password"></label></p>
    <p><button type="submit" data-testid="login-submit">Đăng nhập</button></p>
  </form>
</div>"""
    return layout("Đăng nhập – CSKH", body)


def waited(seconds: int) -> str:
    minutes, seconds = divmod(max(0, seconds), 60)
    return f"{minutes} phút {seconds:02d} giây" if minutes else f"{seconds} giây"


VERIFIED = '<span class="badge ok">Đã xác thực</span>'
NOT_VERIFIED = '<span class="badge">Chưa xác thực</span>'
NO_QUESTION = '<span class="muted">(chưa nói rõ)</span>'


def queue_row(item: QueueItem, csrf: str) -> str:
    return (
        f'<tr data-testid="queue-item" data-handoff="{item.id}"><td>#{item.id}</td>'
        f"<td>{escape(CHANNELS.get(item.channel, item.channel))}</td><td>{waited(item.waited_seconds)}</td>"
        f"<td>{escape(item.question) or NO_QUESTION}</td><td>{VERIFIED if item.verified else NOT_VERIFIED}</td>"
        f'<td><form method="post" action="/agent/handoffs/{item.id}/take">{_csrf(csrf)}'
        f'<button type="submit" data-testid="take">Nhận</button></form></td></tr>'
    )


def queue_rows(items: list[QueueItem], csrf: str) -> str:
    if not items:
        return '<tr><td colspan="6" class="muted">Không có khách đang chờ.</td></tr>'
    return "".join(queue_row(item, csrf) for item in items)


def queue_page(agent: AgentView, items: list[QueueItem], mine: list[HandoffView], csrf: str,
               error: str | None = None) -> str:
    held = "".join(
        f'<li><a href="/agent/handoffs/{h.id}">#{h.id} – {escape(CHANNELS.get(h.channel, h.channel))}</a> '
        f'<span class="muted">{escape(h.question)}</span></li>' for h in mine
    ) or '<li class="muted">Chưa nhận cuộc nào.</li>'
    body = f"""
{error_box(error)}
<div class="card"><h1>Khách đang chờ</h1>
  <p class="muted">Cũ nhất ở trên. Tự cập nhật mỗi vài giây.</p>
  <table><thead><tr><th>Mã</th><th>Kênh</th><th>Đã chờ</th><th>Câu hỏi</th><th>Xác thực</th><th></th></tr></thead>
  <tbody id="queue" data-live="queue">{queue_rows(items, csrf)}</tbody></table>
</div>
<div class="card"><h1>Cuộc trò chuyện của tôi</h1><ul id="mine">{held}</ul></div>"""
    return layout("Hàng chờ – CSKH", body, agent, csrf)


def turn_html(turn: Turn) -> str:
    who = {"customer": "Khách", "bot": "Trợ lý ảo"}.get(turn.sender) or f"Nhân viên {turn.agent}"
    at = to_vietnam(turn.at_utc)
    return (f'<div class="turn {turn.sender}" data-at="{turn.at}"><small>{escape(who)} · {at:%H:%M:%S}</small>'
            f"{escape(turn.text)}</div>")


def context_html(context: CustomerContext | None) -> str:
    if context is None:
        return ('<p class="muted" data-testid="no-customer">Khách chưa xác thực bằng số điện thoại trong cuộc trò '
                'chuyện này, hoặc xác thực đã hết hạn: không hiển thị dữ liệu khách hàng.</p>')
    bills = "".join(
        f"<tr><td>{b.period}</td><td>{format_kwh(b.kwh)}</td><td>{format_vnd(b.total)}</td>"
        f"<td>{format_date(b.due_date)}</td><td>{escape(b.status)}</td></tr>" for b in context.bills
    ) or '<tr><td colspan="5" class="muted">Không có hóa đơn.</td></tr>'
    requests = "".join(
        f"<li>{escape(r.ticket)} – {escape(r.service_type)} ({escape(r.status.value)})</li>" for r in context.requests
    ) or '<li class="muted">Không có yêu cầu đang mở.</li>'
    payments = "".join(
        f"<li>{format_date(to_vietnam(p.paid_at))}: {format_vnd(p.amount)} qua {escape(p.channel)}</li>"
        for p in context.payments
    ) or '<li class="muted">Chưa có thanh toán.</li>'
    return f"""
<dl><dt class="muted">Mã khách hàng</dt><dd>{escape(context.code)}</dd>
<dt class="muted">Khách hàng</dt><dd>{escape(context.name)}</dd>
<dt class="muted">Điện thoại</dt><dd>{escape(context.phone)}</dd>
<dt class="muted">Địa chỉ</dt><dd>{escape(context.address)}</dd>
<dt class="muted">Điện lực</dt><dd>{escape(context.power_company)}</dd></dl>
<h2>Hóa đơn gần nhất</h2><table><tr><th>Kỳ</th><th>Điện năng</th><th>Tiền</th><th>Hạn</th><th>Trạng thái</th></tr>
{bills}</table>
<h2>Yêu cầu đang mở</h2><ul>{requests}</ul>
<h2>Thanh toán gần đây</h2><ul>{payments}</ul>"""


def conversation_page(agent: AgentView, handoff: HandoffView, turns: tuple[Turn, ...] | None,
                      context: CustomerContext | None, csrf: str, error: str | None = None) -> str:
    log = "".join(turn_html(t) for t in turns or ()) if turns is not None else error_box("rasa")
    count = f' data-count="{len(turns)}"' if turns is not None else ""  # the live API's `seen`
    closed = handoff.status != "taken"
    history = ""
    if closed and handoff.closed_at is not None:
        at = to_vietnam(handoff.closed_at)
        history = (f'<p class="muted" data-testid="closed-history">Đã đóng lúc {at:%H:%M %d/%m/%Y}: chỉ hiển thị '
                   "cuộc trò chuyện đến lúc đóng.</p>")
    reply = "" if closed else f"""
<form id="reply" method="post" action="/agent/handoffs/{handoff.id}/reply">{_csrf(csrf)}
  <textarea name="text" data-testid="reply-input" placeholder="Nhập tin nhắn gửi khách…" maxlength="2000"></textarea>
  <p><button type="submit" data-testid="reply-send">Gửi</button> <span id="reply-status" class="muted"></span></p>
</form>
<form method="post" action="/agent/handoffs/{handoff.id}/close">{_csrf(csrf)}
  <label>Kết quả <select name="outcome">{''.join(f'<option value="{k}">{v}</option>' for k, v in OUTCOMES.items())}
  </select></label> <input name="note" placeholder="Ghi chú / mã yêu cầu" maxlength="200">
  <button type="submit" data-testid="close">Đóng và trả cho trợ lý ảo</button>
</form>"""
    status = STATUSES.get(handoff.status, handoff.status)
    if handoff.outcome:
        status += f" – {OUTCOMES.get(handoff.outcome, 'Khách quay lại trợ lý ảo')}"
    body = f"""
{error_box(error)}
<div class="grid">
<div class="card"><h1>#{handoff.id} · {escape(CHANNELS.get(handoff.channel, handoff.channel))}
  <span class="badge" id="status" data-testid="handoff-status">{escape(status)}</span></h1>
  {history}<div class="log" id="log" data-live="conversation" data-handoff="{handoff.id}"{count}>{log}</div>
  {reply}
</div>
<div class="card"><h1>Thông tin khách hàng</h1>{context_html(context)}</div>
</div>"""
    return layout(f"#{handoff.id} – CSKH", body, agent, csrf)


SCAM_KINDS = {"link": "Đường link", "phone": "Số điện thoại", "account": "Số tài khoản", "qr": "Mã QR",
              "text": "Nội dung tin", "outage_claim": "Thông báo cắt điện", "picture": "Ảnh"}


def scams_page(agent: AgentView, reports: list[ScamReport], names: Callable[[str], str], csrf: str) -> str:
    """The checks customers sent that were not the company's, newest first: for the security team."""
    rows = "".join(
        f"<tr><td>{escape(format_datetime(to_vietnam(r.checked_at)))}</td>"
        f"<td>{escape(CHANNELS.get(r.channel, r.channel))}</td><td>{escape(SCAM_KINDS.get(r.kind, r.kind))}"
        f"{' (ảnh)' if r.with_picture else ''}</td><td>{escape(names(r.pattern))}</td><td>{escape(r.shown)}</td></tr>"
        for r in reports)
    body = ("<h1>Báo cáo lừa đảo mạo danh điện lực</h1>"
            "<p>Những gì khách hàng gửi để hỏi và được xác định không phải của điện lực, mới nhất trước. "
            "Số điện thoại và số tài khoản đã che bớt.</p>"
            + (f'<table data-testid="scam-reports"><tr><th>Lúc</th><th>Kênh</th><th>Loại</th><th>Dấu hiệu</th>'
               f"<th>Chi tiết</th></tr>{rows}</table>" if reports else "<p>Chưa có báo cáo nào.</p>"))
    return layout("Báo cáo lừa đảo", body, agent, csrf)


PRIORITIES = {"urgent": "Khẩn cấp", "high": "Cao", "normal": "Thường"}


def _when(moment: datetime | None) -> str:
    return format_datetime(to_vietnam(moment)) if moment is not None else "—"


def incident_card(incident: IncidentView, csrf: str) -> str:
    ticket = escape(incident.ticket)
    reports = "".join(
        f"<li>{escape(_when(r.reported_at))} · {escape(CHANNELS.get(r.channel, r.channel))}"
        f"{' · ' + escape(r.customer) if r.customer else ''}</li>" for r in incident.reports)
    names = load_book().cause_name
    causes = "".join(f'<option value="{c.value}"{" selected" if incident.cause is c else ""}>'
                     f"{escape(names(c.value))}</option>" for c in Cause)
    estimate = _when(incident.estimated_at) if incident.estimated_at else (
        f'chưa có (cần trước {escape(_when(incident.estimate_expected_by))})')
    follows = f' · <span class="badge warn">Sau khôi phục {escape(incident.follows)}</span>' if incident.follows else ""
    return f"""
<div class="card" data-testid="incident" data-ticket="{ticket}">
  <h2>{ticket} · {escape(incident.label)} <span class="badge">{escape(PRIORITIES.get(incident.priority, ''))}</span>
  {follows}</h2>
  <p>Tiếp nhận {escape(_when(incident.opened_at))} · Nguyên nhân:
  <b>{escape(names(incident.cause.value) if incident.cause else 'chưa rõ')}</b> · Dự kiến có điện:
  <b data-testid="incident-estimate">{estimate}</b></p>
  <p class="muted">{len(incident.reports)} phản ánh:</p><ul data-testid="incident-reports">{reports}</ul>
  <form class="inline" method="post" action="/agent/incidents/{ticket}/estimate">{_csrf(csrf)}
    <label>Nguyên nhân <select name="cause" data-testid="incident-cause"><option value="">—</option>{causes}</select>
    </label> <label>Dự kiến có điện <input name="estimated_at" placeholder="dd/mm/yyyy hh:mm" maxlength="20"
    data-testid="incident-at"></label>
    <button type="submit" data-testid="incident-update">Cập nhật và báo khách</button></form>
  <form class="inline" method="post" action="/agent/incidents/{ticket}/restored">{_csrf(csrf)}
    <button type="submit" data-testid="incident-restored">Đã có điện lại</button></form>
</div>"""


def incidents_page(agent: AgentView, incidents: list[IncidentView], csrf: str, error: str = "",
                   done: str = "") -> str:
    """Open incidents, oldest first, each with its reports and the forms that change it."""
    notice = (f'<p class="badge ok" data-testid="incident-done">Đã cập nhật {escape(done[:24])}; khách đã báo và '
              "khách liên kết trong khu vực sẽ được nhắn.</p>") if done else ""
    failed = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    cards = "".join(incident_card(i, csrf) for i in incidents) or '<p class="muted">Không có sự cố đang mở.</p>'
    body = (f"<h1>Sự cố mất điện đang mở</h1>{failed}{notice}<p class=\"muted\">Cũ nhất ở trên. Mỗi cập nhật được "
            "nhắn cho mọi khách đã báo và khách đã liên kết tài khoản trong phường của sự cố.</p>" + cards)
    return layout("Sự cố mất điện", body, agent, csrf)
